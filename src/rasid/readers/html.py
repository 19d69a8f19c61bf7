"""Main text and metadata of a saved news page, via trafilatura.

Scraped pages carry menus, footers and comment blocks around the article;
trafilatura keeps the main text and reads title, date, site name and the
canonical URL from the page's metadata. Dates come from metadata only: a
year mentioned in the story must not become the article date.
"""

from __future__ import annotations

import codecs
import datetime as dt
import logging
import re
from dataclasses import dataclass

from rasid.readers.common import BadInput, clean_str, decode_text, line_of, parse_date

# trafilatura reports unparsable pages through logging; we turn them into ReadErrors instead.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)


_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def decode_html(data: bytes) -> str:
    """Page bytes -> text: UTF-8, else the charset the page declares, else the .txt rules.

    Decoding here (not in trafilatura) lets an undeclared Windows-1256 page be
    recognised the same way as a .txt file, and a page that lies about its
    charset be reported as an encoding error.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        first_bad = e.start
    m = _CHARSET.search(data[:4096])
    if m:
        name = m.group(1).decode("ascii", "replace")
        try:
            codec = codecs.lookup(name).name
        except LookupError:
            codec = None
        if codec and codec not in ("utf-8", "utf-8-sig"):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as e:
                raise BadInput(f"invalid encoding: not valid {name}", line_of(data, e.start)) from None
    try:
        return decode_text(data)
    except BadInput as e:
        raise BadInput(e.reason, e.line or line_of(data, first_bad)) from None


@dataclass(frozen=True)
class PageText:
    text: str
    title: str | None
    url: str | None
    outlet: str | None
    published: dt.date | None


def extract_page(html: str | bytes) -> PageText:
    """Main text and metadata of one HTML page; BadInput when there is no text to read."""
    import trafilatura  # imported lazily: it is slow to import and only HTML needs it

    try:
        doc = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as e:  # noqa: BLE001 - any parser failure is a bad input, not a crash
        raise BadInput(f"could not parse HTML ({type(e).__name__})") from None
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        raise BadInput("no article text could be extracted from the HTML")
    return PageText(
        text=text,
        title=clean_str(getattr(doc, "title", None)),
        url=clean_str(getattr(doc, "url", None)),
        outlet=clean_str(getattr(doc, "sitename", None)),
        published=parse_date(getattr(doc, "date", None)),
    )
