"""End to end in a real browser (Debian's chromium, headless, through chromedriver): log in,
grade Q3.a of three submissions with rubric shortcuts, edit a rubric item and see the scores
change, override an automatic result with a reason, log out. The grading page's screenshot is
compared with `tests/files/review/grade_page.png` the way report pages are."""

from __future__ import annotations

import io
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from review_support import PASSWORD, fill

from graders.gradebook import Gradebook
from graders.review_app.app import create_app

A, ITEM = "hw5-rnn", "Q3.a.gates"
CHROMIUM, DRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1400,1000",
    "--lang=fa",
]

pytestmark = pytest.mark.skipif(
    not (shutil.which(CHROMIUM) and shutil.which(DRIVER)),
    reason="Debian's chromium and chromium-driver are not installed",
)


ANSWER = (
    "در LSTM گیت فراموشی f_t تعیین می‌کند چه بخشی از حالت سلول c_{t-1} بماند و گیت ورودی "
    "مقدار نامزد را می‌افزاید؛ به‌روزرسانی جمعی حالت سلول مسیر گرادیان را باز نگه می‌دارد."
)


def _answer(sub: dict) -> None:
    """The examples leave Q3 empty; give the Q3.a slot an answer sheet text to read."""
    for q in sub["questions"]:
        for p in q["parts"]:
            for c in p["checks"]:
                if f"{q['id']}.{p['id']}.{c['id']}" == ITEM:
                    c["evidence"].update(text=f"{sub['submission']}: {ANSWER}", source="sheet")


REFERENCE = Path(__file__).parent / "files" / "review" / "grade_page.png"
THRESHOLD, MAX_DIFFERENT = 64, 0.015  # as tests/test_report_visual.py


