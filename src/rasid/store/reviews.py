"""Analysts' reviews: verdicts, corrected fields and missed events, kept apart from what extraction wrote.

Why a table of its own (``reviews``, migration 0008) rather than edits to the events rows: ``ingest``
and ``reextract`` replace an article's events wholesale, and an analyst's word must outlive that. So a
review row names its event by id (no foreign key: the event row may go and come back) and keeps the
record as it was reviewed. Each review action is one row (who, when, what), never updated: the current
state of an event's review is the rows read in order, a later verdict or value winning.

An event the extractor missed is added by an analyst (origin ``analyst``): its whole record lives here,
and :func:`restore_added` writes it back to the events table whenever the article's events are replaced.

:func:`gold_lines` turns the reviews into gold JSONL for ``rasid eval`` (SPEC section 6), article by
article: a right or corrected event is a gold event, a wrong one none, and an event nobody reviewed in a
reviewed article is an ``optional`` gold event, so the scorer counts it neither right nor wrong.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import Connection, Engine, insert, select

from rasid.store.schema import events, reviews

VERDICTS = ("right", "wrong")
# Fields an analyst may correct, and what each takes: a string, an actor id, a count, a date.
CORRECTABLE = {
    "event_type": "str",
    "sub_event_type": "str",
    "actor1": "actor",
    "actor2": "actor",
    "location": "str",
    "admin1": "str",
    "killed": "count",
    "injured": "count",
    "date": "date",
    "notes": "str",
}


class ReviewError(ValueError):
    """A review the store refuses (unknown field, bad value, no such event); the message says which."""


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def _check_value(name: str, value: Any) -> Any:
    kind = CORRECTABLE.get(name)
    if kind is None:
        raise ReviewError(f"cannot correct {name!r}; correctable fields: {', '.join(CORRECTABLE)}")
    if value is None:
        if name in ("event_type", "sub_event_type"):
            raise ReviewError(f"{name} cannot be empty")
        return None
    if kind == "count":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ReviewError(f"{name} must be a whole number 0 or more, or null")
        return value
    if not isinstance(value, str) or not value.strip():
        raise ReviewError(f"{name} must be a non-empty string or null")
    if kind == "date":
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            raise ReviewError(f"{name} must be a date YYYY-MM-DD") from None
    return value.strip()


def check_corrections(corrections: dict[str, Any] | None) -> dict[str, Any]:
    """The corrections with their values checked and normalised; :class:`ReviewError` when one is bad."""
    return {name: _check_value(name, value) for name, value in (corrections or {}).items()}


def _actor(actor_id: str | None, old: dict[str, Any] | None) -> dict[str, Any] | None:
    if actor_id is None:
        return None
    if old and old.get("id") == actor_id:
        return old
    from rasid.knowledge.actors import actor_by_id

    try:
        name = actor_by_id(actor_id).name
    except KeyError:
        name = actor_id
    return {"id": actor_id, "name": name, "mention": None}


def apply_corrections(record: dict[str, Any], corrections: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``record`` with the corrected fields in place (SPEC record shape kept)."""
    out = copy.deepcopy(record)
    for name, value in corrections.items():
        if name in ("event_type", "sub_event_type", "notes"):
            out[name] = value
        elif name in ("actor1", "actor2"):
            out[name] = _actor(value, out.get(name))
        elif name == "location":
            loc = dict(out.get("location") or {})
            loc.update({"mention": value, "name_ar": value} if value else {})
            out["location"] = loc if value else None
        elif name == "admin1":
            loc = dict(out.get("location") or {})
            loc["admin1"] = value
            out["location"] = loc
        elif name in ("killed", "injured"):
            fat = dict(out.get("fatalities") or {})
            fat[name] = value
            out["fatalities"] = fat
        elif name == "date":
            out["date"] = {**(out.get("date") or {}), "start": value, "end": value, "precision": "day"}
    return out


def merged(rows: Iterable[Any]) -> dict[str, Any] | None:
    """The current review of one event from its rows in order: ``{"verdict", "corrected", "reviewer",
    "at", "origin"}``; None when there are none."""
    state: dict[str, Any] | None = None
    for row in rows:
        if state is None:
            state = {"verdict": None, "corrected": {}, "reviewer": None, "at": None, "origin": row.origin}
        if row.verdict:
            state["verdict"] = row.verdict
        if row.corrections:
            state["corrected"].update(json.loads(row.corrections))
        state["reviewer"] = row.reviewer
        state["at"] = row.reviewed_at
    return state


