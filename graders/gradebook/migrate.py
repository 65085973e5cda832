"""Bring a gradebook database to the newest schema with Alembic (`migrations/`).

A gradebook made before migrations existed has no `alembic_version` table: revision 0001 keeps
its tables as they are (it only creates missing ones), so upgrading adopts it. A database already
at the head revision costs one query.
"""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

HEAD = "0004"
WAIT_S = 60.0
SCRIPTS = Path(__file__).with_name("migrations")


def current_revision(engine: Engine) -> str | None:
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError:
        return None


def ensure_schema(engine: Engine) -> str:
    """Upgrade to the head revision; return it."""
    if current_revision(engine) == HEAD:
        return HEAD
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPTS))
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except DBAPIError:
        # Two processes opening a new gradebook at once: wait for the other one's upgrade.
        deadline = time.monotonic() + WAIT_S
        while current_revision(engine) != HEAD:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    return HEAD
