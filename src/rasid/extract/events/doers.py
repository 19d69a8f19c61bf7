"""Doers the clause does not name: the sentence's subject, the speaker's own forces, the event
retold, an unnamed "terrorist" attacker."""

from __future__ import annotations

from rasid.document import Document, Mention, Sentence
from rasid.extract.arguments import (
    Roles,
    folded_between,
    labels_a_group,
    last_complementiser,
    markers,
    retells_an_event,
    words_at,
)
from rasid.extract.events.frame import Frame
from rasid.extract.events.mentions import inside
from rasid.extract.frames import CROWD_EVENT_TYPES, VIOLENT_TYPES
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
