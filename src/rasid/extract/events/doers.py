"""Doers the clause does not name: the sentence's subject, the speaker's own forces, the event
retold, an unnamed "terrorist" attacker."""

from __future__ import annotations

from collections.abc import Callable

from rasid.document import Document, Mention, Sentence
from rasid.extract.arguments import (
    Roles,
    actor_id,
    bare_word,
    folded_between,
    labels_a_group,
    last_complementiser,
    markers,
    retells_an_event,
    words_at,
)
from rasid.extract.events.cues import contrast
from rasid.extract.events.frame import Frame
from rasid.extract.events.mentions import inside
from rasid.extract.events.roles import assign_roles
from rasid.extract.events.state import Asked, Build, Said
from rasid.extract.frames import CROWD_EVENT_TYPES, VIOLENT_TYPES, civilians_do_not_act
from rasid.extract.tolls import casualty_owner
from rasid.knowledge.actors import actor_by_id, add_actor


def speaker_is_subject(doc: Document, trig: Mention, roles: Roles) -> bool:
    """``أعلنت الوزارة أنها دمرت…`` / ``أن قواتها سيطرت`` / ``أن دمرت طائراتها``: the speaker acts."""
    m = markers()
    before = folded_between(doc, max(0, trig.start - 20), trig.start)
    after = folded_between(doc, trig.end, min(len(doc.text), trig.end + 20))[:1]
    own = (
        (before and before[-1] in m.pronoun_complementisers)
        or (len(before) >= 2 and before[-1] in m.speaker_forces and before[-2] in m.complementisers)
        or (bool(after) and after[0] in m.speaker_forces and trig.data.get("pos") == "verb")
    )
    if not own:
        return False
    return roles.actor1 is None or roles.actor1.start > trig.start


def civilians_cannot_do(trig: Mention) -> bool:
    """Civilians protest and riot; any other event is done by an armed or state side."""
    return trig.data.get("event_type") not in CROWD_EVENT_TYPES


def continue_roles(
    doc: Document, trig: Mention, roles: Roles, frames: list[Frame], sentences: list[Sentence], si: int
) -> None:
    """``وطالت الغارات أيضاً…``: a definite verbal noun with no actor retells the event just told."""
    if not retells_an_event(doc, trig):
        return
    recent = {s.start for s in sentences[max(0, si - 2) : si + 1]}
    for f in reversed(frames):
        if f.sentence.start not in recent:
            break
        if f.event_type == trig.data.get("event_type") and f.roles.actor1 is not None:
            roles.give("actor1", f.roles.actor1, "retold_event")
            if roles.actor2 is None:
                roles.give("actor2", f.roles.actor2, "retold_event")
            return


def unidentified(doc: Document, trig: Mention, floor: int) -> Mention | None:
    """``الهجوم الإرهابي الذي استهدف…`` with no doer named: an unidentified armed group."""
    if trig.data.get("event_type") not in VIOLENT_TYPES:
        return None
    words = markers().unidentified_adjectives
    for w, a in words_at(doc, max(floor, 0), min(len(doc.text), trig.end + 20)):
        if w.strip('"،,') in words:
            if labels_a_group(doc, a):
                return None  # "المجموعات الإرهابية": one side's name for the other's fighters
            actor = actor_by_id("UNIDENTIFIED")
            return add_actor(
                doc,
                a,
                a + len(w),
                actor,
                inferred=True,
            )
    return None


def speaker_actor(
    doc: Document, trig: Mention, sources: list[Mention], sent: Sentence, actors: list[Mention]
) -> Mention | None:
    """``أعلنت وزارة الدفاع التركية أنها دمرت…``: an official source speaking of its own act.

    With no such source, the actor that speaks of its own forces (``أعلنت هيئة تحرير الشام أن
    مقاتليها…``): the first of ``actors`` before the complementiser. The caller passes no actors
    when the clause does not speak of the speaker's own forces ("أكدت الأمم المتحدة أن القصف…").
    """
    for s in sources:
        if inside(s, sent.start, trig.start) and s.data.get("actor_id"):
            return s
    comp = last_complementiser(doc, sent.start, trig.start)
    if comp is None:
        return None
    speakers = [a for a in actors if sent.start <= a.start and a.end <= comp]
    return speakers[0] if speakers else None


# ---------------------------------------------------------------- the sentence's role steps


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
    # (the article's sources that lie between the sentence start and the trigger, by bisection:
    # speaker_actor asks only those, and a scan of every source per trigger grew with the article)
    before = b.index["claim_source"].inside(s.sent.start, trig.start)
    found = speaker_actor(b.doc, trig, before, s.sent, s.actors if own else [])
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


def previous_subject(b: Build, s: Said, q: Asked, roles: Roles) -> None:
    """``…أن تنظيم الدولة أعدم قيادياً في قرية الحصان. وأعدم شابين آخرين في حطلة``: a verb that opens
    its sentence with no subject named continues the doer of the sentence before.

    Only an active verb with nothing but a linking word (``continuing_openers``) before it, and
    only the doer of a violent or arrest event of the last sentence (or the one before) that made any.
    """
    trig = q.trig
    # (civilians read as its subject are who it was done to: "وأعدم شابين")
    civilian_doer = actor_id(roles.actor1) == "CIV" and civilians_cannot_do(trig)
    if roles.actor1 is not None and not civilian_doer:
        return
    if trig.data.get("pos") != "verb" or trig.data.get("passive"):
        return
    before = [w for w in folded_between(b.doc, s.sent.start, trig.start) if w not in (",", "،")]
    if any(w not in markers().continuing_openers for w in before):
        return
    after = folded_between(b.doc, trig.end, min(len(b.doc.text), trig.end + 30))[:1]
    if after and bare_word(after[0]) in markers().unnamed_doers:
        return  # "وقصفت الفصائل…": a subject the actor list does not know is still a subject
    recent = {x.start for x in b.sentences[max(0, s.si - 2) : s.si]}
    frames = b.frames
    for i in range(s.first_frame - 1, -1, -1):  # (no copy of the article's frames per trigger)
        f = frames[i]
        if f.sentence.start not in recent:
            return
        doer = f.roles.actor1
        if doer is not None and actor_id(doer) != "CIV" and actor_id(doer) != actor_id(roles.actor2):
            if civilian_doer and roles.actor2 is None:
                roles.give("actor2", roles.actor1, "civilians_do_not_act")
            roles.give("actor1", doer, "previous_subject")
            return


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
    previous_subject,
    unidentified_attacker,
)
