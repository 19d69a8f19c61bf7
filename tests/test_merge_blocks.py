"""merge_frames compares a frame only with the kept frames its blocks name (issue #19): the result
must be what comparing it with every kept frame gives. Frames are built by hand, at made-up places
around two points a few kilometres apart, so that every rule of ``_mergeable`` gets pairs to judge."""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from rasid.document import Mention, Sentence
from rasid.extract.arguments import Roles
from rasid.extract.events import Frame
from rasid.extract.incidents import distance_km
from rasid.extract.merge import _cell, merge_tellings

_SENTENCES = [Sentence(0, 20, 0), Sentence(21, 40, 0), Sentence(41, 60, 1)]
_TYPES = [
    ("explosions_remote_violence", "air_drone_strike"),
    ("explosions_remote_violence", "shelling_artillery_missile_attack"),
    ("battles", "armed_clash"),
    ("battles", "government_regains_territory"),
    ("strategic_developments", "non_violent_transfer_of_territory"),
    ("protests", "peaceful_protest"),
    ("protests", "excessive_force_against_protesters"),
    ("violence_against_civilians", "attack"),
]
_TRIGGERS = [("قصف", True, "قصف"), ("هجوم", True, "الهجوم"), ("غارة", False, "غارة جوية")]


@st.composite
def _place(draw: st.DrawFn) -> tuple[str, str, dict[str, object]] | None:
    if draw(st.integers(0, 6)) == 0:
        return None
    kind = draw(st.sampled_from(["place", "place", "region"]))
    data: dict[str, object] = {
        "admin1": draw(st.sampled_from(["Idlib", "Aleppo", None])),
        "country": draw(st.sampled_from(["SY", "SY", "TR", None])),
        "feature": "region" if kind == "region" else draw(st.sampled_from(["town", "airport", "capital"])),
    }
    gid = draw(st.sampled_from(["g:1", "g:2", "g:3", None]))
    if gid:
        data["gazetteer_id"] = gid
    if draw(st.booleans()):
        # around two points 0.2 degrees apart (about 20 km), up to 0.15 degrees off each
        lat = draw(st.sampled_from([35.9, 36.1])) + draw(st.floats(-0.15, 0.15))
        lon = draw(st.sampled_from([36.6, 36.8])) + draw(st.floats(-0.15, 0.15))
        data["lat"], data["lon"] = str(lat), lon
    text = draw(st.sampled_from(["سراقب", "سرمين", "ريف إدلب"]))
    return text, kind, data


@st.composite
def _frame(draw: st.DrawFn, types: list[tuple[str, str]] = _TYPES) -> Callable[[], Frame]:
    """A maker of one drawn frame, new objects at each call (merging changes the frames it keeps;
    the compiled build's mentions do not deepcopy)."""
    etype, sub = draw(st.sampled_from(types))
    lemma, defaulted, said = draw(st.sampled_from(_TRIGGERS))
    sentence = draw(st.sampled_from(_SENTENCES))
    place = draw(_place())
    actors = [
        draw(st.sampled_from(["SAA", "SDF", "TUR_MIL", "SNA", "HTS", "UNIDENTIFIED", None])) for _ in "12"
    ]
    headline = draw(st.integers(0, 5)) == 0
    # a stated day, a named weekday, both, or no date: merging indexes frames by these (two stated
    # days, or two weekdays, that differ are two incidents)
    day = draw(st.sampled_from([None, None, "2024-03-02", "2024-03-04"]))
    weekday = draw(st.sampled_from([None, "يوم السبت", "يوم الاثنين"]))

    def actor(aid: str | None) -> Mention | None:
        return Mention(0, 4, "فاعل", "actor", {"actor_id": aid}) if aid else None

    def make() -> Frame:
        trig = Mention(
            sentence.start, sentence.start + 4, said, "trigger", {"lemma": lemma, "defaulted": defaulted}
        )
        loc = Mention(0, 4, place[0], place[1], dict(place[2])) if place else None
        date = None
        if day or weekday:
            data = {"precision": "day", "start": day} if day else {"precision": "week"}
            date = Mention(sentence.start + 5, sentence.start + 12, weekday or "أمس", "date", data)
        return Frame(
            trigger=trig,
            event_type=etype,
            sub_event_type=sub,
            sentence=sentence,
            location=loc,
            roles=Roles(actor(actors[0]), actor(actors[1])),
            evidence=[(sentence.start, sentence.end)],
            headline=headline,
            date=date,
        )

    return make


def _every_pair(frames: list[Frame]) -> list[Frame]:
    """merge_frames' first loop as it was: each frame against every kept one."""
    return merge_tellings(frames, block_from=10**9)


