"""The place index: Syrian places, hand-entered features and places abroad, loaded once.

Three data files feed it (see ``rasid/data/LICENSES.md`` for their sources):
``places.tsv`` (built from OCHA/GeoNames by ``tools/build_gazetteer.py``),
``features.tsv`` (air bases, dams, regions, neighbourhoods... entered by hand)
and ``foreign_places.tsv`` (countries, capitals, regional cities). Every name
of every entry goes into one :class:`~rasid.knowledge.matcher.PhraseMatcher`
whose payloads are indexes into :attr:`Gazetteer.places`, so a single scan of a
document finds every candidate; choosing among same-name candidates is the job
of :mod:`rasid.geo.places`.

Building the matcher takes well under a second, so the index is simply cached
in memory with :func:`functools.lru_cache` (no on-disk cache to go stale).

Near spellings (:meth:`Gazetteer.near_matches`, :func:`near_match_at`): a name
the news writes a little differently from the gazetteer (article added or
dropped inside a compound, glued or split, final ا/ة/ه, one letter more, less
or different) is read as that place when exactly one place fits. The rules are
in ``rasid/data/near_names.yaml``; the index of spelling skeletons is built on
the first near lookup.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rasid.knowledge.loader import load_yaml, read_tsv
from rasid.knowledge.matcher import Match, PhraseMatcher
from rasid.text.fold import fold_phrase, fold_set
from rasid.text.tokens import Token, clitic_variants


@dataclass(slots=True)
class Place:
    """One gazetteer entry (a town, a feature, a country...)."""

    id: str
    name: str  # English
    name_ar: str
    names_ar: tuple[str, ...]  # every Arabic name, name_ar first
    lat: float
    lon: float
    feature: str  # capital|city|town|village|airbase|river|country|...
    population: int
    country: str  # ISO 3166-1 alpha-2
    admin1: str | None = None
    admin1_ar: str | None = None
    admin2: str | None = None
    admin2_ar: str | None = None
    source: str = "places"  # places|features|foreign
    common: dict[str, float] = field(default_factory=dict)  # folded name -> Zipf frequency

    def data(self) -> dict[str, Any]:
        """The mention data keys of the SPEC (geo_precision and near are added by the caller)."""
        return {
            "gazetteer_id": self.id,
            "name": self.name,
            "name_ar": self.name_ar,
            "admin1": self.admin1,
            "admin2": self.admin2,
            "country": self.country,
            "lat": round(self.lat, 4),
            "lon": round(self.lon, 4),
            "feature": self.feature,
        }


@dataclass(frozen=True)
class Governorate:
    pcode: str
    admin1: str
    admin1_ar: str
    lat: float
    lon: float
    place_id: str | None  # the governorate row of places.tsv


class Gazetteer:
    """All places, a matcher over their names, and the governorate table."""

    def __init__(self) -> None:
        self.places: list[Place] = []
        self.by_id: dict[str, int] = {}
        self.matcher = PhraseMatcher(allow_article_drop=True)
        self.governorates: dict[str, Governorate] = {}  # admin1 -> governorate
        self.admin_names = PhraseMatcher()  # governorate names -> admin1
        self._near: NearIndex | None = None  # built on the first near lookup

    def add(self, place: Place) -> None:
        idx = len(self.places)
        self.places.append(place)
        self.by_id[place.id] = idx
        for n in place.names_ar:
            self.matcher.add(n, idx)

    def get(self, place_id: str) -> Place | None:
        idx = self.by_id.get(place_id)
        return None if idx is None else self.places[idx]

    def lookup(self, name: str) -> list[Place]:
        """Entries called ``name`` (folded; with or without the article)."""
        key = fold_phrase(name)
        found = self.matcher.lookup(key)
        if not found and key.startswith("ال"):
            found = self.matcher.lookup(key[2:])
        return [self.places[i] for i in found]

    def near_index(self) -> NearIndex:
        """The spelling-skeleton index of the Syrian entries (built once)."""
        if self._near is None:
            self._near = NearIndex(self.places)
        return self._near

    def near_matches(self, folded_name: str, one_edit: bool = True) -> list[Place]:
        """The entries ``folded_name`` is a near spelling of, when they are one place; else [].

        A name that is itself in the gazetteer has no near reading (the exact
        entries win). ``كوم الباش`` -> كوم الباشا, ``معرة الصين`` -> معرة صين,
        ``معرزيتا`` -> معر زيتة, ``الولغة`` -> ولغا.
        """
        if self.lookup(folded_name) or is_common_word(folded_name):
            return []
        rules = near_rules()
        key = near_key(folded_name)
        if len(key) < rules.min_letters:
            return []
        index = self.near_index()
        found = index.exact(key)
        if not found and one_edit and len(key) >= rules.min_letters_one_edit:
            found = index.one_edit(key)
        places = [self.places[i] for i in found]
        return places if one_place(places, rules.same_place_km) else []


@dataclass(frozen=True)
class NearRules:
    """``rasid/data/near_names.yaml``: which spelling differences a near match forgives."""

    article: str
    final_letters: frozenset[str]
    final_as: str
    min_letters: int
    min_letters_one_edit: int
    same_place_km: float


@lru_cache(maxsize=1)
def near_rules() -> NearRules:
    y = load_yaml("near_names.yaml")
    return NearRules(
        article=str(y["article"]),
        final_letters=fold_set(y["final_letters"]),
        final_as=fold_phrase(y["final_letters"][0]),
        min_letters=int(y["min_letters"]),
        min_letters_one_edit=int(y["min_letters_one_edit"]),
        same_place_km=float(y["same_place_km"]),
    )


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Frequent Arabic words, folded (``common_words.tsv``, built from wordfreq)."""
    return frozenset(r["word"] for _, r in read_tsv("common_words.tsv", required=("word",)))


