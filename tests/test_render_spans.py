"""The annotate page shows the rule behind each field (the record's "spans") and runs under a
Content-Security-Policy without 'unsafe-inline': its one style and one script are allowed by hash."""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from rasid.annotate import annotation
from rasid.document import Article
from rasid.pipeline import annotate_article
from rasid.render import html as html_module
from rasid.render import render_html
from rasid.render.html import FIELD_LABELS

TEXT = (
    "قصف مدفعي على ريف إدلب\n"
    "قالت مصادر محلية إن قوات النظام قصفت يوم الأحد بلدة كفرنبل بقذائف المدفعية، ما أدى إلى مقتل ثلاثة مدنيين."
)


class Page(HTMLParser):
    """Every element's attributes, the text of <style> and <script>, and the text inside each span.sp."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.blocks: dict[str, list[str]] = {"style": [], "script": []}
        self.field_text: dict[str, str] = {}
        self._open: list[tuple[str, str | None]] = []  # (tag, data-sp of an open span.sp)
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.elements.append((tag, a))
        if tag in self.blocks:
            self._in = tag
            self.blocks[tag].append("")
        if tag != "meta":
            self._open.append((tag, a.get("data-sp") if a.get("class") == "sp" else None))

    def handle_endtag(self, tag: str) -> None:
        self._in = None
        self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._in is not None:
            self.blocks[self._in][-1] += data
        for _, sp in self._open:
            if sp is not None:
                self.field_text[sp] = self.field_text.get(sp, "") + data


def _page() -> tuple[str, Page, dict[str, Any]]:
    ann = annotation(annotate_article(Article(id="k", text=TEXT)))
    html = render_html([ann])
    page = Page()
    page.feed(html)
    return html, page, ann


def _sha256(block: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(block.encode("utf-8")).digest()).decode() + "'"


def test_csp_allows_the_page_style_and_script_by_hash_and_nothing_inline() -> None:
    _, page, _ = _page()
    csp = next(a["content"] for tag, a in page.elements if tag == "meta" and a.get("http-equiv"))
    assert csp is not None and "unsafe-inline" not in csp
    (script,), (style,) = page.blocks["script"], page.blocks["style"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == _sha256(script)
    assert directives["style-src"] == _sha256(style)


def test_no_inline_handlers_or_style_attributes() -> None:
    _, page, _ = _page()
    for tag, attrs in page.elements:
        for name in attrs:
            assert not name.startswith("on") and name != "style", (tag, name)


def test_each_event_lists_its_fields_with_the_rule_and_the_words_they_light() -> None:
    html, page, ann = _page()
    (event,) = ann["events"]
    assert {"event_type", "actor1", "location", "fatalities", "date", "claim"} <= set(event["spans"])
    for key, span in event["spans"].items():
        sp = f"a0-e0-{key}"
        row = re.search(rf'<div class="row" data-sp="{sp}">(.*?)</div>', html)
        assert row is not None, key
        assert FIELD_LABELS[key] in row.group(1) and f"<code>{span['rule']}</code>" in row.group(1)
        # the words in the text that the row lights are the field's own words
        assert page.field_text[sp] == TEXT[span["start"] : span["end"]] == span["text"]


def test_a_hostile_rule_name_or_field_key_renders_as_text() -> None:
    ann = annotation(annotate_article(Article(id="k", text=TEXT)))
    ann["events"][0]["spans"]["actor1"]["rule"] = "<script>alert(1)</script>"
    ann["events"][0]["spans"]['"><script>'] = {"start": 0, "end": 3, "text": "x", "rule": "y"}
    page = Page()
    page.feed(render_html([ann]))
    assert len(page.blocks["script"]) == 1 and "alert" not in page.blocks["script"][0]


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _dom(page: str, tmp_path: Path) -> str:
    """The page's DOM after its scripts ran, in Debian's headless chromium."""
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    args = [str(_chromium()), "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", path.as_uri()]
    return subprocess.run(args, capture_output=True, text=True, timeout=120, check=True).stdout


@pytest.mark.skipif(_chromium() is None, reason="no chromium to load the page in")
def test_a_browser_runs_the_page_script_by_its_hash_and_no_other(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the page's script replaced by a probe that leaves a mark: the policy is computed for it
    monkeypatch.setattr(html_module, "_SCRIPT", "document.body.setAttribute('data-ran', 'yes');")
    ann = annotation(annotate_article(Article(id="k", text=TEXT)))
    page = render_html([ann])
    assert 'data-ran="yes"' in _dom(page, tmp_path)
    # a script the policy does not name (as if one slipped through escaping) does not run
    stray = page.replace(
        "</main>", "<script>document.body.setAttribute('data-stray', 'yes');</script></main>"
    )
    dom = _dom(stray, tmp_path)
    assert 'data-ran="yes"' in dom and "data-stray" not in dom.split("<body", 1)[1].split(">", 1)[0]
