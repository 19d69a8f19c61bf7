"""Who did what to whom in a trigger's clause: an ordered table of small named rules.

Each rule is a function that looks at one :class:`Scene` (the trigger, the
clause's actors with the marker word before each, the actors before and after
the trigger) and proposes an actor for one role, or nothing. For each role the
table is read top-down and the first rule that proposes an actor decides; its
name is recorded on the event (``Roles.rules``, the record's ``"spans"``), so
the annotate page says why each actor was chosen.

Every rule has an example and the id of a case of ``tests/data/extraction_cases.yaml``
that exercises it, listed under ``role_rules`` in ``data/arguments.yaml`` (the
marker words live there too); ``tests/test_roles.py`` checks that each rule's
case exists, contains its example, still passes, and fires the rule.

Two tables: :data:`CLASH_RULES` for the sides of a clash or a deal (either
order, "بين X وY"), and :data:`RULES` for everything else (an agent marker,
a verbal noun's adjective or possessor, SVO, VSO, a weapon's owner, then the
target).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rasid.document import Document, Mention
from rasid.extract.arguments import (
    Roles,
    actor_id,
    bare_word,
    ends_with,
    folded_between,
    last_complementiser,
    marker_of,
    markers,
    words_at,
)
from rasid.knowledge.loader import load_yaml
from rasid.text.fold import fold_phrase

# event types civilians can do (a protest, a riot): after any other noun they are its object
_CROWD_TYPES = frozenset({"protests", "riots"})

# an actor with its marker: 'agent', 'assoc', 'target', 'dependent', 'possessor' or ''
Marked = tuple[Mention, str]


@dataclass(slots=True)
class Scene:
    """What the rules of one trigger look at, computed once."""

    doc: Document
    trigger: Mention
    clause: tuple[int, int]
    ordered: list[Marked]  # the clause's actors, one per actor id, with their markers
    sentence_actors: list[Mention]
    others: list[Mention]  # the sentence's other triggers
    after: list[Marked] = field(default_factory=list)  # after the trigger, not in a relative fight
    before: list[Marked] = field(default_factory=list)  # before it ("target" read as subject before a verb)
    overlapping: list[Mention] = field(default_factory=list)
    is_noun: bool = False
    sides: list[Mention] = field(default_factory=list)  # a clash's candidate sides
    between: bool = False  # a clash's sides follow بين
    hit: list[Mention] = field(default_factory=list)  # sides that underwent it (تعرضت دورية لـ… لكمين)
    after_noun: tuple[Mention | None, str] | None = None  # cached scan of the actors after a noun


@dataclass(frozen=True, slots=True)
class RoleRule:
    """A named rule that proposes ``role`` (actor1 or actor2); its example and case are in the data."""

    name: str
    role: str
    find: Callable[[Scene, Roles], Mention | None]


# ---------------------------------------------------------------- the table: clashes and deals


def clash_subject_before(s: Scene, roles: Roles) -> Mention | None:
    """``دخلت قوة من الجيش التركي في مواجهات مع مقاتلي قسد``: the sentence's subject fought the one after مع."""
    sides = s.sides
    if len(sides) != 1 or sides[0].start < s.trigger.end or not s.sentence_actors:
        return None
    gap = folded_between(s.doc, s.trigger.end, sides[0].start)[:4]
    if not any(w in markers().clash_with for w in gap):
        return None
    floor = s.sentence_actors[0].start
    before = [
        (a, marker_of(s.doc, a, floor))
        for a in s.sentence_actors
        if a.end <= s.trigger.start and actor_id(a) != actor_id(sides[0])
    ]
    return _subject_before(s.doc, s.trigger, before, floor)


def clash_shot_by(s: Scene, roles: Roles) -> Mention | None:
    """``قُتل عنصر من "الفرقة الرابعة" برصاص مسلحي "داعش"``: the side named after a shooting word fired.

    A word such as برصاص names the shooter after it (trigger data ``shooter_after``), whatever
    side the sentence names first: the victims told before it are the other side.
    """
    if not s.trigger.data.get("shooter_after"):
        return None
    return next((a for a in s.sides if a.start >= s.trigger.start), None)


def clash_between(s: Scene, roles: Roles) -> Mention | None:
    """``اشتباكات بين قوات النظام وفصائل المعارضة``: the first side named after بين."""
    return s.sides[0] if s.between and s.sides else None


