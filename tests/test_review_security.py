"""Security of the review app: every route needs a login, forms need the CSRF token, student
text is inert (script, onerror, bidi overrides), TAs cannot edit rubrics or accounts, passwords
are stored as salted scrypt hashes, logins are rate-limited, cookies are HttpOnly SameSite."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from review_support import PASSWORD, csrf_of, fill
from sqlalchemy import select
from starlette.routing import Mount, Route
from starlette.testclient import TestClient

from graders.cli import build_parser, run
from graders.gradebook.review_models import AccountRow
from graders.review_app.app import HERE, PUBLIC_PATHS, create_app
from graders.review_app.auth import LoginLimiter

A, ITEM = "hw5-rnn", "Q3.a.gates"
HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)"> \u202eevil\u2066x\u2069'


def _hostile(sub: dict) -> None:
    sub["students"] = [{"name": "<script>alert(3)</script>", "number": "401100001"}]
    for q in sub["questions"]:
        for p in q["parts"]:
            for c in p["checks"]:
                if f"{q['id']}.{p['id']}.{c['id']}" == ITEM:
                    c["evidence"]["text"] = HOSTILE


@pytest.fixture
def app_and_keys(tmp_path: Path) -> tuple:
    url = f"sqlite:///{tmp_path / 'gb.db'}"
    keys = fill(url, tweak=_hostile)
    app = create_app(A, url, secret="test-secret")
    app.state.store.add_account("ta1", PASSWORD, "ta")
    app.state.store.add_account("prof", PASSWORD, "instructor")
    return app, keys


def login(client: TestClient, name: str, password: str = PASSWORD) -> str:
    token = csrf_of(client.get("/login").text)
    r = client.post(
        "/login", data={"csrf": token, "name": name, "password": password}, follow_redirects=False
    )
    assert r.status_code == 303, r.text
    return csrf_of(client.get("/").text)


def test_every_route_needs_a_login(app_and_keys: tuple) -> None:
    app, keys = app_and_keys
    client = TestClient(app)
    params = {"{item}": ITEM, "{key}": keys[0], "{rid:int}": "1"}
    checked = 0
    for route in app.routes:
        if isinstance(route, Mount):
            assert route.path in PUBLIC_PATHS  # fonts, the stylesheet and the script only
            continue
        assert isinstance(route, Route)
        if route.path.startswith("/login"):
            continue
        path = route.path
        for k, v in params.items():
            path = path.replace(k, v)
        for method in route.methods - {"HEAD"}:
            r = client.request(method, path, data={"csrf": "x"}, follow_redirects=False)
            if method == "GET":
                assert (r.status_code, r.headers["location"]) == (303, "/login"), path
            else:
                assert r.status_code == 401, (method, path)
            checked += 1
    assert checked == 13  # every Route but the two of /login
    served = {p.suffix for p in HERE.joinpath("static").iterdir()}
    assert served == {".css", ".js"}


def test_forms_without_the_csrf_token_are_refused(app_and_keys: tuple) -> None:
    app, keys = app_and_keys
    client = TestClient(app)
    r = client.post("/login", data={"name": "ta1", "password": PASSWORD}, follow_redirects=False)
    assert r.status_code == 403 and "dlgrade_review" not in r.cookies
    token = login(client, "ta1")
    for data in ({}, {"csrf": token[:-2] + "xx"}):
        r = client.post(
            f"/grade/{ITEM}/{keys[0]}",
            data={**data, "version": "0", "comment": "c"},
            follow_redirects=False,
        )
        assert r.status_code == 403
    assert app.state.store.review(A, keys[0], ITEM) is None
    r = client.post(
        f"/grade/{ITEM}/{keys[0]}", data={"csrf": token, "version": "0"}, follow_redirects=False
    )
    assert r.status_code == 303 and app.state.store.review(A, keys[0], ITEM)["grader"] == "ta1"
    for back in ("https://evil.example/", "//evil.example/"):
        r = client.post(
            f"/comments/{ITEM}",
            data={"csrf": token, "text": "x", "back": back},
            follow_redirects=False,
        )
        assert (r.status_code, r.headers["location"]) == (303, "/")  # no open redirect
    bad = client.get("/grade/not-an-item")  # a bad address is a clear 400, never a 500
    assert bad.status_code == 400 and "not a check address" in bad.text


def test_student_text_is_inert(app_and_keys: tuple) -> None:
    app, keys = app_and_keys
    client = TestClient(app)
    login(client, "ta1")
    page = client.get(f"/grade/{ITEM}/{keys[0]}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=&#34;alert(2)&#34;&gt;" in page
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "\u202e" not in page and "\u2066" not in page and "\u2069" not in page
    assert "[U+202E]" in page and "[U+2066]" in page
    overview = client.get("/").text
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in overview and "<script>alert" not in overview


def test_a_ta_cannot_edit_rubrics_or_accounts(app_and_keys: tuple) -> None:
    app, keys = app_and_keys
    client = TestClient(app)
    token = login(client, "ta1")
    client.get(f"/grade/{ITEM}/{keys[0]}")  # seeds the rubric from the spec's key points
    before = app.state.store.rubric(A, ITEM)
    rid = before[0]["id"]
    form = {"csrf": token, "points": "9", "text_fa": "x", "text_en": "x", "version": "1"}
    assert (
        client.post(f"/rubric/{ITEM}/{rid}", data=form, follow_redirects=False).status_code == 403
    )
    assert client.post(f"/rubric/{ITEM}", data=form, follow_redirects=False).status_code == 403
    add = {"csrf": token, "name": "eve", "password": "password123", "role": "instructor"}
    assert client.post("/accounts", data=add, follow_redirects=False).status_code == 403
    assert client.get("/accounts", follow_redirects=False).status_code == 403
    assert app.state.store.rubric(A, ITEM) == before
    assert app.state.store.account("eve") is None
    prof = TestClient(app)
    ptoken = login(prof, "prof")
    r = prof.post(f"/rubric/{ITEM}/{rid}", data={**form, "csrf": ptoken}, follow_redirects=False)
    assert r.status_code == 303 and app.state.store.rubric(A, ITEM)[0]["points"] == 9.0


def test_password_hash_is_salted_scrypt_not_the_password(app_and_keys: tuple) -> None:
    app, _ = app_and_keys
    store = app.state.store
    with store._sessions() as s:
        hashes = {r.name: r.password_hash for r in s.scalars(select(AccountRow)).all()}
    assert PASSWORD not in hashes["ta1"] and hashes["ta1"].startswith("scrypt$16384$8$1$")
    assert hashes["ta1"] != hashes["prof"]  # same password, different salt
    assert store.verify("ta1", PASSWORD)["role"] == "ta"
    assert store.verify("ta1", PASSWORD + "!") is None and store.verify("nobody", PASSWORD) is None


def test_a_password_reset_ends_older_sessions(app_and_keys: tuple) -> None:
    app, _ = app_and_keys
    client = TestClient(app)
    login(client, "ta1")
    assert client.get("/", follow_redirects=False).status_code == 200
    app.state.store.add_account("ta1", "a brand new password", "ta")
    r = client.get("/", follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, "/login")


def test_logins_are_rate_limited_and_cookies_are_httponly_samesite(app_and_keys: tuple) -> None:
    app, _ = app_and_keys
    client = TestClient(app)
    token = csrf_of(client.get("/login").text)
    for _ in range(5):
        r = client.post("/login", data={"csrf": token, "name": "ta1", "password": "wrong-one"})
        assert r.status_code == 401
    r = client.post(
        "/login", data={"csrf": token, "name": "ta1", "password": PASSWORD}, follow_redirects=False
    )
    assert r.status_code == 429
    assert "dlgrade_review" not in r.cookies
    app.state.limiter = LoginLimiter()  # a fresh server
    other = TestClient(app)
    token = csrf_of(other.get("/login").text)
    r = other.post(
        "/login", data={"csrf": token, "name": "prof", "password": PASSWORD}, follow_redirects=False
    )
    cookie = r.headers["set-cookie"].lower()
    assert r.status_code == 303 and "httponly" in cookie and "samesite=strict" in cookie


def test_cli_listens_on_localhost_and_adds_accounts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert build_parser().parse_args(["review", A]).host == "127.0.0.1"
    db = tmp_path / "gb.db"
    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret-pass\n"))
    assert (
        run(
            [
                "ta",
                "add",
                "sara",
                "--role",
                "instructor",
                "--gradebook",
                str(db),
                "--password-stdin",
            ]
        )
        == 0
    )
    from graders.review_app.store import ReviewStore

    store = ReviewStore(db)
    assert store.verify("sara", "s3cret-pass")["role"] == "instructor"
    store.close()
