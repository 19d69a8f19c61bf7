"""One sentence, then one trigger: the frames a sentence's live triggers make.

A sentence's triggers that no cue cancels take their places and tolls (:mod:`.locations`);
each trigger then gets its actors (the clause's rule tables of :mod:`.roles`, then the
sentence's steps of :mod:`.doers`), its type, claim source and date (:mod:`.facts`), and one
frame per place, each recording the rule that chose each field.
"""

from __future__ import annotations

from typing import Any

from rasid.document import Mention, Sentence
from rasid.extract.arguments import (
    Roles,
    actor_id,
    carry_opponent,
    claimer,
    give_claimed_doer,
    shot_civilians,
)
from rasid.extract.events.cues import (
    cancelled,
    collapse_adjacent,
    denied,
    is_event_trigger,
    is_retaliation,
    retaliation_floor,
)

# (record field, id of a mention) -> the rule that chose that mention for that field
from rasid.extract.events.doers import (
    SENTENCE_STEPS,
)
from rasid.extract.events.facts import claim_for, confidence, paragraph_date
from rasid.extract.events.frame import Frame
from rasid.extract.events.locations import (
    assign_to_triggers,
    drop_destinations,
    event_locations,
    road_as_last_resort,
    share_main_places,
)
from rasid.extract.events.mentions import (
    ByStart,
    clause_at,
    clauses_of,
    inside,
    nearest,
)
from rasid.extract.events.roles import assign_roles
from rasid.extract.events.state import Asked, Build, Said, label_tolls
from rasid.extract.frames import VIOLENT_TYPES, protest_roles, resolve_type
from rasid.extract.places_of_events import place_pointed_back, without_fronted
from rasid.extract.tolls import (
    casualties_by_place,
    casualty_owner,
    combine_casualties,
    continue_previous,
    sentence_tolls,
    toll_host,
    trailing_toll,
    victims,
    with_held_tolls,
)


def read_sentence(b: Build, si: int, sent: Sentence) -> None:
    """The frames of one sentence, or its toll for an event told before."""
    doc = b.doc
    claimed = claimer(doc, sent.start, sent.end, b.index["actor"].inside(sent.start, sent.end))
    if claimed is not None:
        # "وتبنّى تنظيم الدولة الهجوم": the attack told in the two sentences before
        earlier = b.sentences[max(0, si - 2)].start
        # (frames come in sentence order: those told from ``earlier`` on are the last ones)
        k = len(b.frames)
        while k > 0 and b.frames[k - 1].sentence.start >= earlier:
            k -= 1
        for f in b.frames[k:]:
            if f.event_type in VIOLENT_TYPES:
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
    retaliated_against(b, s)
    tolls_of_sentence(b, s)


def retaliated_against(b: Build, s: Said) -> None:
    """``قصفت القوات التركية قرى X ردا على عملية التسلل التي نفذتها قسد``: a strike told as the
    answer to an attack hit the attacker, when it names no target of its own.

    The answer is the sentence's event before the reason clause, or, when the sentence opens
    with the reason (``ويأتي ذلك ردا على…``), the violent events of the last sentence that
    made any. An attacker coded as unidentified names no side to hit back at.
    """
    made = b.frames[s.first_frame :]
    reasons = [f for f in made if id(f.trigger) in s.retaliation and f.roles.actor1 is not None]
    if not reasons or actor_id(reasons[0].roles.actor1) == "UNIDENTIFIED":
        return
    reason = reasons[0]
    answers = [
        f for f in made if id(f.trigger) not in s.retaliation and f.trigger.start < reason.trigger.start
    ]
    if not answers and reason.trigger is s.live[0]:
        earlier = b.frames[: s.first_frame]
        last = earlier[-1].sentence if earlier else None
        answers = [f for f in earlier if f.sentence is last]
    for f in answers:
        if (
            f.event_type in VIOLENT_TYPES
            and f.roles.actor1 is not None
            # (an actor2 of the doer's own side is no target: records drop it)
            and actor_id(f.roles.actor2) in (None, actor_id(f.roles.actor1))
            and actor_id(f.roles.actor1) != actor_id(reason.roles.actor1)
        ):
            f.roles.give("actor2", reason.roles.actor1, "retaliated_against")


# The last denial list asked about: (the list, its length, its ByStart or None when not in text order).
_DENIALS: list[Any] = [None, -1, None]


