"""The annotate page (``rasid annotate --format html``, written by src/rasid/render/html.py) in Chromium:
it loads without console errors, and hostile article text is shown as text, never run."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from web_fixtures import ARTICLES, Watched

pytest.importorskip("playwright")


@pytest.fixture(scope="module")
def annotate_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from rasid.cli import main

    out = tmp_path_factory.mktemp("annotate") / "annotate.html"
    assert main(["annotate", str(ARTICLES), "--format", "html", "--out", str(out)]) == 0
    return out


def test_annotate_page_loads_without_console_errors(annotate_page: Path, ui: Watched) -> None:
    page = ui.page
    page.goto(annotate_page.as_uri())
    page.wait_for_selector("section.article")
    assert page.locator("section.article").count() == 5
    ui.shot("annotate")
    assert ui.errors == []


def test_annotate_page_shows_hostile_text_as_text(annotate_page: Path, ui: Watched) -> None:
    page = ui.page
    page.goto(annotate_page.as_uri())
    page.wait_for_selector("section.article")
    text = page.locator("body").text_content()
    assert "<script>alert(1)</script>" in text and "<img src=x onerror=alert(1)>" in text
    assert page.locator(".text img, .text script, [onerror]").count() == 0
    page.wait_for_timeout(300)
    assert ui.dialogs == [] and ui.errors == []


def _csp(html: str) -> str:
    found = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html)
    assert found, "the annotate page has no Content-Security-Policy"
    return found.group(1)


def test_annotate_page_csp_is_strict(annotate_page: Path) -> None:
    csp = _csp(annotate_page.read_text(encoding="utf-8"))
    assert "'unsafe-inline'" not in csp
    assert "default-src 'none'" in csp or "default-src 'self'" in csp
