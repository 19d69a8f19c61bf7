"""absorb_quarter_twins scores a part only against the cities its index names (issue #19: a long
article scored every part against every city): the result must be what scoring every city gives.
Frames are built by hand around one city, with coordinates near it, far from it, missing or not
finite, and the city's name written in some of the parts' sentences."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rasid.extract.incidents as incidents
from rasid.document import Article, Document, Mention, Sentence
from rasid.extract.arguments import Roles
from rasid.extract.events import Frame
from rasid.extract.merge import _absorb

_LINE = "اشتبكت قوات النظام مع الفصائل داخل مدينة حماة وفي حي الأربعين"
_LINES = 8
_TEXT = "\n".join([_LINE] * _LINES)
_NAME = _LINE.index("حماة")
_QUARTER = _LINE.index("الأربعين")
_KEYS = ["g:hama", "g:hama", "g:salamiyah", "g:arbaeen", "g:hamidiyah"]


def _sentences() -> list[Sentence]:
    step = len(_LINE) + 1
    return [Sentence(i * step, i * step + len(_LINE), i // 2) for i in range(_LINES)]


def _coords(draw: st.DrawFn) -> dict[str, object]:
    shape = draw(st.sampled_from(["near", "near", "far", "none", "nan", "text"]))
    if shape == "near":
        return {"lat": 35.13 + draw(st.floats(-0.08, 0.08)), "lon": 36.75 + draw(st.floats(-0.08, 0.08))}
    if shape == "far":
        return {"lat": 35.6, "lon": 36.9}
    if shape == "nan":
        return {"lat": float("nan"), "lon": 36.75}
    if shape == "text":
        return {"lat": "35.13", "lon": "36.75"}
    return {}


@st.composite
def _frame(draw: st.DrawFn) -> Callable[[Document], Frame]:
    city = draw(st.booleans())
    key = draw(st.sampled_from(_KEYS))
    feature = draw(st.sampled_from(["city", "town"])) if city else draw(st.sampled_from(["quarter", "spot"]))
    data: dict[str, Any] = {"admin1": "Hama", "feature": feature, "gazetteer_id": key, **_coords(draw)}
    line = draw(st.integers(0, _LINES - 1))
    sides = draw(st.sampled_from([("SYR_MIL", "FSA"), ("FSA", "SYR_MIL"), ("ISIS", "SDF")]))

    def make(doc: Document) -> Frame:
        sent = doc.sentences[line]
        trig = Mention(sent.start, sent.start + 6, "اشتبكت", "trigger", {"lemma": "اشتبك", "pos": "verb"})
        at, name = (_NAME, "حماة") if city else (_QUARTER, "الأربعين")
        loc = Mention(sent.start + at, sent.start + at + len(name), name, "place", dict(data))
        actor1, actor2 = (Mention(0, 4, "فاعل", "actor", {"actor_id": a}) for a in sides)
        return Frame(
            trigger=trig,
            event_type="battles",
            sub_event_type="armed_clash",
            sentence=sent,
            location=loc,
            roles=Roles(actor1, actor2),
            evidence=[(sent.start, sent.end)],
        )

    return make


def _run(makers: list[Callable[[Document], Frame]], named: list[tuple[int, str]]) -> list[tuple[Any, ...]]:
    doc = Document(Article(id="q", text=_TEXT))
    doc.sentences = _sentences()
    for line, key in named:  # the city's name written in that line
        start = doc.sentences[line].start + _NAME
        doc.add_mention(start, start + 4, "place", gazetteer_id=key, feature="city")
    frames = [make(doc) for make in makers]
    out = incidents.absorb_quarter_twins(doc, frames, _absorb)
    return [(f.location_key, sorted(f.sentences), f.evidence) for f in out]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(_frame(), max_size=14),
    st.lists(st.tuples(st.integers(0, _LINES - 1), st.sampled_from(_KEYS)), max_size=4),
)
def test_indexed_cities_give_what_every_city_gives(
    makers: list[Callable[[Document], Frame]], named: list[tuple[int, str]]
) -> None:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(incidents, "_INDEX_CITIES_FROM", 10**9)
        want = _run(makers, named)
        mp.setattr(incidents, "_INDEX_CITIES_FROM", 0)
        assert _run(makers, named) == want