def _denials_inside(denials: list[Mention], a: int, b: int) -> list[Mention]:
    """``[d for d in denials if inside(d, a, b)]``, by bisection when the denials are in text order
    (as the builder's are), not a pass over a long article's denials per frame (issue #19)."""
    if _DENIALS[0] is not denials or _DENIALS[1] != len(denials):
        starts = [d.start for d in denials]
        ordered = all(x <= y for x, y in zip(starts, starts[1:], strict=False))
        _DENIALS[:] = [denials, len(denials), ByStart(denials) if ordered else None]
    index: ByStart | None = _DENIALS[2]
    if index is None:
        return [d for d in denials if inside(d, a, b)]
    return index.inside(a, b)


def _denial_inside(denials: list[Mention], a: int, b: int) -> bool:
    """``any(inside(d, a, b) for d in denials)`` (see :func:`_denials_inside`)."""
    return bool(_denials_inside(denials, a, b))


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
        b.index["place"].inside(sent.start, sent.end), live, clauses, sent, retaliation, b.how, doc
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
    label_tolls(b, placed, "toll_of_sentence")
    owner_sources = [x for x in s.sources if x.data.get("actor_id")]
    if s.orphans and len({f.location_key for f in placed}) == 1:
        for f in placed:
            f.casualties = combine_casualties(f.casualties, s.orphans)
            f.mentions.extend(c for c in s.orphans if c not in f.mentions)
            if f.roles.actor2 is None:
                hit = casualty_owner(doc, s.orphans, s.actors + owner_sources, f.roles)
                f.roles.give("actor2", hit, "toll_victims")
        label_tolls(b, placed, "toll_of_unplaced_trigger")
    tolls = [c for c in s.tolls if c.data.get("casualty") in ("killed", "injured")]
    if not s.made and frames and tolls and s.live:
        # (a sentence whose every trigger a cue cancelled is a tally or a denial, not a toll)
        host = toll_host(frames, s.actors, b.sentences, s.si, s.live)
        if host is not None:
            continue_previous(host, s.sent, tolls)
            label_tolls(b, [host], "toll_continues_event")


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
    tolls = [c for c in s.owned_tolls.get(id(trig), []) if c.data.get("casualty") in ("killed", "injured")]
    shot_civilians(doc, trig, roles, tolls)
    etype, stype = resolve_type(doc, trig, roles)
    if etype is None or stype is None:
        return
    protest_roles(doc, trig, stype, roles)
    if etype == "battles":
        carry_opponent(roles, _battle_roles(b))
    claim = claim_for(trig, s.sources, sent)
    date = nearest(s.dates, trig.start, sent.start, sent.end)
    date_rule = "date_in_sentence"
    if date is None:
        date, date_rule = paragraph_date(b.index["date"], b.sentences, s.si), "date_in_paragraph"
    contested = _denial_inside(b.denials, sent.start, sent.end)
    # (denied asks only the denials between the sentence start and the trigger)
    told_to_deny = denied(doc, trig, _denials_inside(b.denials, sent.start, trig.start), sent)
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


def _battle_roles(b: Build) -> list[Roles]:
    """``[f.roles for f in b.frames if f.event_type == "battles"]``, kept up to date as frames are
    added (event building only appends frames, and a frame's type does not change while the
    sentences are read), not a pass over the article's frames per battle (issue #19)."""
    frames = b.frames
    of, seen, kept = b.battles
    if of is not frames or seen > len(frames):
        seen, kept = 0, []
    kept.extend(f.roles for f in frames[seen:] if f.event_type == "battles")
    b.battles = (frames, len(frames), kept)
    return kept


def _locations(b: Build, s: Said, trig: Mention, clause: tuple[int, int]) -> list[Mention]:
    """The places the trigger happened at: its own, else the ones its clause points back to."""
    doc = b.doc
    here = without_fronted(s.owned.get(id(trig), []), clause)
    locs = event_locations(doc, drop_destinations(doc, trig, here))
    if not locs and not s.owned.get(id(trig)):
        locs = place_pointed_back(doc, clause, b.places)
    return locs


def _roles(b: Build, s: Said, trig: Mention, clause: tuple[int, int], floor: int) -> Roles:
    """The trigger's actors: its clause's rule tables (:mod:`.roles`), then :data:`SENTENCE_STEPS`."""
    # the victims of the sentence's tolls ("مقتل 5 عناصر من قوات النظام") never did it
    # (the same for every trigger of the sentence: found once)
    if s.victims is None:
        counted = [c for c in s.tolls if c.data.get("casualty") in ("killed", "injured", "neutralised")]
        s.victims = victims(b.doc, s.actors, counted, s.live)
    # "قصفت القوات القرية ردا على الهجوم الذي نفذته الهيئة": the reason's actors are the reason's
    ceiling = min(
        (t.start for t in s.live if id(t) in s.retaliation and t.start > trig.end), default=s.sent.end
    )
    usable = [a for a in s.actors if floor <= a.start < ceiling and a not in s.victims]
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