def clash_first_side(s: Scene, roles: Roles) -> Mention | None:
    """``اشتبكت قسد مع تنظيم داعش``: the first actor of the clause that is a side (not one that
    underwent it: ``تعرضت دورية لقوات النظام لكمين`` names only the side ambushed)."""
    return next((a for a in s.sides if a not in s.hit), None)


def clash_other_side(s: Scene, roles: Roles) -> Mention | None:
    """``…بين قوات النظام وفصائل المعارضة``: the first other side, of another actor id."""
    first = roles.actor1
    return next((a for a in s.sides if a is not first and actor_id(a) != actor_id(first)), None)


CLASH_RULES: tuple[RoleRule, ...] = (
    RoleRule("clash_shot_by", "actor1", clash_shot_by),
    RoleRule("clash_subject_before", "actor1", clash_subject_before),
    RoleRule("clash_between", "actor1", clash_between),
    RoleRule("clash_first_side", "actor1", clash_first_side),
    RoleRule("clash_other_side", "actor2", clash_other_side),
)


# ---------------------------------------------------------------- the table: one doer, one target


def agent_marker(s: Scene, roles: Roles) -> Mention | None:
    """``استُهدفت سيارة إسعاف بصاروخ موجّه من قبل قوات النظام``: the actor after an agent marker."""
    return next((a for a, mk in s.ordered if mk == "agent"), None)


def noun_own_adjective(s: Scene, roles: Roles) -> Mention | None:
    """``الهجوم التركي``, ``غارات النظام``: a verbal noun whose adjective or owner is part of the actor
    mention itself (a name that begins with the noun and goes on past it, as actors.tsv lists them)."""
    if not s.is_noun:
        return None
    return next((a for a in s.overlapping if a.data.get("adjective") or a.end > s.trigger.end), None)


def noun_doer_then_object(s: Scene, roles: Roles) -> Mention | None:
    """``قصف حركة أحرار الشام مقرات قوات النظام``: a verbal noun, its doer, then its object."""
    return _after_noun(s, "noun_doer_then_object")


def noun_members_of(s: Scene, roles: Roles) -> Mention | None:
    """``اعتداء عنصرين من أحد فصائل الجيش الوطني``: members of the actor did it."""
    return _after_noun(s, "noun_members_of")


def noun_weapon_owner(s: Scene, roles: Roles) -> Mention | None:
    """``استهداف طائرة مسيرة تابعة للقوات التركية لسيارة``: the owner of the weapon did it."""
    return _after_noun(s, "noun_weapon_owner")


def noun_adjective_or_possessor(s: Scene, roles: Roles) -> Mention | None:
    """``غارة جوية روسية``, ``قصف مدفعي للجيش السوري``: an adjective or possessor right after the noun."""
    return _after_noun(s, "noun_adjective_or_possessor")


def subject_before(s: Scene, roles: Roles) -> Mention | None:
    """``قوات النظام قصفت…`` (SVO): the head actor before the trigger, after the last complementiser."""
    return _subject_before(s.doc, s.trigger, s.before, s.clause[0])


def unit_after_verb(s: Scene, roles: Roles) -> Mention | None:
    """``داهمت دورية لقسد منازل``: a unit right after the verb, with no subject before it, is the subject."""
    if s.is_noun or not s.after or s.after[0][1] != "target" or _has_object_pronoun(s.doc, s.trigger):
        return None
    gap = folded_between(s.doc, s.trigger.end, s.after[0][0].start)
    if 1 <= len(gap) <= 2 and bare_word(gap[0]) in markers().units:
        return s.after[0][0]
    return None


def verb_subject_after(s: Scene, roles: Roles) -> Mention | None:
    """``شنّ الطيران الروسي غارات`` (VSO): the first unmarked actor after the verb.

    Not when another trigger or a relative clause comes first ("قصفت البلدتين اللتين تسيطر
    عليهما قوات النظام": the actor is that verb's), nor after a verb that takes no agent.
    """
    if s.is_noun or _no_agent(s.doc, s.trigger):
        return None
    return next(
        (
            a
            for a, mk in s.after
            if mk in ("", "possessor") and not _other_trigger_between(s.doc, s.trigger, a, s.others)
        ),
        None,
    )


def weapon_owner_after_verb(s: Scene, roles: Roles) -> Mention | None:
    """``انفجرت دراجة مفخخة تابعة لتنظيم داعش``: the owner of the weapon named after the verb."""
    if s.is_noun:
        return None
    for a, mk in s.after:
        gap = folded_between(s.doc, s.trigger.end, a.start)
        if mk == "possessor" and any(w in markers().weapon_words for w in gap) and _weapons_only(gap):
            return a
    return None


