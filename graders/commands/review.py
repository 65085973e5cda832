"""`dlgrade review ASSIGNMENT` (the TA review web app) and `dlgrade ta add NAME` (accounts).

dlgrade ta add maryam --role instructor --gradebook postgresql+psycopg://host/grades
dlgrade review hw5-rnn --gradebook postgresql+psycopg://host/grades --port 8765
"""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

from graders.errors import DlgradeError
from graders.paths import gradebook_location


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("گذرواژه / password: ")
    if getpass.getpass("تکرار گذرواژه / repeat: ") != first:
        raise DlgradeError("the passwords differ", "دو گذرواژه یکسان نیستند.")
    return first


def add_account(
    *,
    name: str,
    role: str = "ta",
    gradebook: Path | str | None = None,
    reports: Path | None = None,
    password_stdin: bool = False,
) -> None:
    from graders.review_app.store import ReviewStore

    store = ReviewStore(gradebook_location(gradebook, reports))
    try:
        store.add_account(name, _password(password_stdin), role)
    finally:
        store.close()
    print(f"account {name} ({role}) saved / حساب {name} ({role}) ذخیره شد")


def serve(
    *,
    assignment: str,
    host: str = "127.0.0.1",
    port: int = 8765,
    gradebook: Path | str | None = None,
    reports: Path | None = None,
) -> None:
    import uvicorn

    from graders.review_app.app import create_app

    app = create_app(assignment, gradebook_location(gradebook, reports))
    if not app.state.store.accounts():
        print(
            "هیچ حسابی نیست؛ با `dlgrade ta add NAME --role instructor` بسازید.\n"
            "no accounts yet: create one with `dlgrade ta add NAME --role instructor`",
            file=sys.stderr,
        )
    print(f"dlgrade review: http://{host}:{port}/ ({app.state.assignment})", file=sys.stderr)
    uvicorn.run(app, host=host, port=port, log_level="warning")
