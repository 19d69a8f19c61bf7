"""A merged frame as the JSON record of SPEC section 4.

Records are plain dicts with keys in a fixed order, so the same input gives
the same bytes. The internal key ``_mentions`` (the Mention objects the event
used) is kept for the annotate page and dropped by :func:`public`.
"""

from __future__ import annotations

import hashlib
from typing import Any

from rasid.document import Document, Mention
from rasid.extract.events.frame import Frame
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


# the rule named when no rule of event building recorded one: the module that moved the value
_LATER_RULE = {
    "actor1": "merged_telling",
    "actor2": "merged_telling",
    "location": "merged_telling",
    "date": "merged_telling",
    "claim": "merged_telling",
    "fatalities": "toll_rules",
    "event_type": "merged_telling",
}


def _span(doc: Document, key: str, m: Mention | None, rule: str | None) -> dict[str, Any] | None:
    if m is None:
        return None
    return {
        "start": m.start,
        "end": m.end,
        "text": doc.text[m.start : m.end],
        "rule": rule or _LATER_RULE[key],
    }


def _toll_mention(casualties: list[Mention]) -> Mention | None:
    """The first toll the record's figures come from (the first killed or injured one)."""
    return next((c for c in casualties if c.data.get("casualty") in ("killed", "injured")), None)


def spans(doc: Document, f: Frame, why: dict[tuple[str, int], str] | None = None) -> dict[str, Any]:
    """Each field's evidence in the article (original offsets) and the name of the rule that chose it.

    A rasid extension of the SPEC record (scorers ignore it). ``why`` maps (field, id of a
    mention) to a rule, for values that merging moved from one frame to another.
    """
    why = why or {}
    chosen: dict[str, tuple[Mention | None, str | None]] = {
        "event_type": (f.trigger, None),
        "actor1": (f.roles.actor1, f.roles.rule_of("actor1")),
        "actor2": (f.roles.actor2, f.roles.rule_of("actor2")),
        "location": (f.location, None),
        "date": (f.date, None),
        "fatalities": (_toll_mention(f.casualties), None),
        "claim": (f.claim, None),
    }
    out: dict[str, Any] = {}
    for key, (m, rule) in chosen.items():
        if m is None:
            continue
        if rule is None:
            own = f.rules.get(key)
            rule = own[1] if own is not None and own[0] is m else why.get((key, id(m)))
        out[key] = _span(doc, key, m, rule)
    return out


def to_record(doc: Document, f: Frame, why: dict[tuple[str, int], str] | None = None) -> dict[str, Any]:
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
    record["spans"] = spans(doc, f, why)
    record["_mentions"] = list(f.mentions)
    return record


def public(record: dict[str, Any]) -> dict[str, Any]:
    """The record without internal keys, as ``rasid extract`` writes it."""
    return {k: v for k, v in record.items() if not k.startswith("_")}
