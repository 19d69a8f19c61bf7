"""Exports of stored events: JSONL, GeoJSON, ACLED-style CSV and Parquet.

The CSV uses ACLED's column names and value conventions (event and sub-event
type labels as ACLED spells them, numeric interaction codes, time and geo
precision 1-3), so code written for ACLED exports loads it unchanged. ``admin3``
is the sub-district of a gazetteer place (data/admin3.tsv), ``source_scale``
the outlet's scale from a rough hand-made table (data/outlets.tsv, see
rasid.store.outlets); both are empty where those do not know. Every
format also carries what ACLED has no column for: url, outlet, published and
incident_id (and the full SPEC record in JSONL, GeoJSON and Parquet).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

from rasid.store.outlets import source_scale
from rasid.store.places import admin3_of

FORMATS = ("jsonl", "geojson", "csv", "parquet")

ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)
# after ACLED's columns in CSV and Parquet: where each row came from
EXTRA_COLUMNS = ("url", "outlet", "published", "incident_id", "article_id")

EVENT_TYPES = {
    "battles": "Battles",
    "explosions_remote_violence": "Explosions/Remote violence",
    "violence_against_civilians": "Violence against civilians",
    "protests": "Protests",
    "riots": "Riots",
    "strategic_developments": "Strategic developments",
}
SUB_EVENT_TYPES = {
    "armed_clash": "Armed clash",
    "government_regains_territory": "Government regains territory",
    "non_state_actor_overtakes_territory": "Non-state actor overtakes territory",
    "air_drone_strike": "Air/drone strike",
    "shelling_artillery_missile_attack": "Shelling/artillery/missile attack",
    "remote_explosive_landmine_ied": "Remote explosive/landmine/IED",
    "suicide_bomb": "Suicide bomb",
    "grenade": "Grenade",
    "chemical_weapon": "Chemical weapon",
    "attack": "Attack",
    "abduction_forced_disappearance": "Abduction/forced disappearance",
    "sexual_violence": "Sexual violence",
    "peaceful_protest": "Peaceful protest",
    "protest_with_intervention": "Protest with intervention",
    "excessive_force_against_protesters": "Excessive force against protesters",
    "violent_demonstration": "Violent demonstration",
    "mob_violence": "Mob violence",
    "agreement": "Agreement",
    "arrests": "Arrests",
    "change_to_group_activity": "Change to group/activity",
    "disrupted_weapons_use": "Disrupted weapons use",
    "headquarters_or_base_established": "Headquarters or base established",
    "looting_property_destruction": "Looting/property destruction",
    "non_violent_transfer_of_territory": "Non-violent transfer of territory",
    "other": "Other",
}
# ACLED's numeric actor categories (inter1/inter2), from the actor inventory's kinds (ACLED's codebook:
# 1 state forces, 2 rebel groups, 3 political militias, 4 identity militias, 5 rioters, 6 protesters,
# 7 civilians, 8 external/other forces). State-side kinds are decided by country, see _inter.
INTER_CODES = {
    "state_forces": 1,
    "government": 1,
    "rebel_group": 2,
    "political_militia": 3,
    "unidentified": 3,  # ACLED codes unidentified armed groups as political militias
    "identity_militia": 4,
    "rioters": 5,
    "protesters": 6,
    "civilians": 7,
    "external_forces": 8,
}
_STATE_KINDS = ("state_forces", "government")
# ISO 3166 numeric code, ACLED country name and region for the countries the gazetteer covers
COUNTRIES = {
    "SY": (760, "Syria", "Middle East"),
    "IQ": (368, "Iraq", "Middle East"),
    "TR": (792, "Turkey", "Middle East"),
    "LB": (422, "Lebanon", "Middle East"),
    "JO": (400, "Jordan", "Middle East"),
    "IL": (376, "Israel", "Middle East"),
    "PS": (275, "Palestine", "Middle East"),
    "IR": (364, "Iran", "Middle East"),
    "SA": (682, "Saudi Arabia", "Middle East"),
    "EG": (818, "Egypt", "Northern Africa"),
}
_TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3}


def _disorder_type(event_type: str, sub_event_type: str) -> str:
    if sub_event_type in ("excessive_force_against_protesters", "mob_violence"):
        return "Political violence; Demonstrations"
    if event_type in ("protests", "riots"):
        return "Demonstrations"
    if event_type == "strategic_developments":
        return "Strategic developments"
    return "Political violence"


def _actor(actor: dict[str, Any] | None) -> Any:
    if not actor:
        return None
    from rasid.knowledge.actors import actor_by_id

    try:
        return actor_by_id(actor["id"])
    except KeyError:
        return None


def _inter(actor: Any, country: str | None) -> int | None:
    """ACLED's inter code of an actor where the event happened.

    ACLED codes a state's forces and government as state forces (1) in their
    own country and as external forces (8) outside it, so one inventory entry
    gets either code: the Israeli military striking in Syria is 8, the Syrian
    army in Syria 1, the Syrian army in Lebanon 8. A country's military that
    the inventory files as foreign (``external_forces``, ids ``*_MIL``) is 1 at
    home. Private military companies and coalitions stay 8. Where the event's
    country is unknown the inventory's kind decides.
    """
    if actor is None:
        return None
    code = INTER_CODES.get(actor.kind)
    state = actor.kind in _STATE_KINDS or (actor.kind == "external_forces" and actor.id.endswith("_MIL"))
    if state and actor.country and country:
        return 1 if actor.country == country else 8
    return code


def _interaction(inter1: int | None, inter2: int | None) -> int | None:
    """Two actors: both codes, the lower first (12, 17, 28); one actor: its code then 0 (10, 60)."""
    if inter1 is None:
        return None
    if inter2 is None:
        return inter1 * 10
    return int(f"{min(inter1, inter2)}{max(inter1, inter2)}")


def _timestamp(ingested_at: str | None) -> int | None:
    if not ingested_at:
        return None
    return int(dt.datetime.fromisoformat(ingested_at).timestamp())


def acled_row(r: dict[str, Any]) -> dict[str, Any]:
    """One stored record as an ACLED row (plus :data:`EXTRA_COLUMNS`); unknown values are None."""
    date = r.get("date") or {}
    loc = r.get("location") or {}
    fat = r.get("fatalities") or {}
    claim = r.get("claim") or {}
    a1, a2 = r.get("actor1"), r.get("actor2")
    e1, e2 = _actor(a1), _actor(a2)
    inter1, inter2 = _inter(e1, loc.get("country")), _inter(e2, loc.get("country"))
    interaction = _interaction(inter1, inter2)
    k2 = e2.kind if e2 is not None else None
    start = date.get("start")
    country = COUNTRIES.get(loc.get("country") or "")
    sources = [s for s in (r.get("outlet"), claim.get("source")) if s]
    civilian = r["event_type"] == "violence_against_civilians" or k2 == "civilians"
    return {
        "event_id_cnty": r["event_id"],
        "event_date": start,
        "year": int(start[:4]) if start else None,
        "time_precision": _TIME_PRECISION.get(date.get("precision") or "") if start else None,
        "disorder_type": _disorder_type(r["event_type"], r["sub_event_type"]),
        "event_type": EVENT_TYPES.get(r["event_type"], r["event_type"]),
        "sub_event_type": SUB_EVENT_TYPES.get(r["sub_event_type"], r["sub_event_type"]),
        "actor1": a1["name"] if a1 else None,
        "assoc_actor_1": "; ".join(a["name"] for a in r.get("assoc_actors") or [] if a.get("name")) or None,
        "inter1": inter1,
        "actor2": a2["name"] if a2 else None,
        "assoc_actor_2": None,
        "inter2": inter2,
        "interaction": interaction,
        "civilian_targeting": "Civilian targeting" if civilian else None,
        "iso": country[0] if country else None,
        "region": country[2] if country else None,
        "country": country[1] if country else loc.get("country"),
        "admin1": loc.get("admin1"),
        "admin2": loc.get("admin2"),
        "admin3": admin3_of(loc.get("gazetteer_id")),
        "location": loc.get("name") or loc.get("name_ar"),
        "latitude": loc.get("lat"),
        "longitude": loc.get("lon"),
        "geo_precision": loc.get("geo_precision"),
        "source": "; ".join(dict.fromkeys(sources)) or None,
        "source_scale": source_scale(r.get("outlet"), r.get("url")),
        "notes": r.get("notes"),
        "fatalities": fat.get("killed") or 0,
        "tags": "contested" if claim.get("contested") else None,
        "timestamp": _timestamp(r.get("ingested_at")),
        "url": r.get("url"),
        "outlet": r.get("outlet"),
        "published": r.get("published"),
        "incident_id": r.get("incident_id"),
        "article_id": r.get("article_id"),
    }


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def write_jsonl(records: Iterable[dict[str, Any]], fh: IO[str]) -> int:
    n = 0
    for r in records:
        fh.write(_dumps(r) + "\n")
        n += 1
    return n


def geojson_pieces(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    """A FeatureCollection (RFC 7946) a feature at a time, so a million events never sit in memory;
    an event with no coordinates has a null geometry. ``rasid events`` and the HTTP export write these."""
    yield '{"type":"FeatureCollection","features":['
    n = 0
    for r in records:
        loc = r.get("location") or {}
        geometry = None
        if loc.get("lat") is not None and loc.get("lon") is not None:
            geometry = {"type": "Point", "coordinates": [loc["lon"], loc["lat"]]}
        feature = {"type": "Feature", "id": r["event_id"], "geometry": geometry, "properties": r}
        yield ("," if n else "") + "\n" + _dumps(feature)
        n += 1
    yield "\n]}\n"


def write_geojson(records: Iterable[dict[str, Any]], fh: IO[str]) -> int:
    """The FeatureCollection of :func:`geojson_pieces`, written as it goes; the number of features."""
    n = -2  # the opening and closing pieces are no features
    for piece in geojson_pieces(records):
        fh.write(piece)
        n += 1
    return n


def write_table(rows: Iterable[dict[str, Any]], columns: Sequence[str], fh: IO[str]) -> int:
    """Rows as CSV under a header of ``columns``; the number of rows written."""
    writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow(row)
        n += 1
    return n


def write_csv(records: Iterable[dict[str, Any]], fh: IO[str]) -> int:
    return write_table((acled_row(r) for r in records), ACLED_COLUMNS + EXTRA_COLUMNS, fh)


def write_parquet(records: Iterable[dict[str, Any]], path: str, chunk: int = 10_000) -> int:
    """ACLED's columns, typed, plus where each row came from and the full record as JSON."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    int_cols = {"year", "time_precision", "inter1", "inter2", "interaction", "iso", "geo_precision"}
    int_cols |= {"fatalities", "timestamp", "incident_id"}
    float_cols = {"latitude", "longitude"}
    fields = []
    for name in ACLED_COLUMNS + EXTRA_COLUMNS:
        kind = pa.int64() if name in int_cols else pa.float64() if name in float_cols else pa.string()
        fields.append(pa.field(name, kind))
    fields.append(pa.field("record", pa.string()))
    schema = pa.schema(fields)
    n = 0
    with pq.ParquetWriter(path, schema) as writer:
        rows: list[dict[str, Any]] = []
        for r in records:
            row = acled_row(r)
            row["record"] = _dumps(r)
            rows.append(row)
            if len(rows) >= chunk:  # row groups of `chunk` rows: memory stays flat on a large store
                writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                n += len(rows)
                rows = []
        if rows or n == 0:
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))
            n += len(rows)
    return n
