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
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rasid.knowledge.loader import load_yaml, read_tsv
from rasid.knowledge.matcher import PhraseMatcher
from rasid.text.fold import fold_phrase


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
