"""Tolls and the events they belong to (who counts the dead and wounded of which event).

:mod:`rasid.extract.casualties` finds the casualty mentions; this module decides
which event each one belongs to and what figure an event reports:

- a toll goes to the trigger it names or follows in its clause (``أعدم شابين``: the
  toll that holds a trigger is that trigger's);
- in a list of places, a toll followed by a place name is that place's, a toll
  with no place after it covers the list and is given to none;
- a sentence with a toll and no event of its own goes on about the event told
  just before (``وبلغت الحصيلة 7 قتلى``);
- figures of one kind are combined: a stated number beats a vague one.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from rasid.document import Document, Mention, Sentence
from rasid.extract.arguments import Roles, actor_id, folded_between
from rasid.extract.frames import CROWD_EVENT_TYPES
from rasid.knowledge.loader import load_yaml
from rasid.text.fold import fold_set

if TYPE_CHECKING:
    from rasid.extract.events import Frame


def casualties_by_place(
    doc: Document, cas: list[Mention], locs: list[Mention], places: list[Mention], trig: Mention | None = None
) -> dict[int, list[Mention]]:
    """In a list of places, ``…وإصابة خمسة آخرين في كفرنبل`` gives the toll to the place it names.

    The tolls before such a place name go to it; a toll no place follows is left out,
    since it cannot be split between the places of the list.
    """
    out: dict[int, list[Mention]] = {}
    pending: list[Mention] = []
    for c in sorted(cas, key=lambda m: m.start):
        pending.append(c)
        after = _first_from(places, c.end)
        if after is None or len(folded_between(doc, c.end, after.start)) > 2:
            continue
        key = after.data.get("gazetteer_id") or after.text
        loc = next((m for m in locs if (m.data.get("gazetteer_id") or m.text) == key), None)
        if loc is not None:
            out.setdefault(id(loc), []).extend(pending)
            pending = []
    last = max((m.start for m in locs), default=-1)  # the sentence's places only
    told_after = _told_after(places, trig, last)
    for c in pending:
        loc = _told_between_places(doc, c, locs, told_after) or _before_its_cause(
            doc, c, locs, told_after, trig, cas
        )
        if loc is not None:
            out.setdefault(id(loc), []).append(c)
    return out


def _before_its_cause(
    doc: Document,
    c: Mention,
    locs: list[Mention],
    told_after: list[Mention],
    trig: Mention | None,
    cas: list[Mention],
) -> Mention | None:
    """``امرأة قتلت وأصيب خمسة جراء غارات على مدينة X``: a toll told before its event word goes to the
    one place told after that word, before the next toll (none when they are several or a list)."""
    if trig is None or (c.end > trig.start and not c.start <= trig.start < c.end):
        return None  # told after the event word (a toll holding it, أعدم مقاتليْن، counts as before)
    stop = min((x.start for x in cas if x.start > max(c.end, trig.end)), default=len(doc.text))
    keys = {(m.data.get("gazetteer_id") or m.text): m for m in locs}
    told = [p for p in told_after if p.start < stop and (p.data.get("gazetteer_id") or p.text) in keys]
    after = {p.data.get("gazetteer_id") or p.text for p in told}
    if len(after) != 1 or any(_listed_with_others(doc, p, told_after) for p in told):
        return None
    return keys[after.pop()]


def _told_between_places(
    doc: Document, c: Mention, locs: list[Mention], places: list[Mention]
) -> Mention | None:
    """``وقع الأول في X، وراح ضحيته 31 …، بينما وقع الثاني في Y``: a toll told after one place of
    the event and before the next is the first one's, unless that place is one of a list. Only places
    told after the event word count (``قائد في أعزاز قتل بانفجار في جرابلس``: Azaz is not where it happened)."""
    keys = {(m.data.get("gazetteer_id") or m.text): m for m in locs}
    before = [p for p in places if p.end <= c.start and (p.data.get("gazetteer_id") or p.text) in keys]
    after = [p for p in places if p.start >= c.end and (p.data.get("gazetteer_id") or p.text) in keys]
    if not before or not after or _listed_with_others(doc, before[-1], places):
        return None
    return keys[before[-1].data.get("gazetteer_id") or before[-1].text]


def victims(
    doc: Document, sent_actors: list[Mention], cas_spans: list[Mention], live: list[Mention]
) -> list[Mention]:
    """The actors a toll of the sentence counts (inside it, or right after it behind في/من)."""
    return [
        a
        for a in sent_actors
        if any(
            (c.start <= a.start < c.end and not any(c.start <= t.start <= a.start for t in live))
            or (a.start >= c.end and folded_between(doc, c.end, a.start) in (["في"], ["من"]))
            for c in cas_spans
        )
    ]


def continue_previous(frame: Frame, sent: Sentence, cas: list[Mention]) -> None:
    """A sentence that goes on about an event ("…لتسفر العملية عن مقتل شخص") adds the figures it lacks."""
    combined = combine_casualties(frame.casualties, cas)
    new = [c for c in combined if c not in frame.casualties]
    if not new:
        return
    frame.casualties = combined
    frame.evidence.append((sent.start, sent.end))
    frame.mentions.extend(new)


def combine_casualties(kept: list[Mention], other: list[Mention]) -> list[Mention]:
    """One figure per kind (killed, injured): a stated number beats "ضحايا" with none, and a
    place's own figure beats one told only for a region (``مقتل 9 في ريف إدلب`` then ``4 في معرة النعمان``)."""
    out = list(kept)
    for c in other:
        kind = c.data.get("casualty")
        same = [k for k in out if k.data.get("casualty") == kind]
        if not same:
            out.append(c)
        elif c.data.get("value") is not None and all(_weaker(k, c) for k in same):
            out = [k for k in out if k.data.get("casualty") != kind] + [c]
    return out


