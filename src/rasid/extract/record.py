"""A merged frame as the JSON record of SPEC section 4.

Records are plain dicts with keys in a fixed order, so the same input gives
the same bytes. The internal key ``_mentions`` (the Mention objects the event
used) is kept for the annotate page and dropped by :func:`public`.
"""

from __future__ import annotations

import hashlib
from typing import Any

from rasid.document import Document, Mention
from rasid.extract.events import Frame
from rasid.extract.frames import VIOLENT_TYPES
from rasid.extract.notes import make_note

_LOCATION_KEYS = (
    "name",
    "name_ar",
    "admin1",
    "admin2",
    "country",
    "lat",
    "lon",
    "geo_precision",
    "gazetteer_id",
)


def _actor(m: Mention | None, event_type: str = "") -> dict[str, Any] | None:
    """The record's actor; a state that fights ("تركيا دمرت…") is coded as its armed forces."""
    if m is None or not m.data.get("actor_id"):
        return None
    from rasid.knowledge.actors import actor_by_id

    actor_id = m.data["actor_id"]
    name = m.data.get("name")
    if event_type in VIOLENT_TYPES and actor_id.endswith("_GOV"):
        try:
            military = actor_by_id(actor_id[: -len("_GOV")] + "_MIL")
            actor_id, name = military.id, military.name
        except KeyError:
            pass
    if m.kind == "claim_source":  # an official source speaking for its actor
        name = actor_by_id(actor_id).name
    return {"id": actor_id, "name": name, "mention": m.text}


def _location(m: Mention | None, admin1_hint: str | None = None) -> dict[str, Any] | None:
    if m is None:
        return None
    loc: dict[str, Any] = {"mention": m.text}
    for k in _LOCATION_KEYS:
        loc[k] = m.data.get(k)
    if loc["admin1"] is None and admin1_hint is not None:
        loc["admin1"] = admin1_hint
    if loc["geo_precision"] is None:
        loc["geo_precision"] = 3 if m.kind == "region" else 1
    return loc


def _date(doc: Document, m: Mention | None) -> dict[str, Any]:
    if m is not None:
        return {
            "start": m.data.get("start"),
            "end": m.data.get("end"),
            "precision": m.data.get("precision") or "unknown",
            "mention": m.text,
        }
    if doc.published is not None:
        # no date words: the report's own date, as news reports the last day
        day = doc.published.isoformat()
        return {"start": day, "end": day, "precision": "day", "mention": None}
    return {"start": None, "end": None, "precision": "unknown", "mention": None}


def _fatalities(casualties: list[Mention]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "killed": None,
        "killed_high": None,
        "injured": None,
        "injured_high": None,
        "mention": None,
    }
    texts = []
    for c in casualties:
        key = c.data.get("casualty")
        if key not in ("killed", "injured") or out[key] is not None:
            continue
        out[key] = c.data.get("value")
        out[f"{key}_high"] = c.data.get("value_high")
        texts.append(c.text)
    if texts:
        out["mention"] = " … ".join(texts)
    return out


def _claim(doc: Document, f: Frame) -> dict[str, Any]:
    if f.claim is not None:
        return {"source": f.claim.data.get("name"), "source_mention": f.claim.text, "contested": f.contested}
    return {"source": doc.article.outlet, "source_mention": None, "contested": f.contested}


def _article_fields(doc: Document) -> dict[str, Any]:
    """Where the record was reported, so a record read alone (a store, an export) still names its source."""
    a = doc.article
    return {"url": a.url, "outlet": a.outlet, "published": a.published.isoformat() if a.published else None}


def event_id(doc: Document, f: Frame) -> str:
    key = "|".join(
        [
            doc.id,
            f.event_type,
            f.sub_event_type,
            str(f.location_key),
            str(f.evidence[0][0] if f.evidence else ""),
        ]
    )
    return f"{doc.id}:{hashlib.sha1(key.encode('utf-8')).hexdigest()[:12]}"


def to_record(doc: Document, f: Frame) -> dict[str, Any]:
    record: dict[str, Any] = {
        "event_id": event_id(doc, f),
        "article_id": doc.id,
        "event_type": f.event_type,
        "sub_event_type": f.sub_event_type,
        "actor1": _actor(f.roles.actor1, f.event_type),
        "actor2": _actor(f.roles.actor2, f.event_type),
        "assoc_actors": [a for a in (_actor(m, f.event_type) for m in f.roles.assoc) if a],
        "location": _location(f.location, f.admin1_hint),
        "date": _date(doc, f.date),
        "fatalities": _fatalities(f.casualties),
        "claim": _claim(doc, f),
        "evidence": [{"text": doc.text[a:b], "start": a, "end": b} for a, b in f.evidence],
        "notes": "",
        "confidence": f.confidence,
    }
    record["notes"] = make_note(record)
    record.update(_article_fields(doc))
    record["_mentions"] = list(f.mentions)
    return record


def public(record: dict[str, Any]) -> dict[str, Any]:
    """The record without internal keys, as ``rasid extract`` writes it."""
    return {k: v for k, v in record.items() if not k.startswith("_")}
