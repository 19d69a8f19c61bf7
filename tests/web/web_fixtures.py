"""Fixtures of the browser tests (conftest.py imports them): the real server (``create_app`` under
uvicorn, in a thread, on a free loopback port) over a store ingested from our own short Arabic articles (tests/web/data) and from
``examples/articles``, and Debian's Chromium driven by Playwright.

No browser is downloaded: Playwright launches ``/usr/bin/chromium`` (``make test`` installs Debian's
package when it can). Where Chromium or the ``playwright`` package is missing the tests are skipped
and say why. Every page records its console errors and uncaught exceptions, and the tests assert
there are none: a CSP violation (an inline script or style the policy blocks) shows up there.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = Path(__file__).resolve().parent / "data" / "articles.jsonl"
EXAMPLES = ROOT / "examples" / "articles"
SHOTS = ROOT / "build" / "web"
CHROMIUM = os.environ.get("RASID_CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium tries to reach Google and the closed network
# refuses it (console noise, slow start); Playwright gives each launch a fresh, empty profile.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def ingest(db: str, *inputs: Path) -> None:
    from rasid.pipeline import load_knowledge
    from rasid.readers import iter_articles
    from rasid.store import ingest as store_ingest
    from rasid.store import open_store

    load_knowledge()
    engine = open_store(db)
    stats = store_ingest(engine, iter_articles([str(p) for p in inputs]))
    assert stats.failed == 0
    engine.dispose()


@dataclass
class Server:
    url: str
    db: str


def serve(db: str, **options: Any) -> Iterator[Server]:
    """The app over ``db`` served by uvicorn on a free port until the generator is closed."""
    import uvicorn

    from rasid.api.app import create_app

    port = _free_port()
    config = uvicorn.Config(create_app(db, **options), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/api/config", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    else:
        raise RuntimeError("the test server did not start")
    try:
        yield Server(url, db)
    finally:  # also when the caller closes the generator early
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def web_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server for the browser tests (the review tests change it, each on its own event)."""
    db = f"sqlite:///{tmp_path_factory.mktemp('web') / 'rasid.db'}"
    ingest(db, ARTICLES, EXAMPLES)
    yield from serve(db)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright package is not installed (pip install -e '.[dev]')")
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium; make test does it when root)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@dataclass
class Watched:
    """A page and what went wrong on it: console errors, uncaught exceptions, dialogs (alert)."""

    page: Any
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def goto(self, url: str, lang: str | None = None) -> Any:
        """Open the UI (optionally in a language) and wait until the map's events are drawn."""
        if lang:  # as if the toggle had been used before; runs ahead of the page's own scripts
            self.page.add_init_script(f"localStorage.setItem('rasid.lang', '{lang}')")
        self.page.goto(url + "/")
        self.page.wait_for_selector("body[data-state=ready]", timeout=30000)
        return self.page

    def shot(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{name}.png"))


def open_page(browser: Any, width: int = 1280, height: int = 800) -> Watched:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    watched = Watched(page)
    page.on("console", lambda m: m.type == "error" and watched.errors.append(m.text))
    page.on("pageerror", lambda e: watched.errors.append(f"uncaught: {e}"))

    def dialog(d: Any) -> None:
        watched.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    return watched


@pytest.fixture
def ui(browser: Any) -> Iterator[Watched]:
    watched = open_page(browser)
    yield watched
    watched.page.context.close()


@pytest.fixture
def phone(browser: Any) -> Iterator[Watched]:
    watched = open_page(browser, 390, 844)
    yield watched
    watched.page.context.close()