def weapon_of_one_side(s: Scene, roles: Roles) -> Mention | None:
    """``غارة ببرميل متفجر``: a weapon only one side uses names that side as the doer."""
    return next((a for a, _ in s.ordered if a.data.get("weapon")), None)


def target_marker(s: Scene, roles: Roles) -> Mention | None:
    """``قصف مدفعي على مواقع قسد``: the first actor behind a target marker that is no place name."""
    for a, mk in s.after + s.before:
        if a is roles.actor1 or a in roles.assoc or mk != "target" or a.data.get("metonym"):
            continue
        return a
    return None


def object_after(s: Scene, roles: Roles) -> Mention | None:
    """``قصفت قوات النظام الفصائل``: the first unmarked actor after the trigger that is not its doer.

    With no actor after it in the clause, the sentence's actors after it; it stops at another
    trigger or a relative clause ("في بلدة الكشكية، التي تسعى قسد لاقتحامها").
    """
    pool = s.after
    if not pool and s.sentence_actors:
        pool = [
            (a, marker_of(s.doc, a, s.clause[0]))
            for a in s.sentence_actors
            if a.start >= s.trigger.end and not _in_relative_fight(s.doc, s.trigger, a)
        ]
    for a, mk in pool:
        if a is roles.actor1 or a in roles.assoc or mk in ("agent", "dependent", "assoc"):
            continue
        if a.data.get("metonym") or a.data.get("weapon"):
            continue  # "غارات على دمشق": a capital named here is a place
        if any(t is not s.trigger and s.trigger.end <= t.start < a.start for t in s.others):
            return None
        if any(w in markers().relative_openers for w in folded_between(s.doc, s.trigger.end, a.start)):
            return None
        if roles.actor1 is not None and actor_id(a) == actor_id(roles.actor1):
            continue
        return a
    return None


RULES: tuple[RoleRule, ...] = (
    RoleRule("agent_marker", "actor1", agent_marker),
    RoleRule("noun_own_adjective", "actor1", noun_own_adjective),
    RoleRule("noun_doer_then_object", "actor1", noun_doer_then_object),
    RoleRule("noun_members_of", "actor1", noun_members_of),
    RoleRule("noun_weapon_owner", "actor1", noun_weapon_owner),
    RoleRule("noun_adjective_or_possessor", "actor1", noun_adjective_or_possessor),
    RoleRule("subject_before", "actor1", subject_before),
    RoleRule("unit_after_verb", "actor1", unit_after_verb),
    RoleRule("verb_subject_after", "actor1", verb_subject_after),
    RoleRule("weapon_owner_after_verb", "actor1", weapon_owner_after_verb),
    RoleRule("weapon_of_one_side", "actor1", weapon_of_one_side),
    RoleRule("target_marker", "actor2", target_marker),
    RoleRule("object_after", "actor2", object_after),
)


# The role steps after the clause tables, in the order event building takes them: the sentence's
# rules (build._roles, doers.py), the type's (frames.py), then whole-article ones (arguments.py).
# Each records its name like a table rule; a step that recodes an actor found by another
# (state_as_armed_forces) records "that+this".
LATER_RULES: tuple[str, ...] = (
    "civilians_do_not_act",
    "sentence_subject",
    "speaker_hit_side",
    "speaker_own_forces",
    "toll_victims",
    "retold_event",
    "unidentified_attacker",
    "taken_from_the_withdrawer",
    "protest_sides",
    "earlier_battle_opponent",
    "claimed_by",
    "civilian_victims",
    "state_as_armed_forces",
    "retaliated_against",
    "article_battle_opponent",
    "previous_subject",
    "shot_civilians",
)


@lru_cache(maxsize=1)
def rule_notes() -> dict[str, dict[str, Any]]:
    """Each rule's example and case id, from ``role_rules`` in ``data/arguments.yaml``."""
    notes: dict[str, dict[str, Any]] = load_yaml("arguments.yaml")["role_rules"]
    return notes


# ---------------------------------------------------------------- the driver


