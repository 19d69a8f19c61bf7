"""Incidents: one incident, one event per place.

An article often tells one incident at two granularities: the title line or the
lead names the governorate or "ريف X", the body the village; a sentence names
the town and the region it lies in. After the pairwise merge
(:mod:`rasid.extract.merge`) a frame located only at such a region-level place
is the same incident as a frame at a place inside that region when enough
evidence says so: a compatibility score adds up weighted features (the type,
the sentence or paragraph they share, the title line, the same toll, the same
named actor; a different toll or actor counts against) and compares the sum
with a threshold. The weights live in ``data/incidents.yaml``. A region twin
that joins an incident gives its evidence to the town-level event and is no
event of its own.

Further passes on the merged frames, each with its word lists in the same file:
a battle told at a quarter or spot of a city beside the city's battle joins it
(:func:`absorb_quarter_twins`, a score of its own); a town named only as the
reference point or container of the place before it (``X بالقرب من بلدة Y``,
``حي X بمدينة Y``) is no event (:func:`absorb_anchor_twins`); ``أحياء المدينة``
retells the last event of its type (:func:`absorb_anaphor_twins`); a city name
after a countryside word (``ريفي X وY``) is region-level; a region frame that
sums up separate incidents (``بهجمات منفصلة``) joins them.

The same module says which places are no event place at all: the reporter's
base in "قال مراسلنا في حلب إن...", the seat of a source that speaks
("وبحسب مصادر في دير الزور، فقد…").
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from rasid.document import Document, Mention, Sentence
from rasid.extract.arguments import actor_id, folded_between, markers
from rasid.extract.events import Frame
from rasid.extract.frames import VIOLENT_TYPES
from rasid.knowledge.loader import DataError, data_path, load_yaml
from rasid.text.fold import fold_phrase, fold_set

# an attacker the text does not name is no evidence for or against a side
_UNKNOWN = frozenset({"UNIDENTIFIED"})
# place features that are a region, not a spot
_REGION_FEATURES = frozenset({"governorate", "province"})
# features of a spot inside a town: its quarters, sites, and places found by grammar alone
_SPOT_FEATURES = frozenset(
    {"quarter", "neighbourhood", "unknown", "military_site", "square", "prison", "hospital", "site"}
)
# features that sit in or beside a town rather than being one
_SITE_FEATURES = frozenset(
    {"airport", "airbase", "military_site", "neighbourhood", "square", "prison", "hospital", "dam"}
)


class IncidentModel:
    """The weights, threshold and word lists of ``data/incidents.yaml``."""

    def __init__(
        self,
        threshold: float,
        weights: dict[str, float],
        generic_lemmas: frozenset[str],
        reporter_words: frozenset[str],
        reporter_gap: int,
        dateline_marks: frozenset[str],
        gravity: dict[str, tuple[str, ...]],
        report_verbs: frozenset[str],
        weekdays: dict[str, int],
        camps: dict[str, str],
        quarters: QuarterModel,
        anchor_gap: int,
        seat_words: frozenset[str],
        seat_followers: frozenset[str],
        countryside_words: frozenset[str],
        countryside_fillers: frozenset[str],
        anaphor_places: frozenset[str],
        summary_words: frozenset[str],
    ) -> None:
        self.summary_words = summary_words
        self.anaphor_places = anaphor_places
        self.countryside_words = countryside_words
        self.countryside_fillers = countryside_fillers
        self.seat_words = seat_words
        self.seat_followers = seat_followers
        self.anchor_gap = anchor_gap
        self.threshold = threshold
        self.weights = weights
        self.generic_lemmas = generic_lemmas
        self.reporter_words = reporter_words
        self.reporter_gap = reporter_gap
        self.dateline_marks = dateline_marks
        self.gravity = gravity
        self.report_verbs = report_verbs
        self.weekdays = weekdays
        self.camps = camps
        self.quarters = quarters


class QuarterModel:
    """The battle-for-a-city part of ``data/incidents.yaml`` (:func:`absorb_quarter_twins`)."""

    def __init__(
        self,
        types: frozenset[str],
        city_features: frozenset[str],
        radius_km: float,
        threshold: float,
        weights: dict[str, float],
        container_words: frozenset[str],
        settlement_words: frozenset[str],
    ) -> None:
        self.container_words = container_words
        self.settlement_words = settlement_words
        self.types = types
        self.city_features = city_features
        self.radius_km = radius_km
        self.threshold = threshold
        self.weights = weights


def _quarter_model(data: Any) -> QuarterModel:
    return QuarterModel(
        types=frozenset(str(t) for t in data["city_wide_types"]),
        city_features=frozenset(str(t) for t in data["city_features"]),
        radius_km=float(data["city_radius_km"]),
        threshold=float(data["quarter_threshold"]),
        weights={str(k): float(v) for k, v in data["quarter_weights"].items()},
        container_words=fold_set(data["container_words"]),
        settlement_words=fold_set(data["settlement_words"]),
    )


@lru_cache(maxsize=1)
def model() -> IncidentModel:
    data = load_yaml("incidents.yaml")
    try:
        weights = {str(k): float(v) for k, v in data["weights"].items()}
        return IncidentModel(
            threshold=float(data["threshold"]),
            weights=weights,
            generic_lemmas=frozenset(str(w) for w in data["generic_lemmas"]),
            reporter_words=fold_set(data["reporter_words"]),
            reporter_gap=int(data["reporter_gap"]),
            dateline_marks=frozenset(str(w) for w in data["dateline_marks"]),
            gravity={str(k): tuple(str(x) for x in v) for k, v in data["gravity"].items()},
            # the reporting verbs of arguments.yaml ("قالت X إن…"), folded
            report_verbs=fold_set(load_yaml("arguments.yaml")["report_verbs"]),
            # the weekday names of calendar.yaml, folded, to their number
            camps={str(a): str(camp) for camp, ids in data["camps"].items() for a in ids},
            weekdays={
                fold_phrase(str(name)): int(day)
                for day, names in load_yaml("calendar.yaml")["weekdays"].items()
                for name in names
            },
            quarters=_quarter_model(data),
            anchor_gap=int(data["anchor_gap"]),
            seat_words=fold_set(data["seat_words"]),
            seat_followers=fold_set(data["seat_followers"]),
            countryside_words=fold_set(data["countryside_words"]),
            countryside_fillers=fold_set(data["countryside_fillers"]),
            anaphor_places=fold_set(data["anaphor_places"]),
            summary_words=fold_set(data["summary_words"]),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise DataError(f"{data_path('incidents.yaml')}: {e!r}") from e


def distance_km(a: Mention, b: Mention) -> float | None:
    """Kilometres between two places with coordinates (None when one has none)."""
    try:
        lat1, lon1 = float(a.data["lat"]), float(a.data["lon"])
        lat2, lon2 = float(b.data["lat"]), float(b.data["lon"])
    except (KeyError, TypeError, ValueError):
        return None
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return 6371.0 * math.hypot(x, y)


# A grid of cells of 0.1 degree of latitude by 0.125 of longitude: GRID_KM is 0.0899 degrees of
# latitude (distance_km's earth of 6371 km) and 0.0899 / cos(latitude) of longitude, at most
# 0.1174 while both places lie within GRID_MAX_LAT degrees of the equator, so two places at most
# GRID_KM apart lie in the same or neighbouring cells (merging and the quarter twins find the
# places near a place this way; tests/test_merge_blocks.py checks it)
GRID_KM = 10.0
GRID_MAX_LAT = 40.0
_CELL_LAT = 0.1
_CELL_LON = 0.125


def grid_cell(lat: float, lon: float) -> tuple[int, int]:
    return math.floor(lat / _CELL_LAT), math.floor(lon / _CELL_LON)


def graded_sub_types(event_type: str) -> bool:
    """Whether the type's sub-types are grades of one event (a protest, then force against it)."""
    return event_type in model().gravity