def _weaker(k: Mention, c: Mention) -> bool:
    """Figure ``k`` gives way to ``c``: it has no number, or only a region's where ``c`` is a place's."""
    if k.data.get("value") is None:
        return True
    return bool(k.data.get("region_toll")) and bool(c.data.get("place_toll"))


_AREA_FEATURES = frozenset({"governorate", "district", "region", "province", "country"})


def _mark_region_tolls(frames: list[Frame]) -> None:
    """Stamp the figures of a sentence that only region-level events carry (``ريف إدلب``، ``محافظة حلب``),
    and those that only place-level events carry."""
    holders: dict[int, list[Frame]] = {}
    figures: dict[int, Mention] = {}
    for f in frames:
        for c in f.casualties:
            holders.setdefault(id(c), []).append(f)
            figures[id(c)] = c
    for key, fs in holders.items():
        if all(_region_level(f.location) for f in fs):
            figures[key].data["region_toll"] = True
        elif not any(_region_level(f.location) for f in fs):
            figures[key].data["place_toll"] = True


def _region_level(loc: Mention | None) -> bool:
    return loc is None or loc.kind == "region" or loc.data.get("feature") in _AREA_FEATURES


def toll_host(
    frames: list[Frame],
    sent_actors: list[Mention],
    sentences: list[Sentence],
    si: int,
    live: list[Mention],
) -> Frame | None:
    """The event a sentence with a toll but no event of its own goes on about.

    The last event that shares an actor with the sentence ("وقال مسؤول إسرائيلي إن
    الغارات الإسرائيلية أسفرت عن مقتل…"); with no actor named, the last event when
    it was told in the same paragraph or the sentence right before, unless the
    sentence names an incident of another kind that only lacked a known place
    ("قُتل ثلاثة بانفجار سيارة مفخخة في مدينة أورفة" after an air strike).
    """
    ids = {a.data.get("actor_id") for a in sent_actors} - {None}
    if ids:
        for f in reversed(frames):
            if {actor_id(f.roles.actor1), actor_id(f.roles.actor2)} & ids:
                return f
    crowd = _crowd_host(frames, live)
    if crowd is not None:
        return crowd
    last = frames[-1]
    if live and all(t.data.get("sub_event_type") != last.sub_event_type for t in live):
        return None
    sent = sentences[si]
    previous = sentences[si - 1] if si > 0 else None
    if last.sentence.paragraph == sent.paragraph or last.sentence == previous:
        return last
    return None


def _crowd_host(frames: list[Frame], live: list[Mention]) -> Frame | None:
    """``مقتل شخص وإصابة سبعة برصاص الأمن خلال الاحتجاجات``: a toll told only with an unplaced
    protest word goes to the article's last protest or riot."""
    if not any(t.data.get("event_type") in CROWD_EVENT_TYPES for t in live):
        return None
    return next((f for f in reversed(frames) if f.event_type in CROWD_EVENT_TYPES), None)


def casualty_owner(doc: Document, cas: list[Mention], actors: list[Mention], roles: Roles) -> Mention | None:
    """``مقتل ثلاثة من المقاتلين التابعين لقسد``, ``إصابة 25 من القوات الموالية``: the victims' side."""
    for c in cas:
        if c.data.get("casualty") not in ("killed", "injured"):
            continue
        for a in actors:
            if a is roles.actor1 or actor_id(a) == actor_id(roles.actor1) or a in roles.assoc:
                continue
            inside = c.start <= a.start < c.end
            gap = folded_between(doc, c.end, a.start) if a.start >= c.end else None
            if inside or (gap is not None and len(gap) <= 2):
                return a
    return None