def assign_roles(
    doc: Document,
    trigger: Mention,
    actors: list[Mention],
    clause: tuple[int, int],
    clash: bool,
    sentence_actors: list[Mention] | None = None,
    others: list[Mention] | None = None,
) -> Roles:
    """Pick actor1/actor2/assoc for ``trigger`` among ``actors`` of its clause (sorted, original offsets).

    ``others`` are the sentence's other triggers: an unmarked actor after one of
    them belongs to it (``انسحبت القوات بعد معارك بين X وY``), not to ``trigger``.
    """
    scene = Scene(doc, trigger, clause, _marked(doc, actors, clause), sentence_actors or [], others or [])
    roles = Roles()
    if clash:
        _set_sides(scene, roles)
        roles.assoc += [a for a, mk in scene.ordered if mk == "assoc"]
        apply_rules(CLASH_RULES, scene, roles)
    else:
        _set_positions(scene)
        roles.assoc += [a for a, mk in scene.ordered if mk == "assoc"]
        apply_rules(RULES, scene, roles)
    return roles


def apply_rules(rules: tuple[RoleRule, ...], scene: Scene, roles: Roles) -> None:
    """For each role, the first rule of ``rules`` that proposes an actor decides."""
    for rule in rules:
        if (roles.actor1 if rule.role == "actor1" else roles.actor2) is not None:
            continue
        found = rule.find(scene, roles)
        if found is not None:
            roles.give(rule.role, found, rule.name)


def _marked(doc: Document, actors: list[Mention], clause: tuple[int, int]) -> list[Marked]:
    """The clause's actors, the first of each actor id, each with the marker word before it."""
    seen: set[str] = set()
    ordered: list[Marked] = []
    for a in actors:
        aid = a.data.get("actor_id")
        if not aid or aid in seen:
            continue
        seen.add(aid)
        ordered.append((a, marker_of(doc, a, clause[0] if a.start >= clause[0] else max(0, a.start - 60))))
    return ordered


def _set_sides(s: Scene, roles: Roles) -> None:
    """A clash's candidate sides: no supporter, none nearer another type's trigger, after بين if any.

    "قوات الاحتلال التركي ومرتزقته شنت هجوماً": a joint subject is one side, its second
    actor an associate.
    """
    trigger = s.trigger
    sides = [a for a, mk in s.ordered if mk not in ("assoc", "dependent")]
    # "اشتباكات في محيط سد تشرين ومسيّرة تركية تستهدف قافلة مدنية": an actor nearer a trigger
    # of another event type is that one's, not a side of the clash
    rivals = [t for t in s.others if t.data.get("event_type") != trigger.data.get("event_type")]
    sides = [a for a in sides if not any(_distance(a, t) < _distance(a, trigger) for t in rivals)]
    undergone = _undergone_from(s.doc, trigger, s.clause)
    if undergone is not None:
        # "تعرضت دورية لقوات النظام لكمين نصبه مقاتلو الهيئة": the side that underwent it is the other side
        s.hit = [a for a in sides if undergone <= a.start < trigger.start]
        sides = [a for a in sides if a not in s.hit] + s.hit
    between = _between_start(s.doc, trigger, s.clause)
    if between is not None:
        after_between = [a for a in sides if a.start >= between]
        s.between = bool(after_between)
        sides = after_between or sides
    elif (
        len(sides) >= 2
        and _agentive(s.doc, trigger)
        and sides[1].end <= trigger.start
        and folded_between(s.doc, sides[0].end, sides[1].start) == [markers().conjunction]
    ):
        roles.assoc.append(sides.pop(1))
    s.sides = sides


def _set_positions(s: Scene) -> None:
    """The actors after and before the trigger, those it lies inside, and whether it is a noun."""
    doc, trigger = s.doc, s.trigger
    s.after = [
        (a, mk) for a, mk in s.ordered if a.start >= trigger.end and not _in_relative_fight(doc, trigger, a)
    ]
    before = [(a, mk) for a, mk in s.ordered if a.end <= trigger.start]
    if trigger.data.get("pos") == "verb" and not _has_object_pronoun(doc, trigger):
        # before a verb, "دورية لقوات النظام" is the subject phrase; only "مواقع قسد… قصفتها" (an object
        # pronoun on the verb) fronts the target
        before = [(a, "" if mk == "target" else mk) for a, mk in before]
    if s.after and s.after[0][1] == "" and _ends_with_target_marker(doc, trigger):
        # "ألقت القوات القبض على خلية تابعة لداعش": the trigger's own على marks what follows
        s.after[0] = (s.after[0][0], "target")
    undergone = _undergone_from(doc, trigger, s.clause)
    if undergone is not None:
        # "تعرضت سيارة عسكرية للقوات التركية لهجوم بصاروخ موجه": the subject of تعرض was hit
        before = [(a, "target" if a.start >= undergone else mk) for a, mk in before]
    s.before = before
    s.overlapping = [a for a, _ in s.ordered if a.start <= trigger.start and a.end >= trigger.end]
    s.is_noun = trigger.data.get("pos") == "noun"
    if trigger.data.get("sub_event_type") == "disrupted_weapons_use":
        # "التصدي لصواريخ إسرائيلية": the weapon's origin is the side intercepted, not the doer
        s.is_noun = False
        s.overlapping = []


