"""A private, throwaway PostgreSQL server for tests and benchmarks (Debian's `postgresql`).

initdb into a fresh folder under /tmp, listen only on a unix socket there (no TCP), trust
authentication, fsync off. As root it runs as `nobody` (PostgreSQL refuses root), via runuser.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager


def pg_bin() -> str | None:
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda d: int(d.split("/")[-2]))
    return dirs[-1] if dirs and os.path.exists(f"{dirs[-1]}/initdb") else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def private_postgres() -> Iterator[str]:
    """Yield a SQLAlchemy URL (psycopg 3) of the `postgres` database of a fresh server."""
    bindir = pg_bin()
    if bindir is None:
        raise RuntimeError("PostgreSQL is not installed: apt-get install postgresql")
    home = tempfile.mkdtemp(prefix="dlgrade-pg-")
    prefix: list[str] = []
    if os.getuid() == 0:
        user = pwd.getpwnam("nobody")
        os.chown(home, user.pw_uid, user.pw_gid)
        prefix = ["runuser", "-u", "nobody", "--"]
    data, port = f"{home}/data", _free_port()
    run = dict(check=True, capture_output=True, cwd=home)
    try:
        subprocess.run(
            [
                *prefix,
                f"{bindir}/initdb",
                "-D",
                data,
                "-U",
                "dlgrade",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-sync",
                "--locale=C.UTF-8",
            ],
            **run,
        )
        opts = f"-k {home} -p {port} -c listen_addresses='' -c fsync=off -c max_connections=60"
        subprocess.run(
            [
                *prefix,
                f"{bindir}/pg_ctl",
                "-D",
                data,
                "-o",
                opts,
                "-w",
                "-t",
                "30",
                "-l",
                f"{home}/log",
                "start",
            ],
            **run,
        )
        yield f"postgresql+psycopg://dlgrade@/postgres?host={home}&port={port}"
    finally:
        subprocess.run(
            [*prefix, f"{bindir}/pg_ctl", "-D", data, "-m", "immediate", "stop"],
            capture_output=True,
            cwd=home,
        )
        shutil.rmtree(home, ignore_errors=True)


def fresh_database(server_url: str) -> str:
    """Create an empty database on the server; return its URL."""
    from sqlalchemy import create_engine, text

    name = f"t_{uuid.uuid4().hex[:12]}"
    engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return server_url.replace("/postgres?", f"/{name}?")
