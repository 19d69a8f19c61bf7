"""Final event type of a frame: the trigger's type refined by SPEC section 2 rules.

The trigger lexicon already read the words around it (air vs artillery,
raid with or without fire). What is left needs the actors: territory taken
with fighting is ``government_regains_territory`` when the taker is a state
force and ``non_state_actor_overtakes_territory`` otherwise; taken without
fighting it is ``non_violent_transfer_of_territory``. A bombardment with no
weapon word by a force that strikes from the air is an air strike.
:func:`protest_roles` codes the sides of a protest the ACLED way.
"""

from __future__ import annotations

from functools import lru_cache

from rasid.document import Document, Mention
from rasid.extract.arguments import Roles, actor_id, folded_between, is_air_actor, markers
from rasid.knowledge.actors import actor_by_id, add_actor
from rasid.knowledge.loader import load_yaml
from rasid.text.fold import fold_phrase, fold_set

_STATE_KINDS = {"state_forces", "external_forces", "government"}
_CROWDS = {"CIV", "PROTESTERS", None}
_CROWD_IDS = {"CIV", "PROTESTERS", "STUDENTS_PROTEST", "RIOTERS"}
_TERRITORY = {"government_regains_territory", "non_state_actor_overtakes_territory"}
# territory changing hands, with or without fighting
HANDOVER = frozenset(_TERRITORY | {"non_violent_transfer_of_territory"})
# event types that crowds of civilians carry out
CROWD_EVENT_TYPES = frozenset({"protests", "riots"})
# event types of armed violence
VIOLENT_TYPES = frozenset({"battles", "explosions_remote_violence", "violence_against_civilians"})


_MOB_TYPES = {"armed_clash", "attack"}


def resolve_type(doc: Document, trig: Mention, roles: Roles) -> tuple[str | None, str | None]:
    etype = trig.data.get("event_type")
    stype = trig.data.get("sub_event_type")
    if not etype or not stype:
        return None, None
    if trig.data.get("crowd_only") and roles.actor1 is not None and actor_id(roles.actor1) not in _CROWD_IDS:
        # "قطعت قوات النظام الطريق" is no protest: only a crowd protests by blocking a road
        return None, None
    if stype in HANDOVER:
        return _territory_type(trig, etype, stype, roles)
    if stype in _MOB_TYPES and roles.actor1 is not None and roles.actor1.data.get("actor_id") == "CIV":
        civilian_doer = _civilian_doer(trig)
        if civilian_doer is not None:
            return civilian_doer
    civilians_do_not_act(etype, roles)
    if (
        stype == "armed_clash"
        and not trig.data.get("two_sided")
        and roles.actor2 is not None
        and roles.actor2.data.get("actor_id") == "CIV"
    ):
        # an armed side against civilians is no battle: violence against civilians (SPEC section 2)
        return "violence_against_civilians", "attack"
    if (
        stype == "shelling_artillery_missile_attack"
        and trig.data.get("defaulted")
        and is_air_actor(roles.actor1)
    ):
        # "قصف التحالف على…": no weapon word, and the force strikes from the air
        return etype, "air_drone_strike"
    if _ground_force_strike(trig, stype, roles):
        return etype, "shelling_artillery_missile_attack"
    return etype, stype


def _foreign(actor: Mention) -> bool:
    """An actor of another country than Syria (its inventory country), a speaker's mention included."""
    aid = actor_id(actor)
    try:
        country = actor_by_id(aid).country if aid else ""
    except KeyError:
        return False
    return country not in ("", "SY")


# the modifier groups that say what was hit, not what hit it
_TARGET_GROUPS = {None, "military_targets"}