def _ends_with_target_marker(doc: Document, trigger: Mention) -> bool:
    """The trigger's words end with a one-word target marker (``القبض على``, ``الاستيلاء على``)."""
    words = folded_between(doc, trigger.start, trigger.end)
    return len(words) > 1 and (words[-1],) in markers().target


def _undergone_from(doc: Document, trigger: Mention, clause: tuple[int, int]) -> int | None:
    """Where the subject of an undergo verb (``undergo_verbs``: تعرض، تتعرض…) starts when the trigger
    is the noun it takes with ل (``تعرضت دورية لقوات النظام لكمين``), else None."""
    word_start = doc.text.rfind(" ", 0, trigger.start) + 1
    word = doc.text[word_start : trigger.end]
    if not (word.startswith("ل") or trigger.text.startswith("ل")):
        return None
    verbs = markers().undergo_verbs
    for w, at in reversed(words_at(doc, clause[0], word_start)):
        if w in verbs or bare_word(w) in verbs:
            return at + len(w)
    return None


def _after_noun(s: Scene, shape: str) -> Mention | None:
    """The actor after a verbal noun that one of the four ``noun_*`` shapes names, if ``shape`` is it.

    The actors after the noun are read in order, and the scan stops at the first one that
    is none of them: that reading is done once per trigger and shared by the four rules.
    """
    if not s.is_noun:
        return None
    if s.after_noun is None:
        # "القبض على خلية تابعة لداعش": after the noun's own على comes what it is done to
        s.after_noun = (None, "") if _ends_with_target_marker(s.doc, s.trigger) else _scan_after_noun(s)
    found, which = s.after_noun
    return found if which == shape else None


def _scan_after_noun(s: Scene) -> tuple[Mention | None, str]:
    doc, trigger = s.doc, s.trigger
    for a, mk in s.after:
        if actor_id(a) == "CIV" and trigger.data.get("event_type") not in _CROWD_TYPES:
            return None, ""  # "تفجير منازل المدنيين": civilians after the noun are what it is done to
        gap = folded_between(doc, trigger.end, a.start)
        if not gap and mk == "" and _object_follows(doc, a):
            return a, "noun_doer_then_object"
        if _doers_of(gap) and _agentive(doc, trigger):
            return a, "noun_members_of"
        if mk == "possessor" and gap and _weapons_only(gap):
            return a, "noun_weapon_owner"
        if not gap and mk == "" and _weapon_noun(doc, trigger):
            return a, "noun_weapon_owner"  # "سقطت صواريخ قسد على…": the weapon's possessor fired it
        if len(gap) > 2 or any(ends_with([w], markers().target) for w in gap):
            return None, ""
        if (
            a.data.get("adjective")
            or mk == "possessor"
            or (mk == "" and all(bare_word(w) in markers().units for w in gap) and _agentive(doc, trigger))
        ):
            return a, "noun_adjective_or_possessor"
        return None, ""
    return None, ""


# ---------------------------------------------------------------- what the rules ask of the words
def _distance(a: Mention, b: Mention) -> int:
    return max(a.start - b.end, b.start - a.end, 0)


def _between_start(doc: Document, trigger: Mention, clause: tuple[int, int]) -> int | None:
    """Original offset of a ``بين`` in the few words after a clash trigger, if there is one."""
    words = words_at(doc, trigger.end, min(clause[1], trigger.end + 40))[:4]
    return next((pos for w, pos in words if w.strip('"') in markers().between), None)


def _weapon_word(word: str) -> bool:
    """A weapon or unit noun, or the تابعة that ties it to its owner."""
    m = markers()
    return word in m.air_words or bare_word(word) in m.units or bare_word(word) in m.owner_links


def _weapon_noun(doc: Document, trigger: Mention) -> bool:
    """The trigger is a weapon noun (``صواريخ``, ``قذائف``): an actor right after it in the construct
    state is its owner, who fired it, not what it hit (that one takes a target marker: على، ضد)."""
    words = folded_between(doc, trigger.start, trigger.end)
    return bool(words) and bare_word(words[-1]) in markers().weapon_words