def _summary(frames: list[Frame]) -> list[tuple[object, ...]]:
    return [
        (
            f.event_type,
            f.sub_event_type,
            f.location_key,
            sorted(f.sentences),
            f.evidence,
            f.trigger.text,
            f.date.text if f.date else None,
        )
        for f in frames
    ]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_frame(), max_size=14))
def test_blocked_merge_equals_the_merge_of_every_pair(makers: list[Callable[[], Frame]]) -> None:
    want = _summary(_every_pair([make() for make in makers]))
    assert _summary(merge_tellings([make() for make in makers], block_from=0)) == want


_EXPLOSIONS = [t for t in _TYPES if t[0] == "explosions_remote_violence"] + [
    ("explosions_remote_violence", "remote_explosive_landmine_ied")
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_frame(types=_EXPLOSIONS), max_size=12))
def test_blocked_merge_of_explosions_of_several_sub_types(makers: list[Callable[[], Frame]]) -> None:
    """Explosions of two sub-types merge when one was a guess (a bare ``قصف``) or a sentence tells
    both: the blocks hand out such pairs too (``merge._Kinds``)."""
    want = _summary(_every_pair([make() for make in makers]))
    assert _summary(merge_tellings([make() for make in makers], block_from=0)) == want


def test_a_town_and_its_airport_merge_across_sentences() -> None:
    town = Mention(
        0, 4, "القامشلي", "place", {"gazetteer_id": "g:q", "lat": 37.05, "lon": 41.22, "feature": "town"}
    )
    port = Mention(
        0,
        4,
        "مطار القامشلي",
        "place",
        {"gazetteer_id": "g:qa", "lat": 37.02, "lon": 41.19, "feature": "airport"},
    )
    far = Mention(
        0, 4, "الحسكة", "place", {"gazetteer_id": "g:h", "lat": 36.5, "lon": 40.75, "feature": "town"}
    )
    frames = [
        Frame(
            Mention(s.start, s.start + 4, "غارة", "trigger", {"lemma": "غارة"}),
            "explosions_remote_violence",
            "air_drone_strike",
            s,
            loc,
            Roles(None, None),
        )
        for s, loc in zip(_SENTENCES, [town, port, far], strict=True)
    ]
    merged = merge_tellings(frames, block_from=0)
    assert [f.location_key for f in merged] == ["g:q", "g:h"]
    assert merged[0].sentences == {0, 21}


@example(lat=39.9, lon=0.0999, dlat=0.0, dlon=0.11)  # 9.4 km, across two cells had they been 0.1 wide
@example(lat=0.0, lon=0.0, dlat=0.0899, dlon=0.0)  # 9.996 km due north
@given(
    st.floats(-40, 40),
    st.floats(-180, 180),
    st.floats(-0.1, 0.1),
    st.floats(-0.15, 0.15),
)
def test_places_near_enough_to_merge_lie_in_neighbouring_cells(
    lat: float, lon: float, dlat: float, dlon: float
) -> None:
    lat2 = max(-40.0, min(40.0, lat + dlat))
    a = Mention(0, 4, "أ", "place", {"lat": lat, "lon": lon})
    b = Mention(0, 4, "ب", "place", {"lat": lat2, "lon": lon + dlon})
    d = distance_km(a, b)
    if d is not None and d <= 10.0:
        (ya, xa), (yb, xb) = _cell(lat, lon), _cell(lat2, lon + dlon)
        assert abs(ya - yb) <= 1 and abs(xa - xb) <= 1


def test_a_governorate_region_retells_a_town_of_its_paragraph() -> None:
    """``قصف على ريف إدلب`` then ``قصف على سراقب`` in the next sentence of the paragraph, no doer
    named: one incident, found through the region's paragraph (not its sentence or a doer)."""

    def frames() -> list[Frame]:
        region = Mention(
            0, 4, "ريف إدلب", "region", {"admin1": "Idlib", "country": "SY", "feature": "region"}
        )
        town = Mention(0, 4, "سراقب", "place", {"admin1": "Idlib", "country": "SY", "feature": "town"})
        return [
            Frame(
                Mention(s.start, s.start + 3, "قصف", "trigger", {"lemma": "قصف"}),
                "explosions_remote_violence",
                "shelling_artillery_missile_attack",
                s,
                loc,
                Roles(None, None),
            )
            for s, loc in zip(_SENTENCES[:2], [region, town], strict=True)
        ]

    assert len(_every_pair(frames())) == 1
    assert len(merge_tellings(frames(), block_from=0)) == 1
