"""From mentions to events: a short driver over named passes.

``build_events(doc)`` runs :data:`PASSES` in order, each a small function over
one :class:`Build` (the document's mentions, sorted and indexed, and the frames
made so far). The way an ACLED coder reads a report:

1. keep the mentions that can take part in an event (a capital inside a place name
   is no actor, a reporter's city no site, a road's end towns name the road);
2. per sentence: the triggers outside boilerplate that no cue cancels; their places
   and tolls (:mod:`.locations`), actors (:mod:`.roles` and :mod:`.doers`), claim
   source and date (:mod:`.facts`); one frame per place;
3. tolls no trigger took, merging (:mod:`rasid.extract.merge`), the last role fixes;
4. one SPEC record per frame (:mod:`rasid.extract.record`), with the rule that chose
   each field in its ``"spans"``.

``merge``, ``incidents`` and ``record`` are imported inside the passes that use them:
they import :class:`Frame` through this package.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from rasid.document import Document, Mention, Sentence
from rasid.extract.arguments import (
    Roles,
    actor_id,
    capital_as_place,
    carry_opponent,
    civilian_victims,
    claimer,
    give_claimed_doer,
    state_as_armed_forces,
)
from rasid.extract.events.cues import (
    anchors_a_place,
    cancelled,
    collapse_adjacent,
    contrast,
    denied,
    is_event_trigger,
    is_retaliation,
    retaliation_floor,
)
from rasid.extract.events.doers import (
    civilians_cannot_do,
    continue_roles,
    speaker_actor,
    speaker_is_subject,
    unidentified,
)
from rasid.extract.events.facts import claim_for, confidence, paragraph_date
from rasid.extract.events.frame import Frame
from rasid.extract.events.locations import (
    Why,
    assign_to_triggers,
    drop_destinations,
    event_locations,
    river_governorates,
    road_as_last_resort,
    road_endpoint,
    share_main_places,
)
from rasid.extract.events.mentions import (
    ByStart,
    Containers,
    clause_at,
    clauses_of,
    inside,
    nearest,
    sentences_of,
    title_index,
)
from rasid.extract.events.roles import assign_roles
from rasid.extract.frames import VIOLENT_TYPES, civilians_do_not_act, protest_roles, resolve_type
from rasid.extract.places_of_events import place_pointed_back, without_fronted
from rasid.extract.tolls import (
    casualties_by_place,
    casualty_owner,
    combine_casualties,
    continue_previous,
    place_unhosted,
    sentence_tolls,
    toll_host,
    trailing_toll,
    victims,
    with_held_tolls,
)
from rasid.geo.places import site_places

# (record field, id of a mention) -> the rule that chose that mention for that field
FieldRules = dict[tuple[str, int], str]


@dataclass(slots=True)
class Build:
    """What the passes share: the document's mentions by kind (sorted by start) and the frames so far."""

    doc: Document
    triggers: list[Mention] = field(default_factory=list)
    actors: list[Mention] = field(default_factory=list)
    places: list[Mention] = field(default_factory=list)  # sites only, sorted by start
    casualties: list[Mention] = field(default_factory=list)
    dates: list[Mention] = field(default_factory=list)
    sources: list[Mention] = field(default_factory=list)
    cues: list[Mention] = field(default_factory=list)  # negation, hypothetical, background
    denials: list[Mention] = field(default_factory=list)
    endpoints: list[Mention] = field(default_factory=list)  # the towns that name a road
    sentences: list[Sentence] = field(default_factory=list)
    title: int | None = None  # index of the title line among the sentences
    index: dict[str, ByStart] = field(default_factory=dict)  # kind -> mentions found by bisection
    frames: list[Frame] = field(default_factory=list)
    unhosted: list[Mention] = field(default_factory=list)  # tolls with no event word and no event before
    how: Why = field(default_factory=dict)  # (trigger, place or toll) -> the rule that gave it
    why: FieldRules = field(default_factory=dict)  # (field, mention) -> the rule that chose it