def _weapons_only(gap: list[str]) -> bool:
    """``طائرة مسيرة تابعة لـ``, ``دراجة مفخخة تابعة لـ``: words naming a weapon and its owner."""
    m = markers()
    words = [w for w in gap if w not in m.possessive_l]
    return all(
        _weapon_word(w) or w in m.weapon_words or _booby_trapped(words, i) for i, w in enumerate(words)
    )


def _booby_trapped(words: list[str], i: int) -> bool:
    """``سيارة مفخخة``, ``دراجة نارية مفخخة``: a vehicle that the weapon word after it qualifies."""
    m = markers()
    if bare_word(words[i]) not in m.bomb_vehicles:
        return False
    rest = [w for w in words[i + 1 :] if bare_word(w) not in m.bomb_vehicles]
    return bool(rest) and rest[0] in m.weapon_words


def _object_follows(doc: Document, actor: Mention) -> bool:
    """Whether a target noun (``مواقع``, ``مقرات``…) comes right after ``actor``."""
    nxt = folded_between(doc, actor.end, min(len(doc.text), actor.end + 20))[:1]
    m = markers()
    return bool(nxt) and ends_with(nxt, m.target) and nxt[0] not in m.target_prepositions


def _doers_of(gap: list[str]) -> bool:
    """``عنصرين من أحد`` / ``عناصر من فصيل``: a unit noun and "of (one of) a faction" before the actor."""
    return (
        2 <= len(gap) <= 4
        and bare_word(gap[0]) in markers().units
        and gap[1] == markers().partitive
        and all(w in markers().member_links for w in gap[1:])
    )


def _no_agent(doc: Document, trigger: Mention) -> bool:
    words = folded_between(doc, trigger.start, trigger.end)
    verbs = markers().no_agent_verbs
    clitics = markers().verb_clitics
    return bool(words) and (words[0] in verbs or (words[0][:1] in clitics and words[0][1:] in verbs))


def _has_object_pronoun(doc: Document, trigger: Mention) -> bool:
    words = folded_between(doc, trigger.start, trigger.end)
    return bool(words) and words[0].endswith(markers().object_pronouns)


def _in_relative_fight(doc: Document, trigger: Mention, actor: Mention) -> bool:
    """``قصف مجموعات كانت تقاتل داعش``: the actor is the object of a fighting verb in between."""
    known = _FIGHT_WORDS.get
    for w in folded_between(doc, trigger.end, actor.start):
        hit = known(w)
        if hit is None:
            fight = markers().relative_fight
            hit = w in fight or bare_word(w) in fight
            if len(_FIGHT_WORDS) >= 20_000:
                _FIGHT_WORDS.clear()
            _FIGHT_WORDS[w] = hit
        if hit:
            return True
    return False


# word -> whether it is a fighting verb of a relative clause (with or without clitics)
_FIGHT_WORDS: dict[str, bool] = {}


def _agentive(doc: Document, trigger: Mention) -> bool:
    """A verbal noun whose possessor is its doer (``قصف التحالف``), not its object (``استهداف X``)."""
    nouns = markers().agentive_nouns
    words = folded_between(doc, trigger.start, trigger.end)
    lemma = fold_phrase(trigger.data.get("lemma") or "")
    return lemma in nouns or (bool(words) and (words[0] in nouns or bare_word(words[0]) in nouns))


def _subject_before(
    doc: Document, trigger: Mention, before: list[tuple[Mention, str]], sent_start: int
) -> Mention | None:
    """The head actor of the words before the trigger, after the last complementiser."""
    comp = last_complementiser(doc, sent_start, trigger.start)
    if comp is None:
        comp = sent_start
    cands = [(a, mk) for a, mk in before if a.start >= comp and mk in ("", "possessor")]
    if not cands:
        return None
    # a metonym (a capital for its government) yields to a real actor
    real = [a for a, _ in cands if not a.data.get("metonym")]
    return (real or [a for a, _ in cands])[0]


def _other_trigger_between(
    doc: Document, trigger: Mention, actor: Mention, others: list[Mention] | None
) -> bool:
    """Whether another trigger or a relative clause opener stands between ``trigger`` and a later ``actor``."""
    if any(t is not trigger and trigger.end <= t.start and t.end <= actor.start for t in others or ()):
        return True
    return any(w in markers().relative_openers for w in folded_between(doc, trigger.end, actor.start))
