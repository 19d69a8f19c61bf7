"""Shared pieces of the readers: the error type, limits, decoding and sanity checks.

A batch run over hundreds of scraped files must not stop at the first broken
one, so every problem with an input becomes a :class:`ReadError` value that
names the file (and line) and says what is wrong in one line. The checks here
run on raw bytes before any parsing so that an image renamed ``.txt``, a
half-downloaded page or a 2 GB dump is turned away cheaply.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

# Largest single article (a .txt/.html file, a JSONL line, stdin) we accept.
# Real news pages are well under 1 MB; anything this big is a dump or a mistake.
MAX_ARTICLE_BYTES = 20 * 1024 * 1024
# A JSONL file holds many articles and is streamed line by line, so it may be larger.
MAX_JSONL_BYTES = 2 * 1024 * 1024 * 1024

# An article must carry at least this many Arabic letters...
MIN_ARABIC_LETTERS = 10
# ... and at least this share of its letters must be Arabic (names in Latin script are fine).
MIN_ARABIC_SHARE = 0.3
# A Windows-1256 reading is trusted only when the text is clearly Arabic.
MIN_CP1256_ARABIC_SHARE = 0.6
# More control characters than this share of the text means binary data.
MAX_CONTROL_SHARE = 0.05

_ARABIC_LETTER = re.compile("[\u0621-\u064a\u0671-\u06d3\u06fa-\u06fc\ufb50-\ufdff\ufe70-\ufefc]")
_ISO_DAY_PREFIX = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]|$)")
_ALLOWED_CONTROLS = frozenset("\n\r\t\f\v")


class ReadError(Exception):
    """One bad input: ``path``, ``line`` (1-based, or None) and a one-line ``reason``."""

    def __init__(self, path: str, line: int | None, reason: str) -> None:
        self.path = path
        self.line = line
        self.reason = " ".join(reason.split())  # always one line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.reason}"

    def __repr__(self) -> str:
        return f"ReadError({self.path!r}, {self.line!r}, {self.reason!r})"


class BadInput(Exception):
    """Internal: a check failed; the caller adds path and line to make a ReadError."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line


def line_of(data: bytes, offset: int) -> int:
    """1-based line number of byte ``offset``, for messages that point at a bad byte."""
    return data.count(b"\n", 0, offset) + 1