@dataclass(slots=True)
class Said:
    """One sentence with triggers, as its triggers' frames are made."""

    si: int
    sent: Sentence
    clauses: list[tuple[int, int]]
    clause_of: dict[int, tuple[int, int]]
    live: list[Mention]  # its triggers that no cue cancels, adjacent ones collapsed
    retaliation: set[int]  # ids of triggers told as a reason ("ردا على الهجوم…")
    actors: list[Mention]
    dates: list[Mention]
    sources: list[Mention]
    tolls: list[Mention]  # its casualty mentions
    owned: dict[int, list[Mention]]  # trigger id -> its places
    owned_tolls: dict[int, list[Mention]]  # trigger id -> its tolls
    victims: list[Mention] | None = None  # the actors its tolls name as hit (found once)
    orphans: list[Mention] = field(default_factory=list)  # tolls of triggers with no place of their own
    made: int = 0  # frames made from it
    first_frame: int = 0


# ---------------------------------------------------------------- the passes


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


def read_sentences(b: Build) -> None:
    """One frame per trigger and place, sentence by sentence (see :func:`read_sentence`)."""
    for si, sent in enumerate(b.sentences):
        if not b.doc.in_boilerplate(sent.start):
            read_sentence(b, si, sent)


def place_unhosted_tolls(b: Build) -> None:
    """Tolls of sentences with no event word join the event they tell the cost of."""
    place_unhosted(b.doc, b.frames, b.unhosted, b.places)
    _label_tolls(b, b.frames, "toll_of_later_sentence")


def merge(b: Build) -> None:
    """The same incident told twice is one frame (:func:`rasid.extract.merge.merge_frames`)."""
    from rasid.extract.merge import merge_frames

    _note_rules(b)  # before frames are absorbed into others, which may take their actors
    b.frames = merge_frames(b.doc, b.frames, b.denials)


def last_role_fixes(b: Build) -> None:
    """Civilians as the side hit where no other is named; a government that fights as its forces."""
    for f in b.frames:
        tolls = [m for m in f.mentions if m.kind == "casualty"]
        civilian_victims(b.doc, f.trigger, f.event_type, f.roles, tolls)
        state_as_armed_forces(b.doc, f.event_type, f.sub_event_type, f.roles)


def river_stretches(b: Build) -> None:
    """A river crosses governorates: the stretch meant is that of the last place named before it."""
    river_governorates(b.frames, b.places)


def write_records(b: Build) -> None:
    """One SPEC record per frame, with the rule that chose each field."""
    from rasid.extract.record import to_record

    _note_rules(b)
    b.doc.events = [to_record(b.doc, f, b.why) for f in b.frames]


Pass = Callable[[Build], None]

PASSES: tuple[Pass, ...] = (
    sort_mentions,
    drop_non_actors,
    drop_non_sites,
    drop_cues_in_places,
    index_mentions,
    read_sentences,
    place_unhosted_tolls,
    merge,
    last_role_fixes,
    river_stretches,
    write_records,
)


def build_events(doc: Document) -> None:
    """Turn the document's mentions into SPEC records in ``doc.events``."""
    b = Build(doc)
    for step in PASSES:
        step(b)


# ---------------------------------------------------------------- one sentence


def read_sentence(b: Build, si: int, sent: Sentence) -> None:
    """The frames of one sentence, or its toll for an event told before."""
    doc = b.doc
    claimed = claimer(doc, sent.start, sent.end, b.index["actor"].inside(sent.start, sent.end))
    if claimed is not None:
        # "وتبنّى تنظيم الدولة الهجوم": the attack told in the two sentences before
        earlier = b.sentences[max(0, si - 2)].start
        for f in b.frames:
            if f.sentence.start >= earlier and f.event_type in VIOLENT_TYPES:
                give_claimed_doer(claimed, f.roles)
    triggers = [t for t in b.index["trigger"].inside(sent.start, sent.end) if is_event_trigger(doc, t)]
    if not triggers:
        tolls = b.index["casualty"].inside(sent.start, sent.end)
        actors = b.index["actor"].inside(sent.start, sent.end)
        b.unhosted += trailing_toll(doc, b.frames, tolls, actors, b.places, b.sentences, si)
        return
    s = _said(b, si, sent, triggers)
    for trig in s.live:
        frame_trigger(b, s, trig)
    tolls_of_sentence(b, s)