def reviews_of(conn: Connection, event_ids: list[str]) -> dict[str, dict[str, Any]]:
    """The current review of each of these events that has one."""
    by_event: dict[str, list[Any]] = {}
    for start in range(0, len(event_ids), 500):
        chunk = event_ids[start : start + 500]
        query = select(reviews).where(reviews.c.event_id.in_(chunk)).order_by(reviews.c.id)
        for row in conn.execute(query):
            by_event.setdefault(row.event_id, []).append(row)
    return {eid: state for eid, rows in by_event.items() if (state := merged(rows)) is not None}


def add_review(
    conn: Connection,
    record: dict[str, Any],
    *,
    reviewer: str,
    verdict: str | None = None,
    corrections: dict[str, Any] | None = None,
) -> None:
    """Store one review action on an event (its stored record as given)."""
    if verdict is not None and verdict not in VERDICTS:
        raise ReviewError(f"verdict must be one of {', '.join(VERDICTS)}")
    checked = check_corrections(corrections)
    if verdict is None and not checked:
        raise ReviewError("a review needs a verdict or corrections")
    if not reviewer or not reviewer.strip():
        raise ReviewError("reviewer is required")
    ev = (record.get("evidence") or [{}])[0]
    conn.execute(
        insert(reviews).values(
            event_id=record["event_id"],
            article_id=record["article_id"],
            origin="analyst" if record.get("origin") == "analyst" else "extractor",
            verdict=verdict,
            corrections=_dumps(checked) if checked else None,
            record=_dumps(record),
            evidence_start=ev.get("start"),
            evidence_end=ev.get("end"),
            reviewer=reviewer.strip(),
            reviewed_at=_now(),
        )
    )


def analyst_record(
    article: Any, start: int, end: int, fields: dict[str, Any], *, published: str | None
) -> dict[str, Any]:
    """The SPEC record of an event an analyst adds on the evidence ``article.text[start:end]``."""
    if not (0 <= start < end <= len(article.text)):
        raise ReviewError(
            f"evidence {start}..{end} is not inside the article's text (0..{len(article.text)})"
        )
    checked = check_corrections(fields)
    if not checked.get("event_type") or not checked.get("sub_event_type"):
        raise ReviewError("an added event needs event_type and sub_event_type")
    day = checked.get("date") or published
    base: dict[str, Any] = {
        "event_id": f"{article.id}:analyst-{uuid.uuid4().hex[:12]}",
        "article_id": article.id,
        "event_type": checked["event_type"],
        "sub_event_type": checked["sub_event_type"],
        "actor1": None,
        "actor2": None,
        "assoc_actors": [],
        "location": None,
        "date": {"start": day, "end": day, "precision": "day" if day else "unknown", "mention": None},
        "fatalities": {"killed": None, "killed_high": None, "injured": None, "injured_high": None},
        "claim": {"source": article.outlet, "source_mention": None, "contested": False},
        "evidence": [{"text": article.text[start:end], "start": start, "end": end}],
        "notes": "",
        "confidence": 1.0,
        "url": article.url,
        "outlet": article.outlet,
        "published": published,
        "origin": "analyst",
    }
    rest = {k: v for k, v in checked.items() if k not in ("event_type", "sub_event_type", "date")}
    return apply_corrections(base, rest)


def insert_event(conn: Connection, record: dict[str, Any], seq: int) -> None:
    """An event's rows (events, evidence, actors, places, claims), as ingest writes an extracted one."""
    from rasid.store.ingestion import actor_rows_of, event_row
    from rasid.store.places import add_places, claim_row_of, event_place_rows_of, place_row_of
    from rasid.store.schema import claims, event_actors, event_places, evidence

    conn.execute(insert(events), [event_row(record, seq)])
    spans = [
        {"event_id": record["event_id"], "seq": i, "start_offset": e["start"], "end_offset": e["end"]}
        | {"text": e["text"]}
        for i, e in enumerate(record.get("evidence") or [])
    ]
    if spans:
        conn.execute(insert(evidence), spans)
    if rows := actor_rows_of(record):
        conn.execute(insert(event_actors), rows)
    place = place_row_of(record)
    add_places(conn, [place] if place else [])
    if links := event_place_rows_of(record):
        conn.execute(insert(event_places), links)
    if (claim := claim_row_of(record)) is not None:
        conn.execute(insert(claims), [claim])


def add_event(conn: Connection, record: dict[str, Any], *, reviewer: str) -> None:
    """Store an analyst's event: its rows in the events tables and its record in reviews (verdict right)."""
    from rasid.store.fusion import link_events

    if not reviewer or not reviewer.strip():
        raise ReviewError("reviewer is required")
    seq = 10_000 + int(
        conn.execute(select(reviews.c.id).order_by(reviews.c.id.desc()).limit(1)).scalar() or 0
    )
    insert_event(conn, record, seq)
    add_review(conn, record, reviewer=reviewer, verdict="right")
    link_events(conn, [record["event_id"]])