def with_held_tolls(
    doc: Document, cas: list[Mention], live: list[Mention], owned: dict[int, list[Mention]]
) -> dict[int, list[Mention]]:
    """A toll whose span holds a trigger is that trigger's (``أعدم شابين``، ``قتلت الغارة ثلاثة``).

    Such a toll starts at its own trigger, so nearest-trigger-before would give it to
    the event told before it.
    """
    for c in cas:
        holder = next((t for t in live if c.start <= t.start < c.end), None) or _named_cause(doc, c, live)
        if holder is None:
            continue
        for items in owned.values():
            if c in items:
                items.remove(c)
        owned.setdefault(id(holder), []).append(c)
    return owned


@lru_cache(maxsize=1)
def _cause_words() -> tuple[frozenset[str], int]:
    data = load_yaml("casualties.yaml")
    return fold_set(data.get("cause_words", [])), int(data.get("cause_window", 0))


def _named_cause(doc: Document, c: Mention, live: list[Mention]) -> Mention | None:
    """``وعنصر من قوات النظام جراء قصف الفصائل``: the event word right after a cause word that follows the toll."""
    nxt = next((t for t in live if t.start >= c.end), None)
    if nxt is None:
        return None
    words, window = _cause_words()
    gap = folded_between(doc, c.end, nxt.start)
    return nxt if gap and len(gap) <= window and gap[-1] in words else None


def trailing_toll(
    doc: Document,
    frames: list[Frame],
    cas: list[Mention],
    actors: list[Mention],
    places: list[Mention],
    sentences: list[Sentence],
    si: int,
) -> list[Mention]:
    """A sentence with figures and no event word goes on about the event told before it.

    ``وقالت مصادر طبية إن الحصيلة الأولية بلغت 7 قتلى و37 جريحا`` after a car bomb:
    the figures are the car bomb's (the last event that shares an actor with the
    sentence, else the last one when told in the same paragraph or just before).
    Returns the stated figures no event took.
    """
    stated = [
        c
        for c in cas
        if c.data.get("casualty") in ("killed", "injured")
        and (c.data.get("value") is not None or c.data.get("total") is not None)
    ]
    if not stated:
        return []
    host = None
    if frames:
        host = toll_host(frames, actors, sentences, si, []) or _told_just_before(frames[-1], sentences, si)
    if host is None:
        return stated
    elsewhere = [c for c in stated if _placed_elsewhere(doc, c, places, host)]
    continue_previous(host, sentences[si], [c for c in stated if c not in elsewhere])
    return elsewhere


def _placed_elsewhere(doc: Document, c: Mention, places: list[Mention], host: Frame) -> bool:
    """``كما سقط 8 قتلى في حمص`` after an event in Douma: the toll names another place."""
    place = _place_after_verb(doc, c, places)
    return place is not None and (place.data.get("gazetteer_id") or place.text) != host.location_key


def place_unhosted(doc: Document, frames: list[Frame], tolls: list[Mention], places: list[Mention]) -> None:
    """``وأوردت الصفحة أسماء 21 قتيلا سقطوا في مدينة درعا``: a toll with no event to go on about goes to
    the nearest event at the place it names (told before or after it) that has no figure of its kind."""
    for c in tolls:
        place = _place_after_verb(doc, c, places)
        if place is None:
            continue
        key = place.data.get("gazetteer_id") or place.text
        kind = c.data.get("casualty")
        owners = [
            f
            for f in frames
            if f.location_key == key
            and f.event_type in _TOLL_TYPES
            and not any(
                k.data.get("casualty") == kind and k.data.get("value") is not None for k in f.casualties
            )
        ]
        if owners:
            owner = min(owners, key=lambda f: abs(f.trigger.start - c.start))
            owner.casualties = combine_casualties(owner.casualties, [c])
            owner.mentions.append(c)


# event types whose events a toll can belong to
_TOLL_TYPES = frozenset(
    {"battles", "explosions_remote_violence", "violence_against_civilians", "protests", "riots"}
)


def _place_after_verb(doc: Document, c: Mention, places: list[Mention]) -> Mention | None:
    """The place named right after a toll, or after one verb that follows it (21 قتيلا سقطوا في درعا)."""
    after = _first_from(places, c.end)
    if after is None or len(folded_between(doc, c.end, after.start)) > 3:
        return None
    return after


