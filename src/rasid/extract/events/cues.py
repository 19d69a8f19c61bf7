"""Cue words that cancel, contest or subordinate a trigger: negation, threat, background, denial,
retaliation, contrast. The words are in ``data/arguments.yaml`` and the cue lexicons."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import Any

from rasid.document import Document, Mention, Sentence
from rasid.extract.arguments import ends_with_phrase, folded_between, markers, starts_with
from rasid.extract.frames import counted_back_reference, descriptive_present

# How far (in characters) a cue word reaches to cancel a trigger after it.
_CUE_REACH = 60
# a habit or period cue fronted before its trigger: at most a comma and a preposition between
_FRONTED_GAP = 6


# The last cue list asked about: (the list, its length, its starts or None when not in text order,
# the widest cue's length in characters).
_CUES: list[Any] = [None, -1, None, 0]


def _near(cues: list[Mention], trig: Mention) -> list[Mention]:
    """The cues that can cancel ``trig``: each rule of :func:`cancelled` takes a cue that starts at
    most ``_CUE_REACH`` after the trigger's end or ends at most ``_CUE_REACH`` before its start, so
    one that starts within ``_CUE_REACH`` plus the widest cue of it (by bisection when the list is in
    text order, as the builder's is; not every cue of a long article per trigger: issue #19)."""
    if _CUES[0] is not cues or _CUES[1] != len(cues):
        starts = [c.start for c in cues]
        # (in text order, and no cue ending before it starts: else every cue, as before)
        ordered = all(a <= b for a, b in zip(starts, starts[1:], strict=False))
        ordered = ordered and all(c.start <= c.end for c in cues)
        widest = max((c.end - c.start for c in cues), default=0)
        _CUES[:] = [cues, len(cues), starts if ordered else None, widest]
    starts_or_none: list[int] | None = _CUES[2]
    if starts_or_none is None:
        return cues
    lo = bisect_left(starts_or_none, trig.start - _CUE_REACH - _CUES[3])
    hi = bisect_right(starts_or_none, max(trig.start, trig.end + _CUE_REACH))
    return cues[lo:hi]


def cancelled(doc: Document, trig: Mention, cues: list[Mention], clause: tuple[int, int]) -> bool:
    """A negation, threat/hypothetical or background cue before the trigger in its clause.

    A plural trigger followed in its clause by a background span ("قُتلوا في هجمات التنظيم
    منذ بداية العام") is a tally over a period, not one incident, so the cue counts after it too;
    so does a habit or period cue (``after`` in its data: "يقصف النظام المدينة بانتظام") after any trigger.
    """
    plural = trig.text.rstrip().endswith(markers().plural_endings)
    for c in _near(cues, trig):
        if c.kind not in ("negation", "hypothetical", "background"):
            continue
        if (
            (plural or c.data.get("after"))
            and c.kind == "background"
            and clause[0] <= trig.end <= c.start < clause[1]
        ):
            if c.start - trig.end <= _CUE_REACH:
                return True
        if c.data.get("after") and 0 <= trig.start - c.end <= _FRONTED_GAP:
            return True  # fronted before a comma: "وخلال الأيام الأخيرة، سيطرت القوات على…"
        if not (clause[0] <= c.start and c.end <= trig.start):
            continue
        if trig.start - c.end > _CUE_REACH:
            continue
        return True
    return False


def is_event_trigger(doc: Document, trig: Mention) -> bool:
    """Not a state (``تسيطر عليها``), a named past agreement, a back-reference or a habit."""
    if trig.data.get("state") or trig.data.get("named_agreement") or descriptive_present(doc, trig):
        return False
    if counted_back_reference(doc, trig):
        return False
    m = markers()
    before = folded_between(doc, max(0, trig.start - 12), trig.start)
    if before and before[-1] in m.anaphora_before:
        return False
    if (
        before
        and before[-1] in m.time_of_withdrawal
        and trig.data.get("withdrawal")
        and trig.data.get("pos") == "noun"
    ):
        return False  # "سيطر الجيش على القرى عقب انسحاب الفصائل": it dates the takeover, no event of its own
    after = folded_between(doc, trig.end, min(len(doc.text), trig.end + 25))[:2]
    return not starts_with(after, m.habitual_after)


def is_retaliation(doc: Document, trig: Mention) -> bool:
    before = folded_between(doc, max(0, trig.start - 20), trig.start)
    return ends_with_phrase(before, markers().retaliation)


def denied(doc: Document, trig: Mention, denials: list[Mention], sent: Sentence) -> bool:
    """``نفت الوزارة أن تكون طائراتها قصفت…``, ``كذبة مفادها أن…``: told only to be denied.

    The denial comes before the trigger in its sentence and a complementiser
    (أن) or a noun of happening (وقوع) sits between them, or the trigger is the
    verbal noun the denial verb takes (نفت أنقرة استهداف…), so the trigger is what
    is denied, not reported.
    """
    m = markers()
    for d in denials:
        if not (sent.start <= d.start and d.end <= trig.start):
            continue
        between = folded_between(doc, d.end, trig.start)
        if any(
            w in m.complementisers or w in m.pronoun_complementisers or w in m.occurrence_nouns
            for w in between
        ):
            return True
        if d.data.get("cue") in m.noun_denials and trig.data.get("pos") == "noun" and len(between) <= 2:
            # "نفت أنقرة استهداف المدنيين": the verbal noun is the object of the denial
            return True
    return False


def anchors_a_place(doc: Document, actor: Mention) -> bool:
    """``جنوبي دمشق``, ``بريف أنقرة``: a capital after a direction word is a place, not its government."""
    before = folded_between(doc, max(0, actor.start - 12), actor.start)[-1:]
    word = before[0] if before else ""
    m = markers()
    if word == m.border_with:
        # "الحدودية مع لبنان", "الحدود مع تركيا": a border is between places
        wider = folded_between(doc, max(0, actor.start - 24), actor.start)[-2:-1]
        return bool(wider) and wider[0].lstrip(m.conjunction) in m.border_words
    directions = m.direction_words
    return word in directions or (word[:1] in m.direction_clitics and word[1:] in directions)


def collapse_adjacent(doc: Document, live: list[Mention]) -> list[Mention]:
    """``بانفجار لغم``, ``لغم أرضي من مخلفات الحرب``: trigger words of one type side by side, or
    joined by one small word, are one trigger."""
    out: list[Mention] = []
    last_end = -1  # the end of the last trigger word taken into out[-1]
    for t in live:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.data.get("sub_event_type") == t.data.get("sub_event_type")
            and t.start >= last_end
            and folded_between(doc, last_end, t.start) in ([], [markers().partitive], [markers().conjunction])
        ):
            last_end = t.end
            continue
        out.append(t)
        last_end = t.end
    return out


def contrast(doc: Document, clause: tuple[int, int]) -> bool:
    """A clause opened by فيما/بينما/لكن tells another doer's act: it borrows no subject."""
    first = folded_between(doc, clause[0], min(clause[1], clause[0] + 12))[:2]
    return starts_with(first, markers().contrast_openers)


def retaliation_floor(live: list[Mention], retaliation: set[int], trig: Mention, sent: Sentence) -> int:
    """Where the reason clause (``ردا على الهجوم…``) that holds ``trig`` starts, else the sentence start."""
    starts = [t.start for t in live if id(t) in retaliation and t.start <= trig.start]
    return max(starts) if starts else sent.start
