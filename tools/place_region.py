"""Issue #16's region check: does ``rasid annotate`` find the places of Arabic texts about the region?

``tests/data/region/*.txt`` are short Arabic news-style texts written for rasid about crises
across the Arab world, Turkey and Iran (floods, strikes, protests, strikes from the air,
statements). ``expected.tsv`` there lists the provinces, cities and landmarks each names with
their country code, and everyday words that must not be places (سيول beside أمطار, الحالة
المطرية, رياض الأطفال, في مشهد يعيد…, وزارة, لقاح). Country names are not listed: every name of
every country of the gazetteer's own country list found in a text is expected as a place or
region mention with that country's code (the annotate page shows a country an actor mention
covers as a place of role ``actor``).

Three figures: country recall, province/city recall, and the precision of place and region
mentions (a mention is right when it covers an expected name or a country name of its code).

Usage: ``python tools/place_region.py [FOLDER] [--show]``.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rasid.annotate import annotation
from rasid.document import Article
from rasid.geo.gazetteer import gazetteer
from rasid.pipeline import annotate_article

FOLDER = Path(__file__).resolve().parents[1] / "tests" / "data" / "region"
_PLACE_KINDS = ("place", "region")
_CLITICS = "(?:[وف]?[بلك]?)"


@dataclass(frozen=True)
class Expected:
    file: str
    name: str
    country: str  # ISO code, or "-" for an everyday word
    kind: str  # province_city | word


@dataclass
class RegionScore:
    countries_right: int = 0
    countries: int = 0
    places_right: int = 0
    places: int = 0
    mentions_right: int = 0
    mentions: int = 0
    misses: list[str] = field(default_factory=list)

    def ratio(self, a: int, b: int) -> float:
        return a / b if b else 1.0

    def lines(self) -> list[str]:
        return [
            f"country recall        : {self.ratio(self.countries_right, self.countries):.3f}"
            f"  ({self.countries_right}/{self.countries})",
            f"province/city recall  : {self.ratio(self.places_right, self.places):.3f}  ({self.places_right}/{self.places})",
            f"place-mention precision: {self.ratio(self.mentions_right, self.mentions):.3f}"
            f"  ({self.mentions_right}/{self.mentions})",
        ]


def read_expected(folder: Path = FOLDER) -> list[Expected]:
    rows: list[Expected] = []
    lines = [
        ln for ln in (folder / "expected.tsv").read_text(encoding="utf-8").splitlines() if ln and ln[0] != "#"
    ]
    for ln in lines[1:]:
        file, name, country, kind = ln.split("\t")
        rows.append(Expected(file, name, country, kind))
    return rows


def annotate_folder(folder: Path = FOLDER) -> dict[str, dict[str, Any]]:
    """The annotation object of every text of ``folder``, by file stem."""
    out: dict[str, dict[str, Any]] = {}
    for path in sorted(folder.glob("*.txt")):
        doc = annotate_article(Article(id=path.stem, text=path.read_text(encoding="utf-8")))
        out[path.stem] = annotation(doc)
    return out


def occurrences(text: str, name: str) -> list[tuple[int, int]]:
    """Spans of ``name`` as a whole word (a و/ف/ب/ل/ك clitic allowed before it)."""
    pattern = rf"(?<![\w]){_CLITICS}({re.escape(name)})(?![\w])"
    return [(m.start(1), m.end(1)) for m in re.finditer(pattern, text)]


def country_names() -> list[tuple[str, str]]:
    """(Arabic name, ISO code) of every country of the gazetteer, longest names first."""
    names = {
        (n, p.country) for p in gazetteer().places if p.feature == "country" for n in p.names_ar if len(n) > 2
    }
    return sorted(names, key=lambda nc: (-len(nc[0]), nc))


def _covered(mentions: list[dict[str, Any]], span: tuple[int, int], country: str | None) -> bool:
    a, b = span
    return any(
        m["start"] < b and a < m["end"] and (country is None or m.get("country") == country) for m in mentions
    )


def _country_spans(text: str, taken: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []
    for name, code in country_names():
        for a, b in occurrences(text, name):
            if not any(x < b and a < y for x, y, *_ in [*taken, *spans]):
                spans.append((a, b, code))
    return spans


def score(annotations: dict[str, dict[str, Any]], expected: list[Expected]) -> RegionScore:
    s = RegionScore()
    for stem, ann in annotations.items():
        text = ann["text"]
        mentions = [m for m in ann["mentions"] if m["kind"] in _PLACE_KINDS]
        rows = [e for e in expected if e.file == stem]
        right: list[tuple[int, int, str]] = []
        for e in rows:
            spans = occurrences(text, e.name)
            if e.kind == "word":
                bad = [sp for sp in spans if _covered(mentions, sp, None)]
                s.misses += [f"{stem}: word {e.name} is a place" for _ in bad]
                continue
            s.places += 1
            ok = any(_covered(mentions, sp, e.country) for sp in spans)
            s.places_right += ok
            right += [(a, b, e.country) for a, b in spans]
            if not ok:
                s.misses.append(f"{stem}: {e.name} ({e.country}) not found")
        countries = _country_spans(text, [(a, b) for a, b, _ in right])
        for a, b, code in countries:
            s.countries += 1
            ok = _covered(mentions, (a, b), code)
            s.countries_right += ok
            if not ok:
                s.misses.append(f"{stem}: country {text[a:b]} ({code}) not a place")
        good = [*right, *countries]
        for m in mentions:
            s.mentions += 1
            if any(m["start"] < b and a < m["end"] and m.get("country") == c for a, b, c in good):
                s.mentions_right += 1
            else:
                s.misses.append(f"{stem}: wrong place {m['text']} ({m.get('country')})")
    return s


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", type=Path, default=FOLDER)
    ap.add_argument("--show", action="store_true", help="list the misses")
    args = ap.parse_args()
    s = score(annotate_folder(args.folder), read_expected(args.folder))
    print("\n".join(s.lines()))
    if args.show:
        print("\n".join(s.misses))


if __name__ == "__main__":
    main()
