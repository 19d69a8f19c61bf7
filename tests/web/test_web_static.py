"""The UI's shipped files, checked without a browser: what the strict CSP needs of the HTML and scripts
(no inline script or style, no ``style=`` or ``on*=`` attributes, no HTML built from strings), the two
languages' strings, the basemap's size and names, and the vendored libraries' licences."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

STATIC = Path(str(resources.files("rasid.web") / "static"))


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.refs: list[str] = []
        self._inline = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        for name, _ in attrs:
            if name == "style" or name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
        if tag == "style":
            self.problems.append("<style> element")
        if tag == "script":
            if "src" not in names:
                self._inline = "script"
            else:
                self.refs.append(str(names["src"]))
        if tag == "link" and names.get("rel") == "stylesheet":
            self.refs.append(str(names["href"]))

    def handle_data(self, data: str) -> None:
        if self._inline and data.strip():
            self.problems.append(f"inline <{self._inline}>")

    def handle_endtag(self, tag: str) -> None:
        self._inline = ""


def test_index_html_fits_the_strict_csp() -> None:
    parser = _Tags()
    parser.feed((STATIC / "index.html").read_text(encoding="utf-8"))
    assert parser.problems == []
    assert parser.refs, "no scripts or stylesheets found"
    for ref in parser.refs:
        assert ref.startswith("/static/"), f"{ref}: assets come from the same origin, never a CDN"
        assert (STATIC / ref.removeprefix("/static/")).is_file(), f"{ref} is not shipped"


def test_scripts_never_build_html_from_strings() -> None:
    forbidden = re.compile(
        r"innerHTML|outerHTML\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function"
    )
    for js in sorted((STATIC / "js").glob("*.js")):
        for n, line in enumerate(js.read_text(encoding="utf-8").splitlines(), 1):
            if line.lstrip().startswith("//"):
                continue
            assert not forbidden.search(line), f"{js.name}:{n}: {line.strip()}"
            assert 'setAttribute("style"' not in line and "setAttribute('style'" not in line


def test_both_languages_have_the_same_strings() -> None:
    en = json.loads((STATIC / "i18n" / "en.json").read_text(encoding="utf-8"))
    ar = json.loads((STATIC / "i18n" / "ar.json").read_text(encoding="utf-8"))
    assert set(en) == set(ar)
    assert all(isinstance(v, str) and v.strip() for v in [*en.values(), *ar.values()])
    used = set()
    for path in [STATIC / "index.html", *(STATIC / "js").glob("*.js")]:
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r'data-i18n(?:-ph)?="([^"]+)"', text))
        used |= set(re.findall(r'\bt\("([a-z0-9_.]+)"', text))
    assert used and used <= set(en), f"strings used but missing: {sorted(used - set(en))}"


def test_basemap_is_small_and_named_in_both_languages() -> None:
    files = [STATIC / "basemap" / "adm1.geojson", STATIC / "basemap" / "adm2.geojson"]
    assert sum(f.stat().st_size for f in files) < 400_000
    counts = []
    for f in files:
        data = json.loads(f.read_text(encoding="utf-8"))
        counts.append(len(data["features"]))
        for feature in data["features"]:
            p = feature["properties"]
            assert p["name_en"] and p["name_ar"] and p["pcode"].startswith("SY")
            assert re.search("[\u0600-\u06ff]", p["name_ar"])
            lon, lat = p["label"]
            assert 35 <= lon <= 43 and 32 <= lat <= 38
    assert counts == [14, 62]


def test_vendored_libraries_keep_their_licences() -> None:
    vendor = STATIC / "vendor"
    assert (vendor / "leaflet" / "LICENSE").is_file()
    assert (vendor / "markercluster" / "MIT-LICENCE.txt").is_file()
    readme = (vendor / "README.md").read_text(encoding="utf-8")
    assert "1.9.4" in readme and "1.5.3" in readme
