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
    )


@dataclass(slots=True)
class Roles:
    actor1: Mention | None = None
    actor2: Mention | None = None
    assoc: list[Mention] = field(default_factory=list)


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


@lru_cache(maxsize=16_384)
def _bare(word: str) -> str:
    for pre in ("وال", "بال", "فال", "لل", "ال", "و", "ف", "ب", "ل"):
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
    singles = frozenset(_bare(p[0]) for p in phrases if len(p) == 1 and p[0].startswith("ال")) | frozenset(
        p[0] for p in phrases if len(p) == 1
    )
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
        and wider[-1] in ("ل", "لـ", "من")
        and any(ends_with(wider[:k], m.agent) for k in (len(wider) - 2, len(wider) - 1))
    ):
        # "على يد دورية لقوات النظام", "من قبل عناصر من الفرقة…": the marker governs the unit
        return "agent"
    if len(wider) >= 3 and _bare(wider[-1]) in m.units and ends_with(wider[:-1], m.agent):
        # "من قبل قوات الاحتلال": a unit noun between the marker and a short form
        return "agent"
    if ends_with(before, m.assoc):
        return "assoc"
    if len(wider) >= 3 and wider[-1] == "و" and ends_with(wider[:-2], m.assoc):
        # "بدعم من المدفعية والطيران التركي": the second of two supporters
        return "assoc"
    # "مقرات لـ«هيئة تحرير الشام»" / "مواقع للجيش" : a target noun, then ل, then the actor
    if before and (
        ends_with(before, m.target) or (before[-1] in ("ل", "لـ") and ends_with(before[:-1], m.target))
    ):
        return "target"
    if glued_l and len(before) >= 2 and ends_with(before[:-1], m.target):
        return "target"
    dependent = bool(before) and (
        ends_with(before, m.dependent)
        or (before[-1] in ("ل", "لـ") and ends_with(before[:-1], m.dependent))
        or (len(before) >= 2 and ends_with(before[:-1], m.dependent))
    )
    if dependent:
        # "طائرة مسيّرة تابعة للتحالف": a unit or weapon that belongs to the actor is the actor's own;
        # "سيارة عسكرية تابعة لقسد": a target that belongs to it makes it the target
        wide = [w for w in wider if w not in ("ل", "لـ", "لل")]
        if any(_bare(w) in m.units or w in m.air_words or w in m.weapon_words for w in wide[-3:-1]):
            return "possessor"
        if any(ends_with([w], m.target) for w in wide[-3:-1]):
            return "target"
        return "dependent"
    if glued_l or (before and before[-1] in ("ل", "لـ")):
        return "possessor"
    return ""


def _distance(a: Mention, b: Mention) -> int:
    return max(a.start - b.end, b.start - a.end, 0)


def _between_start(doc: Document, trigger: Mention, clause: tuple[int, int]) -> int | None:
    """Original offset of a ``بين`` in the few words after a clash trigger, if there is one."""
    words = words_at(doc, trigger.end, min(clause[1], trigger.end + 40))[:4]
    return next((pos for w, pos in words if w.strip('"') in markers().between), None)


def last_complementiser(doc: Document, start: int, end: int) -> int | None:
    """Original offset of the last ``أن``/``إن``/``أنها`` between two offsets, if there is one."""
    m = markers()
    found = None
    for w, pos in words_at(doc, start, end):
        w = w.strip('"')
        if w in m.complementisers or w in m.pronoun_complementisers:
            found = pos
    return found


def _weapon_word(word: str) -> bool:
    """A weapon or unit noun, or the تابعة that ties it to its owner."""
    m = markers()
    return word in m.air_words or _bare(word) in m.units or _bare(word) in m.owner_links


def _weapons_only(gap: list[str]) -> bool:
    """``طائرة مسيرة تابعة لـ``, ``دراجة مفخخة تابعة لـ``: words naming a weapon and its owner."""
    m = markers()
    words = [w for w in gap if w not in ("ل", "لـ", "لل")]
    return all(
        _weapon_word(w) or w in m.weapon_words or _booby_trapped(words, i) for i, w in enumerate(words)
    )


def _booby_trapped(words: list[str], i: int) -> bool:
    """``سيارة مفخخة``, ``دراجة نارية مفخخة``: a vehicle that the weapon word after it qualifies."""
    m = markers()
    if _bare(words[i]) not in m.bomb_vehicles:
        return False
    rest = [w for w in words[i + 1 :] if _bare(w) not in m.bomb_vehicles]
    return bool(rest) and rest[0] in m.weapon_words


