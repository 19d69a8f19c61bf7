"""Turn input files into :class:`~rasid.document.Article` objects, and bad input into messages.

Inputs are ``.txt`` files (UTF-8, or legacy Windows-1256 Arabic), saved
``.html``/``.htm`` pages, ``.jsonl`` files of ``{"id", "text" | "html", "url"?,
"outlet"?, "published"?}``, folders of those, and ``-`` for stdin. A batch over
many scraped files must go on when one is broken, so :func:`iter_articles`
never raises for bad input: it yields a :class:`ReadError` in its place, with
file, line and a one-line reason, and the caller decides what to do.

The text handed over has ``\\n`` newlines only; that is "the original text"
every later offset points into.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from rasid.budget import ArticleTimeout, time_limit
from rasid.document import Article
from rasid.readers.common import (
    MAX_ARTICLE_BYTES,
    MAX_JSONL_BYTES,
    BadInput,
    ReadError,
    check_bytes,
    check_text,
    clean_str,
    cut_utf8_tail,
    decode_text,
    looks_like_html,
    normalise_newlines,
    parse_date,
    utf16_codec,
)

__all__ = ["MAX_ARTICLE_BYTES", "MAX_JSONL_BYTES", "ReadError", "iter_articles", "read_bytes", "read_path"]

TEXT_EXTENSIONS = (".txt",)
HTML_EXTENSIONS = (".html", ".htm")
JSONL_EXTENSIONS = (".jsonl",)
KNOWN_EXTENSIONS = TEXT_EXTENSIONS + HTML_EXTENSIONS + JSONL_EXTENSIONS
STDIN_PATH = "<stdin>"

Result = Article | ReadError

# Things worth a word that do not reject the input (a metadata date that is not a date):
# the CLI prints them on stderr as "rasid: warning: FILE:LINE: ...".
log = logging.getLogger("rasid.readers")


@dataclass(frozen=True)
class _Limits:
    """What one read may take: bytes per article, seconds per HTML page (None: the defaults, no budget)."""

    max_bytes: int | None = None
    budget_s: float | None = None

    @property
    def size(self) -> int:
        return self.max_bytes or MAX_ARTICLE_BYTES


def iter_articles(
    inputs: Sequence[str],
    published: dt.date | None = None,
    max_bytes: int | None = None,
    budget_s: float | None = None,
) -> Iterator[Result]:
    """Articles from ``inputs`` in order, with a ReadError in place of each bad input.

    ``published`` is the article date used when an input carries none;
    ``max_bytes`` the largest article (a file, a JSONL line, stdin), by default
    :data:`MAX_ARTICLE_BYTES`; ``budget_s`` the seconds one HTML page may take
    to parse (a page over it is a ReadError; see :mod:`rasid.budget`).
    """
    limits = _Limits(max_bytes, budget_s)
    for item in inputs:
        if item == "-":
            yield from _read_stdin(published, limits)
        else:
            yield from _read_path(item, published, limits)


def read_path(
    path: str, published: dt.date | None = None, max_bytes: int | None = None, budget_s: float | None = None
) -> Iterator[Result]:
    """One file or folder; folders are walked recursively in sorted order, known extensions only.

    A subfolder that cannot be listed is a ReadError of its own, not a silent gap.
    """
    return _read_path(path, published, _Limits(max_bytes, budget_s))


def read_bytes(
    data: bytes,
    name: str,
    kind: str,
    art_id: str = "",
    published: dt.date | None = None,
    max_bytes: int | None = None,
    budget_s: float | None = None,
) -> Iterator[Result]:
    """Articles from bytes that came from elsewhere (an HTTP request body), read as a file of ``kind`` would be.

    ``kind`` is ``"jsonl"`` (one article per line, ``name:line`` in errors), ``"html"`` or ``"text"``
    (one article with id ``art_id``). The same checks and limits as files and stdin.
    """
    limits = _Limits(max_bytes, budget_s)
    if kind == "jsonl":
        yield from _read_jsonl(io.BytesIO(data), name, published, limits)
    else:
        yield _article_from_bytes(data, art_id, name, kind == "html", published, limits)


def _read_path(path: str, published: dt.date | None, limits: _Limits) -> Iterator[Result]:
    p = Path(path)
    if not p.exists():
        yield ReadError(path, None, "no such file or folder")
    elif p.is_dir():
        files, errors = _walk(p)
        yield from errors
        if not files and not errors:
            yield ReadError(path, None, f"folder has no {', '.join(KNOWN_EXTENSIONS)} files")
        for f in files:
            yield from _read_file(f, published, limits)
    else:
        yield from _read_file(p, published, limits)


def _walk(root: Path) -> tuple[list[Path], list[ReadError]]:
    """Known-extension files under ``root`` (hidden names skipped), sorted; and folders we could not list."""
    errors: list[ReadError] = []

    def on_error(e: OSError) -> None:
        errors.append(ReadError(str(e.filename or root), None, f"cannot read folder ({e.strerror or e})"))

    files: list[Path] = []
    for folder, subdirs, names in os.walk(root, onerror=on_error):
        subdirs[:] = [d for d in subdirs if not d.startswith(".")]
        for name in names:
            f = Path(folder, name)
            if not name.startswith(".") and f.suffix.lower() in KNOWN_EXTENSIONS and f.is_file():
                files.append(f)
    files.sort()
    errors.sort(key=lambda e: e.path)
    return files, errors


def _read_file(p: Path, published: dt.date | None, limits: _Limits) -> Iterator[Result]:
    suffix = p.suffix.lower()
    name = str(p)
    if suffix not in KNOWN_EXTENSIONS:
        yield ReadError(
            name, None, f"unsupported file type '{suffix or p.name}' (expected {', '.join(KNOWN_EXTENSIONS)})"
        )
        return
    limit = limits.size
    try:
        if suffix in JSONL_EXTENSIONS:
            if p.stat().st_size > MAX_JSONL_BYTES:
                yield ReadError(name, None, _too_big(p.stat().st_size, MAX_JSONL_BYTES))
                return
            with p.open("rb") as f:
                yield from _read_jsonl(f, name, published, limits)
            return
        size = p.stat().st_size
        if size > limit:  # decided from the size alone: never load a huge file
            yield ReadError(name, None, _too_big(size, limit))
            return
        with p.open("rb") as f:
            data = f.read(limit + 1)
    except OSError as e:
        yield ReadError(name, None, f"cannot read file ({e.strerror or type(e).__name__})")
        return
    yield _article_from_bytes(data, p.stem, name, suffix in HTML_EXTENSIONS, published, limits)


def _too_big(size: int, limit: int) -> str:
    return f"file too large ({_mb(size)}, limit {_mb(limit)}; see --max-bytes)"


def _mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n} bytes"


def _article_from_bytes(
    data: bytes, art_id: str, name: str, is_html: bool, published: dt.date | None, limits: _Limits
) -> Result:
    """A .txt/.html file's bytes -> Article, or the ReadError saying why not.

    A ``.txt`` file or stdin that is really an HTML page (a saved page renamed,
    ``curl URL | rasid extract -``) is read as HTML: otherwise the words inside
    its ``<script>`` and menus would be read as the article.
    """
    limit = limits.size
    if len(data) > limit:
        return ReadError(name, None, _too_big(len(data), limit))
    try:
        check_bytes(data)
        if is_html or looks_like_html(data):
            return _html_article(data, art_id, name, name, published, budget_s=limits.budget_s)
        cut = cut_utf8_tail(data)
        if cut and not utf16_codec(data):
            data = data[:-cut]
            log.warning(
                "%s: ends inside a character (a truncated file?); its last %d byte(s) dropped", name, cut
            )
        text = normalise_newlines(decode_text(data))
        check_text(text)
    except BadInput as e:
        return ReadError(name, e.line, e.reason)
    return Article(id=art_id, text=text, published=published, source=name)


def _html_article(
    html: str | bytes,
    art_id: str,
    name: str,
    source: str,
    published: dt.date | None,
    url: str | None = None,
    outlet: str | None = None,
    budget_s: float | None = None,
) -> Article:
    from rasid.readers.html import decode_html, extract_page

    try:
        with time_limit(budget_s):  # a page built to stall the parser is one bad input, not a stuck batch
            page = extract_page(decode_html(html) if isinstance(html, bytes) else html)
    except ArticleTimeout as e:
        raise BadInput(f"HTML page {e} (--time-limit)") from None
    text = normalise_newlines(page.text)
    check_text(text)
    return Article(
        id=art_id,
        text=text,
        title=page.title,
        url=url or page.url,
        outlet=outlet or page.outlet,
        published=page.published or published,
        source=source,
    )


def _read_jsonl(f: IO[bytes], name: str, published: dt.date | None, limits: _Limits) -> Iterator[Result]:
    """One Article or ReadError per non-blank line; a bad line never stops the file."""
    seen_any = False
    limit = limits.size
    for n, raw in _lines(f, limit):
        if raw is None:
            seen_any = True
            yield ReadError(name, n, f"line too long (over {_mb(limit)}; see --max-bytes)")
            continue
        if n == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        if not raw.strip():
            continue
        seen_any = True
        try:
            yield _jsonl_article(raw, n, name, published, limits.budget_s)
        except BadInput as e:
            yield ReadError(name, n, e.reason)
    if not seen_any:
        yield ReadError(name, None, "empty file")


def _lines(f: IO[bytes], limit: int) -> Iterator[tuple[int, bytes | None]]:
    """``(line_number, bytes)``; ``None`` instead of a line longer than ``limit`` (skipped unread)."""
    n = 0
    while True:
        line = f.readline(limit + 1)
        if not line:
            return
        n += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while True:
                rest = f.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield n, None
        else:
            yield n, line


def _jsonl_article(
    raw: bytes, n: int, name: str, published: dt.date | None, budget_s: float | None = None
) -> Article:
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise BadInput(f"invalid encoding: not UTF-8 (bad byte 0x{raw[e.start]:02x})") from None
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as e:
        raise BadInput(f"not valid JSON ({e.msg}, column {e.colno})") from None
    if not isinstance(obj, dict):
        raise BadInput(f"expected a JSON object, got {type(obj).__name__}")
    art_id = obj.get("id")
    if isinstance(art_id, bool) or not isinstance(art_id, str | int) or not str(art_id).strip():
        raise BadInput("missing 'id' (a non-empty string)")
    art_id = str(art_id).strip()
    source = f"{name}:{n}"
    day = parse_date(obj.get("published"))
    if day is None and obj.get("published") not in (None, ""):
        log.warning(
            "%s: article '%s': 'published' is not a date (%.40r); read without it",
            source,
            art_id,
            obj.get("published"),
        )
    url, outlet = clean_str(obj.get("url")), clean_str(obj.get("outlet"))
    text = obj.get("text")
    if text is None:
        html = obj.get("html")
        if not isinstance(html, str) or not html.strip():
            raise BadInput(f"article '{art_id}' has no 'text' or 'html'")
        return _html_article(html, art_id, name, source, day or published, url, outlet, budget_s)
    if not isinstance(text, str):
        raise BadInput(f"article '{art_id}': 'text' must be a string")
    if looks_like_html(text[:65536].encode("utf-8", "replace")):  # a scraper put the raw page in "text"
        return _html_article(text, art_id, name, source, day or published, url, outlet, budget_s)
    text = normalise_newlines(text)
    try:
        check_text(text)
    except BadInput as e:
        raise BadInput(f"article '{art_id}': {e.reason}") from None
    return Article(
        id=art_id,
        text=text,
        title=clean_str(obj.get("title")),
        url=url,
        outlet=outlet,
        published=day or published,
        source=source,
    )


def _read_stdin(published: dt.date | None, limits: _Limits) -> Iterator[Result]:
    """``-``: JSONL when the input starts with ``{``, else one article with id ``stdin`` (HTML or text)."""
    limit = limits.size
    stream = sys.stdin
    if stream is None:  # started with stdin closed (`rasid extract - <&-`)
        yield ReadError(STDIN_PATH, None, "stdin is closed")
        return
    buffer = getattr(stream, "buffer", None)
    try:
        if buffer is not None:
            data = buffer.read(limit + 1)
        else:  # a text stream (tests, embedding): take it as given
            data = stream.read().encode("utf-8")
    except (OSError, ValueError) as e:  # a closed descriptor, a closed file object
        yield ReadError(STDIN_PATH, None, f"cannot read stdin ({getattr(e, 'strerror', None) or e})")
        return
    if data.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"{"):
        if buffer is not None and len(data) > limit:
            rest: IO[bytes] = _Chain(data, buffer)  # type: ignore[assignment]  # a RawIOBase with readline
        else:
            rest = io.BytesIO(data)
        yield from _read_jsonl(rest, STDIN_PATH, published, limits)
    else:
        yield _article_from_bytes(data, "stdin", STDIN_PATH, False, published, limits)


class _Chain(io.RawIOBase):
    """Bytes already read followed by the rest of a stream, for long JSONL on stdin."""

    def __init__(self, head: bytes, tail: IO[bytes]) -> None:
        self._head = io.BytesIO(head)
        self._tail = tail

    def readline(self, size: int | None = -1) -> bytes:  # type: ignore[override]
        line = self._head.readline(size)
        if line.endswith(b"\n") or (size is not None and size >= 0 and len(line) >= size):
            return line
        more = self._tail.readline(-1 if size is None or size < 0 else size - len(line))
        return line + more
