"""Opening the gradebook's database: one place that turns a path or URL into an SQLAlchemy
engine and session factory, for the gradebook, the TA scores and the review app.

A plain path is SQLite (its folder is created; WAL, foreign keys and a busy timeout so several
batch workers and the review app share it); `postgresql://` URLs use the installed psycopg 3
driver.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker


def database_url(target: str | Path) -> str:
    """An SQLAlchemy URL from a path or URL."""
    text = str(target)
    if text.startswith(("postgresql://", "postgres://")):  # the installed driver: psycopg 3
        text = "postgresql+psycopg://" + text.split("://", 1)[1]
    return text if "://" in text else f"sqlite:///{Path(text).resolve()}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


class Database:
    """An engine and a session factory over `target`, with the tables of `metadata` created
    (after `prepare(engine)`, e.g. the Alembic upgrade); usable as a context manager."""

    def __init__(
        self,
        target: str | Path,
        *metadata: MetaData,
        prepare: Any = None,
    ) -> None:
        url = self.url = database_url(target)
        if url.startswith("sqlite:///"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        self.engine: Engine = create_engine(url)
        if url.startswith("sqlite"):
            event.listen(self.engine, "connect", _sqlite_pragmas)
        if prepare is not None:
            prepare(self.engine)
        for meta in metadata:
            meta.create_all(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
