"""Progress (issue #19): a bar with articles/s and the time left when stderr is a terminal, and nothing
but the last line in a log."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "articles"


def _rasid(args: list[str], tty: bool) -> str:
    """Run ``rasid`` with stderr on a pseudo-terminal (or a pipe); what it wrote there."""
    cmd = [
        sys.executable,
        "-c",
        "import sys; from rasid.cli import main; sys.exit(main(sys.argv[1:]))",
        *args,
    ]
    env = {**os.environ, "COLUMNS": "200", "TERM": "xterm"}
    if not tty:
        return subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stderr
    master, slave = os.openpty()
    try:
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=slave)
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # the other end closed (Linux)
                break
            if not data:
                break
            chunks.append(data)
        assert proc.wait(timeout=300) == 0
    finally:
        os.close(master)
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
@pytest.mark.parametrize("command", ["extract", "ingest"])
def test_a_terminal_gets_rate_and_time_left(tmp_path: Path, command: str) -> None:
    target = (
        ["--out", str(tmp_path / "e.jsonl")] if command == "extract" else ["--db", str(tmp_path / "s.db")]
    )
    shown = _rasid([command, str(EXAMPLES), *target], tty=True)
    assert "articles/s" in shown
    assert "eta" in shown
    assert "13/13" in shown  # the total was counted beforehand


@pytest.mark.parametrize("command", ["extract", "ingest"])
def test_a_log_gets_only_the_last_line(tmp_path: Path, command: str) -> None:
    target = (
        ["--out", str(tmp_path / "e.jsonl")] if command == "extract" else ["--db", str(tmp_path / "s.db")]
    )
    shown = _rasid([command, str(EXAMPLES), *target], tty=False)
    assert shown.count("\n") == 1 and shown.startswith("rasid: ")
    assert "articles/s" not in shown and "\x1b" not in shown