def is_common_word(folded: str) -> bool:
    """A one-word name that is a frequent word, with or without the article (عديدة، القريبة)."""
    if " " in folded:
        return False
    art = near_rules().article
    bare = folded[len(art) :] if folded.startswith(art) else folded
    words = common_words()
    return folded in words or bare in words or art + bare in words


def near_key(folded: str) -> str:
    """A folded name's spelling skeleton: each word without the article, glued, one final letter.

    ``كفر نبل`` and ``كفرنبل`` -> ``كفرنبل``; ``معرة الصين`` -> ``معرهصين``; ``ولغا`` and
    ``الولغه`` -> ``ولغ`` + the first of the final letters.
    """
    rules = near_rules()
    art = rules.article
    words = [w[len(art) :] if w.startswith(art) and len(w) > len(art) + 2 else w for w in folded.split()]
    key = "".join(words)
    if key and key[-1] in rules.final_letters:
        key = key[:-1] + rules.final_as
    return key


def _deletions(key: str) -> list[str]:
    """``key`` with one letter removed, every way (the symmetric-delete trick)."""
    return [key[:k] + key[k + 1 :] for k in range(len(key))]


def within_one_edit(a: str, b: str) -> bool:
    """True when ``b`` is ``a`` with at most one letter inserted, removed or replaced."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:k] + long[k + 1 :] == short for k in range(len(long)))


class NearIndex:
    """Spelling skeletons of the Syrian entries' names, and their one-deletion forms."""

    def __init__(self, places: list[Place]) -> None:
        self.keys: dict[str, list[int]] = {}  # skeleton -> entry indexes
        self.deleted: dict[str, list[str]] = {}  # skeleton minus one letter -> skeletons
        for i, p in enumerate(places):
            if p.country != "SY" or p.feature in ("country", "governorate", "district"):
                continue
            for n in p.names_ar:
                k = near_key(fold_phrase(n))
                entries = self.keys.setdefault(k, [])
                if i not in entries:
                    entries.append(i)
        for k in sorted(self.keys):
            for d in _deletions(k):
                self.deleted.setdefault(d, []).append(k)

    def exact(self, key: str) -> list[int]:
        """Entries whose skeleton is ``key``."""
        return list(self.keys.get(key, ()))

    def one_edit(self, key: str) -> list[int]:
        """Entries whose skeleton is one letter away from ``key`` (sorted skeletons, then entries)."""
        cands: set[str] = set(self.deleted.get(key, ()))
        for d in _deletions(key):
            if d in self.keys:
                cands.add(d)
            cands.update(self.deleted.get(d, ()))
        out: list[int] = []
        for k in sorted(cands):
            if within_one_edit(key, k):
                out.extend(i for i in self.keys[k] if i not in out)
        return out


def one_place(places: list[Place], km: float) -> bool:
    """True when ``places`` is not empty and every entry lies within ``km`` of the first."""
    if not places:
        return False
    p0 = places[0]
    return all(haversine_km(p0.lat, p0.lon, p.lat, p.lon) <= km for p in places[1:])


