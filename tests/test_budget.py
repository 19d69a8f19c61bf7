"""The per-article time budget (rasid.budget): stops a block, nests, and leaves no timer behind."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from rasid.budget import ArticleTimeout, time_limit
from rasid.readers import ReadError, iter_articles


def _spin() -> None:
    while True:
        time.sleep(0.005)


def test_stops_the_block_and_disarms() -> None:
    with pytest.raises(ArticleTimeout, match=r"time budget \(0.1 s\)"), time_limit(0.1):
        _spin()
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0


def test_no_budget_is_no_timer() -> None:
    for seconds in (None, 0):
        with time_limit(seconds):
            assert signal.getitimer(signal.ITIMER_REAL)[0] == 0


def test_nested_inner_fires_then_outer_still_armed() -> None:
    with pytest.raises(ArticleTimeout, match="0.5 s"), time_limit(0.5):
        with pytest.raises(ArticleTimeout, match="0.1 s"), time_limit(0.1):
            _spin()
        assert signal.getitimer(signal.ITIMER_REAL)[0] > 0  # the outer budget is back
        _spin()
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0


def test_a_page_that_stalls_the_parser_is_one_bad_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import rasid.readers.html as html

    def stall(page: object) -> None:
        _spin()

    monkeypatch.setattr(html, "extract_page", stall)
    (tmp_path / "a.html").write_text("<html><body><p>x</p></body></html>")
    (tmp_path / "b.txt").write_text(
        "قصفت قوات النظام السوري بلدة كفرنبل في ريف إدلب الجنوبي.", encoding="utf-8"
    )
    first, second = iter_articles([str(tmp_path)], budget_s=0.2)
    assert isinstance(first, ReadError) and "HTML page took longer than its time budget" in first.reason
    assert not isinstance(second, ReadError) and second.id == "b"
