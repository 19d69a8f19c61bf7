"""A wall-clock budget per article, so that one pathological input cannot stall a batch.

Text from the open web includes pages no rule was written for (a 2 MB dump
with no punctuation is one long "sentence"); an article that runs past its
budget is stopped, reported and skipped, and the batch goes on. The budget is
a ``SIGALRM`` timer (``setitimer``), which interrupts pure-Python code wherever
it is, without the pipeline having to check a clock. It needs the main thread
of a POSIX process; elsewhere (a worker thread, Windows) the article simply
runs without a budget. In the compiled build (mypyc) the signal is only seen
when control returns to interpreted code, so the stop comes late there.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["DEFAULT_BUDGET_S", "ArticleTimeout", "time_limit"]

# Seconds one article may take. A long real article takes well under a second;
# the limit is there to stop runaway input, not to police slow machines.
DEFAULT_BUDGET_S = 60.0


class ArticleTimeout(Exception):
    """An article ran past its time budget (``seconds``)."""

    def __init__(self, seconds: float, article_id: str = "", where: str = "") -> None:
        stopped = f", stopped in {where}" if where else ""
        super().__init__(f"took longer than its time budget ({seconds:g} s{stopped}); skipped")
        self.seconds = seconds
        self.article_id = article_id
        self.where = where


def _can_alarm() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`ArticleTimeout` inside the block once ``seconds`` have passed (None or 0: no limit).

    Nests: inside another budget the shorter one applies, and the outer one is
    re-armed with what is left of it when the block ends.
    """
    if not seconds or seconds <= 0 or not _can_alarm():
        yield
        return

    def on_alarm(signum: int, frame: Any) -> None:
        raise ArticleTimeout(seconds)

    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, on_alarm)
    outer, _ = signal.getitimer(signal.ITIMER_REAL)
    signal.setitimer(signal.ITIMER_REAL, min(seconds, outer) if outer > 0 else seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer > 0:  # an enclosing budget: give it back what is left (at least a moment, so it fires)
            signal.setitimer(signal.ITIMER_REAL, max(outer - (time.monotonic() - started), 1e-3))