def _object_follows(doc: Document, actor: Mention) -> bool:
    """Whether a target noun (``مواقع``, ``مقرات``…) comes right after ``actor``."""
    nxt = folded_between(doc, actor.end, min(len(doc.text), actor.end + 20))[:1]
    return bool(nxt) and ends_with(nxt, markers().target) and nxt[0] not in ("على", "ضد")


def _doers_of(gap: list[str]) -> bool:
    """``عنصرين من أحد`` / ``عناصر من فصيل``: a unit noun and "of (one of) a faction" before the actor."""
    return (
        2 <= len(gap) <= 4
        and _bare(gap[0]) in markers().units
        and gap[1] == "من"
        and all(w in markers().member_links for w in gap[1:])
    )


def _no_agent(doc: Document, trigger: Mention) -> bool:
    words = folded_between(doc, trigger.start, trigger.end)
    verbs = markers().no_agent_verbs
    return bool(words) and (words[0] in verbs or (words[0][:1] in ("و", "ف") and words[0][1:] in verbs))


def _has_object_pronoun(doc: Document, trigger: Mention) -> bool:
    words = folded_between(doc, trigger.start, trigger.end)
    return bool(words) and words[0].endswith(("ها", "هم", "هما"))


def _in_relative_fight(doc: Document, trigger: Mention, actor: Mention) -> bool:
    """``قصف مجموعات كانت تقاتل داعش``: the actor is the object of a fighting verb in between."""
    known = _FIGHT_WORDS.get
    for w in folded_between(doc, trigger.end, actor.start):
        hit = known(w)
        if hit is None:
            fight = markers().relative_fight
            hit = w in fight or _bare(w) in fight
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
    return lemma in nouns or (bool(words) and (words[0] in nouns or _bare(words[0]) in nouns))


def _glued_l(text: str, end: int) -> bool:
    """``text[:end].rstrip(' "«').endswith("ل")`` without copying the text before ``end``."""
    j = end - 1
    while j >= 0 and text[j] in ' "«':
        j -= 1
    return j >= 0 and text[j] == "ل"


def _is_air(actor: Mention) -> bool:
    m = markers()
    if actor.data.get("actor_id") in m.air_actors:
        return True
    return any(w in m.air_words for w in fold_phrase(actor.text).split())


def is_air_actor(actor: Mention | None) -> bool:
    return actor is not None and _is_air(actor)


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


def _subject_of_clash_with(
    doc: Document, trigger: Mention, sides: list[Mention], sentence_actors: list[Mention]
) -> Mention | None:
    """``دخلت قوة من الجيش التركي، منذ الفجر، في مواجهات مع مقاتلي قسد``: the subject before.

    A clash whose only side in its clause follows "مع" was fought by the sentence's subject,
    even when a comma puts that subject in an earlier clause.
    """
    if len(sides) != 1 or sides[0].start < trigger.end or not sentence_actors:
        return None
    gap = folded_between(doc, trigger.end, sides[0].start)[:4]
    if not any(w in markers().clash_with for w in gap):
        return None
    floor = sentence_actors[0].start
    before = [
        (a, marker_of(doc, a, floor))
        for a in sentence_actors
        if a.end <= trigger.start and actor_id(a) != actor_id(sides[0])
    ]
    return _subject_before(doc, trigger, before, floor)


def retells_an_event(doc: Document, trigger: Mention) -> bool:
    """A verbal noun that points back to an event already told: definite (``وطالت الغارات…``)
    or called like it (``بقصف مماثل``)."""
    after = folded_between(doc, trigger.end, min(len(doc.text), trigger.end + 30))[:2]
    if any(w.strip('.,،:"') in markers().similar for w in after):
        return True  # (a bare "قصف" read as a verb is a noun when "مماثل" qualifies it)
    if trigger.data.get("pos") != "noun":
        return False
    first = folded_between(doc, trigger.start, trigger.end)[:1]
    return bool(first) and any(first[0].startswith(p) for p in ("ال", "وال", "فال", "بال"))


def _other_trigger_between(
    doc: Document, trigger: Mention, actor: Mention, others: list[Mention] | None
) -> bool:
    """Whether another trigger or a relative clause opener stands between ``trigger`` and a later ``actor``."""
    if any(t is not trigger and trigger.end <= t.start and t.end <= actor.start for t in others or ()):
        return True
    return any(w in markers().relative_openers for w in folded_between(doc, trigger.end, actor.start))