def _said(b: Build, si: int, sent: Sentence, triggers: list[Mention]) -> Said:
    """A sentence's live triggers, with the places and tolls each of them takes."""
    doc = b.doc
    clauses = clauses_of(doc, sent)
    clause_of = {id(t): clause_at(clauses, t.start, sent) for t in triggers}
    live = [t for t in triggers if not cancelled(doc, t, b.cues, clause_of[id(t)])]
    live = collapse_adjacent(doc, live)
    retaliation = {id(t) for t in live if is_retaliation(doc, t)}
    tolls = b.index["casualty"].inside(sent.start, sent.end)
    owned = assign_to_triggers(
        b.index["place"].inside(sent.start, sent.end), live, clauses, sent, retaliation, b.how
    )
    share_main_places(doc, live, owned, b.how)
    road_as_last_resort(live, owned, b.endpoints, sent, b.how)
    owned_tolls = with_held_tolls(
        doc, tolls, live, assign_to_triggers(tolls, live, clauses, sent, retaliation, b.how)
    )
    return Said(
        si=si,
        sent=sent,
        clauses=clauses,
        clause_of=clause_of,
        live=live,
        retaliation=retaliation,
        actors=b.index["actor"].inside(sent.start, sent.end),
        dates=b.index["date"].inside(sent.start, sent.end),
        sources=b.index["claim_source"].inside(sent.start, sent.end),
        tolls=tolls,
        owned=owned,
        owned_tolls=owned_tolls,
        first_frame=len(b.frames),
    )


def tolls_of_sentence(b: Build, s: Said) -> None:
    """Tolls the sentence's triggers did not take: the one placed event's, or the event told before."""
    doc, frames = b.doc, b.frames
    # "قُتل قيادي… بغارة لطائرة مسيّرة استهدفت سيارته قرب إدلب": the toll of the unplaced
    # "غارة" belongs to the one event the sentence does place
    placed = frames[s.first_frame :]
    sentence_tolls(doc, placed, s.tolls, b.places)
    _label_tolls(b, placed, "toll_of_sentence")
    owner_sources = [x for x in s.sources if x.data.get("actor_id")]
    if s.orphans and len({f.location_key for f in placed}) == 1:
        for f in placed:
            f.casualties = combine_casualties(f.casualties, s.orphans)
            f.mentions.extend(c for c in s.orphans if c not in f.mentions)
            if f.roles.actor2 is None:
                hit = casualty_owner(doc, s.orphans, s.actors + owner_sources, f.roles)
                f.roles.give("actor2", hit, "toll_victims")
        _label_tolls(b, placed, "toll_of_unplaced_trigger")
    tolls = [c for c in s.tolls if c.data.get("casualty") in ("killed", "injured")]
    if not s.made and frames and tolls and s.live:
        # (a sentence whose every trigger a cue cancelled is a tally or a denial, not a toll)
        host = toll_host(frames, s.actors, b.sentences, s.si, s.live)
        if host is not None:
            continue_previous(host, s.sent, tolls)
            _label_tolls(b, [host], "toll_continues_event")


# ---------------------------------------------------------------- one trigger