def graver_sub_type(event_type: str, a: str, b: str) -> str:
    """Of two tellings of one protest, the graver sub-type (``excessive_force…`` over ``peaceful…``)."""
    order = model().gravity.get(event_type, ())
    rank = {s: i for i, s in enumerate(order)}
    return b if rank.get(b, -1) > rank.get(a, -1) else a


def side_of(actor: str) -> str:
    """The camp an actor fights in (``SNA`` with ``TUR_MIL``), else its id's first part."""
    return model().camps.get(actor) or actor.split("_")[0]


# ---------------------------------------------------------------- places that are no event place


def reporter_place(doc: Document, place: Mention) -> bool:
    """``قال مراسلنا في حلب إن…``, ``مراسل الوكالة في إدلب``: where the reporter is, not the event;
    ``وذكرت مصادر الدفاع المدني في إدلب أن…``: where the source that speaks sits."""
    m = model()
    before = folded_between(doc, max(0, place.start - 80), place.start)
    if not before or before[-1] != "في":
        return False
    window = before[-(m.reporter_gap + 2) : -1]
    if any(w in m.reporter_words or w[1:] in m.reporter_words for w in window):
        return True
    return _source_seat(doc, place) or _bare_source_seat(doc, place, before)


def _says_after(doc: Document, place: Mention) -> bool:
    """What a source says opens right after the place: ``…في إدلب، أن…``, ``…في دير الزور، فقد…``."""
    words = folded_between(doc, place.end, min(len(doc.text), place.end + 40))
    after = [w for w in words if w.isalpha()][:1]
    followers = model().seat_followers
    return any(w in markers().complementisers or w in ("ان", "إن") or w in followers for w in after)


def _bare_source_seat(doc: Document, place: Mention, before: list[str]) -> bool:
    """``وبحسب مصادر في دير الزور، فقد هاجمت…``: an unnamed source noun sits at the place."""
    seat = model().seat_words
    return len(before) >= 2 and _word_in(before[-2], seat) and _says_after(doc, place)


# The last document's mentions of some kinds: (its mention list, that list's length, kinds -> mentions).
# Mentions are only ever appended, so the list and its length say whether the answer still holds.
_BY_KIND: list[Any] = [None, -1, {}]


def _mentions_of(doc: Document, kinds: tuple[str, ...]) -> list[Mention]:
    """``[m for m in doc.mentions if m.kind in kinds]``, kept while the document gains no mention: the
    place rules below ask it per place or frame, and a long article has thousands of mentions."""
    if _BY_KIND[0] is not doc.mentions or _BY_KIND[1] != len(doc.mentions):
        _BY_KIND[:] = [doc.mentions, len(doc.mentions), {}]
    found: dict[tuple[str, ...], Any] = _BY_KIND[2]
    out: list[Mention] | None = found.get(kinds)
    if out is None:
        out = found[kinds] = [m for m in doc.mentions if m.kind in kinds]
    return out


def _by_end(doc: Document, kind: str) -> tuple[list[Mention], list[int]]:
    """The mentions of one kind sorted by end (stable), and their ends, kept as :func:`_mentions_of`."""
    return _sorted_by(doc, kind, "end")


def _by_start(doc: Document, kind: str) -> tuple[list[Mention], list[int]]:
    """The mentions of one kind sorted by start (stable), and their starts, kept as :func:`_mentions_of`."""
    return _sorted_by(doc, kind, "start")


def _sorted_by(doc: Document, kind: str, edge: str) -> tuple[list[Mention], list[int]]:
    mentions = _mentions_of(doc, (kind,))  # (refreshes the cache first when the document changed)
    found: dict[tuple[str, ...], Any] = _BY_KIND[2]
    out: tuple[list[Mention], list[int]] | None = found.get((kind, "#by_" + edge))
    if out is None:
        key = _end if edge == "end" else _start
        ordered = sorted(mentions, key=key)
        out = found[(kind, "#by_" + edge)] = (ordered, [key(m) for m in ordered])
    return out


def _end(m: Mention) -> int:
    return m.end


def _sources_before(doc: Document, pos: int, gap: int) -> list[Mention]:
    """The claim sources that end at or before ``pos`` with at most ``gap`` words between, nearest first.

    The words between ``s.end`` and ``pos`` only grow as ``s.end`` moves back (the words of a
    suffix are never more than those of the whole), so the sources by end, walked back from
    ``pos``, stop at the first one too far: a long article's earlier sources are never asked.
    (Callers ask whether any of them qualifies, so the order does not matter.)
    """
    by_end, ends = _by_end(doc, "claim_source")
    out: list[Mention] = []
    for k in range(bisect_right(ends, pos) - 1, -1, -1):
        s = by_end[k]
        if len(folded_between(doc, s.end, pos)) > gap:
            break
        out.append(s)
    return out


