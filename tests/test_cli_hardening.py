"""The command line under hostile use (issue #20): exit statuses, limits, stdin, duplicates, --version."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

import rasid.cli
from rasid.cli import main

SENTENCE = "قصفت قوات النظام السوري بالمدفعية الثقيلة صباح اليوم بلدة كفرنبل، ما أدى إلى مقتل ثلاثة مدنيين.\n"
OTHER = "شنت طائرات حربية روسية غارات على مدينة سراقب مساء أمس، وأسفرت الغارات عن مقتل أربعة أشخاص.\n"


def _write(path: Path, text: str = SENTENCE) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.startswith("rasid ")


def test_usage_error_is_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["extract"])
    assert exit_.value.code == 2


def test_exit_0_1_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = _write(tmp_path / "good.txt")
    out = str(tmp_path / "o.jsonl")
    assert main(["extract", str(good), "--out", out]) == 0
    assert main(["extract", str(good), str(tmp_path / "missing.txt"), "--out", out]) == 1
    assert main(["extract", str(tmp_path / "missing.txt"), "--out", out]) == 2
    err = capsys.readouterr().err
    assert "1 input(s) rejected" in err


def test_internal_error_is_3_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(rasid.cli, "iter_articles", broken)
    assert main(["extract", str(_write(tmp_path / "a.txt")), "--out", str(tmp_path / "o.jsonl")]) == 3
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: a bug" in err and "Traceback" not in err
    assert not (tmp_path / "o.jsonl").exists()


def test_summary_with_stdout_output_goes_to_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["extract", str(_write(tmp_path / "a.txt")), "--out", "-", "--summary"]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines and all(json.loads(line)["article_id"] == "a" for line in lines)
    assert any(line.startswith("a ") and "shelling" in line for line in captured.err.splitlines())


def test_duplicate_article_ids_are_rejected(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    batch = tmp_path / "batch.jsonl"
    rows = [{"id": "x", "text": SENTENCE}, {"id": "x", "text": OTHER}, {"id": "y", "text": OTHER}]
    batch.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "o.jsonl"
    assert main(["extract", str(batch), "--out", str(out)]) == 1
    ids = [json.loads(line)["event_id"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(ids) == len(set(ids)) and ids
    err = capsys.readouterr().err
    assert f"{batch}:2: duplicate article id 'x' (first in {batch}:1); skipped" in err


def test_bad_published_is_a_warning_not_silence(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    batch = tmp_path / "b.jsonl"
    batch.write_text(
        json.dumps({"id": "p", "text": SENTENCE, "published": "yesterday"}, ensure_ascii=False) + "\n"
    )
    assert main(["extract", str(batch), "--out", str(tmp_path / "o.jsonl")]) == 0
    err = capsys.readouterr().err
    assert f"rasid: warning: {batch}:1: article 'p': 'published' is not a date ('yesterday')" in err


def test_max_bytes_rejects_one_article_and_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    small = _write(tmp_path / "small.txt")
    big = _write(tmp_path / "big.txt", SENTENCE * 40)
    out = tmp_path / "o.jsonl"
    assert main(["extract", str(big), str(small), "--out", str(out), "--max-bytes", "2K"]) == 1
    err = capsys.readouterr().err
    assert f"{big}: file too large" in err and "limit 2048 bytes" in err
    assert {json.loads(line)["article_id"] for line in out.read_text().splitlines()} == {"small"}


@pytest.mark.parametrize("bad", ["0", "-1", "lots", "5X"])
def test_max_bytes_must_be_a_size(bad: str) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["extract", "x.txt", "--out", "-", "--max-bytes", bad])
    assert exit_.value.code == 2


def test_time_limit_skips_the_slow_article_and_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The budget is what is tested, not a speed: a stand-in article that never ends."""
    real = rasid.cli.annotate_article

    def slow_for_one(article, *budget):  # type: ignore[no-untyped-def]
        if article.id == "slow":
            while True:
                time.sleep(0.01)
        return real(article, *budget)

    monkeypatch.setattr(rasid.cli, "annotate_article", slow_for_one)
    slow, fine = _write(tmp_path / "slow.txt"), _write(tmp_path / "fine.txt", OTHER)
    out = tmp_path / "o.jsonl"
    assert main(["extract", str(slow), str(fine), "--out", str(out), "--time-limit", "0.3"]) == 1
    err = capsys.readouterr().err
    assert f"{slow}: article 'slow' took longer than its time budget (0.3 s); skipped" in err
    assert {json.loads(line)["article_id"] for line in out.read_text().splitlines()} == {"fine"}


def test_closed_stdin_is_one_line(tmp_path: Path) -> None:
    proc = subprocess.run(
        ["sh", "-c", f'"{sys.executable}" -m rasid.cli extract - --out "{tmp_path / "o.jsonl"}" <&-'],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    assert "<stdin>: stdin is closed" in proc.stderr and "Traceback" not in proc.stderr


def test_html_on_stdin_is_read_as_a_page(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    page = (
        "<!DOCTYPE html><html><head><title>خبر</title>"
        "<script>var s = 'قصفت طائرات روسية مدينة منبج وقتل عشرة مدنيين';</script></head>"
        f"<body><article><p>{SENTENCE}</p></article></body></html>"
    )
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(page.encode("utf-8")), encoding="utf-8"))
    assert main(["extract", "-", "--out", "-"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert records
    text = json.dumps(records, ensure_ascii=False)
    assert "منبج" not in text and "كفرنبل" in text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "no gold events (empty file)"),
        (b'{"id": "a", "text": "not gold"}\n', "lacks 'article_id', 'sub_event_type'"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        (b"[1, 2]\n", "expected a JSON object"),
        (b"\xff\xfe\xfa not utf8 {\n", "not"),
    ],
)
def test_eval_bad_gold_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_bytes(content)
    assert main(["eval", str(_write(tmp_path / "a.txt")), "--gold", str(gold)]) == 2
    err = capsys.readouterr().err
    assert str(gold) in err and message in err and "Traceback" not in err


def test_closed_stdout_is_one_line(tmp_path: Path) -> None:
    src = _write(tmp_path / "a.txt")
    proc = subprocess.run(
        ["sh", "-c", f'"{sys.executable}" -m rasid.cli extract "{src}" --out - >&-'],
        capture_output=False,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    assert "cannot write stdout: it is closed" in proc.stderr and "Traceback" not in proc.stderr


def test_same_file_twice_is_one_article(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = _write(tmp_path / "a.txt")
    out = tmp_path / "o.jsonl"
    assert main(["extract", str(src), str(src), "--out", str(out)]) == 1
    ids = [json.loads(line)["event_id"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert ids and len(ids) == len(set(ids))
    assert "duplicate article id 'a'" in capsys.readouterr().err


def test_every_article_failing_keeps_the_old_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(article, *budget):  # type: ignore[no-untyped-def]
        raise RuntimeError("a bug in one component")

    monkeypatch.setattr(rasid.cli, "annotate_article", broken)
    out = tmp_path / "o.jsonl"
    out.write_text("earlier results\n")
    assert main(["extract", str(_write(tmp_path / "a.txt")), "--out", str(out)]) == 1
    assert out.read_text() == "earlier results\n"
    err = capsys.readouterr().err
    assert "a.txt: extraction failed: RuntimeError: a bug in one component" in err
    assert "nothing produced" in err
