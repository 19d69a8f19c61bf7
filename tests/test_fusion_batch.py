"""Linking a batch at a time (rasid.store.fusion) gives exactly the incidents that linking each event on
its own gave (tests/fusion_reference.py, the code before batching): the same incident ids, members and
summaries, on a fixed grouping written by hand (SQLite and PostgreSQL) and on random events (hypothesis,
SQLite), with denials, events of one article in one batch, and articles taken out and linked again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, Engine, create_engine, delete, insert, select

import fusion_reference as reference
from rasid.store import fusion, open_store
from rasid.store.schema import articles, denials, events, incidents, metadata
from store_db import *  # noqa: F403  (the db_url and pg_server fixtures)

# admin1, admin2, lat, lon, geo_precision: two points 7 km apart, one 14 km off, a region, a point in
# another governorate next to the second, a point with no governorate at the box's edge, nowhere
PLACES = (
    ("Idlib", "Ariha", 35.80, 36.60, 1),
    ("Idlib", "Ariha", 35.85, 36.65, 1),
    ("Idlib", "Idlib", 35.93, 36.63, 1),
    ("Idlib", None, 35.90, 36.60, 3),
    ("Aleppo", "Jebel Saman", 35.86, 36.66, 1),
    (None, None, 35.81, 36.71, 1),
    (None, None, None, None, None),
)
TYPES = ("battles", "explosions_remote_violence")
ACTORS = (None, "SYR_MIL", "HTS", "RUS_MIL")


def _day(n: int) -> str:
    return (dt.date(2024, 5, 1) + dt.timedelta(days=n)).isoformat()


def _event(eid: str, art: str, kind: str, place: int, start: int | None, **extra: Any) -> dict[str, Any]:
    admin1, admin2, lat, lon, precision = PLACES[place]
    row = {
        "event_id": eid,
        "article_id": art,
        "seq": 0,
        "event_type": kind,
        "sub_event_type": kind,
        "admin1": admin1,
        "admin2": admin2,
        "lat": lat,
        "lon": lon,
        "geo_precision": precision,
        "location_name": f"place {place}",
        "date_start": None if start is None else _day(start),
        "date_end": None if start is None else _day(start),  # as records have it at day precision
        "date_precision": None if start is None else "day",
        "actor1_id": None,
        "actor2_id": None,
        "killed": None,
        "contested": False,
        "record": "{}",
    }
    row.update(extra)
    return row


def _article(art: str, outlet: str | None) -> dict[str, Any]:
    return {
        "id": art,
        "content_hash": "0" * 64,
        "outlet": outlet,
        "url": f"https://x.example/{art}",
        "text": "نص",
        "ingested_at": "2024-05-06T00:00:00+00:00",
        "extractor_version": "test",
    }


Batch = tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]  # articles, events, denials


def _store(conn: Connection, batch: Batch, link: Callable[[Connection, Sequence[str]], None]) -> None:
    arts, evs, dens = batch
    conn.execute(insert(articles), arts)
    if evs:
        conn.execute(insert(events), evs)
    if dens:
        conn.execute(insert(denials), dens)
    link(conn, [e["event_id"] for e in evs])


def _state(conn: Connection) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    cols = [c for c in incidents.c if c.name != "updated_at"]
    found = [tuple(r) for r in conn.execute(select(*cols).order_by(incidents.c.id))]
    links = [
        tuple(r)
        for r in conn.execute(select(events.c.event_id, events.c.incident_id).order_by(events.c.event_id))
    ]
    return found, links


# --------------------------------------------------------------------------- a fixed grouping, both backends
S = {"actor1_id": "SYR_MIL", "actor2_id": "HTS"}
FIXED: list[Batch] = [
    (
        [_article("a1", "A"), _article("a2", "B")],
        [_event("a1-1", "a1", "battles", 0, 1, **S), _event("a2-1", "a2", "battles", 1, 2, **S, killed=3)],
        [],
    ),
    (
        [_article("a3", "C"), _article("a4", "B"), _article("a5", "A")],
        [
            _event("a3-1", "a3", "battles", 0, 3, **S),  # agrees with a2 but is two days after a1: apart
            _event(
                "a4-1", "a4", "battles", 3, None, **S, killed=12,
                date_start="2024-04-29", date_end="2024-05-05", date_precision="week",
            ),  # a region and a week: joins a1's incident, the oldest that fits
            _event("a5-1", "a5", "explosions_remote_violence", 0, 1),  # another type
        ],
        [],
    ),
    (
        [_article("a6", "C"), _article("a7", "A")],
        [
            _event("a6-1", "a6", "battles", 0, 1, actor1_id="RUS_MIL", actor2_id="ISIS"),  # no side shared
            _event("a7-1", "a7", "battles", 0, 1, **S),  # joins a1's incident
            _event("a7-2", "a7", "battles", 0, 1, **S),  # one article, one account: its own
        ],
        [],
    ),
]  # fmt: skip
EXPECTED = {1: {"a1-1", "a2-1", "a4-1", "a7-1"}, 2: {"a3-1"}, 3: {"a5-1"}, 4: {"a6-1"}, 5: {"a7-2"}}


def test_a_fixed_set_of_reports_groups_as_expected(db_url: str) -> None:
    engine = open_store(db_url)
    for batch in FIXED:
        with engine.begin() as conn:
            _store(conn, batch, fusion.link_events)
    with engine.connect() as conn:
        groups: dict[int, set[str]] = {}
        for eid, iid in _state(conn)[1]:
            groups.setdefault(iid, set()).add(eid)
        assert groups == EXPECTED
        first = fusion.incident(conn, 1)
    assert first is not None
    assert (first["n_events"], first["n_outlets"], first["killed"]) == (4, 2, 3)  # outlets A and B
    assert [c["kind"] for c in first["contradictions"]] == ["fatalities"]  # 3 / 12


def test_the_fixed_grouping_is_the_one_each_event_alone_gave() -> None:
    _link_batches(_memory(), _memory(), FIXED)


# --------------------------------------------------------------------------- random events, against the oracle
def _memory() -> Engine:
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    return engine


@st.composite
def _dates(draw: st.DrawFn) -> dict[str, Any]:
    start = draw(st.integers(0, 5))
    precision = draw(st.sampled_from(("day", "day", "week", "month", None)))
    if precision is None:
        return {"date_start": None, "date_end": None, "date_precision": None}
    span = {"day": 0, "week": 6, "month": 30}[precision]
    return {
        "date_start": _day(start),
        "date_end": _day(start + span) if span or draw(st.booleans()) else None,
        "date_precision": precision,
    }


@st.composite
def _articles(draw: st.DrawFn) -> list[Batch]:
    n = draw(st.integers(1, 12))
    made: list[tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]] = []
    for i in range(n):
        art = f"r{i:02d}"
        evs = []
        for j in range(draw(st.integers(0, 3))):
            evs.append(
                _event(
                    f"{art}-{j}",
                    art,
                    draw(st.sampled_from(TYPES)),
                    draw(st.integers(0, len(PLACES) - 1)),
                    None,
                    actor1_id=draw(st.sampled_from(ACTORS)),
                    actor2_id=draw(st.sampled_from(ACTORS)),
                    killed=draw(st.sampled_from((None, 0, 2, 9))),
                    contested=draw(st.booleans()),
                    **draw(_dates()),
                )
            )
        dens = []
        if draw(st.integers(0, 3)) == 0:
            admin1, admin2, lat, lon, precision = PLACES[draw(st.integers(0, len(PLACES) - 1))]
            dates = draw(_dates())
            dens.append(
                {
                    "article_id": art,
                    "event_type": draw(st.sampled_from(TYPES)),
                    "admin1": admin1,
                    "admin2": admin2,
                    "lat": lat,
                    "lon": lon,
                    "geo_precision": precision,
                    **dates,
                    "denier": draw(st.sampled_from((None, "SYR_MIL"))),
                    "start_offset": 0,
                    "end_offset": 3,
                    "text": "نفى",
                }
            )
        made.append((_article(art, draw(st.sampled_from(("A", "B", "C", None)))), evs, dens))
    cuts = sorted(draw(st.sets(st.integers(1, n - 1), max_size=4))) if n > 1 else []
    batches = []
    for lo, hi in zip([0, *cuts], [*cuts, n], strict=True):
        part = made[lo:hi]
        batches.append(
            (
                [a for a, _, _ in part],
                [e for _, es, _ in part for e in es],
                [d for _, _, ds in part for d in ds],
            )
        )
    return batches


def _replace(
    conn: Connection, ids: list[str], unlink: Callable[[Connection, Sequence[str]], None], link: Any
) -> None:
    """What ingest does to changed articles: out of their incidents, then their events linked again."""
    unlink(conn, ids)
    kept = [
        dict(r._mapping)
        for r in conn.execute(select(events).where(events.c.article_id.in_(ids)).order_by(events.c.event_id))
    ]
    conn.execute(delete(events).where(events.c.article_id.in_(ids)))
    if kept:
        conn.execute(insert(events), kept)
    link(conn, [e["event_id"] for e in kept])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_articles(), st.data())
def test_batched_linking_equals_linking_each_event_alone(batches: list[Batch], data: st.DataObject) -> None:
    _link_both_ways(batches, data)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_articles(), st.data())
def test_a_batch_that_reads_its_candidates_at_once_links_the_same(
    batches: list[Batch], data: st.DataObject
) -> None:
    """A large batch (a store linked again) reads its stored candidates in one range and answers its
    blocks from memory: every batch does here, and the incidents are those of linking one by one."""
    saved = fusion.PRELOAD_AT
    fusion.PRELOAD_AT = 1
    try:
        _link_both_ways(batches, data)
    finally:
        fusion.PRELOAD_AT = saved


def _link_batches(got: Engine, want: Engine, batches: list[Batch]) -> None:
    """Store and link each batch with the new code and with the reference: the stores stay equal."""
    for batch in batches:
        with got.begin() as conn:
            _store(conn, batch, fusion.link_events)
        with want.begin() as conn:
            _store(conn, batch, reference.link_events)
        with got.connect() as a, want.connect() as b:
            assert _state(a) == _state(b)


def _link_both_ways(batches: list[Batch], data: st.DataObject) -> None:
    got, want = _memory(), _memory()
    _link_batches(got, want, batches)
    ids = sorted({a["id"] for arts, _, _ in batches for a in arts})
    again = data.draw(st.lists(st.sampled_from(ids), unique=True, max_size=3))
    if again:
        with got.begin() as conn:
            _replace(conn, again, fusion.unlink_articles, fusion.link_events)
        with want.begin() as conn:
            _replace(conn, again, reference.unlink_articles, reference.link_events)
        with got.connect() as a, want.connect() as b:
            assert _state(a) == _state(b)


@pytest.mark.parametrize("lat", [35.5, -12.34, 0.0, 0.119999])
def test_the_batch_index_finds_every_event_in_a_box(lat: float) -> None:
    """An event at the edge of another's box is in one of the grid cells the box overlaps."""
    e = type("E", (), {"event_type": "battles", "admin1": None, "lat": lat, "lon": 36.0})
    for dlat in (-0.12, -0.06, 0.0, 0.06, 0.12):
        for dlon in (-0.12, 0.0, 0.12):
            c = type(
                "C",
                (),
                {
                    "event_type": "battles",
                    "admin1": None,
                    "lat": lat + dlat,
                    "lon": 36.0 + dlon,
                    "date_start": "2024-05-01",
                    "date_end": "2024-05-01",
                },
            )
            index = fusion._Linked()
            index.add(c, (0, 1))
            box = (
                e.lat - fusion._BOX_DEG,
                e.lat + fusion._BOX_DEG,
                e.lon - fusion._BOX_DEG,
                e.lon + fusion._BOX_DEG,
            )
            block = fusion._Block(
                "battles", "2024-05-01", "2024-04-30", "2024-05-02", "2023-05-01", "2024-05-01", None, box
            )
            inside = box[0] <= c.lat <= box[1] and box[2] <= c.lon <= box[3]
            assert (c, (0, 1)) in index.near(block) or not inside


