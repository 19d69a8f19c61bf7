"""The bad-input corpus (``tests/data/bad/``, plus what is too big or too odd to commit, generated here).

Each input either reads correctly (the right text, events with offsets into it)
or gets one clear line naming the file (and line); the batch goes on past
every one, and a summary ends the run (issue #20).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from rasid.cli import main
from rasid.readers import ReadError, iter_articles

BAD = Path(__file__).parent / "data" / "bad"
KAFRNABL = "قصفت قوات النظام السوري بالمدفعية الثقيلة صباح اليوم بلدة كفرنبل، ما أدى إلى مقتل ثلاثة مدنيين."

# file -> (line or None, words of the reason); files not listed here must read correctly
ERRORS: dict[str, list[tuple[int | None, str]]] = {
    "empty.txt": [(None, "empty file")],
    "blank.txt": [(None, "empty file")],
    "binary.txt": [(3, "binary file (contains NUL bytes)")],
    "nul_bytes.txt": [(3, "binary file (contains NUL bytes)")],
    "latin1.txt": [(1, "not UTF-8 (bad byte 0xe7) and not Windows-1256 Arabic")],
    "not_arabic.txt": [(None, "not Arabic text")],
    "truncated_page.html": [(None, "not Arabic text")],
    "wrong_types.jsonl": [
        (2, "expected a JSON object, got list"),
        (3, "expected a JSON object, got str"),
        (4, "missing 'id'"),
        (5, "'text' must be a string"),
        (6, "has no 'text' or 'html'"),
        (8, "missing 'id'"),
        (9, "not valid JSON (Invalid control character at, column 34)"),
    ],
}
READS = {
    "bidi_overrides.txt": ["bidi_overrides"],
    "mixed_newlines.txt": ["mixed_newlines"],
    "truncated_utf8.txt": ["truncated_utf8"],
    "page_saved_as.txt": ["page_saved_as"],
    "utf16_bom.txt": ["utf16_bom"],
    "utf16le_no_bom.txt": ["utf16le_no_bom"],
    "utf16be_no_bom.txt": ["utf16be_no_bom"],
    "windows_1256.txt": ["windows_1256"],
    "wrong_types.jsonl": ["ok-1", "17"],
}


def test_corpus_is_fully_described() -> None:
    assert {p.name for p in BAD.iterdir()} == set(ERRORS) | set(READS)


@pytest.mark.parametrize("name", sorted(set(ERRORS) | set(READS)))
def test_each_bad_input(name: str) -> None:
    out = list(iter_articles([str(BAD / name)]))
    errors = [(e.path, e.line, e.reason) for e in out if isinstance(e, ReadError)]
    assert [(line, True) for _, line, _ in errors] == [(line, True) for line, _ in ERRORS.get(name, [])]
    for (path, _, reason), (_, words) in zip(errors, ERRORS.get(name, []), strict=True):
        assert path == str(BAD / name) and words in reason
    articles = [a for a in out if not isinstance(a, ReadError)]
    assert [a.id for a in articles] == READS.get(name, [])


@pytest.mark.parametrize(
    "name", ["utf16_bom.txt", "utf16le_no_bom.txt", "utf16be_no_bom.txt", "windows_1256.txt"]
)
def test_encodings_read_the_same_text(name: str) -> None:
    (article,) = iter_articles([str(BAD / name)])
    assert not isinstance(article, ReadError)
    assert article.text.startswith(KAFRNABL) and "\r" not in article.text and "\x00" not in article.text


def test_page_saved_as_txt_drops_its_script() -> None:
    (article,) = iter_articles([str(BAD / "page_saved_as.txt")])
    assert not isinstance(article, ReadError)
    assert KAFRNABL in article.text and "منبج" not in article.text and "var teaser" not in article.text


def test_bidi_controls_keep_offsets_and_events(tmp_path: Path) -> None:
    out = tmp_path / "o.jsonl"
    assert main(["extract", str(BAD / "bidi_overrides.txt"), "--out", str(out)]) == 0
    text = (BAD / "bidi_overrides.txt").read_text(encoding="utf-8")
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert records
    for r in records:
        for ev in r["evidence"]:
            assert text[ev["start"] : ev["end"]] == ev["text"]


def test_whole_corpus_in_one_batch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "o.jsonl"
    assert main(["extract", str(BAD), "--out", str(out)]) == 1
    err = capsys.readouterr().err.splitlines()
    n_errors = sum(len(v) for v in ERRORS.values())
    rejected = [line for line in err if line.startswith(f"rasid: {BAD}/")]
    assert len(rejected) == n_errors
    assert (
        err[-1]
        == f"rasid: {len(out.read_text().splitlines())} events from 10 articles, {n_errors} input(s) rejected"
    )
    ids = {json.loads(line)["article_id"] for line in out.read_text(encoding="utf-8").splitlines()}
    assert {"utf16_bom", "windows_1256", "page_saved_as", "ok-1"} <= ids


# --- generated: too big or too odd to commit ------------------------------------------------


def test_deeply_nested_html_is_an_error_not_a_crash(tmp_path: Path) -> None:
    page = tmp_path / "deep.html"
    page.write_text(
        "<html><body>" + "<div>" * 50_000 + f"<p>{KAFRNABL}</p>" + "</div>" * 50_000 + "</body></html>"
    )
    (result,) = iter_articles([str(page)])
    assert isinstance(result, ReadError) and result.path == str(page)


def test_huge_html_is_refused_from_its_size(tmp_path: Path) -> None:
    page = tmp_path / "huge.html"
    with page.open("w", encoding="utf-8") as fh:
        fh.write("<html><body>")
        for _ in range(3000):
            fh.write(f"<div><p>{KAFRNABL}</p></div>" * 10)
        fh.write("</body></html>")
    (result,) = iter_articles([str(page)], max_bytes=1 << 20)
    assert isinstance(result, ReadError) and "file too large" in result.reason


def test_huge_jsonl_line_is_skipped_and_the_file_goes_on(tmp_path: Path) -> None:
    batch = tmp_path / "big.jsonl"
    with batch.open("w", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "huge", "text": KAFRNABL * 20_000}, ensure_ascii=False) + "\n")
        fh.write(json.dumps({"id": "small", "text": KAFRNABL}, ensure_ascii=False) + "\n")
    first, second = iter_articles([str(batch)], max_bytes=1 << 20)
    assert isinstance(first, ReadError) and first.line == 1 and "line too long" in first.reason
    assert not isinstance(second, ReadError) and second.id == "small"


# --- unreadable files and folders: as root chmod stops nothing, so run as nobody -------------


@pytest.fixture
def world_readable_dir() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="rasid-bad-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _as_nobody() -> list[str]:
    if os.geteuid() != 0:
        return []  # already unprivileged: chmod 000 does stop reads
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: chmod 000 would not stop root's reads")
    prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    probe = subprocess.run(
        [*prefix, sys.executable, "-c", "import rasid.cli"], capture_output=True, timeout=120
    )
    if probe.returncode != 0:
        pytest.skip("user nobody cannot run this Python and rasid (their files are not world-readable)")
    return prefix


def test_unreadable_file_and_folder_are_reported(world_readable_dir: Path) -> None:
    root = world_readable_dir / "in"
    (root / "closed").mkdir(parents=True)
    for path in (root / "a.txt", root / "secret.txt", root / "closed" / "b.txt"):
        path.write_text(KAFRNABL, encoding="utf-8")
        path.chmod(0o644)
    root.chmod(0o755)
    (root / "secret.txt").chmod(0o000)
    (root / "closed").chmod(0o000)
    (world_readable_dir / "out").mkdir(mode=0o777)
    (world_readable_dir / "out").chmod(0o777)
    out = world_readable_dir / "out" / "o.jsonl"
    proc = subprocess.run(
        [*_as_nobody(), sys.executable, "-m", "rasid.cli", "extract", str(root), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "HOME": str(world_readable_dir)},
    )
    assert proc.returncode == 1, proc.stderr
    assert f"rasid: {root / 'closed'}: cannot read folder (Permission denied)" in proc.stderr
    assert f"rasid: {root / 'secret.txt'}: cannot read file (Permission denied)" in proc.stderr
    assert proc.stderr.splitlines()[-1].endswith("from 1 articles, 2 input(s) rejected")
    assert {json.loads(line)["article_id"] for line in out.read_text().splitlines()} == {"a"}


def test_raw_page_in_jsonl_text_is_read_as_a_page(tmp_path: Path) -> None:
    page = (BAD / "page_saved_as.txt").read_text(encoding="utf-8")
    batch = tmp_path / "scraped.jsonl"
    batch.write_text(json.dumps({"id": "raw", "text": page}, ensure_ascii=False) + "\n", encoding="utf-8")
    (article,) = iter_articles([str(batch)])
    assert not isinstance(article, ReadError)
    assert KAFRNABL in article.text and "منبج" not in article.text and "<" not in article.text


def test_truncated_utf8_drops_the_cut_character_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    path = BAD / "truncated_utf8.txt"
    with caplog.at_level("WARNING", logger="rasid.readers"):
        (article,) = iter_articles([str(path)])
    assert not isinstance(article, ReadError)
    assert article.text.startswith(KAFRNABL) and article.text.endswith("أطراف بلدة بن")
    assert f"{path}: ends inside a character (a truncated file?); its last 1 byte(s) dropped" in caplog.text


def test_a_broken_byte_inside_utf8_is_still_an_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.txt"
    path.write_bytes(KAFRNABL.encode() + b"\n\xd9\n" + KAFRNABL.encode())
    (result,) = iter_articles([str(path)])
    assert isinstance(result, ReadError) and result.line == 2 and "broken UTF-8" in result.reason
