"""One English sentence per event, generated from its fields (ACLED-style notes).

No translation of the Arabic: the note is assembled from the coded fields
only, so it says exactly what was coded and nothing the text did not give.
The phrasing per sub-event type is data (``data/notes.yaml``).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from rasid.knowledge.loader import load_yaml


@lru_cache(maxsize=1)
def _phrases() -> dict[str, Any]:
    return load_yaml("notes.yaml")


def _date_text(date: dict[str, Any]) -> str | None:
    return _date_words(date.get("start"), date.get("precision"))


@lru_cache(maxsize=4096)
def _date_words(start: str | None, precision: str | None) -> str | None:
    """The note's date phrase (cached: an article's events share a few dates)."""
    if not start or precision == "unknown":
        return None
    d = dt.date.fromisoformat(start)
    if precision == "day":
        return f"On {d.day} {d:%B %Y}"
    if precision == "week":
        return f"In the week of {d.day} {d:%B %Y}"
    if precision == "month":
        return f"In {d:%B %Y}"
    return f"In {d.year}"


def _place_text(loc: dict[str, Any] | None) -> str:
    if not loc:
        return "an unknown location"
    name = loc.get("name") or loc.get("mention") or "an unknown location"
    prefix = "near " if loc.get("geo_precision") == 2 else "in "
    admin1 = loc.get("admin1")
    country = loc.get("country")
    if admin1 and admin1 != name:
        return f"{prefix}{name} ({admin1})"
    if country and country != "SY":
        return f"{prefix}{name} ({country})"
    return f"{prefix}{name}"


def _casualty_text(fat: dict[str, Any]) -> str:
    parts = []
    for key, verb in (("killed", "killing"), ("injured", "injuring")):
        n = fat.get(key)
        if n:
            high = fat.get(f"{key}_high")
            figure = f"{n}-{high}" if high else str(n)
            parts.append(f"{verb} {figure}")
    return (", " + " and ".join(parts)) if parts else ""


def make_note(record: dict[str, Any]) -> str:
    phrases = _phrases()
    sub = record["sub_event_type"]
    pattern = phrases["sub_event_types"].get(sub, phrases["default"])
    a1 = (record.get("actor1") or {}).get("name") or phrases["unknown_actor"]
    a2 = (record.get("actor2") or {}).get("name")
    target = f" {phrases['target_joiner'].get(sub, 'against')} {a2}" if a2 else ""
    body = pattern.format(actor1=a1, target=target, place=_place_text(record.get("location")))
    date = _date_text(record.get("date") or {})
    sentence = f"{date}, {body}" if date else body
    sentence += _casualty_text(record.get("fatalities") or {})
    claim = record.get("claim") or {}
    if claim.get("source"):
        sentence += f", according to {claim['source']}"
    if claim.get("contested"):
        sentence += " (contested)"
    return sentence + "."