def _source_seat(doc: Document, place: Mention) -> bool:
    """A claim source right before ``في`` + the place that speaks: a reporting verb before it
    (``وأكدت مصادر إعلامية في دير الزور، انسحاب…``) or what it says after it (``…في إدلب، أن…``)."""
    sources = _sources_before(doc, place.start, model().reporter_gap)
    if not sources:
        return False
    after = folded_between(doc, place.end, min(len(doc.text), place.end + 40))[:4]
    if any(w in markers().complementisers or w in ("ان", "إن") for w in after):
        return True
    verbs = model().report_verbs
    return any(
        any(w in verbs or w[1:] in verbs for w in folded_between(doc, max(0, s.start - 20), s.start)[-2:])
        for s in sources
    )


# ---------------------------------------------------------------- the twins of one incident


def granularity(doc: Document, f: Frame) -> int:
    """How wide the frame's place is: 0 a site or neighbourhood, 1 a town, 2 a district,
    3 a region of a governorate (``ريف إدلب``), 4 a wider region; 5 no place."""
    loc = f.location
    if loc is None:
        return 5
    feature = loc.data.get("feature")
    if feature == "capital" and f.headline and not _written_as_city(doc, loc):
        # "قتلى بقصف على إدلب" in the title line: the governorate its body tells town by town
        return 3
    if loc.kind == "place" and dateline_place(doc, loc):
        # "دمشق – قتل ثلاثة…": where the story was filed, as wide as the body needs
        return 4
    if loc.kind == "place" and countryside_of(doc, loc):
        # "شنت الطائرات غارات على ريفي حماة وإدلب": the countryside, not the two cities
        return 3
    if loc.kind != "region" and feature not in _REGION_FEATURES:
        return 0 if feature in _SITE_FEATURES else 1
    if feature == "district":
        return 2
    return 3 if loc.data.get("admin1") else 4


def countryside_of(doc: Document, place: Mention) -> bool:
    """``ريف مدينة عفرين``, ``ريفي حماة الشمالي وإدلب الجنوبي`` (both names): a place name read alone
    that the words before it make the countryside around it."""
    m = model()
    words = [
        w for w in folded_between(doc, max(0, place.start - 60), place.start) if w.isalpha() and w != "و"
    ]
    if words and words[-1] in m.countryside_fillers:
        words = words[:-1]
    if words and _word_in(words[-1], m.countryside_words):
        return True
    if not doc.text[max(0, place.start - 1) : place.start] == "و" and not place.text.startswith("و"):
        return False
    # the second name of a dual countryside: "ريفي X الشمالي وY"
    return any(_word_in(w, m.countryside_words) and w.endswith("ي") for w in words[-3:])


def dateline_place(doc: Document, place: Mention) -> bool:
    """``درعا – تمكنت…``, ``إدلب/ الأناضول``: a place that opens a line and a dash or slash follows."""
    # only spaces and dashes between the line's start and the place, read back from the place (not
    # the whole line: a page with no line break is one line, and this is asked per place and frame)
    text = doc.text
    i = place.start
    while i > 0 and text[i - 1] in _DATELINE_LEAD:
        i -= 1
    if i > 0 and text[i - 1] != "\n":
        return False
    after = text[place.end : place.end + 3].lstrip(" \u200f")
    return after[:1] in model().dateline_marks


# what may stand between a line's start and a dateline's place
_DATELINE_LEAD = frozenset(" \t\u200f-–—")


def _written_as_city(doc: Document, place: Mention) -> bool:
    """``مدينة إدلب``: the city itself, not the province it names."""
    return folded_between(doc, max(0, place.start - 8), place.start)[-1:] == ["مدينه"]


def is_coarse(doc: Document, f: Frame) -> bool:
    """A frame located only at a region: ``ريف إدلب``, ``محافظة درعا``, ``شمال سوريا``."""
    return 2 <= granularity(doc, f) <= 4


def contains(region: Mention, place: Mention) -> bool:
    """The place lies in the region: its district or governorate, or (no governorate) in Syria."""
    admin1 = region.data.get("admin1")
    if not admin1:
        return region.data.get("country") in (None, "SY") and place.data.get("country") in (None, "SY")
    if place.data.get("admin1") != admin1:
        return False
    admin2 = region.data.get("admin2")
    return region.data.get("feature") != "district" or not admin2 or place.data.get("admin2") == admin2


def _generic(f: Frame) -> bool:
    """``الهجوم``, ``القصف``: a noun that retells an attack without saying its kind."""
    lemma = f.trigger.data.get("lemma")
    if lemma not in model().generic_lemmas:
        return False
    first = f.trigger.text.split()[:1]
    return f.headline or (bool(first) and first[0].lstrip("وفب").startswith("ال"))


def _definite_generic(f: Frame) -> bool:
    """``وأسفر القصف على ريف إدلب عن…`` in the body: the noun points back at an incident told."""
    return not f.headline and _generic(f) and bool(f.trigger.data.get("defaulted"))


def _type_feature(a: Frame, b: Frame) -> str | None:
    """How the two types fit: the same sub-type, the same type, a generic retelling; None = no fit."""
    if a.sub_event_type == b.sub_event_type and a.event_type == b.event_type:
        return "same_sub_event_type"
    if a.event_type == b.event_type:
        return "same_event_type"
    if a.event_type in VIOLENT_TYPES and b.event_type in VIOLENT_TYPES and (_generic(a) or _generic(b)):
        return "generic_retelling"
    return None


def _day(f: Frame) -> str | None:
    d = f.date
    if d is None or d.data.get("precision") != "day":
        return None
    start = d.data.get("start")
    return str(start) if start else None


def dates_conflict(a: Frame, b: Frame) -> bool:
    """Both told on a stated day, and not the same day: two incidents. With no article date to
    resolve them, two different weekdays named (``يوم السبت`` / ``يوم الاثنين``) say the same."""
    # (signatures_conflict of the two date_signatures, written out: merging asks it of every pair)
    da, db = _day(a), _day(b)
    if da is not None and db is not None:
        return da != db
    wa, wb = _weekday(a), _weekday(b)
    return wa is not None and wb is not None and wa != wb


# what dates_conflict reads of a frame: its stated day and the weekday its date names
DateSignature = tuple[str | None, int | None]