def _dated(start: str, end: str | None, admin1: str = "Idlib") -> Any:
    return type(
        "E",
        (),
        {
            "event_type": "battles",
            "admin1": admin1,
            "lat": None,
            "lon": None,
            "date_start": start,
            "date_end": end,
        },
    )


@pytest.mark.parametrize(
    ("start", "end", "found"),
    [
        ("2024-05-01", "2024-05-01", True),  # the same day
        ("2024-04-30", "2024-04-30", True),  # the day before
        ("2024-05-02", "2024-05-02", True),  # the day after
        ("2024-04-28", "2024-04-28", False),  # outside the window, one day long
        ("2024-04-20", "2024-05-05", True),  # began earlier, still running
        ("2023-06-01", "2024-05-01", True),  # a year's span reaching the day
        ("2024-04-20", "2024-04-25", False),  # began earlier, over before
        ("2024-05-01", None, True),  # no end, the same day
        ("2024-04-28", None, False),  # no end, outside the window
    ],
)
def test_the_batch_index_finds_by_day_and_by_span(start: str, end: str | None, found: bool) -> None:
    """The index buckets linked events by day and keeps multi-day ones apart; whatever the block's SQL
    would accept by date is among what it gives (it may give more: :meth:`_Block.holds` decides)."""
    c = _dated(start, end)
    index = fusion._Linked()
    index.add(c, (0, 1))
    block = fusion._Block(
        "battles", "2024-05-01", "2024-04-30", "2024-05-02", "2023-05-01", "2024-05-01", "Idlib", None
    )
    near = [ek for ek in index.near(block) if block.holds(ek[0])]
    assert ((c, (0, 1)) in near) is found
