"""``rasid extract --jobs N`` and the per-article time budget (issue #19)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rasid.cli import main
from rasid.document import Article
from rasid.parallel import can_fork
from rasid.pipeline import ArticleTimeout, extract_article

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "articles"


@pytest.mark.skipif(not can_fork(), reason="--jobs forks its workers")
def test_jobs_give_the_same_bytes_and_messages_as_one_process(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")  # a bad input among good ones
    inputs = [str(EXAMPLES), str(tmp_path / "empty.txt"), str(EXAMPLES / "01_idlib_shelling.txt")]
    outputs, messages = [], []
    for jobs in ("1", "2", "3"):
        out = tmp_path / f"events-{jobs}.jsonl"
        status = main(["extract", *inputs, "--out", str(out), "--jobs", jobs])
        assert status == 1  # the empty input failed, the rest went on
        outputs.append(out.read_bytes())
        messages.append(capsys.readouterr().err)
    assert outputs[0] and outputs[0] == outputs[1] == outputs[2]
    assert messages[0] == messages[1] == messages[2]
    assert "empty.txt" in messages[0]


def test_an_article_past_its_budget_raises_article_timeout() -> None:
    article = Article(id="slow", text="قصفت قوات النظام بلدة كفرنبل في ريف إدلب الجنوبي.")
    assert extract_article(article, budget_s=60.0)  # well within
    with pytest.raises(ArticleTimeout, match="time budget") as info:
        extract_article(article, budget_s=0.0)  # past it at the first check
    assert info.value.article_id == "slow"
    assert extract_article(article)  # no budget: the last deadline does not linger


def test_the_cli_reports_an_article_past_its_budget_and_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "events.jsonl"
    article = str(EXAMPLES / "01_idlib_shelling.txt")
    status = main(["extract", article, "--out", str(out), "--time-limit", "0.000001"])
    assert status == 1  # read, then skipped: one input rejected
    err = capsys.readouterr().err
    assert "01_idlib_shelling" in err and "time budget" in err
    assert not out.exists()  # nothing produced: no output file pretends to be one