def date_signature(f: Frame) -> DateSignature:
    """The frame's stated day and named weekday: two frames' dates conflict by these alone
    (merging indexes its frames by them, issue #19)."""
    return _day(f), _weekday(f)


def signatures_conflict(a: DateSignature, b: DateSignature) -> bool:
    """:func:`dates_conflict` of two frames with these signatures."""
    da, wa = a
    db, wb = b
    if da is not None and db is not None:
        return da != db
    return wa is not None and wb is not None and wa != wb


def _weekday(f: Frame) -> int | None:
    """The weekday the frame's date mention names, if any (calendar.yaml)."""
    if f.date is None:
        return None
    return _weekday_named(f.date.text)


@lru_cache(maxsize=4096)
def _weekday_named(text: str) -> int | None:
    """The weekday a date mention's text names (cached: merging asks it for every pair of frames)."""
    words = [w.lstrip("وب") for w in fold_phrase(text).split()]
    days = model().weekdays
    return next((days[w] for w in words if w in days), None)


def _named(f: Frame) -> str | None:
    aid = actor_id(f.roles.actor1)
    return None if aid is None or aid in _UNKNOWN else aid


def _actor_features(a: Frame, b: Frame) -> list[str]:
    """The same named doer, or two doers of different sides."""
    x, y = _named(a), _named(b)
    if x is None or y is None:
        return []
    if x == y:
        return ["same_named_actor"]
    if side_of(x) == side_of(y):
        return []
    return ["actor_conflict"]


def _tolls(f: Frame) -> dict[str, int]:
    out: dict[str, int] = {}
    for c in f.casualties:
        kind, value = c.data.get("casualty"), c.data.get("value")
        if isinstance(kind, str) and isinstance(value, int):
            out.setdefault(kind, value)
    return out


def _toll_features(a: Frame, b: Frame) -> list[str]:
    """``مقتل خمسة`` told in both: the same incident; five and twelve: two."""
    ta, tb = _tolls(a), _tolls(b)
    shared = [k for k in ta if k in tb]
    if not shared:
        return []
    if all(ta[k] == tb[k] for k in shared):
        return ["same_toll"]
    return ["toll_conflict"]


def _sentence_index(doc: Document, start: int) -> int:
    return bisect_right(_sentence_starts(doc)[0], start) - 1


# The last document's sentences: (its sentence list, its length, their starts, whether they run in
# order without overlap).
_STARTS: list[Any] = [None, -1, [], False]


def _sentence_starts(doc: Document) -> tuple[list[int], bool]:
    """The sentences' starts (kept while the document's sentences stay the same, not a list per
    question), and whether the sentences run in order without overlap."""
    sentences = doc.sentences
    if _STARTS[0] is not sentences or _STARTS[1] != len(sentences):
        starts = [x.start for x in sentences]
        disjoint = all(a.end <= b.start for a, b in zip(sentences, sentences[1:], strict=False)) and all(
            x.start <= x.end for x in sentences
        )
        _STARTS[:] = [sentences, len(sentences), starts, disjoint]
    return _STARTS[2], _STARTS[3]


def _sentence_at(doc: Document, pos: int) -> Sentence | None:
    """``doc.sentence_at(pos)``, by bisection when the sentences run in order without overlap."""
    starts, disjoint = _sentence_starts(doc)
    if not disjoint:
        return doc.sentence_at(pos)
    k = bisect_right(starts, pos) - 1
    return doc.sentences[k] if k >= 0 and pos < doc.sentences[k].end else None


def _telling_features(doc: Document, coarse: Frame, fine: Frame) -> list[str]:
    """Where the two are told: one sentence, the title line, one paragraph, sentences side by side."""
    if coarse.sentences & fine.sentences:
        return ["same_sentence"]
    out = []
    if coarse.headline:
        out.append("headline")
    if coarse.location is not None and dateline_place(doc, coarse.location):
        out.append("dateline")
    if coarse.sentence.paragraph == fine.sentence.paragraph:
        out.append("same_paragraph")
    ia = {_sentence_index(doc, s) for s in coarse.sentences}
    ib = {_sentence_index(doc, s) for s in fine.sentences}
    if any(i - 1 in ib or i + 1 in ib for i in ia):  # (two sentences side by side)
        out.append("adjacent_sentence")
    return out


def features(doc: Document, coarse: Frame, fine: Frame) -> list[str] | None:
    """The evidence that ``coarse`` retells ``fine``'s incident; None when it cannot."""
    if coarse.location is None or fine.location is None:
        return None
    if not (contains(coarse.location, fine.location) or dateline_place(doc, coarse.location)):
        # (a story filed from Damascus may tell of any place)
        return None
    kind = _type_feature(coarse, fine)
    summary = (
        _summary(doc, coarse) and coarse.event_type in VIOLENT_TYPES and fine.event_type in VIOLENT_TYPES
    )
    if summary and kind is None:
        kind = "generic_retelling"
    if kind is None or dates_conflict(coarse, fine):
        return None
    retold = ["retold"] if _definite_generic(coarse) else []
    found = [kind] + retold + _telling_features(doc, coarse, fine)
    if summary:
        # a total over separate incidents is no other toll than each one's
        return found + ["summary"] + _actor_features(coarse, fine)
    return found + _actor_features(coarse, fine) + _toll_features(coarse, fine)


def _summary(doc: Document, f: Frame) -> bool:
    """``قتل ثلاثة بهجمات منفصلة بمناطق متفرقة من محافظة درعا``: the sum of incidents told apart."""
    words = model().summary_words
    s = _sentence_at(doc, f.trigger.start)
    if s is None:
        return False
    return any(w in words for w in folded_between(doc, s.start, s.end))


def score(doc: Document, coarse: Frame, fine: Frame) -> float | None:
    """The sum of the weights of :func:`features`; None when the two cannot be one incident."""
    found = features(doc, coarse, fine)
    if found is None:
        return None
    weights = model().weights
    return sum(weights.get(name, 0.0) for name in found)


def _joins(value: float | None, threshold: float) -> bool:
    return value is not None and value >= threshold


