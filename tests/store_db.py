"""Databases for the store tests: a SQLite file always, and a throw-away PostgreSQL server.

The server is a fresh cluster (initdb, pg_ctl) in a temporary folder on a free
port, started once per test session from Debian's binaries in
/usr/lib/postgresql/*/bin; each test gets its own database in it. PostgreSQL
refuses to run as root, so under root the cluster belongs to the ``postgres``
user (the package creates it) and is run through ``runuser``. Where the
binaries are missing the PostgreSQL half of each test is skipped, visibly
(``make test`` installs them when it can).

Test modules import the fixtures: ``from store_db import *`` (db_url, pg_server).
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
from pathlib import Path

import pytest

__all__ = ["db_url", "pg_server"]


def pg_bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """``postgresql://postgres@127.0.0.1:PORT`` of a server that lives for the test session."""
    bindir = pg_bindir()
    if bindir is None:
        pytest.skip(
            "PostgreSQL server binaries not found in /usr/lib/postgresql/*/bin (apt-get install postgresql)"
        )
    prefix: list[str] = []
    base = Path(tempfile.mkdtemp(prefix="rasid-pg-"))
    if os.geteuid() == 0:
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(base)
            pytest.skip("running as root and there is no 'postgres' user to run the test server")
        if shutil.which("runuser") is None:
            pytest.skip("running as root without runuser to start the test server as 'postgres'")
        os.chmod(base, 0o755)
        os.chown(base, user.pw_uid, user.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    data, log = base / "data", base / "server.log"
    port = _free_port()
    subprocess.run(
        [*prefix, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8"]
        + ["--no-locale", "--no-sync"],
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
    start = [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log), "-w", "start"]
    result = subprocess.run(start, capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(
            f"test PostgreSQL did not start: {result.stderr}\n{log.read_text() if log.exists() else ''}"
        )
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(
            [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], capture_output=True
        )
        shutil.rmtree(base, ignore_errors=True)


def _admin(server: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(sql)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Each store test runs twice: on a SQLite file, and on its own PostgreSQL database."""
    if request.param == "sqlite":
        yield str(tmp_path / "rasid.db")
        return
    server = request.getfixturevalue("pg_server")
    name = f"t_{uuid.uuid4().hex[:12]}"
    _admin(server, f"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0")
    try:
        yield f"{server}/{name}"
    finally:
        _admin(server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
