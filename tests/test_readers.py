"""Readers: every input kind, and every kind of bad input as a one-line ReadError."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rasid.readers as readers
from rasid.document import Article
from rasid.readers import ReadError, iter_articles
from rasid.readers.common import parse_date

BODY = (
    "قصفت قوات النظام بالمدفعية الثقيلة بلدة كنصفرة في ريف إدلب الجنوبي صباح اليوم الثلاثاء.\n"
    "وأفاد مراسلنا بأن القصف أدى إلى أضرار مادية في منازل المدنيين دون وقوع إصابات."
)

HTML_PAGE = """<!doctype html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>قصف مدفعي على ريف إدلب | شبكة المرصد</title>
<meta property="og:title" content="قصف مدفعي على ريف إدلب الجنوبي">
<meta property="og:site_name" content="شبكة المرصد">
<meta property="article:published_time" content="2024-03-05T10:20:00+03:00">
<link rel="canonical" href="https://example.org/news/123">
</head><body>
<nav><a href="/">الرئيسية</a> <a href="/news">أخبار</a></nav>
<article><h1>قصف مدفعي على ريف إدلب الجنوبي</h1>
<p>قصفت قوات النظام بالمدفعية الثقيلة بلدة كنصفرة في ريف إدلب الجنوبي صباح اليوم الثلاثاء.</p>
<p>وأفاد مراسلنا بأن القصف أدى إلى أضرار مادية في منازل المدنيين دون وقوع إصابات.</p>
</article>
<footer>جميع الحقوق محفوظة لشبكة المرصد 2024</footer>
</body></html>"""


def read_all(*inputs: str, published: dt.date | None = None) -> list[Article | ReadError]:
    return list(iter_articles(list(inputs), published=published))


def only_error(results: list[Article | ReadError]) -> ReadError:
    assert len(results) == 1, results
    assert isinstance(results[0], ReadError), results[0]
    return results[0]


def only_article(results: list[Article | ReadError]) -> Article:
    assert len(results) == 1, results
    assert isinstance(results[0], Article), results[0]
    return results[0]


# --- plain text -----------------------------------------------------------------------------------


def test_utf8_txt_id_is_stem_and_newlines_normalised(tmp_path: Path) -> None:
    f = tmp_path / "2024-03-05_kansafra.txt"
    f.write_bytes(BODY.replace("\n", "\r\n").encode("utf-8"))
    art = only_article(read_all(str(f), published=dt.date(2024, 3, 5)))
    assert art.id == "2024-03-05_kansafra"
    assert art.text == BODY
    assert "\r" not in art.text
    assert art.published == dt.date(2024, 3, 5)
    assert art.source == str(f)


def test_utf8_bom_is_dropped(tmp_path: Path) -> None:
    f = tmp_path / "bom.txt"
    f.write_bytes(b"\xef\xbb\xbf" + BODY.encode("utf-8"))
    assert only_article(read_all(str(f))).text == BODY


def test_cp1256_txt_is_decoded(tmp_path: Path) -> None:
    f = tmp_path / "legacy.txt"
    f.write_bytes(BODY.encode("cp1256"))
    art = only_article(read_all(str(f)))
    assert art.text == BODY
    assert art.id == "legacy"


def test_latin1_file_is_not_taken_for_cp1256(tmp_path: Path) -> None:
    f = tmp_path / "french.txt"
    f.write_bytes("Première ligne.\nDeuxième ligne, très française, à Alep.\n".encode("latin-1"))
    err = only_error(read_all(str(f)))
    assert err.path == str(f)
    assert err.line == 1
    assert "invalid encoding" in err.reason
    assert str(err) == f"{f}:1: {err.reason}"


def test_invalid_utf8_reports_line_of_bad_byte(tmp_path: Path) -> None:
    f = tmp_path / "broken.txt"
    # valid Arabic UTF-8 lines, then a truncated multibyte sequence on line 3, then Latin text
    f.write_bytes(
        BODY.encode("utf-8") + b"\nLine three \xd8 with a cut byte and plenty of latin letters here\n"
    )
    err = only_error(read_all(str(f)))
    assert (err.path, err.line) == (str(f), 3)
    assert "invalid encoding" in str(err)


# --- HTML -----------------------------------------------------------------------------------------


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    f = tmp_path / "page.html"
    f.write_text(HTML_PAGE, encoding="utf-8")
    art = only_article(read_all(str(f), published=dt.date(2000, 1, 1)))
    assert art.id == "page"
    assert "بلدة كنصفرة" in art.text
    assert "الرئيسية" not in art.text  # navigation is dropped
    assert art.title == "قصف مدفعي على ريف إدلب الجنوبي"
    assert art.published == dt.date(2024, 3, 5)  # the page's own date wins over the default
    assert art.outlet == "شبكة المرصد"
    assert art.url == "https://example.org/news/123"


def test_htm_without_date_uses_default(tmp_path: Path) -> None:
    f = tmp_path / "nodate.htm"
    f.write_text("<html><body><article><p>" + BODY + "</p></article></body></html>", encoding="utf-8")
    art = only_article(read_all(str(f), published=dt.date(2024, 3, 6)))
    assert art.id == "nodate"
    assert art.published == dt.date(2024, 3, 6)


@pytest.mark.parametrize("declared", [True, False])
def test_cp1256_html(tmp_path: Path, declared: bool) -> None:
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">' if declared else ""
    page = f"<html><head>{meta}<title>خبر</title></head><body><article><p>{BODY}</p></article></body></html>"
    f = tmp_path / "legacy.html"
    f.write_bytes(page.encode("cp1256"))
    art = only_article(read_all(str(f)))
    assert "بلدة كنصفرة" in art.text and art.title == "خبر"


def test_html_without_text_is_an_error(tmp_path: Path) -> None:
    f = tmp_path / "shell.html"
    f.write_text("<html><head><title>x</title><script>var a = 1;</script></head><body></body></html>")
    err = only_error(read_all(str(f)))
    assert err.path == str(f)
    assert "no article text" in err.reason


def test_english_html_is_not_arabic(tmp_path: Path) -> None:
    f = tmp_path / "english.html"
    f.write_text(
        "<html><body><article><p>Shelling hit the southern countryside of Idlib this morning, "
        "local sources said, causing damage to homes.</p></article></body></html>"
    )
    assert "not Arabic" in only_error(read_all(str(f))).reason


# --- JSONL ----------------------------------------------------------------------------------------


def test_jsonl_bad_lines_do_not_stop_the_file(tmp_path: Path) -> None:
    f = tmp_path / "batch.jsonl"
    lines = [
        json.dumps(
            {
                "id": "a1",
                "text": BODY,
                "url": "https://example.org/a1",
                "outlet": "المرصد",
                "published": "2024-03-05",
            },
            ensure_ascii=False,
        ),
        "{not json",
        json.dumps([1, 2]),
        json.dumps({"text": BODY}, ensure_ascii=False),
        "",
        json.dumps({"id": "a5", "url": "https://example.org/a5"}),
        json.dumps(
            {
                "id": 6,
                "html": "<html><body><p>" + BODY + "</p></body></html>",
                "published": "2024-03-07T22:15:00Z",
            },
            ensure_ascii=False,
        ),
        json.dumps({"id": "a8", "text": BODY, "published": "الثلاثاء"}, ensure_ascii=False),
        json.dumps({"id": "a9", "text": "Breaking: shelling reported near Idlib."}),
    ]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = read_all(str(f), published=dt.date(2024, 1, 1))
    assert [type(r).__name__ for r in out] == [
        "Article",
        "ReadError",
        "ReadError",
        "ReadError",
        "ReadError",
        "Article",
        "Article",
        "ReadError",
    ]
    a1, e2, e3, e4, e6, a7, a8, e9 = out
    assert isinstance(a1, Article) and a1.id == "a1" and a1.text == BODY
    assert (a1.url, a1.outlet, a1.published, a1.source) == (
        "https://example.org/a1",
        "المرصد",
        dt.date(2024, 3, 5),
        f"{f}:1",
    )
    assert str(e2).startswith(f"{f}:2: not valid JSON")
    assert str(e3) == f"{f}:3: expected a JSON object, got list"
    assert str(e4).startswith(f"{f}:4: missing 'id'")
    assert str(e6).startswith(f"{f}:6: ") and "no 'text' or 'html'" in str(e6)
    assert isinstance(a7, Article) and a7.id == "6" and "كنصفرة" in a7.text
    assert a7.published == dt.date(2024, 3, 7)
    assert isinstance(a8, Article) and a8.published == dt.date(
        2024, 1, 1
    )  # bad date -> default, not an error
    assert isinstance(e9, ReadError) and e9.line == 9 and "not Arabic" in e9.reason
    for e in (e2, e3, e4, e6, e9):
        assert "\n" not in str(e)


def test_jsonl_invalid_utf8_line(tmp_path: Path) -> None:
    f = tmp_path / "enc.jsonl"
    good = json.dumps({"id": "g", "text": BODY}, ensure_ascii=False).encode("utf-8")
    f.write_bytes(good + b"\n" + b'{"id": "b", "text": "\xe7a"}\n' + good + b"\n")
    out = read_all(str(f))
    assert [type(r).__name__ for r in out] == ["Article", "ReadError", "Article"]
    assert str(out[1]).startswith(f"{f}:2: invalid encoding")


def test_jsonl_line_over_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "MAX_ARTICLE_BYTES", 2000)
    f = tmp_path / "long.jsonl"
    long_line = json.dumps({"id": "big", "text": BODY * 20}, ensure_ascii=False)
    good = json.dumps({"id": "ok", "text": BODY}, ensure_ascii=False)
    f.write_text(long_line + "\n" + good + "\n", encoding="utf-8")
    out = read_all(str(f))
    assert isinstance(out[0], ReadError) and out[0].line == 1 and "too long" in out[0].reason
    assert isinstance(out[1], Article) and out[1].id == "ok"


def test_empty_jsonl(tmp_path: Path) -> None:
    f = tmp_path / "none.jsonl"
    f.write_text("\n\n")
    assert str(only_error(read_all(str(f)))) == f"{f}: empty file"


# --- folders and stdin ----------------------------------------------------------------------------


def test_folder_recursive_sorted_known_extensions(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "c.jsonl").write_text(json.dumps({"id": "c1", "text": BODY}, ensure_ascii=False) + "\n")
    (tmp_path / "notes.md").write_text("# not an article")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\x00\x00")
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "old.txt").write_text(BODY, encoding="utf-8")
    out = read_all(str(tmp_path))
    assert [a.id for a in out if isinstance(a, Article)] == ["a", "z", "c1"]  # a.txt, b/z.txt, c.jsonl
    assert all(isinstance(a, Article) for a in out)


def test_empty_folder(tmp_path: Path) -> None:
    err = only_error(read_all(str(tmp_path)))
    assert err.path == str(tmp_path) and "no .txt" in err.reason


def test_stdin_plain_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(BODY.replace("\n", "\r\n")))
    art = only_article(read_all("-", published=dt.date(2024, 3, 5)))
    assert (art.id, art.text, art.published) == ("stdin", BODY, dt.date(2024, 3, 5))


def test_stdin_jsonl_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    data = (json.dumps({"id": "s1", "text": BODY}, ensure_ascii=False) + "\nnope\n").encode("utf-8")

    class FakeStdin:
        buffer = io.BytesIO(data)

    monkeypatch.setattr(sys, "stdin", FakeStdin())
    out = read_all("-")
    assert isinstance(out[0], Article) and out[0].id == "s1" and out[0].source == "<stdin>:1"
    assert isinstance(out[1], ReadError) and str(out[1]).startswith("<stdin>:2: not valid JSON")


# --- bad input, one ReadError each ----------------------------------------------------------------


def test_missing_path(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.txt")
    err = only_error(read_all(missing))
    assert str(err) == f"{missing}: no such file or folder"
    assert err.line is None


def test_batch_goes_on_after_bad_inputs(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(BODY, encoding="utf-8")
    out = read_all(str(tmp_path / "missing.txt"), str(good))
    assert isinstance(out[0], ReadError) and isinstance(out[1], Article)


@pytest.mark.parametrize("content", [b"", b"   \n\n\t", b"\xef\xbb\xbf\n"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    f = tmp_path / "empty.txt"
    f.write_bytes(content)
    assert str(only_error(read_all(str(f)))) == f"{f}: empty file"


def test_binary_file_with_nul(tmp_path: Path) -> None:
    f = tmp_path / "image.txt"
    f.write_bytes(b"GIF89a\n\x01\x00\x01\x00\x80\xff")
    err = only_error(read_all(str(f)))
    assert (err.path, err.line) == (str(f), 2)
    assert "binary" in err.reason


def test_mostly_control_characters(tmp_path: Path) -> None:
    f = tmp_path / "ctrl.txt"
    f.write_bytes(("قصف " * 10).encode("utf-8") + bytes(range(1, 9)) * 20)
    assert "binary" in only_error(read_all(str(f))).reason


def test_file_over_size_limit_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "MAX_ARTICLE_BYTES", 1000)
    f = tmp_path / "huge.txt"
    f.write_text(BODY * 50, encoding="utf-8")
    opened: list[str] = []
    real_open = Path.open

    def spy(self: Path, *a: object, **k: object):  # type: ignore[no-untyped-def]
        opened.append(str(self))
        return real_open(self, *a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", spy)
    err = only_error(read_all(str(f)))
    assert err.path == str(f) and "too large" in err.reason and "limit" in err.reason
    assert opened == []  # decided from the size alone


def test_default_size_limit_is_20_mb() -> None:
    assert readers.MAX_ARTICLE_BYTES == 20 * 1024 * 1024


@pytest.mark.parametrize(
    "text",
    ["Syrian army shells southern Idlib countryside, sources say.", "12345 67890 !!! ...", "قصف إدلب"],
)
def test_non_arabic_text(tmp_path: Path, text: str) -> None:
    f = tmp_path / "other.txt"
    f.write_text(text, encoding="utf-8")
    err = only_error(read_all(str(f)))
    assert err.path == str(f) and "not Arabic" in err.reason


def test_unsupported_extension(tmp_path: Path) -> None:
    f = tmp_path / "report.pdf"
    f.write_bytes(b"%PDF-1.4")
    assert "unsupported file type '.pdf'" in only_error(read_all(str(f))).reason


def test_read_error_str_one_line() -> None:
    assert (
        str(ReadError("a/b.jsonl", 7, "not valid JSON\n(detail)")) == "a/b.jsonl:7: not valid JSON (detail)"
    )
    assert str(ReadError("a.txt", None, "empty file")) == "a.txt: empty file"


# --- dates ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-12-10", dt.date(2024, 12, 10)),
        ("2024-12-10T08:30:00Z", dt.date(2024, 12, 10)),
        ("2024-12-10 08:30:00+03:00", dt.date(2024, 12, 10)),
        ("2024-12-10T08:30:00.123456+0300", dt.date(2024, 12, 10)),
        ("10/12/2024", None),
        ("2024-13-40", None),
        ("", None),
        (20241210, None),
        (None, None),
    ],
)
def test_parse_date(value: object, expected: dt.date | None) -> None:
    assert parse_date(value) == expected


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=40), st.integers(), st.none(), st.lists(st.integers(), max_size=3)))
def test_parse_date_never_raises(value: object) -> None:
    assert parse_date(value) is None or isinstance(parse_date(value), dt.date)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_reader_never_raises_on_any_bytes(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    d = tmp_path_factory.mktemp("fuzz")
    for name in ("x.txt", "x.jsonl"):
        (d / name).write_bytes(data)
        for r in read_all(str(d / name)):
            assert isinstance(r, Article | ReadError)
            if isinstance(r, ReadError):
                assert "\n" not in str(r)
