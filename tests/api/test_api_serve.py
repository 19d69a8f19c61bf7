"""``rasid serve`` as a real process on a free loopback port, and the CLI's start-up staying light."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

RASID = str(Path(sys.executable).with_name("rasid"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, deadline: float) -> tuple[dict, dict]:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:
                return json.loads(resp.read().decode("utf-8")), dict(resp.headers)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_serve_answers_over_loopback(sample_db: str) -> None:
    port = _free_port()
    env = {**os.environ, "RASID_API_TOKEN": "from-env"}
    proc = subprocess.Popen(
        [RASID, "serve", "--db", sample_db, "--port", str(port), "--log-level", "warning"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
    )
    try:
        body, headers = _get(
            f"http://127.0.0.1:{port}/api/events?admin1=Idlib&limit=2", time.monotonic() + 60
        )
        assert body["total"] == 3 and len(body["items"]) == 2
        assert "unsafe-inline" not in headers["content-security-policy"]
        config, _ = _get(f"http://127.0.0.1:{port}/api/config", time.monotonic() + 5)
        assert config["write_needs_token"] is True  # RASID_API_TOKEN
    finally:
        proc.terminate()
        out = proc.communicate(timeout=20)[0].decode("utf-8", "replace")
    assert f"http://127.0.0.1:{port}/" in out


def test_serve_refuses_a_database_it_cannot_open(tmp_path: Path) -> None:
    r = subprocess.run(
        [RASID, "serve", "--db", "postgresql://nobody@127.0.0.1:1/none"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 2 and r.stderr.startswith("rasid: cannot open database")


def test_the_cli_starts_without_importing_the_web_stack() -> None:
    code = "import sys; from rasid.cli import build_parser; build_parser(); print(sorted(m for m in sys.modules if m.split('.')[0] in ('fastapi', 'uvicorn', 'starlette')))"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.strip() == "[]"
