"""Who did what to whom: actor roles around a trigger, from Arabic word order.

Arabic news puts the actor in a few predictable places: after the verb
(``قصفت القوات التركية…``, VSO), before it (``الجيش السوري قصف…``), after a
verbal noun as a possessor or adjective (``قصف مدفعي للجيش السوري``,
``غارة جوية روسية``), or behind an explicit marker (``من قبل``, ``شنته``).
The target usually follows a preposition or a place-of-target noun
(``على مواقع``, ``مقرات لـ``, ``ضد``). The marker words live in
``data/arguments.yaml``; this module applies them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from rasid.document import Document, Mention
from rasid.knowledge.loader import load_yaml
from rasid.text.fold import fold_phrase


@dataclass(frozen=True)
class Markers:
    target: frozenset[tuple[str, ...]]
    agent: frozenset[tuple[str, ...]]
    assoc: frozenset[tuple[str, ...]]
    between: frozenset[str]
    report: frozenset[str]


@lru_cache(maxsize=1)
def markers() -> Markers:
    data = load_yaml("arguments.yaml")

    def phrases(key: str) -> frozenset[tuple[str, ...]]:
        return frozenset(tuple(fold_phrase(p).split()) for p in data[key])

    return Markers(
        target=phrases("target_markers"),
        agent=phrases("agent_markers"),
        assoc=phrases("assoc_markers"),
        between=frozenset(fold_phrase(p) for p in data["clash_between"]),
        report=frozenset(fold_phrase(p) for p in data["report_verbs"]),
    )


@dataclass
class Roles:
    actor1: Mention | None = None
    actor2: Mention | None = None
    assoc: list[Mention] = field(default_factory=list)


def words_before(doc: Document, pos: int, n: int = 3, floor: int = 0) -> list[str]:
    """The last ``n`` folded words before original offset ``pos`` (not before ``floor``)."""
    f = doc.folded
    a = f.to_folded(max(floor, 0))
    b = f.to_folded(pos)
    return f.text[a:b].replace('"', " ").split()[-n:]


def _strip_clitic(word: str) -> str:
    for pre in ("وال", "بال", "فال", "لل", "ال", "و", "ف", "ب", "ل"):
        if word.startswith(pre) and len(word) - len(pre) >= 2:
            return word[len(pre) :]
    return word


def _ends_with(words: list[str], phrases: frozenset[tuple[str, ...]]) -> bool:
    for p in phrases:
        n = len(p)
        if n <= len(words):
            tail = words[-n:]
            if tuple(tail) == p or (n == 1 and _strip_clitic(tail[0]) in {_strip_clitic(p[0]), p[0]}):
                return True
    return False


def marker_of(doc: Document, actor: Mention, floor: int) -> str | None:
    """'target', 'agent', 'assoc' or None, from the words right before ``actor``."""
    m = markers()
    before = words_before(doc, actor.start, 3, floor)
    # "لـ«هيئة تحرير الشام»": a bare ل before the actor after a target noun
    for size in (3, 2, 1):
        w = before[-size:] if len(before) >= size else before
        if _ends_with(w, m.agent):
            return "agent"
        if _ends_with(w, m.assoc):
            return "assoc"
    if before and _ends_with(before[-1:], m.target):
        return "target"
    if len(before) >= 2 and before[-1] in {"ل", "لـ"} and _ends_with(before[-2:-1], m.target):
        return "target"
    if len(before) >= 2 and _ends_with(before[-2:-1], m.target) and before[-1] in {"ل", "تابعه", "تابعة"}:
        return "target"
    # "قصف على ... لـ" : the actor glued to ل right after a target noun
    if actor.start > 0 and doc.text[max(0, actor.start - 2) : actor.start].strip(' «"“') in {"ل", "لـ"}:
        return "target" if before and _ends_with(before[-2:-1] or before, m.target) else "possessor"
    return None


def assign_roles(
    doc: Document,
    trigger: Mention,
    actors: list[Mention],
    clause: tuple[int, int],
    clash: bool,
) -> Roles:
    """Pick actor1/actor2/assoc for ``trigger`` among ``actors`` of its clause.

    ``actors`` are actor mentions inside ``clause`` (original offsets), sorted.
    """
    roles = Roles()
    seen: set[str] = set()
    ordered: list[tuple[Mention, str]] = []
    for a in actors:
        aid = a.data.get("actor_id")
        if not aid or aid in seen:
            continue
        seen.add(aid)
        ordered.append((a, marker_of(doc, a, clause[0]) or ""))

    if clash:
        sides = [a for a, mk in ordered if mk != "assoc"]
        if sides:
            roles.actor1 = sides[0]
        if len(sides) > 1:
            roles.actor2 = sides[1]
        roles.assoc = [a for a, mk in ordered if mk == "assoc"]
        return roles

    after = [(a, mk) for a, mk in ordered if a.start >= trigger.end]
    before = [(a, mk) for a, mk in ordered if a.end <= trigger.start]

    for a, mk in ordered:
        if mk == "agent" and roles.actor1 is None:
            roles.actor1 = a
        elif mk == "assoc":
            roles.assoc.append(a)

    # adjective or possessor right after a verbal noun: "غارة روسية", "قصف مدفعي للجيش السوري"
    if roles.actor1 is None:
        for a, mk in after:
            gap = doc.folded.text[doc.folded.to_folded(trigger.end) : doc.folded.to_folded(a.start)]
            near = len(gap.split()) <= 3
            if near and (
                a.data.get("adjective") or (mk == "possessor" and trigger.data.get("pos") == "noun")
            ):
                roles.actor1 = a
                break

    # subject before the verb (SVO) or a topicalised actor ("الجيش السوري بدأ قصفا")
    if roles.actor1 is None:
        for a, mk in reversed(before):
            if mk in ("", "possessor") and a is not roles.actor2:
                roles.actor1 = a
                break

    # subject after the verb (VSO)
    if roles.actor1 is None:
        for a, mk in after:
            if mk in ("", "possessor") and a not in roles.assoc:
                roles.actor1 = a
                break

    # target: first marked target, else the first remaining actor after the trigger
    for a, mk in after + before:
        if a is roles.actor1 or a in roles.assoc:
            continue
        if mk == "target":
            roles.actor2 = a
            break
    if roles.actor2 is None:
        for a, mk in after:
            if a is roles.actor1 or a in roles.assoc or mk == "agent":
                continue
            roles.actor2 = a
            break
    return roles
