"""Who did what to whom: actor roles around a trigger, from Arabic word order.

Arabic news puts the actor in a few predictable places: after the verb
(``قصفت القوات التركية…``, VSO), before it (``الجيش السوري قصف…``), after a
verbal noun as a possessor or adjective (``قصف مدفعي للجيش السوري``,
``غارة جوية روسية``), or behind an explicit marker (``من قبل``, ``شنته``).
The target usually follows a preposition or a target noun (``على مواقع``,
``مقرات لـ``, ``ضد``). The marker words live in ``data/arguments.yaml``; this
module applies them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rasid.document import Document, Mention
from rasid.knowledge.actors import actor_by_id, add_actor, article_day, forms, infer_era, resolve
from rasid.knowledge.loader import load_yaml
from rasid.text.fold import fold_phrase, fold_set

Phrases = frozenset[tuple[str, ...]]


@dataclass(frozen=True)
class Markers:
    target: Phrases
    agent: Phrases
    assoc: Phrases
    dependent: Phrases
    between: frozenset[str]
    complementisers: frozenset[str]
    habitual_after: Phrases
    anaphora_before: frozenset[str]
    road_words: frozenset[str]
    road_adjectives: frozenset[str]
    air_actors: frozenset[str]
    air_words: frozenset[str]
    retaliation: Phrases
    vicinity: frozenset[str]
    pronoun_complementisers: frozenset[str]
    speaker_forces: frozenset[str]
    relative_fight: frozenset[str]
    agentive_nouns: frozenset[str]
    subordinators: frozenset[str]
    unidentified_adjectives: frozenset[str]
    destination_words: frozenset[str]
    units: frozenset[str]
    no_agent_verbs: frozenset[str]
    direction_words: frozenset[str]
    occurrence_nouns: frozenset[str]
    border_words: frozenset[str]
    contrast_openers: Phrases
    member_links: frozenset[str]
    owner_links: frozenset[str]
    retold_attack_lemmas: frozenset[str]
    armed_victims: frozenset[str]
    clash_with: frozenset[str]
    similar: frozenset[str]
    claim_words: frozenset[str]
    claim_negators: frozenset[str]
    place_before_capital: frozenset[str]
    weapon_words: frozenset[str]
    bomb_vehicles: frozenset[str]
    relative_openers: frozenset[str]
    labelled_groups: frozenset[str]
    toll_negators: frozenset[str]
    civilian_objects: Phrases
    continuing_openers: frozenset[str]
    time_of_withdrawal: frozenset[str]
    protest_causes: frozenset[str]
    undergo_verbs: frozenset[str]
    unnamed_doers: frozenset[str]
    civilian_object_window: int
    # function words and affixes event building tests by themselves (see "Function words" in the data)
    conjunction: str
    partitive: str
    border_with: str
    possessive_l: frozenset[str]
    target_prepositions: frozenset[str]
    verb_clitics: tuple[str, ...]
    direction_clitics: tuple[str, ...]
    vicinity_clitics: str
    object_pronouns: tuple[str, ...]
    plural_endings: tuple[str, ...]
    noun_denials: frozenset[str]
    place_anchors: frozenset[str]
    article: str
    definite_prefixes: tuple[str, ...]
    l_preposition: frozenset[str]
    anaphora_clitics: str
    bi_clitic: str


def personnel_nouns() -> frozenset[str]:
    """The military personnel nouns of ``actor_forms.yaml`` (folded): "عناصر", "جنود"."""
    return forms().personnel_nouns


@lru_cache(maxsize=1)
def markers() -> Markers:
    data = load_yaml("arguments.yaml")

    def phrases(key: str) -> Phrases:
        return frozenset(tuple(fold_phrase(p).split()) for p in data[key])

    def words(key: str) -> frozenset[str]:
        return fold_set(data[key])

    return Markers(
        target=phrases("target_markers"),
        agent=phrases("agent_markers"),
        assoc=phrases("assoc_markers"),
        dependent=phrases("dependent_markers"),
        between=words("clash_between"),
        complementisers=words("complementisers"),
        habitual_after=phrases("habitual_after"),
        anaphora_before=words("anaphora_before"),
        road_words=words("road_words"),
        road_adjectives=words("road_adjectives"),
        air_actors=frozenset(data["air_actors"]),
        air_words=words("air_words"),
        retaliation=phrases("retaliation_before"),
        vicinity=words("vicinity_words"),
        pronoun_complementisers=words("pronoun_complementisers"),
        speaker_forces=words("speaker_forces"),
        relative_fight=words("relative_fight_verbs"),
        agentive_nouns=words("agentive_nouns"),
        subordinators=words("subordinators"),
        unidentified_adjectives=words("unidentified_adjectives"),
        destination_words=words("destination_words"),
        units=words("units"),
        no_agent_verbs=words("no_agent_verbs"),
        direction_words=words("direction_words"),
        occurrence_nouns=words("occurrence_nouns"),
        border_words=words("border_words"),
        contrast_openers=phrases("contrast_openers"),
        member_links=words("member_links"),
        owner_links=words("owner_links"),
        # compared with a trigger's lemma as triggers.yaml writes it, so not folded
        retold_attack_lemmas=frozenset(data["retold_attack_lemmas"]),
        armed_victims=words("armed_victim_words") | personnel_nouns(),
        clash_with=words("clash_with"),
        similar=words("similar_words"),
        claim_words=words("claim_words"),
        claim_negators=words("claim_negators"),
        place_before_capital=words("place_before_capital"),
        weapon_words=words("weapon_words"),
        bomb_vehicles=words("bomb_vehicles"),
        relative_openers=words("relative_openers"),
        labelled_groups=words("labelled_groups"),
        toll_negators=words("toll_negators"),
        civilian_objects=phrases("civilian_objects"),
        continuing_openers=words("continuing_openers"),
        time_of_withdrawal=words("time_of_withdrawal"),
        protest_causes=words("protest_causes"),
        undergo_verbs=words("undergo_verbs"),
        unnamed_doers=words("unnamed_doers"),
        civilian_object_window=int(data["civilian_object_window"]),
        conjunction=fold_phrase(data["conjunction"]),
        partitive=fold_phrase(data["partitive"]),
        border_with=fold_phrase(data["border_with"]),
        possessive_l=words("possessive_l"),
        target_prepositions=words("target_prepositions"),
        verb_clitics=tuple(data["verb_clitics"]),
        direction_clitics=tuple(data["direction_clitics"]),
        vicinity_clitics="".join(data["vicinity_clitics"]),
        object_pronouns=tuple(data["object_pronouns"]),
        # compared with the trigger's original text and the cue's lemma as their lexicons write them
        plural_endings=tuple(data["plural_endings"]),
        noun_denials=frozenset(data["noun_denials"]),
        place_anchors=words("place_anchors"),
        article=fold_phrase(data["article"]),
        definite_prefixes=tuple(fold_phrase(p) for p in data["definite_prefixes"]),
        l_preposition=words("l_preposition"),
        anaphora_clitics="".join(data["anaphora_clitics"]),
        bi_clitic=fold_phrase(data["bi_clitic"]),
    )


@dataclass(slots=True)
class Roles:
    """The actors of one event, and for each the named rule that chose it (the record's "spans")."""

    actor1: Mention | None = None
    actor2: Mention | None = None
    assoc: list[Mention] = field(default_factory=list)
    # "actor1"/"actor2" -> (the mention chosen, the name of the rule that chose it)
    rules: dict[str, tuple[Mention, str]] = field(default_factory=dict)

    def give(self, role: str, m: Mention | None, rule: str) -> None:
        """Set ``actor1`` or ``actor2`` to ``m`` and record that ``rule`` chose it."""
        if role == "actor1":
            self.actor1 = m
        else:
            self.actor2 = m
        if m is not None:
            self.rules[role] = (m, rule)

    def rule_of(self, role: str) -> str | None:
        """The rule that chose the current ``actor1``/``actor2``, if one was recorded for that mention."""
        m = self.actor1 if role == "actor1" else self.actor2
        got = self.rules.get(role)
        return got[1] if got is not None and got[0] is m else None


def folded_between(doc: Document, start: int, end: int) -> list[str]:
    """Folded words between two original offsets (quotes dropped, clitic ل kept as a word)."""
    return doc.words_between(start, end)


def words_at(doc: Document, start: int, end: int) -> list[tuple[str, int]]:
    """The folded words between two original offsets, each with the original offset it starts at."""
    f = doc.folded
    a = doc.to_folded(start)
    text = f.text[a : doc.to_folded(end)]
    out, offset = [], 0
    for w in text.split():
        i = text.index(w, offset)
        offset = i + len(w)
        out.append((w, f.offsets[a + i]))
    return out


def actor_id(m: Mention | None) -> str | None:
    """The actor id of an actor (or claim source) mention; None for no actor."""
    return None if m is None else m.data.get("actor_id")


def bare_word(word: str) -> str:
    """``word`` without one leading clitic or article (وال، بال، لل، ال، و، ف، ب، ل), if two letters remain."""
    return _bare(word)


@lru_cache(maxsize=1)
def _clitic_prefixes() -> tuple[str, ...]:
    """The clitics and article :func:`bare_word` strips, longest first (``clitic_prefixes``)."""
    return tuple(fold_phrase(p) for p in load_yaml("arguments.yaml")["clitic_prefixes"])


@lru_cache(maxsize=16_384)
def _bare(word: str) -> str:
    for pre in _clitic_prefixes():
        if word.startswith(pre) and len(word) - len(pre) >= 2:
            return word[len(pre) :]
    return word


def ends_with(words: list[str], phrases: Phrases) -> bool:
    """Whether ``words`` end with one of ``phrases`` (a one-word phrase may carry clitics)."""
    if not words:
        return False
    singles, longer = _split_phrases(phrases)
    if _bare(words[-1]) in singles or words[-1] in singles:
        return True
    return any(tuple(words[-n:]) in group for n, group in longer if n <= len(words))


@lru_cache(maxsize=64)
def _split_phrases(
    phrases: Phrases,
) -> tuple[frozenset[str], tuple[tuple[int, frozenset[tuple[str, ...]]], ...]]:
    """One-word phrases as a set of words; longer ones grouped by length (built once per list).

    A phrase with the article also counts without it (التابعة / والتابعة); a phrase whose
    first letter is a preposition keeps it (بقيادة "led by" is not قيادة "command").
    """
    singles = frozenset(
        _bare(p[0]) for p in phrases if len(p) == 1 and p[0].startswith(markers().article)
    ) | frozenset(p[0] for p in phrases if len(p) == 1)
    lengths = sorted({len(p) for p in phrases if len(p) > 1})
    longer = tuple((n, frozenset(p for p in phrases if len(p) == n)) for n in lengths)
    return singles, longer


@lru_cache(maxsize=64)
def _by_length(phrases: Phrases) -> tuple[tuple[int, Phrases], ...]:
    """The phrases grouped by length, shortest first (built once per list)."""
    return tuple((n, frozenset(p for p in phrases if len(p) == n)) for n in sorted({len(p) for p in phrases}))


def starts_with(words: list[str], phrases: Phrases) -> bool:
    """Whether ``words`` begin with one of ``phrases`` (a set lookup per phrase length)."""
    return any(tuple(words[:n]) in group for n, group in _by_length(phrases) if n <= len(words))


def ends_with_phrase(words: list[str], phrases: Phrases) -> bool:
    """Whether ``words`` end with one of ``phrases``, taken literally (no clitics)."""
    return any(tuple(words[-n:]) in group for n, group in _by_length(phrases) if n <= len(words))


def marker_of(doc: Document, actor: Mention, floor: int) -> str:
    """'agent', 'assoc', 'target', 'dependent', 'possessor' or '' from the words right before ``actor``.

    The answer depends only on the last five words before the actor (not before
    ``floor``) and on whether a ل is glued to it, so it is cached on those: the
    same few phrases (من قبل، على مواقع، قوات) come before actors again and again.
    """
    wider = tuple(folded_between(doc, floor, actor.start)[-5:])
    own_head = folded_between(doc, actor.start, actor.end)[:1] if actor.data.get("adjective") else []
    if own_head and ends_with(own_head, markers().target):
        # "استهدف هجوم صاروخي قاعدة تركية": the actor is named by a target it owns
        return "target"
    glued_l = _glued_l(doc.folded.text, doc.to_folded(actor.start))
    key = (wider, glued_l)
    found = _MARKERS.get(key)
    if found is None:
        found = _marker(list(wider), glued_l)
        if len(_MARKERS) >= 20_000:
            _MARKERS.clear()
        _MARKERS[key] = found
    return found


# (last five words before an actor, glued ل) -> marker; markers() never changes in a process
_MARKERS: dict[tuple[tuple[str, ...], bool], str] = {}


def _marker(wider: list[str], glued_l: bool) -> str:
    """:func:`marker_of` from the last five words before the actor and whether a ل is glued to it."""
    m = markers()
    before = wider[-3:]
    if ends_with(before, m.agent):
        return "agent"
    if (
        len(wider) >= 3
        and (wider[-1] in m.l_preposition or wider[-1] == m.partitive)
        and any(ends_with(wider[:k], m.agent) for k in (len(wider) - 2, len(wider) - 1))
    ):
        # "على يد دورية لقوات النظام", "من قبل عناصر من الفرقة…": the marker governs the unit
        return "agent"
    if len(wider) >= 3 and _bare(wider[-1]) in m.units and ends_with(wider[:-1], m.agent):
        # "من قبل قوات الاحتلال": a unit noun between the marker and a short form
        return "agent"
    if ends_with(before, m.assoc):
        return "assoc"
    if len(wider) >= 3 and wider[-1] == m.conjunction and ends_with(wider[:-2], m.assoc):
        # "بدعم من المدفعية والطيران التركي": the second of two supporters
        return "assoc"
    # "مقرات لـ«هيئة تحرير الشام»" / "مواقع للجيش" : a target noun, then ل, then the actor
    if before and (
        ends_with(before, m.target) or (before[-1] in m.l_preposition and ends_with(before[:-1], m.target))
    ):
        return "target"
    if glued_l and len(before) >= 2 and ends_with(before[:-1], m.target):
        return "target"
    dependent = bool(before) and (
        ends_with(before, m.dependent)
        or (before[-1] in m.l_preposition and ends_with(before[:-1], m.dependent))
        or (len(before) >= 2 and ends_with(before[:-1], m.dependent))
    )
    if dependent:
        # "طائرة مسيّرة تابعة للتحالف": a unit or weapon that belongs to the actor is the actor's own;
        # "سيارة عسكرية تابعة لقسد": a target that belongs to it makes it the target
        wide = [w for w in wider if w not in m.possessive_l]
        if any(_bare(w) in m.units or w in m.air_words or w in m.weapon_words for w in wide[-3:-1]):
            return "possessor"
        if any(ends_with([w], m.target) for w in wide[-3:-1]):
            return "target"
        return "dependent"
    if glued_l or (before and before[-1] in m.l_preposition):
        return "possessor"
    return ""


def last_complementiser(doc: Document, start: int, end: int) -> int | None:
    """Original offset of the last ``أن``/``إن``/``أنها`` between two offsets, if there is one."""
    m = markers()
    found = None
    for w, pos in words_at(doc, start, end):
        w = w.strip('"')
        if w in m.complementisers or w in m.pronoun_complementisers:
            found = pos
    return found


def _glued_l(text: str, end: int) -> bool:
    """``text[:end].rstrip(' "«').endswith("ل")`` without copying the text before ``end``."""
    j = end - 1
    while j >= 0 and text[j] in ' "«':
        j -= 1
    return j >= 0 and text[j] in markers().l_preposition


def _is_air(actor: Mention) -> bool:
    m = markers()
    if actor.data.get("actor_id") in m.air_actors:
        return True
    return any(w in m.air_words for w in fold_phrase(actor.text).split())


def is_air_actor(actor: Mention | None) -> bool:
    return actor is not None and _is_air(actor)


def retells_an_event(doc: Document, trigger: Mention) -> bool:
    """A verbal noun that points back to an event already told: definite (``وطالت الغارات…``)
    or called like it (``بقصف مماثل``)."""
    after = folded_between(doc, trigger.end, min(len(doc.text), trigger.end + 30))[:2]
    if any(w.strip('.,،:"') in markers().similar for w in after):
        return True  # (a bare "قصف" read as a verb is a noun when "مماثل" qualifies it)
    if trigger.data.get("pos") != "noun":
        return False
    first = folded_between(doc, trigger.start, trigger.end)[:1]
    return bool(first) and first[0].startswith(markers().definite_prefixes)


def _civilian_toll(doc: Document, tolls: list[Mention]) -> Mention | None:
    """The first killed/injured toll whose victims are not named as fighters ("مقتل 5 مدنيين", "سقوط 12 شهيدا")."""
    armed = markers().armed_victims
    for c in tolls:
        if c.data.get("casualty") not in ("killed", "injured"):
            continue
        if any(w in markers().toll_negators for w in folded_between(doc, max(0, c.start - 12), c.start)[-2:]):
            continue  # "دون وقوع إصابات": nobody was hit
        words = folded_between(doc, c.start, c.end) + fold_phrase(str(c.data.get("who") or "")).split()
        if not any(w in armed or _bare(w) in armed for w in words):
            return c
    return None


# bombs set or thrown by hand, not fired from afar: what they are put in or thrown at is their target
_BOMBINGS = frozenset({"remote_explosive_landmine_ied", "grenade", "suicide_bomb"})


def _at_civilian_object(doc: Document, trig: Mention) -> bool:
    """``قنبلة يدوية على منزل``, ``انفجرت عبوة زُرعت في سيارة أجرة``: a civilian thing in the words after
    the bomb word, before the sentence ends."""
    m = markers()
    after = doc.text[trig.end : trig.end + 120].split(".")[0]
    ws = [_bare(w) for w in folded_between(doc, trig.end, trig.end + len(after))][: m.civilian_object_window]
    return any(tuple(ws[i : i + len(p)]) == p for p in m.civilian_objects for i in range(len(ws)))


def civilian_victims(
    doc: Document,
    trig: Mention,
    event_type: str,
    roles: Roles,
    tolls: list[Mention],
    sub_event_type: str | None = None,
) -> None:
    """Civilians as actor2 where the event is done to people and no other side is named.

    - ``violence_against_civilians``: its victims are civilians by definition
      ("اختطف مسلحون مجهولون شخصاً من أبناء البلدة").
    - a bombardment with a toll of people not named as fighters
      ("قُتل 12 شخصاً بقصف جوي على البلدة", "سقوط 7 شهداء جراء القصف").
    - a bomb set in or thrown at a civilian thing (``civilian_objects``: a house, a taxi, a
      market), toll or not ("ألقى مجهولون قنبلة يدوية على منزل أحد الوجهاء").
    """
    if roles.actor2 is not None:
        return
    toll = _civilian_toll(doc, tolls)
    if event_type == "violence_against_civilians":
        at: Mention | None = toll or trig
    elif event_type == "explosions_remote_violence":
        at = toll or (trig if sub_event_type in _BOMBINGS and _at_civilian_object(doc, trig) else None)
    else:
        return
    if at is None:
        return
    civ = actor_by_id("CIV")
    victims = add_actor(
        doc,
        at.start,
        at.end,
        civ,
        loaded=None,
        adjective=False,
        metonym=False,
        inferred=True,
    )
    roles.give("actor2", victims, "civilian_victims")


def shot_civilians(doc: Document, trig: Mention, roles: Roles, tolls: list[Mention]) -> None:
    """``لقي ثلاثة أشخاص مصرعهم برصاص الجيش``: people shot (a trigger whose data has
    ``victims_decide``: برصاص X) who are not named as fighters are civilians, the side hit, so
    the shooting is an attack on civilians, not a battle (SPEC section 2). (Not the assault word
    هجوم: an attack whose toll is told apart from its fighting splits one incident in two.)"""
    if roles.actor2 is not None or not trig.data.get("victims_decide"):
        return
    toll = _civilian_toll(doc, tolls)
    if toll is None:
        return
    victims = add_actor(
        doc,
        toll.start,
        toll.end,
        actor_by_id("CIV"),
        loaded=None,
        adjective=False,
        metonym=False,
        inferred=True,
    )
    roles.give("actor2", victims, "shot_civilians")


def claimer(doc: Document, start: int, end: int, actors: list[Mention]) -> Mention | None:
    """The actor a sentence says claimed an attack (``وتبنّى تنظيم الدولة الهجوم``), else None.

    A claim word with no negation before it ("لم تتبنَّ أي جهة") and the first armed actor
    of the sentence (not civilians) that stands within a few words of it.
    """
    m = markers()
    f = doc.folded
    if not any(map(_is_claim_word, f.text[doc.to_folded(start) : doc.to_folded(end)].split())):
        return None  # most sentences: no claim word, so no word offsets are needed
    words = words_at(doc, start, end)
    for i, (w, pos) in enumerate(words):
        if not _is_claim_word(w):
            continue
        if i > 0 and words[i - 1][0] in m.claim_negators:
            continue
        near = [a for a in actors if abs(a.start - pos) <= 60 and actor_id(a) not in ("CIV", None)]
        if near:
            return near[0]
    return None


@lru_cache(maxsize=16_384)
def _is_claim_word(word: str) -> bool:
    """``تبنى``, ``وتبنت``: a folded word (punctuation around it, clitics) that claims an attack."""
    claim_words = markers().claim_words
    bare = word.strip('.,،"«»')
    return bare in claim_words or _bare(bare) in claim_words


def give_claimed_doer(claimed_by: Mention, roles: Roles) -> None:
    """The doer of an attack that a later sentence says ``claimed_by`` claimed."""
    if roles.actor1 is None or (
        actor_id(roles.actor1) == "UNIDENTIFIED" and roles.actor1.data.get("inferred")
    ):
        if actor_id(roles.actor2) != actor_id(claimed_by):
            roles.give("actor1", claimed_by, "claimed_by")


def carry_opponent(roles: Roles, earlier: list[Roles]) -> None:
    """``كما سيطرت قسد على بلدة السوسة``: a battle whose other side is not named here
    was fought against the side the same doer fought in the article's earlier battles
    (``سيطرت قسد على الباغوز بعد معارك مع تنظيم داعش``). ``earlier`` are those battles' roles, latest last."""
    if roles.actor1 is None or roles.actor2 is not None:
        return
    doer = actor_id(roles.actor1)
    for r in reversed(earlier):
        # sides of a battle are symmetric: "معارك بين الجيش والفصائل" gives either its foe
        if actor_id(r.actor1) == doer and r.actor2 is not None and actor_id(r.actor2) != doer:
            roles.give("actor2", r.actor2, "earlier_battle_opponent")
            return
        if actor_id(r.actor2) == doer and r.actor1 is not None and actor_id(r.actor1) != doer:
            roles.give("actor2", r.actor1, "earlier_battle_opponent")
            return


def capital_as_place(doc: Document, actor: Mention) -> bool:
    """``في سماء دمشق``, ``محيط العاصمة دمشق``: a metonym after a place word names the place."""
    if not actor.data.get("metonym"):
        return False
    if _dateline(doc.text, actor.start, actor.end):
        return True
    before = folded_between(doc, max(0, actor.start - 12), actor.start)[-1:]
    return bool(before) and before[0] in markers().place_before_capital


def _dateline(text: str, start: int, end: int) -> bool:
    """``دمشق - (وكالة):`` at the head of a line: the city the report was filed from."""
    line_start = text.rfind("\n", 0, start) + 1
    if text[line_start:start].strip(' \t\u200f\u200e(«"') != "":
        return False
    rest = text[end : end + 4].lstrip(" \u200f\u200e")
    return rest[:1] in ("-", "–", "—", ":", "،", ",", "/")


@lru_cache(maxsize=1)
def _armed_forces() -> tuple[dict[str, tuple[str, ...]], frozenset[str]]:
    """Government id -> its armed forces' ids (``armed_forces_of``), and the ``armed_acts``."""
    data = load_yaml("actor_forms.yaml")
    return (
        {gov: tuple(ids) for gov, ids in data["armed_forces_of"].items()},
        frozenset(data["armed_acts"]),
    )


_VIOLENT = frozenset({"battles", "explosions_remote_violence", "violence_against_civilians"})


def state_as_armed_forces(doc: Document, event_type: str, sub_event_type: str, roles: Roles) -> None:
    """``أنشأت تركيا قاعدة عسكرية``: a government that acts by force is coded as its armed forces.

    A Syrian government named so is the army before December 2024 and the new government's
    forces after it (by the article's date or era).
    """
    forces, acts = _armed_forces()
    if event_type not in _VIOLENT and sub_event_type not in acts:
        return
    for role in ("actor1", "actor2"):
        before = roles.actor1 if role == "actor1" else roles.actor2
        after = _as_forces(doc, before, forces)
        if after is not before:
            # the rule that found the government, then this one that reads it as its forces
            found = roles.rule_of(role)
            roles.give(role, after, f"{found}+state_as_armed_forces" if found else "state_as_armed_forces")
    if roles.actor1 is not None and actor_id(roles.actor2) == actor_id(roles.actor1):
        # "أنشأت تركيا قاعدة… ودخلت القوات التركية": one side named twice does not act on itself
        roles.actor2 = None


# The last document asked about: (the document, its article day, its era).
_ERA: list[Any] = [None, None, None]


def _day_and_era(doc: Document) -> tuple[Any, Any]:
    """``article_day(doc), infer_era(doc)``, read once per document: the era is counted over the
    whole article's cue phrases, and a long article asks it for every government it reads as
    its forces (issue #19). Neither changes while events are built."""
    if _ERA[0] is not doc:
        _ERA[:] = [doc, article_day(doc), infer_era(doc)]
    return _ERA[1], _ERA[2]


def _as_forces(doc: Document, m: Mention | None, forces: dict[str, tuple[str, ...]]) -> Mention | None:
    """The armed-forces reading of a government mention (a new mention on the same span)."""
    gov = actor_id(m)
    if m is None or gov not in forces:
        return m
    actor = resolve(forces[gov], *_day_and_era(doc))
    return add_actor(
        doc,
        m.start,
        m.end,
        actor,
        loaded=m.data.get("loaded"),
        adjective=bool(m.data.get("adjective")),
        metonym=bool(m.data.get("metonym")),
        assoc_actor_id=None,
    )


def labels_a_group(doc: Document, pos: int) -> bool:
    """``المجموعات الإرهابية``: the "terrorist" adjective at ``pos`` follows a kind of group."""
    before = folded_between(doc, max(0, pos - 20), pos)[-1:]
    groups = markers().labelled_groups
    return bool(before) and (before[0] in groups or _bare(before[0]) in groups)
