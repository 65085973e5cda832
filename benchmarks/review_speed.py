"""Review-app latency with 300 submissions in the gradebook, on SQLite and on a private
PostgreSQL server: the grading page (GET) and a save (POST, the answer to the form, without
following its redirect), measured by a client over loopback HTTP against uvicorn.
Targets: p95 under 100 ms for the page and 50 ms for a save.

    PYTHONPATH=.:tests .venv/bin/python benchmarks/review_speed.py [--submissions 300] [--requests 100]
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import uvicorn

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from pg_server import fresh_database, pg_bin, private_postgres  # noqa: E402
from review_support import PASSWORD, csrf_of, fill  # noqa: E402

from graders.review_app.app import create_app  # noqa: E402

ITEM = "Q3.a.gates"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


class Timing:
    """ASGI wrapper: wall and CPU time of every request, in ms. CPU is this process's (the client
    waits meanwhile; PostgreSQL's own processes are not counted)."""

    def __init__(self, app: object) -> None:
        self.app, self.wall, self.cpu = app, [], []

    async def __call__(self, scope: dict, receive: object, send: object) -> None:
        w, c = time.perf_counter(), time.process_time()
        await self.app(scope, receive, send)
        if scope["type"] == "http":
            self.wall.append((time.perf_counter() - w) * 1000)
            self.cpu.append((time.process_time() - c) * 1000)


def measure(url: str, n_subs: int, n_requests: int) -> dict[str, float]:
    t0 = time.perf_counter()
    keys = fill(url, n_subs)
    fill_s = time.perf_counter() - t0
    app = create_app("hw5-rnn", url, secret="bench")
    app.state.store.add_account("ta", PASSWORD, "ta")
    port = _port()
    timed = Timing(app)
    server = uvicorn.Server(uvicorn.Config(timed, host="127.0.0.1", port=port, log_level="error"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    pages, saves = [], []
    with httpx.Client(base_url=base) as c:
        token = csrf_of(c.get("/login").text)
        c.post("/login", data={"csrf": token, "name": "ta", "password": PASSWORD})
        c.get(f"/grade/{ITEM}/{keys[0]}")  # seeds the rubric; warms up
        timed.wall.clear()
        timed.cpu.clear()
        for i in range(n_requests):
            key = keys[(i * 7) % len(keys)]
            t = time.perf_counter()
            r = c.get(f"/grade/{ITEM}/{key}")
            pages.append((time.perf_counter() - t) * 1000)
            assert r.status_code == 200, r.status_code
            version = re.search(r"name=\"version\" value=\"(\d+)\"", r.text).group(1)
            token = csrf_of(r.text)
            ids = re.findall(r'name="rubric" value="(\d+)"', r.text)[: 1 + i % 3]
            t = time.perf_counter()
            r = c.post(
                f"/grade/{ITEM}/{key}",
                data={"csrf": token, "version": version, "rubric": ids, "comment": f"c{i}"},
                follow_redirects=False,
            )
            saves.append((time.perf_counter() - t) * 1000)
            assert r.status_code == 303, r.text
    server.should_exit = True
    app.state.store.close()
    return {
        "fill_s": fill_s,
        "page_p50": statistics.median(pages),
        "page_p95": p95(pages),
        "save_p50": statistics.median(saves),
        "save_p95": p95(saves),
        "srv_page_p95": p95(timed.wall[0::2]),
        "srv_save_p95": p95(timed.wall[1::2]),
        "cpu_page_p95": p95(timed.cpu[0::2]),
        "cpu_save_p95": p95(timed.cpu[1::2]),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--submissions", type=int, default=300)
    ap.add_argument("--requests", type=int, default=100)
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        rows.append(("sqlite", measure(f"sqlite:///{tmp}/gb.db", args.submissions, args.requests)))
    if pg_bin():
        with private_postgres() as server:
            rows.append(
                ("postgresql", measure(fresh_database(server), args.submissions, args.requests))
            )
    print(f"{args.submissions} submissions, {args.requests} page loads + saves of {ITEM}")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print("client: over loopback HTTP; srv: inside the ASGI app (wall); cpu: this process's CPU")
    cols = {
        "page p50": "page_p50",
        "page p95": "page_p95",
        "save p50": "save_p50",
        "save p95": "save_p95",
        "srv page": "srv_page_p95",
        "srv save": "srv_save_p95",
        "cpu page": "cpu_page_p95",
        "cpu save": "cpu_save_p95",
    }
    print(f"{'backend':<11}" + "".join(f"{h:>9}" for h in cols) + "  (ms; srv, cpu: p95)")
    for name, m in rows:
        print(
            f"{name:<11}"
            + "".join(f"{m[k]:9.1f}" for k in cols.values())
            + f"  (filled in {m['fill_s']:.0f} s)"
        )


if __name__ == "__main__":
    main()