def _grey(png: bytes) -> np.ndarray:
    img = Image.open(io.BytesIO(png)).convert("L")
    return np.asarray(img.resize((img.width // 2, img.height // 2)), dtype=float)


def different_fraction(a: np.ndarray, b: np.ndarray) -> float:
    """Pixels differing by more than THRESHOLD grey levels after a 3x3 box blur."""
    if a.shape != b.shape:
        return 1.0

    def blur(x: np.ndarray) -> np.ndarray:
        p = np.pad(x, 1, mode="edge")
        return (
            sum(p[i : i + x.shape[0], j : j + x.shape[1]] for i in range(3) for j in range(3)) / 9
        )

    return float((np.abs(blur(a) - blur(b)) > THRESHOLD).mean())


def _compare_with_reference(png: bytes) -> None:
    """The grading page looks as committed (regenerate: DLGRADE_UPDATE_REFERENCE=1)."""
    new = _grey(png)
    if os.environ.get("DLGRADE_UPDATE_REFERENCE") == "1":
        Image.fromarray(new.astype(np.uint8)).save(REFERENCE)
    old = np.asarray(Image.open(REFERENCE).convert("L"), dtype=float)
    assert different_fraction(new, old) < MAX_DIFFERENT
    assert different_fraction(new, new[:, ::-1]) > MAX_DIFFERENT  # a left-to-right page fails
    assert different_fraction(new, np.roll(new, 12, axis=0)) > MAX_DIFFERENT


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, object, list[str], str]]:
    import uvicorn

    url = f"sqlite:///{tmp_path / 'gb.db'}"
    keys = fill(url, tweak=_answer)
    app = create_app(A, url, secret="browser-test")
    app.state.store.add_account("prof", PASSWORD, "instructor")
    port = _port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", app, keys, url
    srv.should_exit = True
    thread.join(10)


@pytest.fixture
def browser() -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in FLAGS:
        opts.add_argument(flag)
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


def test_grade_q3_edit_rubric_override_logout(server: tuple, browser: object) -> None:
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    base, app, keys, url = server
    d = browser
    # A page replaced while the wait reads it (the rubric edit reloads it) detaches the element
    # read: Chrome answers "Node ... does not belong to the document"; the wait reads it again.
    wait = WebDriverWait(d, 10, ignored_exceptions=(WebDriverException,))
    store = app.state.store

    def keys_pressed(*ks: str) -> None:
        chain = ActionChains(d)
        for k in ks:
            chain = chain.send_keys(k)
        chain.perform()

    def save_with_ctrl_enter(expected_next: str) -> None:
        ActionChains(d).key_down(Keys.CONTROL).send_keys(Keys.ENTER).key_up(Keys.CONTROL).perform()
        wait.until(ec.url_contains(expected_next))

    d.get(f"{base}/grade/{ITEM}")
    assert d.current_url.endswith("/login")
    d.find_element(By.ID, "name").send_keys("prof")
    d.find_element(By.ID, "password").send_keys(PASSWORD)
    d.find_element(By.ID, "login").click()
    wait.until(ec.presence_of_element_located((By.ID, "items")))

    d.get(f"{base}/grade/{ITEM}")  # next ungraded: the first submission
    wait.until(ec.url_contains(keys[0]))
    rubric = store.rubric(A, ITEM)
    assert d.find_element(By.ID, "answer").text == f"{keys[0]}: {ANSWER}"
    assert len(rubric) >= 3
    keys_pressed("1", "2")
    save_with_ctrl_enter(keys[1])
    keys_pressed("2")
    save_with_ctrl_enter(keys[2])
    bank = "مسیر گرادیان از حالت سلول را هم توضیح دهید"
    d.find_element(By.NAME, "text").send_keys(bank)  # a new comment-bank remark
    d.find_element(By.NAME, "text").submit()
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ".bank-item")))
    d.find_element(By.CSS_SELECTOR, ".bank-item").click()
    d.find_element(By.TAG_NAME, "h1").click()  # focus off the form: digits are shortcuts again
    keys_pressed("3", "1", "1")  # 1 ticked and unticked again
    save_with_ctrl_enter(keys[3])
    assert store.review(A, keys[2], ITEM)["comment"] == bank
    ids = [r["id"] for r in rubric]
    got = [store.review(A, k, ITEM)["rubric_ids"] for k in keys[:3]]
    assert got == [sorted(ids[:2]), [ids[1]], [ids[2]]]
    assert store.review(A, keys[3], ITEM) is None

    keys_pressed("p")  # previous: the third submission, showing its saved grade
    wait.until(ec.url_contains(keys[2]))
    assert float(d.find_element(By.ID, "points").text) == pytest.approx(rubric[2]["points"])
    keys_pressed("p")
    wait.until(ec.url_contains(keys[1]))
    keys_pressed("p")
    wait.until(ec.url_contains(keys[0]))
    before = float(d.find_element(By.ID, "points").text)
    assert before == pytest.approx(min(4.0, rubric[0]["points"] + rubric[1]["points"]))
    if os.environ.get("DLGRADE_SCREENSHOTS"):
        d.save_screenshot(str(Path(os.environ["DLGRADE_SCREENSHOTS"]) / "review-grade.png"))
    _compare_with_reference(d.get_screenshot_as_png())

    d.find_element(By.CSS_SELECTOR, "#rubric-edit summary").click()
    box = d.find_element(By.ID, "rubric-points-2")
    box.clear()
    box.send_keys("0.25")
    d.find_element(By.ID, "rubric-save-2").click()
    wait.until(
        ec.text_to_be_present_in_element((By.ID, "points"), f"{rubric[0]['points'] + 0.25:g}")
    )
    with Gradebook(url) as gb:
        finals = {r["submission"]: r for r in gb.final_all(A)}
    q3a = {
        k: next(
            p
            for q in finals[k]["questions"]
            if q["id"] == "Q3"
            for p in q["parts"]
            if p["id"] == "a"
        )["score"]
        for k in keys[:3]
    }
    assert q3a[keys[0]] == pytest.approx(rubric[0]["points"] + 0.25, abs=1e-3)
    assert q3a[keys[1]] == pytest.approx(0.25, abs=1e-3)
    assert q3a[keys[2]] == pytest.approx(rubric[2]["points"], abs=1e-3)

    d.get(f"{base}/")
    done = d.find_element(By.CSS_SELECTOR, f'#items tr[data-item="{ITEM}"] td.done').text
    assert done == "3"

    d.get(f"{base}/submission/{keys[0]}")
    row = d.find_element(By.CSS_SELECTOR, 'tr[data-item="Q1.a.L1-weights"]')
    row.find_element(By.NAME, "points").send_keys("0.5")
    row.find_element(By.NAME, "reason").send_keys("وزن‌ها درست شمرده شده‌اند")
    row.find_element(By.CSS_SELECTOR, "button").click()
    wait.until(
        ec.text_to_be_present_in_element(
            (By.CSS_SELECTOR, 'tr[data-item="Q1.a.L1-weights"] td.decision'), "وزن‌ها درست"
        )
    )
    with Gradebook(url) as gb:
        final = gb.final(A, keys[0])
    check = next(
        c
        for q in final["questions"]
        for p in q["parts"]
        for c in p["checks"]
        if (q["id"], p["id"], c["id"]) == ("Q1", "a", "L1-weights")
    )
    assert (check["status"], check["score"]) == ("pass", 1.0)

    d.get(f"{base}/audit")
    audit = d.find_element(By.ID, "audit").text
    assert "override" in audit and "rubric-edit" in audit and audit.count("rescore") == 2

    d.find_element(By.ID, "logout").click()
    wait.until(ec.url_contains("/login"))
    d.get(f"{base}/")
    assert d.current_url.endswith("/login")