_HTML_OPENING = re.compile(rb"<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE)
_HTML_TAG = re.compile(
    rb"</?(?:html|head|body|script|style|div|p|span|a|br|meta|link|article|section|li|ul|table|td|tr|h[1-6])"
    rb"\b[^<>]*>",
    re.IGNORECASE,
)
# A plain-text article may quote a stray "<script>"; five tags in its first 64 KB make it a page.
MIN_HTML_TAGS = 5


def looks_like_html(data: bytes) -> bool:
    """True for bytes that are an HTML page (a doctype or ``<html>`` first, or several tags), not plain text.

    ``.txt`` files and stdin are sometimes saved or piped pages; read as text,
    the strings inside ``<script>`` and the menus would become events.
    """
    head = data[:65536].removeprefix(b"\xef\xbb\xbf")
    if _HTML_OPENING.match(head, _after_comments(head)):
        return True
    return len(_HTML_TAG.findall(head)) >= MIN_HTML_TAGS


def _after_comments(data: bytes) -> int:
    """Where the first thing that is not white space or an ``<!-- -->`` comment starts.

    A loop rather than a regular expression: a pattern that skips repeated
    comments backtracks exponentially on ``<!----><!---->...`` (fuzzing found it).
    """
    pos = 0
    while True:
        while pos < len(data) and data[pos : pos + 1].isspace():
            pos += 1
        if not data.startswith(b"<!--", pos):
            return pos
        end = data.find(b"-->", pos + 4)
        if end < 0:
            return pos
        pos = end + 3


# High bytes of UTF-16 code units in Arabic text: ASCII/Latin (0x00), Arabic (0x06),
# punctuation (0x20), presentation forms (0xFB-0xFE).
_UTF16_HIGH = frozenset({0x00, 0x06, 0x20, 0xFB, 0xFC, 0xFD, 0xFE})


def utf16_codec(data: bytes) -> str | None:
    """``utf-16`` for a BOM, ``utf-16-le``/``-be`` for Arabic UTF-16 without one, else None.

    Without a BOM, UTF-16 Arabic shows itself by its byte pattern: every other
    byte is a code unit's high byte, nearly all 0x00 (spaces, digits) or 0x06
    (Arabic letters), while the low bytes are rarely NUL.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    sample = data[:4096]
    if len(sample) < 8 or len(data) % 2 or b"\x00" not in sample:
        return None
    half = len(sample) // 2
    for codec, high, low in (
        ("utf-16-le", sample[1::2], sample[0::2]),
        ("utf-16-be", sample[0::2], sample[1::2]),
    ):
        if (
            sum(b in _UTF16_HIGH for b in high) >= 0.95 * half
            and high.count(6) >= 0.3 * half
            and low.count(0) <= 0.02 * half
        ):
            return codec
    return None


def cut_utf8_tail(data: bytes) -> int:
    """How many bytes at the end are the start of a UTF-8 character cut off (a truncated download); 0 if none.

    Only a lead byte followed by fewer continuation bytes than it announces,
    at the very end of otherwise valid UTF-8, counts (a Windows-1256 file
    ending in an Arabic letter must keep it): anything else is left to
    :func:`decode_text`.
    """
    for back in range(1, min(4, len(data)) + 1):
        byte = data[-back]
        if 0x80 <= byte <= 0xBF:  # a continuation byte: look further back for the lead
            continue
        need = 2 if 0xC2 <= byte <= 0xDF else 3 if 0xE0 <= byte <= 0xEF else 4 if 0xF0 <= byte <= 0xF4 else 0
        if need <= back:
            return 0
        try:
            data[:-back].decode("utf-8-sig")
        except UnicodeDecodeError:
            return 0
        return back
    return 0


def check_bytes(data: bytes) -> None:
    """Reject empty and binary content before decoding (UTF-16, whose bytes include NULs, is let through)."""
    if not data.removeprefix(b"\xef\xbb\xbf").strip():
        raise BadInput("empty file")
    if utf16_codec(data):
        return
    nul = data.find(b"\x00")
    if nul >= 0:
        raise BadInput("binary file (contains NUL bytes), not text", line_of(data, nul))


def decode_text(data: bytes) -> str:
    """UTF-8 (BOM allowed), else Windows-1256 when that reads as Arabic; else BadInput.

    Windows-1256 maps nearly every byte to some character, so a cp1256 reading
    is accepted only when most letters come out Arabic: that tells a legacy
    Arabic page from a Latin-1 or binary file. UTF-16 (with a BOM, or Arabic
    without one; see :func:`utf16_codec`) is read as such.
    """
    codec = utf16_codec(data)
    if codec:
        try:
            return data.decode(codec)
        except UnicodeDecodeError as e:
            raise BadInput(f"invalid encoding: broken {codec.upper()} at byte {e.start}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        where = line_of(data, e.start)
        if _mostly_utf8(data):
            raise BadInput(
                f"invalid encoding: broken UTF-8 (bad byte 0x{data[e.start]:02x})", where
            ) from None
        try:
            text = data.decode("cp1256")
        except UnicodeDecodeError:
            raise BadInput(f"invalid encoding: not UTF-8 (bad byte 0x{data[e.start]:02x})", where) from None
        letters = sum(1 for c in text if c.isalpha())
        arabic = arabic_letters(text)
        if (
            not letters
            or arabic / letters < MIN_CP1256_ARABIC_SHARE
            or control_share(text) > MAX_CONTROL_SHARE
        ):
            raise BadInput(
                f"invalid encoding: not UTF-8 (bad byte 0x{data[e.start]:02x}) and not Windows-1256 Arabic",
                where,
            ) from None
    return text


def _mostly_utf8(data: bytes) -> bool:
    """True when the bytes hold more valid UTF-8 multibyte characters than invalid bytes.

    Such a file is UTF-8 with a few corrupt bytes: reading it as Windows-1256
    would turn every Arabic letter into two (mojibake that still looks Arabic).
    Real Windows-1256 Arabic is almost all invalid as UTF-8.
    """
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for c in text if c > "\x7f") - bad
    return good > bad


def control_share(text: str) -> float:
    if not text:
        return 0.0
    n = sum(1 for c in text if c not in _ALLOWED_CONTROLS and unicodedata.category(c) == "Cc")
    return n / len(text)


def arabic_letters(text: str) -> int:
    return len(_ARABIC_LETTER.findall(text))


def normalise_newlines(text: str) -> str:
    """``\\r\\n`` and lone ``\\r`` become ``\\n``; a leading BOM goes. This is the original text from here on."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.removeprefix("\ufeff")


def check_text(text: str) -> None:
    """Reject text that is empty, binary-looking or not Arabic."""
    if not text.strip():
        raise BadInput("empty text")
    if control_share(text) > MAX_CONTROL_SHARE:
        raise BadInput("binary content (mostly control characters), not text")
    arabic = arabic_letters(text)
    letters = sum(1 for c in text if c.isalpha())
    if arabic < MIN_ARABIC_LETTERS:
        raise BadInput(f"not Arabic text ({arabic} Arabic letters, need at least {MIN_ARABIC_LETTERS})")
    if arabic / letters < MIN_ARABIC_SHARE:
        raise BadInput(f"not Arabic text (only {100 * arabic // letters}% of the letters are Arabic)")


def parse_date(value: object) -> dt.date | None:
    """An ISO date or datetime (``2024-12-10``, ``2024-12-10T08:30:00Z``) -> date; anything else -> None.

    A bad date in metadata is common and harmless: the article is still read,
    only without a date, so this never raises.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    s = value.strip()
    try:
        return dt.datetime.fromisoformat(s).date()
    except ValueError:
        pass
    if not _ISO_DAY_PREFIX.match(s):
        return None
    try:
        return dt.date.fromisoformat(s[:10])
    except ValueError:
        return None


def clean_str(value: object) -> str | None:
    """Optional string metadata: strip it; anything not a non-empty string is None."""
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None