def _told_just_before(last: Frame, sentences: list[Sentence], si: int) -> Frame | None:
    """The last event, when told in one of the two sentences before (a paragraph break between them is fine)."""
    recent = {s.start for s in sentences[max(0, si - 2) : si]}
    return last if last.sentence.start in recent else None


def sentence_tolls(doc: Document, frames: list[Frame], cas: list[Mention], places: list[Mention]) -> None:
    """Settle the tolls of one sentence's events: each place its own figure, joined figures added up."""
    placed_tolls(doc, frames, cas, places)
    for f in frames:
        if not f.casualties:
            f.casualties = []  # (a list of its own, as add_up gives; nothing to settle)
            continue
        if f.location is not None and _listed_with_others(doc, f.location, places):
            f.casualties = [c for c in f.casualties if _place_right_after(doc, c, places) is not None]
        f.casualties = add_up_sides(doc, add_up(doc, f.casualties))
    _mark_region_tolls(frames)


@lru_cache(maxsize=1)
def _joiners() -> frozenset[str]:
    return fold_set(load_yaml("casualties.yaml").get("list_joiners", []))


@lru_cache(maxsize=1)
def _plural_classes() -> frozenset[str]:
    return fold_set(load_yaml("casualties.yaml").get("plural_classes", []))


# The last lists of places asked about: id of the list -> (the list, its length, (start, end) -> first
# index there). A few lists, not one: the document's places and a sentence's short lists are asked
# about in turn, and one entry made the long list's index again after each short one.
_SPANS: dict[int, tuple[list[Mention], int, dict[tuple[int, int], int]]] = {}


def _index_by_span(places: list[Mention]) -> dict[tuple[int, int], int]:
    """The first index of each span in ``places`` (kept while the same list is asked about): the
    place of a mention is the first with its span (itself, or a mention of the same words before it),
    found without a scan of a long article's places per event."""
    kept = _SPANS.get(id(places))
    if kept is not None and kept[0] is places and kept[1] == len(places):
        return kept[2]
    index: dict[tuple[int, int], int] = {}
    for n, p in enumerate(places):
        index.setdefault((p.start, p.end), n)
    if len(places) < 32:
        return index  # (a short list is indexed again at no cost: kept lists are the long ones)
    if len(_SPANS) >= 8:
        _SPANS.clear()
    _SPANS[id(places)] = (places, len(places), index)
    return index


def _listed_with_others(doc: Document, loc: Mention, places: list[Mention]) -> bool:
    """``على مدينة دوما وبلدتي مسرابا ومديرا``: the place is one of a list of other places.

    A toll told for such a list with no figure of its own place covers them all.
    """
    key = loc.data.get("gazetteer_id") or loc.text
    joiners = _joiners()
    i = _index_by_span(places).get((loc.start, loc.end))
    if i is None:
        return False
    before = folded_between(doc, max(0, loc.start - 12), loc.start)[-1:]
    if loc.kind == "place" and before and before[0] in _plural_classes():
        return True  # على أحياء المشهد والصالحين: one of several places, named or not
    for j in (i - 1, i + 1):
        if not 0 <= j < len(places):
            continue
        a, b = (places[j], loc) if j < i else (loc, places[j])
        gap = folded_between(doc, a.end, b.start)
        other = (places[j].data.get("gazetteer_id") or places[j].text) != key
        if (
            other
            and places[j].kind == "place"
            and gap
            and all(w in joiners or w.startswith("و") for w in gap)  # المشهد والصالحين والفردوس
            and "و" in "".join(gap)
        ):
            return True
    return False


def add_up(doc: Document, cas: list[Mention]) -> list[Mention]:
    """Figures joined to a toll and left with the same event are more victims of it.

    ``مقتل أربعة عناصر من الشرطة، بالإضافة إلى مدنيين اثنين`` = 6 killed: one
    casualty over the whole stretch, its value the sum.
    """
    out = list(cas)
    for i, base in enumerate(cas):
        if base.data.get("joined") or base.data.get("value") is None:
            continue
        more = []
        for c in cas[i + 1 :]:
            if not c.data.get("joined") or c.data.get("casualty") != base.data.get("casualty"):
                break
            more.append(c)
        if not more or any(c.data.get("value") is None for c in more):
            continue
        end = max(c.end for c in more)
        total = base.data["value"] + sum(int(c.data["value"]) for c in more)
        data = dict(base.data, value=total, value_high=None)
        summed = Mention(base.start, end, doc.text[base.start : end], "casualty", data)
        out = [summed if c is base else c for c in out if not any(c is m for m in more)]
    return out