def _lend_evidence(host: Frame, twin: Frame) -> None:
    """One of several towns of the incident: it keeps the region's telling, not its toll."""
    host.sentences |= twin.sentences
    for span in twin.evidence:
        if span not in host.evidence:
            host.evidence.append(span)
    if host.roles.actor1 is None and _named(twin) is not None:
        host.roles.actor1 = twin.roles.actor1
    if host.date is None:
        host.date = twin.date


def absorb_region_twins(
    doc: Document, frames: list[Frame], absorb: Callable[[Frame, Frame], None]
) -> list[Frame]:
    """Drop each region-level frame whose incident a town-level frame tells (see the module docstring).

    With one such town the twin is absorbed whole (its toll included, the town kept as the
    place); with several (a list of villages in the region) each keeps the telling, none the toll.
    """
    threshold = model().threshold
    dropped: set[int] = set()
    # each frame's granularity, once: absorbing keeps the host's place and headline (what it reads),
    # and the twin is dropped (asking it of every frame per region frame grew with the article)
    levels = [granularity(doc, g) for g in frames]
    # the frames by their place's governorate: a region with one holds only places of it (contains),
    # unless it is a dateline's, which may tell of any place (features); in frame order
    in_admin1: dict[object, list[int]] | None = (
        None  # (made at the first region frame: most articles have none)
    )
    everyone = range(len(frames))
    for f, level in zip(frames, levels, strict=True):
        if not 2 <= level <= 4:
            continue
        if in_admin1 is None:
            in_admin1 = {}
            for i, g in enumerate(frames):
                if g.location is not None:
                    in_admin1.setdefault(g.location.data.get("admin1"), []).append(i)
        pool: Sequence[int] = everyone
        loc = f.location
        if loc is not None:
            admin1 = loc.data.get("admin1")
            if admin1 and not dateline_place(doc, loc):
                pool = in_admin1.get(admin1, [])
        finer = [frames[i] for i in pool if levels[i] < level and id(frames[i]) not in dropped]
        hosts = [g for g in finer if _joins(score(doc, f, g), threshold)]
        if not hosts:
            continue
        if len(hosts) == 1:
            host = hosts[0]
            place, etype, stype, trig = host.location, host.event_type, host.sub_event_type, host.trigger
            absorb(host, f)
            host.location, host.event_type, host.sub_event_type, host.trigger = place, etype, stype, trig
        else:
            for host in hosts:
                _lend_evidence(host, f)
        dropped.add(id(f))
    return [f for f in frames if id(f) not in dropped]


# ---------------------------------------------------------------- a battle for a city: its quarters


def _sentence_spans(doc: Document, f: Frame) -> list[tuple[int, int]]:
    """The spans of the sentences the frame is told in, in the document's order."""
    ends = _sentence_ends(doc)
    if ends is None:
        return [(s.start, s.end) for s in doc.sentences if s.start in f.sentences]
    # (from the sentence starts, not a pass over a long article's sentences per frame)
    return [(a, ends[a]) for a in sorted(f.sentences) if a in ends]


# The last document's sentences: (its sentence list, its length, start -> end of the first sentence there).
_SENTENCES: list[Any] = [None, -1, None]


def _sentence_ends(doc: Document) -> dict[int, int] | None:
    """Sentence start -> end. Segmentation gives sentences in text order; were it ever not so
    (or two to share a start), the spans by sorted start would differ: None, and a scan."""
    if _SENTENCES[0] is not doc.sentences or _SENTENCES[1] != len(doc.sentences):
        starts = [s.start for s in doc.sentences]
        ordered = all(a < b for a, b in zip(starts, starts[1:], strict=False))
        ends = {s.start: s.end for s in doc.sentences} if ordered else None
        _SENTENCES[:] = [doc.sentences, len(doc.sentences), ends]
    found: dict[int, int] | None = _SENTENCES[2]
    return found


def _in_spans(m: Mention, spans: list[tuple[int, int]]) -> bool:
    return any(a <= m.start and m.end <= b for a, b in spans)


def _within(spans: list[tuple[int, int]]) -> Callable[[Mention], bool]:
    """:func:`_in_spans` for many mentions: by bisection when the spans run in order without
    overlap (a frame's sentences, as :func:`_sentence_spans` gives them), not a pass over a long
    frame's sentences per mention."""
    if not all(x[1] <= y[0] for x, y in zip(spans, spans[1:], strict=False)):
        return lambda m: _in_spans(m, spans)
    starts = [a for a, _ in spans]

    def test(m: Mention) -> bool:
        k = bisect_right(starts, m.start) - 1
        return k >= 0 and m.end <= spans[k][1]

    return test


def _city_mentions(doc: Document, city: Frame, part: Frame) -> list[Mention]:
    """The mentions of the city's place in the sentences the part is told in."""
    key = city.location_key
    if key is None:
        return []  # a mention's key is never None
    spans = _sentence_spans(doc, part)
    mentions = _places_by_key(doc).get(key)
    if not mentions:
        return []
    if len(mentions) <= 8:
        return [m for m in mentions if m is not part.location and _in_spans(m, spans)]
    within = _within(spans)
    # a place a long article names often: only its mentions that start inside a span can lie in
    # one (by bisection, not a pass over all of them per pair of frames), kept in their order
    starts, order = _starts_of_key(key, mentions)
    picked: set[int] = set()
    for a, b in spans:
        picked.update(order[n] for n in range(bisect_left(starts, a), bisect_right(starts, b)))
    return [mentions[i] for i in sorted(picked) if mentions[i] is not part.location and within(mentions[i])]


def _starts_of_key(key: str, mentions: list[Mention]) -> tuple[list[int], list[int]]:
    """The starts of one key's place mentions, sorted, and the index in ``mentions`` of each; kept
    with :func:`_places_by_key`'s lists (call that first: it refreshes the cache)."""
    found: dict[tuple[str, ...], Any] = _BY_KIND[2]
    out: tuple[list[int], list[int]] | None = found.get(("#starts_of_key", key))
    if out is None:
        order = sorted(range(len(mentions)), key=lambda i: mentions[i].start)
        out = found[("#starts_of_key", key)] = ([mentions[i].start for i in order], order)
    return out


