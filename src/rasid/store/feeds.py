"""RSS/Atom feeds as ingest input: read a feed (URL or file), fetch the pages it links, yield Articles.

Politeness is part of the job of a monitor that polls news sites every few
minutes: one User-Agent that says who we are, timeouts, a minimum delay
between two requests to one host, conditional GET on feeds (ETag and
Last-Modified kept in the store's ``feeds`` table, so an unchanged feed costs a
304), and a page already stored is not fetched again.

The feed state is saved only after the articles it yielded are committed
(:meth:`FeedReader.save_state`, called by the CLI after ``ingest``): a crash in
between means the feed is read again, never that its new entries are lost.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Engine, insert, select, update

from rasid.document import Article
from rasid.readers import ReadError
from rasid.readers.common import BadInput, check_text, normalise_newlines
from rasid.store.schema import articles, feeds

USER_AGENT = "rasid/0.1 (Arabic conflict news to event records; +https://github.com/rasid-project/rasid)"
FEED_SUFFIXES = (".rss", ".atom", ".xml")
MAX_PAGE_BYTES = 5_000_000


def is_feed(item: str) -> bool:
    """An http(s) URL, or a local file that is a feed by its extension."""
    return item.startswith(("http://", "https://")) or Path(item).suffix.lower() in FEED_SUFFIXES


def article_id(url: str) -> str:
    """A stable id for a fetched page: its host and a digest of its URL."""
    host = urlsplit(url).hostname or "web"
    return f"{host}:{hashlib.sha1(url.encode('utf-8')).hexdigest()[:16]}"


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


class Fetcher:
    """An httpx client with a User-Agent, timeouts and a minimum delay per host."""

    def __init__(self, *, delay: float = 1.0, timeout: float = 20.0, user_agent: str = USER_AGENT) -> None:
        import httpx

        self.delay = delay
        self._last: dict[str, float] = {}
        self.client = httpx.Client(
            timeout=httpx.Timeout(timeout), headers={"User-Agent": user_agent}, follow_redirects=True
        )

    def get(self, url: str, headers: dict[str, str] | None = None) -> Any:
        host = urlsplit(url).netloc
        wait = self._last.get(host, 0.0) + self.delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        try:
            return self.client.get(url, headers=headers or {})
        finally:
            self._last[host] = time.monotonic()

    def close(self) -> None:
        self.client.close()


def _entry_date(entry: Any) -> dt.date | None:
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if value:
            return dt.date(value.tm_year, value.tm_mon, value.tm_mday)
    return None


class FeedReader:
    """Articles from feeds, with the conditional-GET state to save once they are stored."""

    def __init__(self, engine: Engine, fetcher: Fetcher, *, refetch: bool = False) -> None:
        self.engine = engine
        self.fetcher = fetcher
        self.refetch = refetch
        self.fetched: dict[str, str] = {}  # article id -> when its page was fetched
        self._pending: dict[str, dict[str, Any]] = {}
        self.pages = 0
        self.feeds_read = 0  # feeds that answered (with entries, or not modified)

    def _stored(self, art_id: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(articles.c.id).where(articles.c.id == art_id)).first() is not None

    def _feed_bytes(self, feed: str) -> bytes | None | ReadError:
        """The feed's bytes; None when the server says it has not changed."""
        if not feed.startswith(("http://", "https://")):
            try:
                return Path(feed).read_bytes()
            except OSError as e:
                return ReadError(feed, None, f"cannot read file ({e.strerror or type(e).__name__})")
        headers = {}
        with self.engine.connect() as conn:
            state = conn.execute(select(feeds).where(feeds.c.url == feed)).first()
        if state is not None:
            if state.etag:
                headers["If-None-Match"] = state.etag
            if state.last_modified:
                headers["If-Modified-Since"] = state.last_modified
        try:
            resp = self.fetcher.get(feed, headers)
        except Exception as e:  # network errors: one line, the batch goes on
            return ReadError(feed, None, f"cannot fetch feed ({type(e).__name__})")
        if resp.status_code == 304:
            return None
        if resp.status_code != 200:
            return ReadError(feed, None, f"cannot fetch feed (HTTP {resp.status_code})")
        self._pending[feed] = {
            "etag": resp.headers.get("ETag"),
            "last_modified": resp.headers.get("Last-Modified"),
        }
        return bytes(resp.content)

    def articles(self, feed: str) -> Iterator[Article | ReadError]:
        import feedparser

        data = self._feed_bytes(feed)
        if data is None:
            self.feeds_read += 1  # not modified: read, and nothing new
            return
        if isinstance(data, ReadError):
            yield data
            return
        parsed = feedparser.parse(data)
        if not parsed.entries:
            reason = "not an RSS or Atom feed" if parsed.bozo else "feed has no entries"
            self._pending.pop(feed, None)
            yield ReadError(feed, None, reason)
            return
        self.feeds_read += 1
        title = parsed.feed.get("title") or None
        if feed in self._pending:
            self._pending[feed]["title"] = title
        for n, entry in enumerate(parsed.entries, 1):
            link = entry.get("link")
            if not link:
                yield ReadError(feed, None, f"entry {n} has no link")
                continue
            art_id = article_id(link)
            if not self.refetch and self._stored(art_id):
                continue
            result = self._page(link, art_id, title, entry)
            if isinstance(result, ReadError):
                self._pending.pop(feed, None)  # read the whole feed again next time, to retry this page
            yield result

    def _page(self, link: str, art_id: str, outlet: str | None, entry: Any) -> Article | ReadError:
        from rasid.readers.html import decode_html, extract_page

        try:
            resp = self.fetcher.get(link)
        except Exception as e:
            return ReadError(link, None, f"cannot fetch page ({type(e).__name__})")
        self.pages += 1
        if resp.status_code != 200:
            return ReadError(link, None, f"cannot fetch page (HTTP {resp.status_code})")
        if len(resp.content) > MAX_PAGE_BYTES:
            return ReadError(link, None, f"page too large ({len(resp.content) / 1e6:.1f} MB)")
        try:
            page = extract_page(decode_html(resp.content))
            text = normalise_newlines(page.text)
            check_text(text)
        except BadInput as e:
            return ReadError(link, e.line, e.reason)
        self.fetched[art_id] = _now()
        return Article(
            id=art_id,
            text=text,
            title=page.title or entry.get("title") or None,
            url=link,
            outlet=page.outlet or outlet,
            published=page.published or _entry_date(entry),
            source=link,
        )

    def save_state(self) -> None:
        """Remember each fetched feed's ETag and Last-Modified (call after its articles are committed)."""
        with self.engine.begin() as conn:
            for url, state in self._pending.items():
                values = {**state, "checked_at": _now()}
                if conn.execute(select(feeds.c.url).where(feeds.c.url == url)).first() is None:
                    conn.execute(insert(feeds).values(url=url, **values))
                else:
                    conn.execute(update(feeds).where(feeds.c.url == url).values(**values))
        self._pending.clear()