def near_match_at(tokens: list[Token], i: int, max_tokens: int = 2) -> Match | None:
    """A near spelling of a gazetteer name starting at token ``i`` (its clitics read off), or None.

    The longest reading wins: two tokens (``معرة الصين``) before one. The
    payloads are gazetteer indexes, as in :attr:`Gazetteer.matcher`; the
    caller decides whether the slot is a place slot at all (a class word before
    it), since a near reading of an arbitrary word is no evidence of a place.
    """
    gz = gazetteer()
    for n in range(min(max_tokens, len(tokens) - i), 0, -1):
        span = tokens[i : i + n]
        if any(not t.joined for t in span[1:]):
            continue
        rest = [t.text for t in span[1:]]
        readings = clitic_variants(span[0].text)
        # the same skeleton first (any reading), then one edit away, clitics off first:
        # ومعرزيتا is معرزيتا with a conjunction, not a one-letter variant of it
        for one_edit, order in ((False, readings), (True, readings[::-1])):
            for v in order:
                name = " ".join([v.text, *rest])
                found = gz.near_matches(name, one_edit=one_edit)
                if found:
                    payloads = tuple(gz.by_id[p.id] for p in found)
                    start = span[0].start + v.skip
                    key = tuple(name.split())
                    return Match(i, i + n, start, span[-1].end, key, payloads, v.stripped, v.no_article)
    return None


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def _names(row: dict[str, str]) -> tuple[str, ...]:
    out = [row["name_ar"]] if row["name_ar"] else []
    for n in row.get("alt_names_ar", "").split("|"):
        if n and n not in out:
            out.append(n)
    return tuple(out)


def _common(field_value: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for item in field_value.split("|") if field_value else ():
        name, _, z = item.rpartition("=")
        if name:
            out[fold_phrase(name)] = float(z)
    return out


def _opt(v: str) -> str | None:
    return v or None


def _row_place(r: dict[str, str], *, feature: str, country: str, source: str) -> Place:
    """One gazetteer row as a Place; the three data files share these columns (some optional)."""
    no_admin2 = feature == "governorate"
    return Place(
        id=r["id"],
        name=r["name_en"] or r["name_ar"],
        name_ar=r["name_ar"],
        names_ar=_names(r),
        lat=float(r["lat"]),
        lon=float(r["lon"]),
        feature=feature,
        population=int(r.get("population") or 0),
        country=country,
        admin1=_opt(r.get("admin1", "")),
        admin1_ar=_opt(r.get("admin1_ar", "")),
        admin2=None if no_admin2 else _opt(r.get("admin2", "")),
        admin2_ar=None if no_admin2 else _opt(r.get("admin2_ar", "")),
        source=source,
        common=_common(r.get("common", "")),
    )


def _load_places(gz: Gazetteer) -> None:
    for _, r in read_tsv("places.tsv", required=("id", "name_ar", "lat", "lon")):
        gz.add(_row_place(r, feature=r["feature_type"], country="SY", source="places"))


def _load_features(gz: Gazetteer) -> None:
    for _, r in read_tsv("features.tsv", required=("id", "name_ar", "feature", "lat", "lon", "country")):
        gz.add(_row_place(r, feature=r["feature"], country=r["country"], source="features"))


def _load_foreign(gz: Gazetteer) -> None:
    for _, r in read_tsv("foreign_places.tsv", required=("id", "name_ar", "lat", "lon", "country")):
        # foreign rows carry no admin columns: Place keeps its None defaults
        gz.add(_row_place(r, feature=r["feature_type"], country=r["country"], source="foreign"))


def _load_governorates(gz: Gazetteer) -> None:
    regions = load_yaml("regions.yaml")
    gov_rows = {p.admin1: p for p in gz.places if p.feature == "governorate"}
    for g in regions["governorates"]:
        row = gov_rows.get(g["admin1"])
        gov = Governorate(
            pcode=g["pcode"],
            admin1=g["admin1"],
            admin1_ar=g["admin1_ar"],
            lat=row.lat if row else float(g["lat"]),
            lon=row.lon if row else float(g["lon"]),
            place_id=row.id if row else None,
        )
        gz.governorates[g["admin1"]] = gov
        for n in [g["admin1_ar"], *g["names"], *g["region_names"]]:
            gz.admin_names.add(n, g["admin1"])


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The shared index (built on first use)."""
    gz = Gazetteer()
    _load_places(gz)
    _load_features(gz)
    _load_foreign(gz)
    _load_governorates(gz)
    return gz
