"""Feeds: rasid ingest / watch on RSS and Atom, against a local HTTP server serving feeds and pages
written for these tests (our own Arabic text)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import select

from rasid.cli import main
from rasid.store import open_store, query_events
from rasid.store.feeds import article_id
from rasid.store.schema import articles

PAGE = """<!doctype html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>{title}</title>
<meta property="og:site_name" content="شبكة الاختبار">
<meta property="article:published_time" content="{published}">
</head><body>
<nav><a href="/">الرئيسية</a> | <a href="/news">أخبار</a></nav>
<article><h1>{title}</h1>
<p>{body}</p>
<p>وأشار المصدر إلى أن فرق الدفاع المدني عملت على إسعاف المصابين ونقلهم إلى المشافي القريبة، فيما تواصلت حركة نزوح الأهالي نحو المناطق الأكثر أمنا.</p>
</article>
<footer>جميع الحقوق محفوظة</footer>
</body></html>"""

PAGES = {
    "/news/1.html": PAGE.format(
        title="قصف مدفعي على كفرنبل",
        published="2023-05-16",
        body="قصفت قوات النظام السوري بالمدفعية الثقيلة صباح اليوم الثلاثاء بلدة كفرنبل في ريف إدلب الجنوبي، ما أدى إلى مقتل ثلاثة مدنيين.",
    ),
    "/news/2.html": PAGE.format(
        title="غارات على الأتارب",
        published="2023-05-16",
        body="شنت طائرات حربية روسية غارات جوية على مدينة الأتارب في ريف حلب الغربي صباح اليوم، ما أدى إلى مقتل طفلين.",
    ),
}


def rss(base: str, paths: list[str]) -> str:
    items = "".join(
        f"<item><title>خبر {i}</title><link>{base}{p}</link><pubDate>Tue, 16 May 2023 09:00:00 GMT</pubDate></item>"
        for i, p in enumerate(paths, 1)
    )
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>موجز الاختبار</title>{items}</channel></rss>'


class Site:
    """A tiny news site: /feed.xml (with an ETag), /broken.xml (a feed with a dead link), the pages."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str]]] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                site.requests.append((self.path, dict(self.headers)))
                base = f"http://127.0.0.1:{self.server.server_address[1]}"
                if self.path == "/feed.xml":
                    etag = '"v1"'
                    if self.headers.get("If-None-Match") == etag:
                        self.send_response(304)
                        self.end_headers()
                        return
                    self._send(rss(base, list(PAGES)), "application/rss+xml", {"ETag": etag})
                elif self.path == "/broken.xml":
                    self._send(
                        rss(base, ["/news/1.html", "/gone.html"]), "application/rss+xml", {"ETag": '"b"'}
                    )
                elif self.path in PAGES:
                    self._send(PAGES[self.path], "text/html; charset=utf-8", {})
                else:
                    self.send_response(404)
                    self.end_headers()

            def _send(self, body: str, kind: str, headers: dict[str, str]) -> None:
                data = body.encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def paths(self) -> list[str]:
        return [p for p, _ in self.requests]


@pytest.fixture
def site(monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")  # a CI proxy must not see the local server
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    s = Site()
    s.thread.start()
    try:
        yield s
    finally:
        s.server.shutdown()
        s.server.server_close()


def test_ingest_a_feed_url_fetches_its_pages_politely(site: Site, tmp_path: Path) -> None:
    db = str(tmp_path / "feeds.db")
    assert main(["ingest", f"{site.base}/feed.xml", "--db", db, "--delay", "0"]) == 0
    assert sorted(site.paths()) == ["/feed.xml", "/news/1.html", "/news/2.html"]
    assert all(h.get("User-Agent", "").startswith("rasid/") for _, h in site.requests)
    engine = open_store(db)
    records = list(query_events(engine))
    assert {r["url"] for r in records} == {f"{site.base}/news/1.html", f"{site.base}/news/2.html"}
    assert {r["outlet"] for r in records} == {"شبكة الاختبار"}
    assert {r["published"] for r in records} == {"2023-05-16"}
    kafr = next(r for r in records if r["url"].endswith("/1.html"))
    assert kafr["article_id"] == article_id(kafr["url"]) and kafr["fatalities"]["killed"] == 3
    with engine.connect() as conn:
        assert all(row.fetched_at for row in conn.execute(select(articles.c.fetched_at)))

    # again: the feed has not changed (304), and nothing is fetched twice
    site.requests.clear()
    assert main(["ingest", f"{site.base}/feed.xml", "--db", db, "--delay", "0"]) == 0
    assert site.paths() == ["/feed.xml"]
    assert site.requests[0][1].get("If-None-Match") == '"v1"'


def test_a_dead_link_is_reported_and_retried_next_time(
    site: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "feeds.db")
    assert main(["ingest", f"{site.base}/broken.xml", "--db", db, "--delay", "0"]) == 1
    err = capsys.readouterr().err
    assert f"{site.base}/gone.html: cannot fetch page (HTTP 404)" in err and "1 new" in err
    site.requests.clear()
    assert main(["ingest", f"{site.base}/broken.xml", "--db", db, "--delay", "0"]) == 1
    assert site.paths() == ["/broken.xml", "/gone.html"]  # the stored page is not fetched again


def test_a_feed_file_and_a_bad_feed(site: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    feed = tmp_path / "local.rss"
    feed.write_text(rss(site.base, ["/news/2.html"]), encoding="utf-8")
    bad = tmp_path / "bad.xml"
    bad.write_text("هذا ليس موجزا", encoding="utf-8")
    db = str(tmp_path / "feeds.db")
    assert main(["ingest", str(bad), str(feed), "--db", db, "--delay", "0"]) == 1
    err = capsys.readouterr().err
    assert f"{bad}: not an RSS or Atom feed" in err
    assert {r["url"] for r in query_events(open_store(db))} == {f"{site.base}/news/2.html"}


def test_watch_polls_until_told_to_stop(site: Site, tmp_path: Path) -> None:
    db = str(tmp_path / "feeds.db")
    assert (
        main(["watch", f"{site.base}/feed.xml", "--db", db, "--every", "0", "--rounds", "2", "--delay", "0"])
        == 0
    )
    assert site.paths().count("/feed.xml") == 2 and site.paths().count("/news/1.html") == 1


def test_watch_exits_with_its_worst_rounds_status(site: Site, tmp_path: Path) -> None:
    """0 every input read (the second round: not modified), 1 a dead page, 2 a dead feed: nothing read."""
    db = str(tmp_path / "feeds.db")
    watch = ["watch", "--db", db, "--delay", "0", "--every", "0"]
    assert main([*watch, f"{site.base}/feed.xml", "--rounds", "2"]) == 0
    assert main([*watch, f"{site.base}/broken.xml", "--rounds", "1"]) == 1
    assert main([*watch, f"{site.base}/missing.xml", "--rounds", "1"]) == 2
    assert main([*watch, f"{site.base}/missing.xml", f"{site.base}/feed.xml", "--rounds", "1"]) == 1