def frame_trigger(b: Build, s: Said, trig: Mention) -> None:
    """The frames of one live trigger: one per place it locates, none when it has no place."""
    doc, sent = b.doc, s.sent
    clause = s.clause_of[id(trig)]
    locs = _locations(b, s, trig, clause)
    if not locs:
        if id(trig) not in s.retaliation:  # a reason's toll is its own ("ردا على هجوم أسفر عن…")
            s.orphans += [
                c for c in s.owned_tolls.get(id(trig), []) if c.data.get("casualty") in ("killed", "injured")
            ]
        return
    # an event given as a reason ("ردا على الهجوم الذي استهدف…") has none of the main clause's actors
    floor = retaliation_floor(s.live, s.retaliation, trig, sent)
    roles = _roles(b, s, trig, clause, floor)
    etype, stype = resolve_type(doc, trig, roles)
    if etype is None or stype is None:
        return
    protest_roles(doc, trig, stype, roles)
    if etype == "battles":
        carry_opponent(roles, [f.roles for f in b.frames if f.event_type == "battles"])
    claim = claim_for(trig, s.sources, sent)
    date = nearest(s.dates, trig.start, sent.start, sent.end)
    date_rule = "date_in_sentence"
    if date is None:
        date, date_rule = paragraph_date(b.index["date"], b.sentences, s.si), "date_in_paragraph"
    contested = any(inside(d, sent.start, sent.end) for d in b.denials)
    told_to_deny = denied(doc, trig, b.denials, sent)
    tolls = [c for c in s.owned_tolls.get(id(trig), []) if c.data.get("casualty") in ("killed", "injured")]
    by_place = casualties_by_place(doc, tolls, locs, b.places, trig) if len(locs) > 1 else {}
    for c in tolls:
        rule = "toll_by_place" if len(locs) > 1 else b.how.get((id(trig), id(c)), "toll_held_for_trigger")
        b.why.setdefault(("fatalities", id(c)), rule)
    for loc in locs:
        used = [trig, loc] + [m for m in (roles.actor1, roles.actor2, date, claim) if m] + tolls
        used += roles.assoc
        f = Frame(
            trigger=trig,
            event_type=etype,
            sub_event_type=stype,
            sentence=sent,
            location=loc,
            roles=roles,
            casualties=tolls if len(locs) == 1 else by_place.get(id(loc), []),
            date=date,
            claim=claim,
            contested=contested,
            denied_only=told_to_deny,
            mentions=used,
            evidence=[(sent.start, sent.end)],
            confidence=confidence(trig, roles, loc),
            headline=s.si == b.title,
        )
        f.because("location", loc, b.how.get((id(trig), id(loc)), "place_pointed_back"))
        f.because("date", date, date_rule)
        f.because(
            "claim",
            claim,
            "claim_source_before" if claim and claim.start <= trig.start else "claim_source_after",
        )
        same = (etype, stype) == (trig.data.get("event_type"), trig.data.get("sub_event_type"))
        f.because("event_type", trig, "trigger_word" if same else "type_by_actors")
        b.frames.append(f)
        s.made += 1


def _locations(b: Build, s: Said, trig: Mention, clause: tuple[int, int]) -> list[Mention]:
    """The places the trigger happened at: its own, else the ones its clause points back to."""
    doc = b.doc
    here = without_fronted(s.owned.get(id(trig), []), clause)
    locs = event_locations(doc, drop_destinations(doc, trig, here))
    if not locs and not s.owned.get(id(trig)):
        locs = place_pointed_back(doc, clause, b.places)
    return locs


@dataclass(slots=True)
class Asked:
    """One trigger whose actors are being found: what the sentence-level role steps look at."""

    trig: Mention
    clause: tuple[int, int]
    floor: int  # where a reason clause holding the trigger starts, else the sentence start
    usable: list[Mention]  # the sentence's actors from the floor on, not the victims of its tolls
    clash: bool  # two sides of a clash, or two parties of a deal


def _roles(b: Build, s: Said, trig: Mention, clause: tuple[int, int], floor: int) -> Roles:
    """The trigger's actors: its clause's rule tables (:mod:`.roles`), then :data:`SENTENCE_STEPS`."""
    # the victims of the sentence's tolls ("مقتل 5 عناصر من قوات النظام") never did it
    # (the same for every trigger of the sentence: found once)
    if s.victims is None:
        counted = [c for c in s.tolls if c.data.get("casualty") in ("killed", "injured", "neutralised")]
        s.victims = victims(b.doc, s.actors, counted, s.live)
    usable = [a for a in s.actors if a.start >= floor and a not in s.victims]
    clause_actors = [a for a in usable if inside(a, *clause)] or usable
    # the two sides of a clash, or the two parties of a deal ("تبادل أسرى بين X وY")
    clash = (trig.data.get("event_type"), trig.data.get("sub_event_type")) in (
        ("battles", "armed_clash"),
        ("strategic_developments", "agreement"),
    )
    roles = assign_roles(b.doc, trig, clause_actors, clause, clash, usable, others=s.live)
    asked = Asked(trig, clause, floor, usable, clash)
    for step in SENTENCE_STEPS:
        step(b, s, asked, roles)
    return roles


def civilians_are_hit(b: Build, s: Said, q: Asked, roles: Roles) -> None:
    """``اعتقلت الشرطة العسكرية خمسة مدنيين``: civilians are never actor1 of violence or an arrest."""
    etype, stype = q.trig.data.get("event_type") or "", q.trig.data.get("sub_event_type") or ""
    civilians_do_not_act(etype, roles, stype)