def _ground_force_strike(trig: Mention, stype: str, roles: Roles) -> bool:
    """``وجهت وحدات الجيش ضربات على…``, ``دمرت وحدات من الجيش تجمعات للإرهابيين``: no aircraft named.

    A strike word that is an air strike only by default (``ground_force_shells`` in its data)
    and names no aircraft or drone, done by a named side of the country's own war that does
    not strike from the air, is fire from the ground. A foreign military's "destroyed 15
    targets" (``وزارة الدفاع التركية``) stays an air strike: that is how they strike.
    """
    return (
        stype == "air_drone_strike"
        and bool(trig.data.get("ground_force_shells"))
        and trig.data.get("modifier_group") in _TARGET_GROUPS
        and roles.actor1 is not None
        and actor_id(roles.actor1) not in _CROWD_IDS
        and not _foreign(roles.actor1)
        and not is_air_actor(roles.actor1)
    )


def _territory_type(trig: Mention, etype: str, stype: str, roles: Roles) -> tuple[str, str]:
    """Territory changing hands: with or without fighting, and regained by the government or not.

    Only the country's own state forces regain territory; a foreign army that takes a place
    (``توغلت قوات إسرائيلية في القرية وسيطرت على تلة``) without fighting said is a
    non-violent transfer, with fighting it overtakes it like any non-government side.
    """
    if trig.data.get("withdrawal") and trig.data.get("with_fighting"):
        return _taken_from_the_withdrawer(roles)
    if trig.data.get("without_fighting") or trig.data.get("after_withdrawal"):
        return "strategic_developments", "non_violent_transfer_of_territory"
    if stype == "non_violent_transfer_of_territory":
        return etype, stype
    if roles.actor1 is not None and _foreign(roles.actor1):
        if trig.data.get("with_fighting"):
            return "battles", "non_state_actor_overtakes_territory"
        return "strategic_developments", "non_violent_transfer_of_territory"
    kind = roles.actor1.data.get("actor_kind") if roles.actor1 is not None else None
    if kind in _STATE_KINDS:
        return "battles", "government_regains_territory"
    return "battles", "non_state_actor_overtakes_territory"


def _taken_from_the_withdrawer(roles: Roles) -> tuple[str, str]:
    """``انسحبت قوات النظام من الحقل بعد معارك عنيفة مع التنظيم``: the other side took the place.

    The withdrawing force becomes actor2 and the side it fought actor1; the type follows
    the taker's kind, like any territory taken with fighting.
    """
    taker, withdrawer = roles.actor2, roles.actor1
    roles.give("actor1", taker, "taken_from_the_withdrawer")
    roles.give("actor2", withdrawer, "taken_from_the_withdrawer")
    kind = roles.actor1.data.get("actor_kind") if roles.actor1 is not None else None
    if kind in _STATE_KINDS:
        return "battles", "government_regains_territory"
    return "battles", "non_state_actor_overtakes_territory"


def _civilian_doer(trig: Mention) -> tuple[str, str] | None:
    """The type of an attack or clash whose doer was read as civilians, or None (they are its victims).

    Only an assault word marked ``crowd_can_do`` makes civilians a mob: "هاجم عشرات من أهالي
    القرية شاباً…" is mob violence. A two-sided clash word keeps its type: "اشتباكات بين شبان
    البلدة وعناصر الحاجز" is a clash, the armed locals one side. Any other word (أعدم، اغتال،
    أطلق النار) was done TO the civilians: None, and the caller makes them actor2.
    """
    etype = trig.data.get("event_type") or ""
    stype = trig.data.get("sub_event_type") or ""
    if trig.data.get("crowd_can_do"):
        return "riots", "mob_violence"
    if trig.data.get("two_sided"):
        return etype, stype
    return None


def civilians_do_not_act(etype: str, roles: Roles, stype: str = "") -> None:
    """Civilians are who violence or an arrest is done to: never actor1 of those (they protest, riot)."""
    if etype in CROWD_EVENT_TYPES or roles.actor1 is None or roles.actor1.data.get("actor_id") != "CIV":
        return
    if stype in _MOB_TYPES:
        return  # resolve_type makes civilians who attack a mob
    if roles.actor2 is None:
        roles.give("actor2", roles.actor1, "civilians_do_not_act")
    roles.actor1 = None