def restore_added(conn: Connection, article_ids: list[str]) -> list[str]:
    """Write the analysts' events of these articles back to the events tables (after ingest or
    reextract replaced the articles' events) and link them to incidents; their ids."""
    from rasid.store.fusion import link_events

    if not article_ids:
        return []
    query = (
        select(reviews.c.event_id, reviews.c.record, reviews.c.id)
        .where(reviews.c.article_id.in_(article_ids), reviews.c.origin == "analyst")
        .order_by(reviews.c.id)
    )
    first: dict[str, Any] = {}
    for row in conn.execute(query):
        first.setdefault(row.event_id, row)
    present = {
        r.event_id for r in conn.execute(select(events.c.event_id).where(events.c.event_id.in_(list(first))))
    }
    restored = []
    for eid, row in first.items():
        if eid not in present:
            insert_event(conn, json.loads(row.record), 10_000 + row.id)
            restored.append(eid)
    if restored:
        link_events(conn, restored)
    return restored


# --------------------------------------------------------------------------- gold for rasid eval


def _listed(value: Any) -> list[Any] | None:
    return None if value is None else [value]


def gold_of(record: dict[str, Any], *, optional: bool, why: str) -> dict[str, Any]:
    """One gold line (the shape of ../dev/gold.jsonl that rasid.evaluate reads) from a record."""
    loc = record.get("location") or {}
    fat = record.get("fatalities") or {}
    mentions = [m for m in dict.fromkeys([loc.get("mention"), loc.get("name_ar")]) if m]
    a1, a2 = record.get("actor1"), record.get("actor2")
    return {
        "article_id": record["article_id"],
        "event_type": [record["event_type"]],
        "sub_event_type": [record["sub_event_type"]],
        "actor1": [a1["id"]] if a1 else None,
        "actor2": [a2["id"]] if a2 else None,
        "location_mentions": mentions,
        "killed": fat.get("killed"),
        "injured": fat.get("injured"),
        "date": None,
        "optional": optional,
        "why": why,
        "admin1": _listed(loc.get("admin1")),
    }


def gold_lines(engine: Engine) -> Iterator[dict[str, Any]]:
    """Gold events of every reviewed article, article by article (see the module's docstring)."""
    with engine.connect() as conn:
        article_ids = [
            r[0] for r in conn.execute(select(reviews.c.article_id).distinct().order_by(reviews.c.article_id))
        ]
    for start in range(0, len(article_ids), 200):
        chunk = article_ids[start : start + 200]
        with engine.connect() as conn:
            current = {
                r.event_id: (r.article_id, json.loads(r.record))
                for r in conn.execute(
                    select(events.c.event_id, events.c.article_id, events.c.record)
                    .where(events.c.article_id.in_(chunk))
                    .order_by(events.c.article_id, events.c.seq)
                )
            }
            rows = list(
                conn.execute(select(reviews).where(reviews.c.article_id.in_(chunk)).order_by(reviews.c.id))
            )
        yield from _gold_of_chunk(chunk, current, rows)


def _gold_of_chunk(
    article_ids: list[str], current: dict[str, tuple[str, dict[str, Any]]], rows: list[Any]
) -> Iterator[dict[str, Any]]:
    by_event: dict[str, list[Any]] = {}
    for row in rows:
        by_event.setdefault(row.event_id, []).append(row)
    for article_id in article_ids:
        ids = [eid for eid, (aid, _) in current.items() if aid == article_id]
        ids += [eid for eid, rs in by_event.items() if rs[0].article_id == article_id and eid not in current]
        for eid in ids:
            state = merged(by_event.get(eid, []))
            record = current[eid][1] if eid in current else json.loads(by_event[eid][0].record)
            if state is None:
                yield gold_of(record, optional=True, why="not reviewed")
            elif state["verdict"] != "wrong":
                why = f"reviewed by {state['reviewer']} at {state['at']}"
                gold = gold_of(apply_corrections(record, state["corrected"]), optional=False, why=why)
                if "date" in state["corrected"]:  # scored only where an analyst set it
                    gold["date"] = state["corrected"]["date"]
                yield gold


def reviewed_articles(engine: Engine) -> Iterator[dict[str, Any]]:
    """The reviewed articles as input JSONL objects (``rasid extract``/``eval`` read them): the gold of
    :func:`gold_lines` covers these articles, and scoring others would count their events as extra."""
    from rasid.store.schema import articles

    reviewed = select(reviews.c.article_id).distinct()
    query = select(articles).where(articles.c.id.in_(reviewed)).order_by(articles.c.id)
    with engine.connect() as conn:
        for row in conn.execute(query):
            yield {
                "id": row.id,
                "text": row.text,
                "title": row.title,
                "url": row.url,
                "outlet": row.outlet,
                "published": row.published,
            }