def _places_by_key(doc: Document) -> dict[str, list[Mention]]:
    """The place and region mentions by location key (gazetteer id, else text), in document order,
    kept as :func:`_mentions_of` (a long article asks for its cities' mentions per frame)."""
    mentions = _mentions_of(doc, ("place", "region"))  # (refreshes the cache when the document changed)
    found: dict[tuple[str, ...], Any] = _BY_KIND[2]
    out: dict[str, list[Mention]] | None = found.get(("#places_by_key",))
    if out is None:
        out = {}
        for m in mentions:
            out.setdefault(m.data.get("gazetteer_id") or m.text, []).append(m)
        found[("#places_by_key",)] = out
    return out


def _city_named(doc: Document, mentions: list[Mention]) -> bool:
    """``سيطروا على نقاط في حي اللطاوة داخل بلدة ذيبان``: the city is named as the part's container."""
    return any(_word_in(_word_before(doc, m), model().quarters.container_words) for m in mentions)


def _word_before(doc: Document, m: Mention) -> str:
    """The folded word right before a mention."""
    words = folded_between(doc, max(0, m.start - 20), m.start)
    return words[-1] if words else ""


def _word_in(word: str, words: frozenset[str]) -> bool:
    """The word, or the word without a clitic و/ب/ل/ف (``وداخل`` → ``داخل``), is one of ``words``."""
    return word in words or (word[:1] in ("و", "ب", "ل", "ف") and word[1:] in words)


def _written_as_town(doc: Document, part: Frame) -> bool:
    """``بلدة الشحيل``, ``قرية المال``: a place written as a town of its own, no quarter."""
    return part.location is not None and _word_in(
        _word_before(doc, part.location), model().quarters.settlement_words
    )


# While absorb_quarter_twins runs: id of a frame -> (the frame, how many sentences it had, its day
# words). A part is scored against many cities and a city against many parts; a frame's sentences
# only grow (absorbing), so their number says whether its words still hold.
_DAY_WORDS: dict[int, tuple[Frame, int, set[str]]] = {}


def _day_words(doc: Document, f: Frame) -> set[str]:
    kept = _DAY_WORDS.get(id(f))
    if kept is not None and kept[0] is f and kept[1] == len(f.sentences):
        return kept[2]
    out = _read_day_words(doc, f)
    if _QUARTERS_RUNNING[0]:
        _DAY_WORDS[id(f)] = (f, len(f.sentences), out)
    return out


_QUARTERS_RUNNING = [False]


def _read_day_words(doc: Document, f: Frame) -> set[str]:
    spans = _sentence_spans(doc, f)
    # (the date mentions kept by _mentions_of, not a pass over every mention per pair of frames)
    dates = _mentions_of(doc, ("date",))
    if len(dates) <= 8:
        return {fold_phrase(m.text) for m in dates if _in_spans(m, spans)}
    # (the dates that start inside a span, by bisection: a long article has many, a frame many sentences)
    ordered, starts = _by_start(doc, "date")
    within = _within(spans)
    out: set[str] = set()
    for a, b in spans:
        out.update(
            fold_phrase(m.text)
            for m in ordered[bisect_left(starts, a) : bisect_right(starts, b)]
            if within(m)
        )
    return out


def _own_day(doc: Document, city: Frame, part: Frame) -> bool:
    """``وكانت اشتباكات اندلعت في حي طي مساء الثلاثاء الماضي``: the part tells a day the city's
    telling does not: an earlier round of fighting."""
    return bool(_day_words(doc, part) - _day_words(doc, city))


def _side_camps(f: Frame) -> set[str]:
    ids = (actor_id(f.roles.actor1), actor_id(f.roles.actor2))
    return {side_of(a) for a in ids if a is not None and a not in _UNKNOWN}


def _sides_features(city: Frame, part: Frame) -> list[str]:
    """The two sides of a battle, in either order: the same, or a third camp (other fighting)."""
    a, b = _side_camps(city), _side_camps(part)
    if not a or not b:
        return []
    if len(a | b) > 2:
        return ["actor_conflict"]
    return ["same_sides"] if a == b else []


def _place_in_city(doc: Document, city: Frame, part: Frame) -> list[str] | None:
    """Whether the part's place can lie in the city: named there as its container, near its point,
    or a place with no coordinates; None when the coordinates put it outside, or when the city is
    named beside it as one more town of a list."""
    if city.location is None or part.location is None:
        return None
    named, as_container = _named_in_part(doc, city, part)
    if named and not as_container:
        # "في بلدتي ذيبان وطيانة": two towns side by side, each its own event
        return None
    found = ["city_named"] if named else []
    if not found and part.location.data.get("feature") in model().quarters.city_features:
        # a town near a town is its own place unless the text puts it inside
        return None
    d = distance_km(city.location, part.location)
    if d is not None and d <= model().quarters.radius_km:
        found.append("inside_city")
    elif d is not None and not found:
        return None
    return found


# While absorb_quarter_twins runs: (location key of a city, id of a part) -> (the part, how many
# sentences it had, the city's mentions in them, whether they name it as the part's container).
# Many city frames of a long article share a place, and a part's sentences only grow.
_NAMED: dict[tuple[str | None, int], tuple[Frame, int, list[Mention], bool]] = {}


def _named_in_part(doc: Document, city: Frame, part: Frame) -> tuple[list[Mention], bool]:
    """:func:`_city_mentions` and whether :func:`_city_named` holds of them."""
    key = (city.location_key, id(part))
    kept = _NAMED.get(key)
    if kept is not None and kept[0] is part and kept[1] == len(part.sentences):
        return kept[2], kept[3]
    named = _city_mentions(doc, city, part)
    as_container = bool(named) and _city_named(doc, named)
    if _QUARTERS_RUNNING[0]:
        _NAMED[key] = (part, len(part.sentences), named, as_container)
    return named, as_container


def _is_city(doc: Document, f: Frame) -> bool:
    loc = f.location
    return (
        loc is not None
        and loc.kind == "place"
        and granularity(doc, f) == 1
        and loc.data.get("feature") in model().quarters.city_features
    )


def quarter_features(doc: Document, city: Frame, part: Frame) -> list[str] | None:
    """The evidence that ``part`` (a quarter, spot or suburb) is told of ``city``'s battle; None
    when it cannot be: another type, no city, the city told nowhere else, two stated days."""
    if city.event_type != part.event_type or city.event_type not in model().quarters.types:
        return None
    if not _is_city(doc, city) or not _may_be_part(doc, part):
        return None
    return _pair_features(doc, city, part)