def sentence_subject(b: Build, s: Said, q: Asked, roles: Roles) -> None:
    """``قصفت قوات النظام مناطق…، واستهدفت بشكل خاص بلدتي…``: a later clause's doer is the sentence's subject.

    Not for a clause opened by فيما/بينما/لكن (another doer's act) nor inside a reason clause.
    """
    sent, clause, trig = s.sent, q.clause, q.trig
    if (
        roles.actor1 is not None
        or clause[0] <= sent.start
        or q.floor != sent.start
        or contrast(b.doc, clause)
    ):
        return
    doers = [a for a in q.usable if a.data.get("actor_id") != "CIV" or not civilians_cannot_do(trig)]
    doers = [a for a in doers if roles.actor2 is None or actor_id(a) != actor_id(roles.actor2)]
    found = assign_roles(b.doc, trig, doers, (sent.start, sent.end), q.clash)
    rule = found.rule_of("actor1")
    roles.give("actor1", found.actor1, f"sentence_subject+{rule}" if rule else "sentence_subject")


def speaker(b: Build, s: Said, q: Asked, roles: Roles) -> None:
    """``قالت قسد إن مقاتليها أسقطوا طائرة مسيّرة تركية``: the speaker's own forces act; the actor
    taken for the doer after the verb is the side hit (rules speaker_own_forces, speaker_hit_side)."""
    trig = q.trig
    if q.floor != s.sent.start:
        return
    own = speaker_is_subject(b.doc, trig, roles)
    if roles.actor1 is not None and not own:
        return
    found = speaker_actor(b.doc, trig, b.sources, s.sent, s.actors if own else [])
    if found is None:
        return
    if roles.actor1 is not None and roles.actor2 is None and roles.actor1.start > trig.start:
        roles.give("actor2", roles.actor1, "speaker_hit_side")
    roles.give("actor1", found, "speaker_own_forces")


def toll_victims(b: Build, s: Said, q: Asked, roles: Roles) -> None:
    """``ما أدى إلى إصابة ثلاثة عناصر من قسد``: the side the trigger's tolls name is the side hit.

    Sources that speak for an actor can be it too ("قُتل قيادي في تنظيم حراس الدين").
    """
    if roles.actor2 is not None:
        return
    owner_sources = [x for x in s.sources if x.data.get("actor_id")]
    victims_first = (s.victims or []) + q.usable + owner_sources
    hit = casualty_owner(b.doc, s.owned_tolls.get(id(q.trig), []), victims_first, roles)
    roles.give("actor2", hit, "toll_victims")


def retold_event(b: Build, s: Said, q: Asked, roles: Roles) -> None:
    """``وطالت الغارات أيضاً…``: a definite verbal noun with no doer retells the event just told."""
    if roles.actor1 is None:
        continue_roles(b.doc, q.trig, roles, b.frames, b.sentences, s.si)


def unidentified_attacker(b: Build, s: Said, q: Asked, roles: Roles) -> None:
    """``الهجوم الإرهابي الذي استهدف…`` with no doer named: an unidentified armed group."""
    if roles.actor1 is None:
        floor = q.floor if q.floor > s.sent.start else q.clause[0]
        roles.give("actor1", unidentified(b.doc, q.trig, floor), "unidentified_attacker")


# The sentence's role steps after the clause tables, in order; each records the rule it applies.
SENTENCE_STEPS: tuple[Callable[[Build, Said, Asked, Roles], None], ...] = (
    civilians_are_hit,
    sentence_subject,
    speaker,
    toll_victims,
    retold_event,
    unidentified_attacker,
)


# ---------------------------------------------------------------- the rules that chose each field


def _label_tolls(b: Build, frames: list[Frame], rule: str) -> None:
    """Tolls that a toll rule gave these frames, and no rule of this module: named after that rule."""
    for f in frames:
        for c in f.casualties:
            b.why.setdefault(("fatalities", id(c)), rule)


def _note_rules(b: Build) -> None:
    """Copy each frame's rules into ``b.why``, so a frame that takes another's actor keeps its rule."""
    for f in b.frames:
        for role, (m, rule) in f.roles.rules.items():
            b.why.setdefault((role, id(m)), rule)
        for key, (m, rule) in f.rules.items():
            b.why.setdefault((key, id(m)), rule)