def protest_roles(doc: Document, trig: Mention, stype: str, roles: Roles) -> None:
    """Protesters are a side of every protest event, named or not.

    Residents who protest ("خرج أهالي البلدة في مظاهرة") are coded as protesters;
    a protest with no crowd named has the protest word itself as the protesters'
    mention. A force that breaks up a protest is actor2 of ``protest_with_intervention``
    (protesters first) and actor1 of ``excessive_force_against_protesters``; a force a
    peaceful protest denounces is no second side of it (what it denounces is not done to).
    """
    if trig.data.get("event_type") != "protests" and stype != "excessive_force_against_protesters":
        return
    crowd = next((a for a in (roles.actor1, roles.actor2) if a is not None and actor_id(a) in _CROWDS), None)
    force = next(
        (a for a in (roles.actor1, roles.actor2) if a is not None and actor_id(a) not in _CROWDS), None
    )
    protesters = actor_by_id("PROTESTERS")
    if crowd is None or actor_id(crowd) not in ("PROTESTERS", "STUDENTS_PROTEST"):
        start, end = (crowd.start, crowd.end) if crowd is not None else (trig.start, trig.end)
        crowd = add_actor(
            doc,
            start,
            end,
            protesters,
            inferred=True,
        )
    if stype == "peaceful_protest" and force is not None and _denounced(doc, trig, force):
        # "مظاهرة تنديداً بهجمات الاحتلال التركي": what a protest denounces is not done to; a force
        # the crowd faces ("قطع السكان الطريق أمام المدرعات الروسية") stays its second side
        force = None
    first, second = (force, crowd) if stype == "excessive_force_against_protesters" else (crowd, force)
    roles.give("actor1", first, "protest_sides")
    roles.give("actor2", second, "protest_sides")


def _denounced(doc: Document, trig: Mention, force: Mention) -> bool:
    """The force is no side the protest faced: named in its cause (``تنديداً ب``، ``ضد``، ``مطالبين
    بخروج``: a cause word of ``protest_causes`` between the protest word and the force, or just before
    the force), or named before the protest word in another clause (``…أن قوات النظام أطلقت الرصاص…،
    كما خرجت مظاهرة في مدينة داعل``)."""
    causes = markers().protest_causes
    if force.start >= trig.end:
        between = folded_between(doc, trig.end, force.start)
    else:
        if any(mark in doc.text[force.end : trig.start] for mark in ",،;؛"):
            return True
        between = folded_between(doc, max(0, force.start - 40), force.start)[-4:]
    return any(w in causes or w.lstrip(markers().anaphora_clitics) in causes for w in between)


@lru_cache(maxsize=1)
def _relative_pronouns() -> frozenset[str]:
    """The relative pronouns of cues.yaml (folded)."""
    return fold_set(load_yaml("cues.yaml").get("relative_pronouns") or ())


def descriptive_present(doc: Document, trig: Mention) -> bool:
    """``رأس العين التي تستهدفها القوات التركية``: a present-tense verb right after a relative pronoun.

    It describes the place or the side (what they undergo or do, as a habit), it does not
    report one incident; a headline's present (``قوات النظام تقصف بلدة…``) has no pronoun before it.
    """
    if not trig.data.get("present") or trig.data.get("pos") != "verb":
        return False
    before = folded_between(doc, max(0, trig.start - 12), trig.start)
    return bool(before) and before[-1] in _relative_pronouns()


@lru_cache(maxsize=1)
def _definite_counts() -> frozenset[str]:
    """The definite number words of cues.yaml (folded)."""
    return fold_set(load_yaml("cues.yaml").get("definite_counts") or ())


def counted_back_reference(doc: Document, trig: Mention) -> bool:
    """``ورفع المشاركون في التظاهرات الثلاث صوراً…``: a definite noun counted, told before.

    A definite trigger noun followed by a definite number word refers back to events
    already reported ("the three protests"); it reports no new one.
    """
    if trig.data.get("pos") != "noun" or not fold_phrase(trig.text).startswith(markers().article):
        return False
    after = folded_between(doc, trig.end, min(len(doc.text), trig.end + 20))[:1]
    return bool(after) and after[0] in _definite_counts()