def add_up_sides(doc: Document, cas: list[Mention]) -> list[Mention]:
    """Figures of one kind for different victims in one sentence are one event's dead.

    ``قتل 4 من المهاجمين، فيما قتل 2 من الحراس`` = 6 killed (ACLED counts every death
    of the event, attackers included), unless a figure is part of another
    (``بينهم 3 أطفال``) or both name the same victims.
    """
    out = list(cas)
    for kind in ("killed", "injured"):
        same = [c for c in out if c.data.get("casualty") == kind]
        if len(same) < 2 or not all(_addable(doc, c) for c in same):
            continue
        whos = [c.data.get("who") for c in same]
        if any(w is None for w in whos) or len(set(whos)) < len(whos):
            continue
        first, last = min(same, key=lambda c: c.start), max(same, key=lambda c: c.end)
        data = dict(first.data, value=sum(int(c.data["value"]) for c in same), value_high=None)
        summed = Mention(first.start, last.end, doc.text[first.start : last.end], "casualty", data)
        out = [summed if c is first else c for c in out if not any(c is m for m in same) or c is first]
    return out


@lru_cache(maxsize=1)
def _subset_markers() -> frozenset[str]:
    return fold_set(load_yaml("casualties.yaml").get("subset_markers", []))


def _addable(doc: Document, c: Mention) -> bool:
    """A stated figure of its own (not a total, not "among them")."""
    if c.data.get("value") is None or c.data.get("total") is not None:
        return False
    before = folded_between(doc, max(0, c.start - 20), c.start)[-2:]
    return not any(w in _subset_markers() for w in before)


def placed_tolls(doc: Document, frames: list[Frame], cas: list[Mention], places: list[Mention]) -> None:
    """A toll told with its place belongs to that place's event of the sentence, and to no other.

    ``أودت الغارات بحياة 3 مدنيين في سراقب، و6 آخرين في سرمين``: 3 is Saraqib's and
    6 is Sarmin's, whichever trigger the places were given to.
    """
    for c in cas:
        if c.data.get("casualty") not in ("killed", "injured"):
            continue
        place = _place_right_after(doc, c, places)
        if place is None:
            continue
        key = place.data.get("gazetteer_id") or place.text
        owners = [f for f in frames if f.location_key == key]
        if not owners:
            continue
        for f in frames:
            if f in owners:
                f.casualties = combine_casualties([x for x in f.casualties if x is not c], [c])
                if c not in f.mentions:
                    f.mentions.append(c)
            elif c in f.casualties:
                f.casualties = [x for x in f.casualties if x is not c]


# The last list of places asked for its starts: (the list, its length, starts or None when unsorted).
_STARTS: list[Any] = [None, -1, None]


def _told_after(places: list[Mention], trig: Mention | None, last: int) -> list[Mention]:
    """The places after the trigger that start at or before ``last``, by bisection when in text order."""
    starts = _starts(places)
    if starts is None:
        return [p for p in places if (trig is None or p.start > trig.start) and p.start <= last]
    lo = 0 if trig is None else bisect_right(starts, trig.start)
    return places[lo : max(lo, bisect_right(starts, last))]


def _starts(places: list[Mention]) -> list[int] | None:
    """The starts of ``places`` when they are in text order (as a document's are), else None; kept
    while the same list is asked about."""
    if _STARTS[0] is not places or _STARTS[1] != len(places):
        starts = [p.start for p in places]
        ordered = all(a <= b for a, b in zip(starts, starts[1:], strict=False))
        _STARTS[:] = [places, len(places), starts if ordered else None]
    found: list[int] | None = _STARTS[2]
    return found


def _first_from(places: list[Mention], pos: int) -> Mention | None:
    """The first of ``places`` (in list order) that starts at or after ``pos``: by bisection when the
    list is in text order, as a document's places are (a scan per toll was quadratic in a long
    article), else by that scan."""
    starts_or_none = _starts(places)
    if starts_or_none is None:
        return next((p for p in places if p.start >= pos), None)
    at = bisect_left(starts_or_none, pos)
    return places[at] if at < len(places) else None


def _place_right_after(doc: Document, c: Mention, places: list[Mention]) -> Mention | None:
    """The place named right after a toll (``3 مدنيين في سراقب``), at most two words on."""
    after = _first_from(places, c.end)
    if after is None or len(folded_between(doc, c.end, after.start)) > 2:
        return None
    return after
