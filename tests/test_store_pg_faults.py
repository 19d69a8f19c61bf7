"""A PostgreSQL server that restarts, or goes away, under ``rasid ingest`` (issue #20, faults).

The server here is this module's own cluster (initdb, pg_ctl, as in
``store_db.py``), not the session's shared one, since the tests stop and
restart it. What they show:

* a restart in the middle of an ingest is waited for and the ingest completes:
  the same articles and events as a clean run, none twice;
* a connection the server drops inside a transaction makes that transaction
  run again, whole, on a new connection (the deterministic form of the above);
* a server that stays down ends the ingest after the backoff with one line on
  stderr and exit status 2, no traceback; what was committed before stays, and
  the same command run later completes the work.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import OperationalError

from rasid.store import open_store
from rasid.store.db import create, is_disconnect, retry_store
from rasid.store.schema import articles, events
from store_db import _free_port, pg_bindir
from test_store_crash import write_feed

N_ARTICLES = 150  # enough that the ingest is still running when the server goes, even compiled


@dataclass
class Cluster:
    """A PostgreSQL cluster the test may stop and start."""

    bindir: Path
    data: Path
    log: Path
    port: int
    prefix: list[str] = field(default_factory=list)
    socket_dir: Path = Path("/tmp")

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}"

    def ctl(self, *args: str) -> None:
        options = (
            f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c full_page_writes=off"
        )
        cmd = [*self.prefix, str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", options]
        result = subprocess.run([*cmd, "-l", str(self.log), *args], capture_output=True, text=True)
        assert result.returncode == 0, f"pg_ctl {args}: {result.stderr}\n{self.log.read_text()}"

    def start(self) -> None:
        self.ctl("-w", "start")

    def stop(self) -> None:
        self.ctl("-m", "fast", "-w", "stop")  # fast: open sessions are terminated, as in a restart

    def running(self) -> bool:
        cmd = [*self.prefix, str(self.bindir / "pg_ctl"), "-D", str(self.data), "status"]
        return subprocess.run(cmd, capture_output=True).returncode == 0

    def admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(f"{self.url}/postgres", autocommit=True) as conn:
            conn.execute(sql)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    bindir = pg_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries not found in /usr/lib/postgresql/*/bin")
    base = Path(tempfile.mkdtemp(prefix="rasid-pg-faults-"))
    prefix: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses root: run it as 'postgres', as store_db.py does
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no 'postgres' user to run the test server")
        if shutil.which("runuser") is None:
            pytest.skip("running as root without runuser")
        os.chmod(base, 0o755)
        os.chown(base, user.pw_uid, user.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    c = Cluster(bindir, base / "data", base / "server.log", _free_port(), prefix, base)
    subprocess.run(
        [*prefix, str(bindir / "initdb"), "-D", str(c.data), "-U", "postgres", "-A", "trust", "-E", "UTF8"]
        + ["--no-locale", "--no-sync"],
        check=True,
        capture_output=True,
    )
    c.start()
    try:
        yield c
    finally:
        if c.running():
            c.ctl("-m", "immediate", "stop")
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def pg_db(cluster: Cluster, request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh database in the cluster (the cluster running at the start and the end of each test)."""
    if not cluster.running():
        cluster.start()
    name = f"f_{request.node.name.lower().replace('[', '_').replace(']', '')[:40]}"
    cluster.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    cluster.admin(f"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0")
    yield f"{cluster.url}/{name}"
    if not cluster.running():
        cluster.start()
    cluster.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def ingest_cmd(feed: Path, db: str) -> list[str]:
    return [sys.executable, "-m", "rasid.cli", "ingest", str(feed), "--db", db, "--batch-size", "2"]


def contents(engine: Engine) -> tuple[list[str], list[tuple[str, str]]]:
    """Article ids and (article id, event id) pairs, sorted: what a run stored, duplicates included."""
    with engine.connect() as conn:
        ids = sorted(r[0] for r in conn.execute(select(articles.c.id)))
        pairs = sorted((r[0], r[1]) for r in conn.execute(select(events.c.article_id, events.c.event_id)))
    return ids, pairs


def stored(db: str) -> int:
    engine = create(db)
    try:
        with engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(articles)).scalar_one())
    except OperationalError:
        return -1
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def feed_and_reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, tuple[list[str], list]]:
    """The articles, and what a clean ingest of them stores (on SQLite: the same extraction)."""
    folder = tmp_path_factory.mktemp("feed")
    feed = folder / "feed.jsonl"
    write_feed(feed, N_ARTICLES)
    db = str(folder / "reference.db")
    subprocess.run(ingest_cmd(feed, db), check=True, capture_output=True, timeout=600)
    reference = contents(open_store(db))
    assert len(reference[0]) == N_ARTICLES and len(reference[1]) >= N_ARTICLES
    return feed, reference