def _weapon_owner_after(doc: Document, trigger: Mention, after: list[tuple[Mention, str]]) -> Mention | None:
    """``انفجرت دراجة مفخخة تابعة لـ X``: the owner of the weapon named after the verb."""
    for a, mk in after:
        gap = folded_between(doc, trigger.end, a.start)
        if mk == "possessor" and any(w in markers().weapon_words for w in gap) and _weapons_only(gap):
            return a
    return None


def assign_roles(  # noqa: C901 (to be split into a table of named role rules, issue #15)
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
    roles = Roles()
    seen: set[str] = set()
    ordered: list[tuple[Mention, str]] = []
    for a in actors:
        aid = a.data.get("actor_id")
        if not aid or aid in seen:
            continue
        seen.add(aid)
        ordered.append((a, marker_of(doc, a, clause[0] if a.start >= clause[0] else max(0, a.start - 60))))

    if clash:
        sides = [a for a, mk in ordered if mk not in ("assoc", "dependent")]
        # "اشتباكات في محيط سد تشرين ومسيّرة تركية تستهدف قافلة مدنية": an actor nearer a trigger
        # of another event type is that one's, not a side of the clash
        rivals = [t for t in others or () if t.data.get("event_type") != trigger.data.get("event_type")]
        sides = [a for a in sides if not any(_distance(a, t) < _distance(a, trigger) for t in rivals)]
        # "معارك بين X وY": the sides are the actors after بين
        between = _between_start(doc, trigger, clause)
        if between is not None:
            sides = [a for a in sides if a.start >= between] or sides
        elif (
            len(sides) >= 2
            and _agentive(doc, trigger)
            and sides[1].end <= trigger.start
            and folded_between(doc, sides[0].end, sides[1].start) == ["و"]
        ):
            # "قوات الاحتلال التركي ومرتزقته شنت هجوماً": a joint subject is one side
            roles.assoc.append(sides.pop(1))
        subject = _subject_of_clash_with(doc, trigger, sides, sentence_actors or [])
        if subject is not None:
            sides.insert(0, subject)
        roles.actor1 = sides[0] if sides else None
        roles.actor2 = next(
            (a for a in sides[1:] if a.data.get("actor_id") != sides[0].data.get("actor_id")), None
        )
        roles.assoc += [a for a, mk in ordered if mk == "assoc"]
        return roles

    after = [
        (a, mk) for a, mk in ordered if a.start >= trigger.end and not _in_relative_fight(doc, trigger, a)
    ]
    before = [(a, mk) for a, mk in ordered if a.end <= trigger.start]
    if trigger.data.get("pos") == "verb" and not _has_object_pronoun(doc, trigger):
        # before a verb, "دورية لقوات النظام" is the subject phrase; only "مواقع قسد… قصفتها" (an object
        # pronoun on the verb) fronts the target
        before = [(a, "" if mk == "target" else mk) for a, mk in before]
    overlapping = [a for a, _ in ordered if a.start <= trigger.start and a.end >= trigger.end]
    target_words = markers().target

    for a, mk in ordered:
        if mk == "agent" and roles.actor1 is None:
            roles.actor1 = a
        elif mk == "assoc":
            roles.assoc.append(a)

    is_noun = trigger.data.get("pos") == "noun"
    if trigger.data.get("sub_event_type") == "disrupted_weapons_use":
        # "التصدي لصواريخ إسرائيلية": the weapon's origin is the side intercepted, not the doer
        is_noun = False
        overlapping = []
    if roles.actor1 is None and is_noun:
        # "الهجوم التركي": the adjective is part of the actor mention itself
        roles.actor1 = next((a for a in overlapping if a.data.get("adjective")), None)
    if roles.actor1 is None and is_noun:
        # "غارة جوية روسية", "قصف مدفعي للجيش السوري": adjective or possessor right after the noun
        for a, mk in after:
            gap = folded_between(doc, trigger.end, a.start)
            if not gap and mk == "" and _object_follows(doc, a):
                # "قصف حركة أحرار الشام مقرات قوات النظام": a verbal noun, its doer, then its object
                roles.actor1 = a
                break
            if _doers_of(gap) and _agentive(doc, trigger):
                # "اعتداء عنصرين من أحد فصائل الجيش الوطني": members of the actor did it
                roles.actor1 = a
                break
            if mk == "possessor" and gap and _weapons_only(gap):
                # "استهداف طائرة مسيرة تابعة للقوات التركية لسيارة…": the weapon's owner did it
                roles.actor1 = a
                break
            if len(gap) > 2 or any(ends_with([w], target_words) for w in gap):
                break
            if (
                a.data.get("adjective")
                or mk == "possessor"
                or (mk == "" and all(_bare(w) in markers().units for w in gap) and _agentive(doc, trigger))
            ):
                roles.actor1 = a
            break

    if roles.actor1 is None:
        roles.actor1 = _subject_before(doc, trigger, before, clause[0])
    if (
        roles.actor1 is None
        and not is_noun
        and after
        and after[0][1] == "target"
        and not _has_object_pronoun(doc, trigger)
    ):
        # "داهمت دورية لقسد منازل…": a unit right after the verb, with no subject before it, is the subject
        gap = folded_between(doc, trigger.end, after[0][0].start)
        if 1 <= len(gap) <= 2 and _bare(gap[0]) in markers().units:
            roles.actor1 = after[0][0]
    if roles.actor1 is None and not is_noun and not _no_agent(doc, trigger):
        # VSO: the first unmarked actor after the verb, unless another trigger comes first
        # ("قصفت البلدتين اللتين تسيطر عليهما قوات النظام": the actor is that verb's)
        roles.actor1 = next(
            (
                a
                for a, mk in after
                if mk in ("", "possessor") and not _other_trigger_between(doc, trigger, a, others)
            ),
            None,
        )

    if roles.actor1 is None and not is_noun:
        roles.actor1 = _weapon_owner_after(doc, trigger, after)
    if roles.actor1 is None:
        # "غارة ببرميل متفجر": a weapon only one side uses names that side as the doer
        roles.actor1 = next((a for a, _ in ordered if a.data.get("weapon")), None)
    for a, mk in after + before:
        if a is roles.actor1 or a in roles.assoc or mk != "target" or a.data.get("metonym"):
            continue
        roles.actor2 = a
        break
    if roles.actor2 is None:
        pool = after
        if not pool and sentence_actors:
            pool = [
                (a, marker_of(doc, a, clause[0]))
                for a in sentence_actors
                if a.start >= trigger.end and not _in_relative_fight(doc, trigger, a)
            ]
        for a, mk in pool:
            if a is roles.actor1 or a in roles.assoc or mk in ("agent", "dependent", "assoc"):
                continue
            if a.data.get("metonym") or a.data.get("weapon"):
                # "غارات على دمشق", "قال مصدر مقيم في لندن": a capital named here is a place
                continue
            if any(t is not trigger and trigger.end <= t.start < a.start for t in others or ()):
                break
            if any(w in markers().relative_openers for w in folded_between(doc, trigger.end, a.start)):
                break  # "…في بلدة الكشكية، التي تسعى قسد لاقتحامها": the clause's own subject
            if roles.actor1 is not None and a.data.get("actor_id") == roles.actor1.data.get("actor_id"):
                continue
            roles.actor2 = a
            break
    return roles


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


def civilian_victims(
    doc: Document, trig: Mention, event_type: str, roles: Roles, tolls: list[Mention]
) -> None:
    """Civilians as actor2 where the event is done to people and no other side is named.

    - ``violence_against_civilians``: its victims are civilians by definition
      ("اختطف مسلحون مجهولون شخصاً من أبناء البلدة").
    - a bombardment with a toll of people not named as fighters
      ("قُتل 12 شخصاً بقصف جوي على البلدة", "سقوط 7 شهداء جراء القصف").
    """
    if roles.actor2 is not None:
        return
    toll = _civilian_toll(doc, tolls)
    if event_type == "violence_against_civilians":
        at: Mention | None = toll or trig
    elif event_type == "explosions_remote_violence":
        at = toll
    else:
        return
    if at is None:
        return
    civ = actor_by_id("CIV")
    roles.actor2 = add_actor(
        doc,
        at.start,
        at.end,
        civ,
        loaded=None,
        adjective=False,
        metonym=False,
        inferred=True,
    )


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
            roles.actor1 = claimed_by


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
            roles.actor2 = r.actor2
            return
        if actor_id(r.actor2) == doer and r.actor1 is not None and actor_id(r.actor1) != doer:
            roles.actor2 = r.actor1
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
    roles.actor1 = _as_forces(doc, roles.actor1, forces)
    roles.actor2 = _as_forces(doc, roles.actor2, forces)
    if roles.actor1 is not None and actor_id(roles.actor2) == actor_id(roles.actor1):
        # "أنشأت تركيا قاعدة… ودخلت القوات التركية": one side named twice does not act on itself
        roles.actor2 = None


def _as_forces(doc: Document, m: Mention | None, forces: dict[str, tuple[str, ...]]) -> Mention | None:
    """The armed-forces reading of a government mention (a new mention on the same span)."""
    gov = actor_id(m)
    if m is None or gov not in forces:
        return m
    actor = resolve(forces[gov], article_day(doc), infer_era(doc))
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
