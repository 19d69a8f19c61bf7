"""Issue #16's measure: is the governorate right for the gazetteer's own places in plain frames?

Sentences are built MECHANICALLY from the gazetteer, not written by hand: every Syrian
place with a population or an administrative role (city, town, capital) is put into a
few sentence frames (the object of قصفت with no preposition, after a settlement word,
after في, inside a list between its two nearest neighbours), once bare and once with
its governorate ("في ريف X"). A frame is right when a place mention overlapping the
name resolves to the entry's governorate (admin1).

Three checks on spelling and common words use the same frames:
``no_article`` (the name without the article its entry has: قامشلي for القامشلي),
``final_h`` (final ة written ه: الاشرفيه) and ``common`` (names flagged as common
words, such as الباب or التل, in a clear place slot: after a settlement word or في).

Usage: ``python tools/place_probes.py [--every N] [--show K]``; ``--every N`` keeps one
place in N (deterministic) for a quick run.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from rasid.document import Article, Document
from rasid.geo.gazetteer import Place, gazetteer, haversine_km
from rasid.geo.places import find_places, words
from rasid.knowledge.actors import find_actors
from rasid.text.fold import fold_phrase

_SETTLEMENT = {"city": "مدينة", "capital": "مدينة", "town": "بلدة"}


@dataclass
class Tally:
    right: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, ok: bool, line: str) -> None:
        self.total += 1
        self.right += ok
        if not ok:
            self.misses.append(line)

    @property
    def rate(self) -> float:
        return self.right / self.total if self.total else 0.0


def probe_places() -> list[Place]:
    """Syrian gazetteer places with a population or an administrative role, in file order."""
    return [
        p
        for p in gazetteer().places
        if p.country == "SY"
        and p.source == "places"
        and p.admin1
        and (p.population > 0 or p.feature in ("capital", "city", "town"))
    ]


def _neighbours(p: Place, pool: list[Place]) -> list[Place]:
    """The two nearest other places of the pool (the list frame's other items)."""
    others = [q for q in pool if q.name_ar != p.name_ar and q.admin1 == p.admin1]
    others.sort(key=lambda q: (haversine_km(p.lat, p.lon, q.lat, q.lon), q.id))
    return others[:2]


def _gov_ar(p: Place) -> str:
    gov = gazetteer().governorates.get(p.admin1 or "")
    return gov.admin1_ar if gov is not None else ""


def _context(p: Place) -> str:
    gov = _gov_ar(p)
    if p.admin1 == "Damascus":
        return " في محافظة دمشق"
    if gov.startswith("ريف"):
        return f" في {gov}"
    return f" في ريف {gov}" if gov else ""


Frame = Callable[[str, Place, list[Place]], str]


def _object(name: str, p: Place, near: list[Place]) -> str:
    return f"قصفت قوات النظام {name}"


def _settlement(name: str, p: Place, near: list[Place]) -> str:
    return f"قصفت قوات النظام {_SETTLEMENT.get(p.feature, 'قرية')} {name}"


def _after_fi(name: str, p: Place, near: list[Place]) -> str:
    return f"اندلعت اشتباكات عنيفة في {name}"


def _in_list(name: str, p: Place, near: list[Place]) -> str:
    items = [q.name_ar for q in near[:1]] + [name] + [q.name_ar for q in near[1:2]]
    return "قصفت الطائرات الحربية " + " و".join(items)


FRAMES: dict[str, Frame] = {
    "object": _object,
    "settlement": _settlement,
    "after_fi": _after_fi,
    "list": _in_list,
}


def governorate_right(sentence: str, name: str, admin1: str) -> bool:
    """A place/region mention over ``name`` in ``sentence`` resolves to ``admin1``."""
    doc = Document(Article(id="probe", text=sentence))
    find_actors(doc)
    find_places(doc)
    a = sentence.index(name)
    b = a + len(name)
    hits = [m for m in doc.mentions if m.kind in ("place", "region") and m.start < b and a < m.end]
    return any(m.data.get("admin1") == admin1 for m in hits)


def _variants(p: Place) -> Iterator[tuple[str, str]]:
    """``(check, spelling)``: the spelling checks that apply to this place's name."""
    name = p.name_ar
    if name.startswith("ال") and len(name) > 4 and " " not in name:
        yield "no_article", name[2:]
    if name.endswith("ة"):
        yield "final_h", name[:-1] + "ه"
    key = fold_phrase(name)
    w = words()
    if p.common or key in w.stop or key in w.needs_context:
        yield "common", name


def run(places: list[Place]) -> tuple[dict[str, Tally], dict[str, Tally]]:
    frames: dict[str, Tally] = {}
    checks: dict[str, Tally] = {}
    for p in places:
        near = _neighbours(p, places)
        admin1 = p.admin1 or ""
        for fname, frame in FRAMES.items():
            for ctx_name, ctx in (("bare", ""), ("context", _context(p))):
                sent = frame(p.name_ar, p, near) + ctx + "."
                ok = governorate_right(sent, p.name_ar, admin1)
                frames.setdefault(f"{fname}/{ctx_name}", Tally()).add(ok, f"{admin1}\t{sent}")
                frames.setdefault(ctx_name, Tally()).add(ok, f"{admin1}\t{sent}")
        for check, spelling in _variants(p):
            slot_frames = ("settlement", "after_fi") if check == "common" else ("after_fi", "list")
            for fname in slot_frames:
                sent = FRAMES[fname](spelling, p, near) + _context(p) + "."
                ok = governorate_right(sent, spelling, admin1)
                checks.setdefault(check, Tally()).add(ok, f"{admin1}\t{sent}")
    return frames, checks


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Governorate accuracy on sentences built from the gazetteer")
    ap.add_argument("--every", type=int, default=1, help="keep one place in N")
    ap.add_argument("--show", type=int, default=0, help="print K misses of each frame")
    args = ap.parse_args(argv)
    places = probe_places()[:: max(1, args.every)]
    t0 = time.perf_counter()
    frames, checks = run(places)
    print(f"places: {len(places)}  ({time.perf_counter() - t0:.0f} s)")
    for name in ("context", "bare"):
        t = frames[name]
        print(f"governorate right, {name:8}: {t.rate:.3f}  ({t.right}/{t.total})")
    for name, t in sorted(frames.items()):
        if "/" in name:
            print(f"  {name:20} {t.rate:.3f}  ({t.right}/{t.total})")
    for name, t in sorted(checks.items()):
        print(f"check {name:14} {t.rate:.3f}  ({t.right}/{t.total})")
    if args.show:
        for name, t in sorted({**frames, **checks}.items()):
            if "/" in name or name in checks:
                for line in t.misses[: args.show]:
                    print(f"MISS {name}\t{line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
