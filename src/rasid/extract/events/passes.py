"""The document-level passes of event building, in the order :data:`rasid.extract.events.build.PASSES`
runs them. Each is a small function over the one :class:`~rasid.extract.events.state.Build`.

``merge``, ``incidents`` and ``record`` are imported inside the passes that use them: they
import :class:`Frame` through this package, which imports this module.
"""

from __future__ import annotations

from rasid.document import Mention
from rasid.extract.arguments import (
    capital_as_place,
    civilian_victims,
    state_as_armed_forces,
)
from rasid.extract.events.cues import (
    anchors_a_place,
)
from rasid.extract.events.locations import (
    river_governorates,
    road_endpoint,
)
from rasid.extract.events.mentions import (
    ByStart,
    Containers,
    sentences_of,
    title_index,
)

# (record field, id of a mention) -> the rule that chose that mention for that field
from rasid.extract.events.sentences import read_sentence
from rasid.extract.events.state import Build, label_tolls, note_rules
from rasid.extract.tolls import (
    place_unhosted,
)
from rasid.geo.places import site_places


def sort_mentions(b: Build) -> None:
    """The mentions of each kind, sorted by start (longest first at one start)."""
    by_kind: dict[str, list[Mention]] = {}
    for m in sorted(b.doc.mentions, key=lambda m: (m.start, -m.end)):
        by_kind.setdefault(m.kind, []).append(m)
    b.triggers = by_kind.get("trigger", [])
    b.actors = by_kind.get("actor", [])
    b.places = site_places(by_kind.get("place", []) + by_kind.get("region", []))
    b.places.sort(key=lambda m: m.start)
    b.casualties = by_kind.get("casualty", [])
    b.dates = by_kind.get("date", [])
    b.sources = by_kind.get("claim_source", [])
    b.cues = sorted(
        by_kind.get("negation", []) + by_kind.get("hypothetical", []) + by_kind.get("background", []),
        key=lambda m: m.start,
    )
    b.denials = by_kind.get("denial", [])


def drop_non_actors(b: Build) -> None:
    """A capital or city named as a government is no actor inside a place name ("ريف دمشق"), where
    it only says where a place lies ("الكسوة جنوبي دمشق"), in a dateline or after a place word."""
    from rasid.extract.incidents import dateline_place

    doc = b.doc
    in_place = Containers(b.places)
    actors = [a for a in b.actors if not in_place.contains(a)]
    actors = [a for a in actors if not (a.data.get("metonym") and anchors_a_place(doc, a))]
    actors = [a for a in actors if not dateline_place(doc, a)]  # "دمشق – …" files the story, acts in none
    b.actors = [a for a in actors if not capital_as_place(doc, a)]


def drop_non_sites(b: Build) -> None:
    """ "مراسلنا في حلب" is not where it happened; the towns of "طريق حلب - الحسكة" name the road."""
    from rasid.extract.incidents import reporter_place

    doc = b.doc
    places = [p for p in b.places if not reporter_place(doc, p)]
    b.endpoints = [p for p in places if road_endpoint(doc, p)]
    b.places = [p for p in places if p not in b.endpoints]


def drop_cues_in_places(b: Build) -> None:
    """A cue word that is also a place name ("نوى" intended / the town Nawa) is the place."""
    in_place = Containers(b.places)
    b.cues = [c for c in b.cues if not in_place.contains(c)]


def index_mentions(b: Build) -> None:
    """Every list is sorted by start: a sentence's mentions are found by bisection."""
    lists = {
        "trigger": b.triggers,
        "actor": b.actors,
        "place": b.places,
        "casualty": b.casualties,
        "date": b.dates,
        "claim_source": b.sources,
    }
    b.index = {kind: ByStart(items) for kind, items in lists.items()}
    b.sentences = sentences_of(b.doc)
    b.title = title_index(b.doc, b.sentences)


def crowd_homes(b: Build) -> None:
    """``تظاهر المئات من أهالي مدينة القامشلي``: residents protest where they live.

    A sentence with a protest or riot word and no site of its own takes the home place of the
    crowd it names (``أهالي X``، ``أبناء X``) as its site; elsewhere a home stays no event place.
    """
    from rasid.extract.frames import CROWD_EVENT_TYPES

    homes = [m for m in b.doc.mentions if m.kind == "place" and m.data.get("role") == "home"]
    if not homes:
        return
    added: list[Mention] = []
    for sent in b.sentences:
        crowd = [
            t
            for t in b.index["trigger"].inside(sent.start, sent.end)
            if t.data.get("event_type") in CROWD_EVENT_TYPES
        ]
        if crowd and not b.index["place"].inside(sent.start, sent.end):
            added += [h for h in homes if sent.start <= h.start and h.end <= sent.end]
    if added:
        b.places = sorted(b.places + added, key=lambda m: m.start)
        b.index["place"] = ByStart(b.places)


def read_sentences(b: Build) -> None:
    """One frame per trigger and place, sentence by sentence (see :func:`read_sentence`)."""
    for si, sent in enumerate(b.sentences):
        if not b.doc.in_boilerplate(sent.start):
            read_sentence(b, si, sent)


def place_unhosted_tolls(b: Build) -> None:
    """Tolls of sentences with no event word join the event they tell the cost of."""
    place_unhosted(b.doc, b.frames, b.unhosted, b.places)
    label_tolls(b, b.frames, "toll_of_later_sentence")


def merge(b: Build) -> None:
    """The same incident told twice is one frame (:func:`rasid.extract.merge.merge_frames`)."""
    from rasid.extract.merge import merge_frames

    note_rules(b)  # before frames are absorbed into others, which may take their actors
    b.frames = merge_frames(b.doc, b.frames, b.denials)


def article_battle_opponent(b: Build) -> None:
    """``سيطرت فصائل الجيش الحر على قرى X وY`` told before ``…بعد معارك مع تنظيم الدولة``: a battle
    whose other side is named nowhere near it was fought against the side the same doer fights
    in the article's nearest battle that names one, before or after it (earlier ones were
    already read as each sentence was)."""
    from rasid.extract.arguments import actor_id

    battles = [f for f in b.frames if f.event_type == "battles"]
    for f in battles:
        if f.roles.actor1 is None or f.roles.actor2 is not None:
            continue
        doer = actor_id(f.roles.actor1)
        foes = []
        for g in battles:
            sides = [actor_id(g.roles.actor1), actor_id(g.roles.actor2)]
            if g is f or doer not in sides or None in sides or sides[0] == sides[1]:
                continue
            foe = g.roles.actor2 if sides[0] == doer else g.roles.actor1
            foes.append((abs(g.trigger.start - f.trigger.start), foe))
        if foes:
            f.roles.give("actor2", min(foes, key=lambda x: x[0])[1], "article_battle_opponent")


def last_role_fixes(b: Build) -> None:
    """Civilians as the side hit where no other is named; a government that fights as its forces."""
    for f in b.frames:
        tolls = [m for m in f.mentions if m.kind == "casualty"]
        civilian_victims(b.doc, f.trigger, f.event_type, f.roles, tolls, f.sub_event_type)
        state_as_armed_forces(b.doc, f.event_type, f.sub_event_type, f.roles)


def river_stretches(b: Build) -> None:
    """A river crosses governorates: the stretch meant is that of the last place named before it."""
    river_governorates(b.frames, b.places)


def write_records(b: Build) -> None:
    """One SPEC record per frame, with the rule that chose each field."""
    from rasid.extract.record import to_record

    note_rules(b)
    b.doc.events = [to_record(b.doc, f, b.why) for f in b.frames]
