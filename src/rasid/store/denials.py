"""What an article denies: "X says Israel struck; Y calls it a lie" across two outlets.

The extractor drops an incident an article tells only to deny it ("نفت
الوزارة أن تكون طائراتها قصفت البلدة"): that is no event, and its record
stream must not change. The store still needs the denial to flag the incident
another outlet reports, so at ingest it keeps, per article, a short list of
what the article denies: the event type of the denied trigger, where, when and
who denies it. It reads the Document exactly as the pipeline does
(``denial`` cue mentions, and the extractor's own test of a trigger told only
to be denied, ``rasid.extract.events.denied``), so a denial is what the
extractor calls one.

Fusion (rasid.store.fusion) then marks an incident contested when an article
that is not among its sources denies an event of its type, at a place that
agrees with its place, on a date that agrees with its dates.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from typing import Any

from rasid.document import Document, Mention, Sentence

# how far before its article's date an undated denied event may lie ("نفت… أن تكون قصفت البلدة")
UNDATED_DAYS = 2


def _first(mentions: list[Mention], sent: Sentence, kinds: tuple[str, ...]) -> Mention | None:
    return next((m for m in mentions if m.kind in kinds and sent.start <= m.start < sent.end), None)


def denials_of(doc: Document) -> list[dict[str, Any]]:
    """The rows of the ``denials`` table for an annotated Document (``article_id`` included)."""
    from rasid.extract.events import denied

    mentions = sorted(doc.mentions, key=lambda m: m.start)
    cues = [m for m in mentions if m.kind == "denial"]
    if not cues:
        return []  # most articles: nothing to look at
    starts = [m.start for m in mentions]
    out: list[dict[str, Any]] = []
    seen: set[tuple[Any, ...]] = set()
    # only the sentences that hold a denial cue, each once
    sentences = {s.start: s for s in (doc.sentence_at(d.start) for d in cues) if s is not None}
    for sent in sorted(sentences.values(), key=lambda s: s.start):
        here = mentions[bisect_left(starts, sent.start) : bisect_left(starts, sent.end)]
        sent_cues = [d for d in here if d.kind == "denial"]
        if doc.in_boilerplate(sent.start):
            continue
        for trig in (m for m in here if m.kind == "trigger" and m.data.get("event_type")):
            if not denied(doc, trig, sent_cues, sent):
                continue
            place = _first([m for m in here if m.start > trig.start], sent, ("place",)) or _first(
                here, sent, ("place", "region")
            )
            if place is None or place.data.get("lat") is None:
                continue  # a denial of something nowhere in particular contests nothing we can find
            cue = next(d for d in reversed(sent_cues) if d.end <= trig.start)
            denier = _first(
                [m for m in here if cue.start <= m.start < trig.start], sent, ("claim_source", "actor")
            )
            denier = denier or _first(
                [m for m in here if m.start < cue.start], sent, ("claim_source", "actor")
            )
            start, end, precision = _when(doc, here, trig)
            row = {
                "article_id": doc.id,
                "event_type": trig.data["event_type"],
                "sub_event_type": trig.data.get("sub_event_type"),
                "place_id": place.data.get("gazetteer_id"),
                "place_name": place.data.get("name") or place.text,
                "admin1": place.data.get("admin1"),
                "admin2": place.data.get("admin2"),
                "lat": place.data.get("lat"),
                "lon": place.data.get("lon"),
                "geo_precision": 3 if place.kind == "region" else 1,
                "date_start": start,
                "date_end": end,
                "date_precision": precision,
                "denier": denier.text if denier else None,
                "start_offset": sent.start,
                "end_offset": sent.end,
                "text": doc.text[sent.start : sent.end],
            }
            key = (row["event_type"], row["place_name"], start, sent.start)
            if key not in seen:
                seen.add(key)
                out.append(row)
    return out


def _when(doc: Document, here: list[Mention], trig: Mention) -> tuple[str | None, str | None, str]:
    """The denied event's date: the date nearest the trigger in its sentence; else the few days before
    the article's date (a denial answers a recent report); else unknown."""
    dates = [m for m in here if m.kind == "date" and m.data.get("start")]
    if dates:
        d = min(dates, key=lambda m: abs(m.start - trig.start))
        return d.data["start"], d.data.get("end") or d.data["start"], d.data.get("precision") or "day"
    if doc.published is not None:
        start = doc.published - dt.timedelta(days=UNDATED_DAYS)
        return start.isoformat(), doc.published.isoformat(), "week"
    return None, None, "unknown"