def _may_be_part(doc: Document, part: Frame) -> bool:
    """quarter_features' tests of the part alone: no wider than a town, not written as a town."""
    return granularity(doc, part) <= 1 and not _written_as_town(doc, part)


def _pair_features(doc: Document, city: Frame, part: Frame) -> list[str] | None:
    """quarter_features once the city and the part each passed their own tests (the same type)."""
    if city.location_key == part.location_key:
        return None
    if not (city.sentences - part.sentences) or dates_conflict(city, part):
        return None
    inside = _place_in_city(doc, city, part)
    if inside is None:
        return None
    kind = "same_sub_event_type" if city.sub_event_type == part.sub_event_type else "same_event_type"
    telling = [t for t in _telling_features(doc, city, part) if t != "headline" and t != "dateline"]
    own = ["own_day"] if _own_day(doc, city, part) else []
    return [kind] + telling + inside + own + _sides_features(city, part) + _toll_features(city, part)


def quarter_score(doc: Document, city: Frame, part: Frame) -> float | None:
    """The sum of the weights of :func:`quarter_features`; None when they cannot be one battle."""
    return _score(quarter_features(doc, city, part))


def _score(found: list[str] | None) -> float | None:
    if found is None:
        return None
    weights = model().quarters.weights
    return sum(weights.get(name, 0.0) for name in found)


def _best_city(
    doc: Document, part: Frame, cities: list[Frame], dropped: set[int], index: _Cities | None = None
) -> Frame | None:
    """The city frame of the highest score at or above the threshold (the first of equals)."""
    threshold = model().quarters.threshold
    best: Frame | None = None
    best_score = threshold
    for c in cities if index is None else index.candidates(doc, part):
        if c is part or id(c) in dropped:
            continue
        s = _score(_pair_features(doc, c, part))  # (absorb_quarter_twins ran the tests of each alone)
        if s is not None and s >= best_score and (best is None or s > best_score):
            best, best_score = c, s
    return best


class _Cities:
    """The city frames of one type, by what :func:`_place_in_city` needs of a city to hold a part:
    named in the part's sentences (its location key among their places), or near the part's place
    (a grid cell beside it), or no coordinates on either side (no distance says no). The others
    would score None, so a part is scored only against these, in the cities' order (issue #19:
    a long article scored every part against every city)."""

    def __init__(self, cities: list[Frame]) -> None:
        self.cities = cities
        self.by_key: dict[str | None, list[int]] = {}
        self.grid: dict[tuple[int, int], list[int]] = {}
        self.loose: list[int] = []  # no coordinates: no distance to any part
        self.far: list[int] = []  # beyond the grid's latitudes
        for n, c in enumerate(cities):
            self.by_key.setdefault(c.location_key, []).append(n)
            xy = _point(c.location)
            if xy is None:
                self.loose.append(n)
            elif isinstance(xy, tuple):
                if abs(xy[0]) > GRID_MAX_LAT:
                    self.far.append(n)
                else:
                    self.grid.setdefault(grid_cell(*xy), []).append(n)

    def candidates(self, doc: Document, part: Frame) -> list[Frame]:
        loc = part.location
        if loc is None:
            return []  # (no place: _place_in_city says None)
        xy = _point(loc)
        if xy is None or (isinstance(xy, tuple) and abs(xy[0]) > GRID_MAX_LAT):
            return self.cities  # every distance is None, or beyond the grid
        found = set(self.loose)
        for key in _place_keys_in(doc, _sentence_spans(doc, part)):
            found.update(self.by_key.get(key, ()))
        if isinstance(xy, tuple):
            found.update(self.far)
            cy, cx = grid_cell(*xy)
            for dy in (-1, 0, 1):
                for dx in (-1, 0, 1):
                    found.update(self.grid.get((cy + dy, cx + dx), ()))
        return [self.cities[n] for n in sorted(found)]