def _wait_for_some(db: str, proc: subprocess.Popen[bytes], at_least: int) -> int:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        n = stored(db)
        if n >= at_least or proc.poll() is not None:
            return n
        time.sleep(0.05)
    raise AssertionError("the ingest stored nothing in 300 s")


def test_restart_mid_ingest_completes_without_loss_or_duplicates(
    cluster: Cluster, pg_db: str, feed_and_reference: tuple[Path, tuple[list[str], list]]
) -> None:
    feed, reference = feed_and_reference
    open_store(pg_db).dispose()  # the schema, so that the count below can be read from the start
    proc = subprocess.Popen(ingest_cmd(feed, pg_db), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    before = _wait_for_some(pg_db, proc, at_least=4)
    assert proc.poll() is None and 0 < before < N_ARTICLES, "the restart must come in the middle of the run"
    cluster.stop()
    time.sleep(1.5)  # down long enough that the next batch finds no server, and waits
    cluster.start()
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err.decode()
    assert b"Traceback" not in err
    assert contents(open_store(pg_db)) == reference


def test_connection_dropped_inside_a_transaction_is_retried_whole(pg_db: str) -> None:
    engine = open_store(pg_db)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (k integer PRIMARY KEY)"))
    attempts = []

    def work() -> None:
        with engine.begin() as conn:
            attempts.append(1)
            conn.execute(text("INSERT INTO t VALUES (1)"))
            if len(attempts) == 1:  # the server ends this session mid-transaction (as a restart does)
                pid = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
                with create(pg_db).connect() as other:
                    other.execute(text(f"SELECT pg_terminate_backend({int(pid)})"))
            conn.execute(text("INSERT INTO t VALUES (2)"))

    retry_store(work, "test")
    assert len(attempts) == 2
    with engine.connect() as conn:
        assert conn.execute(text("SELECT k FROM t ORDER BY k")).scalars().all() == [1, 2]


def test_server_back_during_the_backoff(
    cluster: Cluster, pg_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RASID_STORE_BACKOFF", "0.5,1,2,4")
    engine = open_store(pg_db)
    attempts: list[OperationalError | None] = []

    def count() -> int:
        try:
            with engine.connect() as conn:
                n = int(conn.execute(select(func.count()).select_from(articles)).scalar_one())
        except OperationalError as e:
            attempts.append(e)
            raise
        attempts.append(None)
        return n

    assert count() == 0  # the pool holds a connection to the server that is about to go
    cluster.stop()
    later = threading.Timer(1.0, cluster.start)
    later.start()
    assert retry_store(count, "reading") == 0
    later.join()
    failed = [e for e in attempts if e is not None]
    assert failed and all(is_disconnect(e) for e in failed)
    assert attempts[-1] is None


def test_server_that_stays_down_is_one_line_and_exit_2(
    cluster: Cluster, pg_db: str, feed_and_reference: tuple[Path, tuple[list[str], list]]
) -> None:
    feed, reference = feed_and_reference
    open_store(pg_db).dispose()
    env = {**os.environ, "RASID_STORE_BACKOFF": "0.2,0.4,0.8"}
    proc = subprocess.Popen(
        ingest_cmd(feed, pg_db), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env
    )
    before = _wait_for_some(pg_db, proc, at_least=4)
    assert proc.poll() is None, "the server must go away in the middle of the run"
    cluster.stop()
    started = time.monotonic()
    _, err = proc.communicate(timeout=600)
    waited = time.monotonic() - started
    lines = err.decode().strip().splitlines()
    assert proc.returncode == 2, err.decode()
    assert len(lines) == 1 and "Traceback" not in err.decode(), err.decode()
    assert lines[0].startswith("rasid: ") and "cannot be reached" in lines[0]
    assert "run the command again" in lines[0]
    assert waited >= 1.0  # it did wait through the backoff (0.2 + 0.4 + 0.8 s) before giving up
    cluster.start()
    kept = stored(pg_db)
    assert before <= kept < N_ARTICLES  # what was committed stays; the rest is not half there
    rerun = subprocess.run(ingest_cmd(feed, pg_db), capture_output=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr.decode()
    assert contents(open_store(pg_db)) == reference