def _point(m: Mention | None) -> tuple[float, float] | bool | None:
    """``distance_km``'s reading of a place: its coordinates; None when it has none (no distance);
    False when they are not finite (a distance that is never within a radius)."""
    if m is None:
        return None
    try:
        lat, lon = float(m.data["lat"]), float(m.data["lon"])
    except (KeyError, TypeError, ValueError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return False
    return lat, lon


def _place_keys_in(doc: Document, spans: list[tuple[int, int]]) -> set[str]:
    """The location keys of the place and region mentions that start inside the spans."""
    starts, keys = _places_by_start(doc)
    out: set[str] = set()
    for a, b in spans:
        out.update(keys[bisect_left(starts, a) : bisect_right(starts, b)])
    return out


def _places_by_start(doc: Document) -> tuple[list[int], list[str]]:
    """The place and region mentions' starts, sorted, and their location keys, kept as
    :func:`_mentions_of`."""
    mentions = _mentions_of(doc, ("place", "region"))  # (refreshes the cache when the document changed)
    found: dict[tuple[str, ...], Any] = _BY_KIND[2]
    out: tuple[list[int], list[str]] | None = found.get(("#places_by_start",))
    if out is None:
        ordered = sorted(mentions, key=_start)
        out = ([m.start for m in ordered], [m.data.get("gazetteer_id") or m.text for m in ordered])
        found[("#places_by_start",)] = out
    return out


def _start(m: Mention) -> int:
    return m.start


# from how many cities of a type absorb_quarter_twins indexes them (fewer are all scored)
_INDEX_CITIES_FROM = 24


def absorb_quarter_twins(
    doc: Document, frames: list[Frame], absorb: Callable[[Frame, Frame], None]
) -> list[Frame]:
    """Fighting told at a quarter or spot of a city beside fighting told at the city is the
    city's battle: the part joins the city's event (its place, type and trigger stay the city's).

    ``اشتباكات عنيفة في مدينة القامشلي`` + ``وتركزت الاشتباكات في منطقتي الطي والحلو``: one event.
    Only the types of ``city_wide_types``; a part that tells its own day stays its own event.
    """
    types = model().quarters.types
    # quarter_features' tests of one frame alone, once per frame rather than once per pair (issue
    # #19): a city is a frame of a city-wide type at a town (its place, type and trigger stay as
    # they were when it absorbs a part, so this holds throughout), listed by type in frame order
    cities: dict[str, list[Frame]] = {}
    for c in frames:
        if c.event_type in types and _is_city(doc, c):
            cities.setdefault(c.event_type, []).append(c)
    _DAY_WORDS.clear()
    _NAMED.clear()
    _QUARTERS_RUNNING[0] = True
    try:
        return _absorb_quarter_twins(doc, frames, absorb, cities)
    finally:
        _QUARTERS_RUNNING[0] = False
        _DAY_WORDS.clear()
        _NAMED.clear()


def _absorb_quarter_twins(
    doc: Document, frames: list[Frame], absorb: Callable[[Frame, Frame], None], cities: dict[str, list[Frame]]
) -> list[Frame]:
    # (a city's place and key do not change: indexed once; see _Cities)
    radius_ok = model().quarters.radius_km <= GRID_KM
    indexes = {t: _Cities(cs) for t, cs in cities.items() if radius_ok and len(cs) >= _INDEX_CITIES_FROM}
    dropped: set[int] = set()
    hosts: set[int] = set()
    for part in frames:
        if part.event_type not in cities or id(part) in hosts:
            continue
        if not _may_be_part(doc, part):
            continue
        city = _best_city(doc, part, cities[part.event_type], dropped, indexes.get(part.event_type))
        if city is None:
            continue
        place, etype, stype, trig = city.location, city.event_type, city.sub_event_type, city.trigger
        absorb(city, part)
        city.location, city.event_type, city.sub_event_type, city.trigger = place, etype, stype, trig
        dropped.add(id(part))
        hosts.add(id(city))
    return [f for f in frames if id(f) not in dropped]


# ---------------------------------------------------------------- a reference point is no event place


def _anchors(doc: Document, anchor: Frame, located: Frame) -> bool:
    """``أنشأت القوات قاعدة في منطقة تل بدران بالقرب من بلدة كنصفرة``: the anchor's place (written
    with a "near" word) follows the located frame's place in one sentence, a few words after it and
    not joined to it by و (``قصفت بلدة X ومحيط بلدة Y`` lists two places)."""
    a, p = anchor.location, located.location
    if a is None or p is None or a is p or p.end > a.start:
        return False
    # (the cheap tests first: every frame is tried against every other)
    if anchor.event_type != located.event_type or not (anchor.sentences & located.sentences):
        return False
    if not a.data.get("near") and not _contains_spot(doc, a, p):
        return False
    if anchor.location_key == located.location_key:
        return False
    between = folded_between(doc, p.end, a.start)
    if len(between) > model().anchor_gap:
        return False
    return not any(w.startswith("و") for w in between)


def _contains_spot(doc: Document, city: Mention, spot: Mention) -> bool:
    """``في حي الذنيبة بمدينة إزرع``, ``معاقل الجيش في كتيبة البانوراما بمدينة درعا``: a quarter or a
    site, then its town as a container right after it."""
    if spot.data.get("feature") not in _SPOT_FEATURES:
        return False
    if any(doc.text.find(c, spot.end, city.start) >= 0 for c in ",،;؛"):
        # "قرية كوم الباش، مدينة نبع الصخر": a list of places
        return False
    if _three_words_in(doc, spot.end, city.start):
        return False  # (the test below, without the words of a long stretch: frames share sentences)
    between = [w for w in folded_between(doc, spot.end, city.start) if w.isalpha()]
    containers = model().quarters.container_words
    if not 0 < len(between) <= 2 or not all(w == "في" or _word_in(w, containers) for w in between):
        return False
    # "بمدينة X", "في مدينة X", "داخل بلدة X": a bare "مدينة X" starts a new place of a list
    return between[0] == "في" or between[0] == "داخل" or between[0].startswith("ب")


def _three_words_in(doc: Document, start: int, end: int) -> bool:
    """Whether ``doc.text[start:end]`` holds three alphabetic words or more, read from the first
    hundred characters only (the last word read there may be cut, so it is not counted)."""
    if end - start <= 100:
        return False  # (the caller's own count is as cheap)
    words = folded_between(doc, start, start + 100)[:-1]
    return sum(1 for w in words if w.isalpha()) >= 3


def absorb_anchor_twins(doc: Document, frames: list[Frame]) -> list[Frame]:
    """Drop each frame located only at the reference point of another frame's place in the same
    sentence (:func:`_anchors`); the located frame keeps its telling."""
    # _anchors asks for the same type and a shared sentence: each frame is tried only against the
    # frames of its type that tell one of its sentences (issue #19), in frame order; a host that
    # takes a frame's sentences is listed under them too
    told: dict[tuple[str, int], list[int]] = {}
    for i, g in enumerate(frames):
        for s in g.sentences:
            told.setdefault((g.event_type, s), []).append(i)
    dropped: set[int] = set()
    for f in frames:
        if f.location is None:
            continue  # an anchor has a place (_anchors)
        near = sorted({i for s in f.sentences for i in told.get((f.event_type, s), ())})
        at = next(
            (
                i
                for i in near
                if frames[i] is not f and id(frames[i]) not in dropped and _anchors(doc, f, frames[i])
            ),
            None,
        )
        if at is None:
            continue
        host = frames[at]
        _lend_evidence(host, f)
        for s in f.sentences:
            told.setdefault((host.event_type, s), []).append(at)
        dropped.add(id(f))
    return [f for f in frames if id(f) not in dropped]


# ---------------------------------------------------------------- "the city" told again


def _anaphor(f: Frame) -> bool:
    """``أحياء المدينة``: the frame's place is a class noun that points back at a place told before."""
    loc = f.location
    return loc is not None and fold_phrase(loc.text) in model().anaphor_places


def absorb_anaphor_twins(frames: list[Frame]) -> list[Frame]:
    """A frame located only at ``المدينة``/``البلدة`` retells the last event of its type told at or
    before its place (``غارات على مدينة سراقب … ودمار لحق بأحياء المدينة``): it lends its telling to
    that event and is no event of its own."""
    dropped: set[int] = set()
    for f in frames:
        if not _anaphor(f) or f.location is None:
            continue
        start = f.location.start
        told = [
            g
            for g in frames
            if g is not f
            and id(g) not in dropped
            and g.event_type == f.event_type
            and g.location is not None
            and not _anaphor(g)
            and g.location.start < start
        ]
        if not told:
            continue
        host = max(told, key=lambda g: g.location.start if g.location is not None else -1)
        _lend_evidence(host, f)
        dropped.add(id(f))
    return [f for f in frames if id(f) not in dropped]
