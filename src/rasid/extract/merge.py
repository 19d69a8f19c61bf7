"""Within-article merge: the same incident told twice is one event.

A headline and its body, a repeated paragraph, a claim and its denial: the
frames share the event type, the place (the same gazetteer entry, or places a
few kilometres apart named in different sentences), and their actors do not
conflict. Merged frames keep every evidence span. Frames from one sentence
are never merged with each other: a list of towns there is a list of events.
A region-level frame (``ريف إدلب الغربي``) next to a frame of the same kind at a
place inside that region is the same incident told less precisely; what such pairs leave
over goes to the incident model (:mod:`rasid.extract.incidents`). Two stated days are two
incidents; an unnamed attacker, or a target guess that is the doer's own side, blocks no merge.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from typing import Any

from rasid.document import Document, Mention, Sentence
from rasid.extract.arguments import actor_id, folded_between, markers
from rasid.extract.events import Frame, combine_casualties
from rasid.extract.frames import HANDOVER, VIOLENT_TYPES
from rasid.extract.incidents import (
    GRID_KM,
    GRID_MAX_LAT,
    DateSignature,
    absorb_anaphor_twins,
    absorb_anchor_twins,
    absorb_quarter_twins,
    absorb_region_twins,
    date_signature,
    dates_conflict,
    distance_km,
    graded_sub_types,
    graver_sub_type,
    grid_cell,
    side_of,
    signatures_conflict,
)
from rasid.extract.incidents import model as incident_model
from rasid.pipeline import check_budget

_NEAR_KM = 10.0
# features that sit in or beside a town rather than being one
_SITE_FEATURES = {
    "airport",
    "airbase",
    "military_site",
    "neighbourhood",
    "quarter",
    "square",
    "dam",
    "border_crossing",
    "prison",
    "hospital",
    "road",
    "hill",
}


# an attacker the text does not name ("هجوم إرهابي") is compatible with any named one
_UNKNOWN_ACTORS = frozenset({"UNIDENTIFIED"})


def _named(actor: str | None) -> bool:
    """An actor the text names, not an unknown or an unnamed attacker."""
    return actor is not None and actor not in _UNKNOWN_ACTORS


def _compatible_actor(a: str | None, b: str | None) -> bool:
    if a is None or b is None or a == b or a in _UNKNOWN_ACTORS or b in _UNKNOWN_ACTORS:
        return True
    return side_of(a) == side_of(b)


def _same_place(a: Frame, b: Frame) -> bool:
    """Whether two frames of one article can be at the same place (see the module docstring)."""
    la, lb = a.location, b.location
    if la is None or lb is None:
        return False
    if a.location_key == b.location_key:
        return True
    if la.kind == "region" or lb.kind == "region":
        region, other = (la, lb) if la.kind == "region" else (lb, la)
        if region.data.get("admin1") is None and region.data.get("country") in (None, "SY"):
            # "في شرق الفرات", "شمال سوريا": a vague Syrian region retells a located event of the
            # same kind by the same actor
            a1, b1 = actor_id(a.roles.actor1), actor_id(b.roles.actor1)
            same_actor = _named(a1) and _named(b1) and _actors_agree(a, b)
            return same_actor and other.data.get("country") in (None, "SY")
        # a governorate's countryside retells a located event when one sentence tells both, or
        # the same named actor does both; two unnamed incidents in one governorate stay apart
        told_together = bool(a.sentences & b.sentences) or a.sentence.paragraph == b.sentence.paragraph
        named = a.roles.actor1 is not None and b.roles.actor1 is not None
        headline = a.headline or b.headline
        return (
            region.data.get("admin1") is not None
            and region.data.get("admin1") == other.data.get("admin1")
            and (told_together or named or headline)
        )
    if a.sentence == b.sentence:
        return False
    # different sentences: a site and its town ("مطار القامشلي" / "القامشلي"), or the same spot
    d = distance_km(la, lb)
    if d is None:
        return False
    sites = _SITE_FEATURES
    if la.data.get("feature") in sites or lb.data.get("feature") in sites:
        return d <= _NEAR_KM
    return d <= 2.0


def _sides(f: Frame) -> set[str]:
    return {x for x in (actor_id(f.roles.actor1), actor_id(f.roles.actor2)) if x}


def _actors_agree(a: Frame, b: Frame) -> bool:
    """Actors that do not conflict; the two sides of a clash may be told in either order."""
    if a.sub_event_type == b.sub_event_type == "armed_clash":
        return _actors_agree_any_order(a, b)
    if _lone_actor_is_target(a, b) or _lone_actor_is_target(b, a):
        return True
    return _compatible_actor(actor_id(a.roles.actor1), actor_id(b.roles.actor1)) and _compatible_actor(
        _target(a), _target(b)
    )


def _lone_actor_is_target(a: Frame, b: Frame) -> bool:
    """``استهدف الطيران التركي نقاطاً لقسد`` told again at the same place with قسد as the only
    actor: the one side named is the other telling's target, a guess at the doer that says
    nothing against it."""
    lone = actor_id(a.roles.actor1)
    if lone is None or _target(a) is not None or a.location_key != b.location_key:
        # (a region told with the other side as doer is its reply: "في المقابل قصفت الفصائل…")
        return False
    return lone == _target(b) and a.sentences != b.sentences


def _target(f: Frame) -> str | None:
    """actor2, unless it is actor1's own side: a side does not strike itself, so that guess says nothing."""
    a1, a2 = actor_id(f.roles.actor1), actor_id(f.roles.actor2)
    if a1 is None or a2 is None:
        return a2
    return None if a2.split("_")[0] == a1.split("_")[0] else a2


def _actors_agree_any_order(a: Frame, b: Frame) -> bool:
    """The two frames' named sides do not conflict, whichever of them acted."""
    sides = {side_of(x) for x in _sides(a) | _sides(b)}
    return len(sides) <= 2


def _explicit(f: Frame) -> bool:
    """The type was said in the words (``غارة``, ``قصفاً مدفعياً``), not defaulted from a bare ``قصف``."""
    trig = f.trigger
    return not trig.data.get("defaulted") or len(trig.text.split()) > 1


def _retold_attack(f: Frame) -> bool:
    """``الهجوم`` with the article and no weapon word: an attack told before, of whatever kind."""
    data = f.trigger.data
    if f.headline and data.get("defaulted") and f.event_type in VIOLENT_TYPES:
        # "مجزرة جديدة في حلب" in the title line: the body tells what kind of attack it was
        return True
    lemma = data.get("lemma")
    if lemma not in markers().retold_attack_lemmas and lemma not in incident_model().generic_lemmas:
        return False
    if not data.get("defaulted"):
        return False
    return "ال" in f.trigger.text[:4]


def _mergeable(a: Frame, b: Frame) -> bool:
    if dates_conflict(a, b):
        # "قصفت… يوم الاثنين" and "…يوم السبت": the same place on two days is two events
        return False
    if a.sub_event_type in HANDOVER and b.sub_event_type in HANDOVER and a.event_type != b.event_type:
        # "سيطر على قرية صيدا" and "دخول قوات الجيش الوطني إلى بلدة صيدا": one takeover
        return a.location_key == b.location_key and _actors_agree(a, b) and a.roles.actor1 is not None
    if (
        (_retold_attack(a) or _retold_attack(b))
        and a.event_type in VIOLENT_TYPES
        and b.event_type in VIOLENT_TYPES
    ):
        # "فجّر انتحاري حزامه عند حاجز… وتبنى التنظيم الهجوم": the attack is the bombing
        return a.location_key == b.location_key and _actors_agree_any_order(a, b)
    if a.event_type != b.event_type:
        return False
    if a.sub_event_type != b.sub_event_type and graded_sub_types(a.event_type):
        # "تفريق مظاهرة في جاسم" in the title, "أطلقت الرصاص على المتظاهرين" in the body: one protest
        return a.location_key == b.location_key and _actors_agree_any_order(a, b)
    if a.sub_event_type != b.sub_event_type and a.event_type not in ("battles", "explosions_remote_violence"):
        return False
    if a.sub_event_type != b.sub_event_type and a.event_type == "explosions_remote_violence":
        # an air strike and a missile attack are one incident only when told by one actor,
        # and only when one of the two types was a guess ("قصف" alone), not both said outright
        if _explicit(a) and _explicit(b) and not (a.sentences & b.sentences):
            return False
        a1, b1 = actor_id(a.roles.actor1), actor_id(b.roles.actor1)
        if a1 is None or b1 is None or not _compatible_actor(a1, b1):
            if a.location_key != b.location_key or not (a.sentences & b.sentences):
                return False
    if not _actors_agree(a, b):
        return False
    if a.location_key != b.location_key and (a.sentences & b.sentences) and not _region_and_place(a, b):
        return False
    return _same_place(a, b)


def _region_and_place(a: Frame, b: Frame) -> bool:
    """``قصفت مناطق في جبل الزاوية، واستهدفت بلدتي البارة وكنصفرة``: one region, one place."""
    kinds = {a.location.kind if a.location else None, b.location.kind if b.location else None}
    return kinds == {"region", "place"} and a.sub_event_type == b.sub_event_type


def _better_location(a: Mention | None, b: Mention | None) -> Mention | None:
    if a is None:
        return b
    if b is None:
        return a
    rank = {"place": 0, "region": 1}
    pa = (rank.get(a.kind, 2), a.data.get("geo_precision", 3))
    pb = (rank.get(b.kind, 2), b.data.get("geo_precision", 3))
    return a if pa <= pb else b


def _absorb(keep: Frame, other: Frame) -> None:
    """Fold ``other``, another telling of ``keep``'s incident, into ``keep``."""
    _absorb_type(keep, other)
    keep.location = _better_location(keep.location, other.location)
    _absorb_actors(keep, other)
    keep.casualties = combine_casualties(keep.casualties, other.casualties)
    if keep.date is None:
        keep.date = other.date
    if keep.claim is None:
        keep.claim = other.claim
    keep.contested = keep.contested or other.contested
    keep.denied_only = keep.denied_only and other.denied_only
    _absorb_evidence(keep, other)
    keep.confidence = max(keep.confidence, other.confidence)


def _absorb_type(keep: Frame, other: Frame) -> None:
    """The specific telling gives the type; a takeover told with fighting is a battle."""
    if (_retold_attack(keep) and not _retold_attack(other)) or (
        keep.sub_event_type == "non_violent_transfer_of_territory" and other.sub_event_type in HANDOVER
    ):
        keep.trigger, keep.event_type, keep.sub_event_type = (
            other.trigger,
            other.event_type,
            other.sub_event_type,
        )


def _absorb_actors(keep: Frame, other: Frame) -> None:
    """Sides from both tellings: the graver sub-type's doer, a named doer over an unnamed one, the missing side."""
    if keep.event_type == other.event_type and graded_sub_types(keep.event_type):
        graver = graver_sub_type(keep.event_type, keep.sub_event_type, other.sub_event_type)
        if graver != keep.sub_event_type and other.roles.actor1 is not None:
            # the telling of the force used says who used it
            keep.roles.actor1, keep.roles.actor2 = other.roles.actor1, other.roles.actor2
        keep.sub_event_type = graver
    if not _named(actor_id(keep.roles.actor1)) and _named(actor_id(other.roles.actor1)):
        # "هجوم إرهابي" told first, the group named later: the named doer did it
        keep.roles.actor1 = other.roles.actor1
    elif keep.roles.actor1 is None:
        keep.roles.actor1 = other.roles.actor1
    if keep.roles.actor2 is None:
        # the other telling's side that is not keep's actor1 (a clash told in the other order)
        for cand in (other.roles.actor2, other.roles.actor1):
            if cand is not None and actor_id(cand) != actor_id(keep.roles.actor1):
                keep.roles.actor2 = cand
                break
    for a in other.roles.assoc:
        if a not in keep.roles.assoc:
            keep.roles.assoc.append(a)


def _absorb_evidence(keep: Frame, other: Frame) -> None:
    """Every sentence, span and mention of both tellings, in order, without repeats.

    ``span not in keep.evidence`` and ``m not in keep.mentions`` asked of a frame that absorbs
    hundreds of tellings (one place retold all through a long article) grew with the square of
    the article (issue #19): both are asked of an index of the list instead (:class:`_Listed`).
    """
    keep.sentences |= other.sentences
    if len(keep.mentions) + len(keep.evidence) < _LIST_FROM and id(keep.mentions) not in _LISTED:
        # a short frame (most): the lists themselves are cheaper than an index
        for span in other.evidence:
            if span not in keep.evidence:
                keep.evidence.append(span)
        for m in other.mentions:
            if m not in keep.mentions:
                keep.mentions.append(m)
        return
    spans = _listed(keep.evidence)
    for span in other.evidence:
        if spans.add(span):
            keep.evidence.append(span)
    mentions = _listed(keep.mentions)
    for m in other.mentions:
        if mentions.add(m):
            keep.mentions.append(m)


class _Listed:
    """What a list that is only ever appended to holds, by a key that equal items share.

    ``add(x)`` answers ``x not in items`` (identity or equality, as ``in`` asks) for the items
    seen so far, and records ``x`` when it is new; items appended to the list by others since
    the last call are read first.
    """

    __slots__ = ("items", "seen", "by_key")

    def __init__(self, items: list[Any]) -> None:
        self.items = items
        self.seen = 0
        self.by_key: dict[Any, list[Any]] = {}

    def _catch_up(self) -> None:
        items = self.items
        for x in items[self.seen :]:
            self.by_key.setdefault(_key(x), []).append(x)
        self.seen = len(items)

    def add(self, x: Any) -> bool:
        """Whether ``x`` is not among the items (and will be appended by the caller)."""
        if self.seen != len(self.items):
            self._catch_up()
        same = self.by_key.get(_key(x))
        if same is not None and any(y is x or y == x for y in same):
            return False
        self.by_key.setdefault(_key(x), []).append(x)
        self.seen += 1
        return True


def _key(x: Any) -> Any:
    """Equal mentions share their span and kind; a span is its own key."""
    return (x.start, x.end, x.kind) if isinstance(x, Mention) else x


# from how many mentions and spans a frame's lists are indexed (_Listed: one item appended to a
# short list is cheaper to compare with its items than to index)
_LIST_FROM = 48

# id of an evidence or mention list -> its index; the lists are held, so an id is never reused
# while its entry lives. Emptied by merge_frames at its start and end (and when it grows large).
_LISTED: dict[int, _Listed] = {}


def _listed(items: list[Any]) -> _Listed:
    found = _LISTED.get(id(items))
    if found is None or found.items is not items:
        if len(_LISTED) >= 50_000:
            _LISTED.clear()
        found = _LISTED[id(items)] = _Listed(items)
    return found


def _fold_raid_arrests(frames: list[Frame]) -> list[Frame]:
    """SPEC: a raid with an exchange of fire is one ``armed_clash``, its detentions included."""
    clashes = [f for f in frames if f.sub_event_type == "armed_clash"]
    out = []
    for f in frames:
        host = None
        if f.sub_event_type == "arrests":
            host = next((c for c in clashes if _same_place(c, f) or c.location_key == f.location_key), None)
        if host is not None and (host.sentences & f.sentences or host.location_key == f.location_key):
            _absorb(host, f)
            continue
        out.append(f)
    return out


def _fold_capital_as_province(doc: Document, frames: list[Frame]) -> list[Frame]:
    """``التحالف يقصف مواقع لداعش بدير الزور`` + the body's village: the capital's name is the province.

    A frame at a governorate capital (not written ``مدينة X``) joins the one frame of
    another sentence with the same type and actor at a place in that governorate.
    """
    out = list(frames)
    for f in frames:
        loc = f.location
        if loc is None or loc.data.get("feature") != "capital" or f.roles.actor1 is None:
            continue
        if folded_between(doc, max(0, loc.start - 8), loc.start)[-1:] == ["مدينه"]:
            continue
        hosts = [
            g
            for g in out
            if g is not f
            and g.location is not None
            and g.location.kind == "place"
            and g.location.data.get("feature") != "capital"
            and g.location.data.get("admin1") == loc.data.get("admin1")
            and g.sub_event_type == f.sub_event_type
            and not (g.sentences & f.sentences)
            and actor_id(g.roles.actor1) == actor_id(f.roles.actor1)
            and _actors_agree(g, f)
        ]
        if len(hosts) == 1 and f in out:
            host = hosts[0]
            place = host.location
            _absorb(host, f)
            host.location = place
            out.remove(f)
    return out


def _contest_denied(denied: Frame, frames: list[Frame]) -> None:
    """ "نفت أنقرة استهداف المدنيين" after a reported strike: the report is contested."""
    ids = _sides(denied)
    for f in reversed(frames):
        if f is denied or f.denied_only or f.sentence.paragraph != denied.sentence.paragraph:
            continue
        if f.sentence.start < denied.sentence.start and (not ids or ids & _sides(f)):
            f.contested = True
            return


# --- blocking (issue #19): which kept frames can a new frame merge with at all ---------------------
# ``merge_frames`` used to test a frame against every frame kept before it; on a long article
# that is hundreds of thousands of ``_mergeable`` calls. ``_Blocks`` indexes the kept frames so
# that a frame is tested only against a superset of those ``_mergeable`` could accept, in the
# same order, so the result is the same. Reading ``_mergeable``'s rules, a pair can merge only
# when (1) their type families meet (the same event type, both violent, or both handovers), and
# (2) they have the same ``location_key`` (None included: the handover, retold-attack and graded
# branches ask only that), or one of them is a region and ``_same_place``'s region rules can hold
# (the region's ``admin1`` is the other's, or the region has none), or neither is a region and
# they are at most ``_NEAR_KM`` apart.


def _families(f: Frame) -> list[str]:
    """The type families of ``f``: two frames can merge only when theirs meet (merge_frames' old
    cheap test: the same type, both violent, or both handovers)."""
    fam = ["violent" if f.event_type in VIOLENT_TYPES else "type:" + f.event_type]
    if f.sub_event_type in HANDOVER:
        fam.append("handover")
    return fam


def _coordinates(m: Mention) -> tuple[float, float] | None:
    """``distance_km``'s reading of a place's coordinates; None where it would give no distance."""
    try:
        lat, lon = float(m.data["lat"]), float(m.data["lon"])
    except (KeyError, TypeError, ValueError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return None  # (a distance from infinity or NaN is never <= _NEAR_KM)
    return lat, lon


# two places at most _NEAR_KM apart lie in the same or neighbouring cells of this grid (sound
# within GRID_MAX_LAT degrees of the equator; see incidents.grid_cell)
_cell = grid_cell
assert _NEAR_KM <= GRID_KM


_EXPLOSIONS = "explosions_remote_violence"
# sentences new to a frame indexed before (None: a frame indexed anew); see _Blocks.add
Only = frozenset[int] | None
# a label of frames in :class:`_Kinds`: (type,), (type, sub-type), (type, "loose") or (type, "sentence", start)
_Label = tuple[object, ...]


class _Kinds:
    """Frame indices by event type, sub-type and date signature, handing out only the frames
    ``_mergeable`` may accept by type and date.

    Two frames merge only when their dates do not conflict and (at different places always; at
    one place unless a handover or a retold attack joins them, see :class:`_SamePlace`) they have
    the same event type and: any sub-types for battles (and, at one place, for graded types such
    as protests); for explosions, the same sub-type, or a sub-type guessed from a bare word
    (``loose``: not ``_explicit``) on one side, or a sentence told in both; for every other type
    the same sub-type.
    """

    __slots__ = ("by",)

    def __init__(self) -> None:
        self.by: dict[_Label, dict[DateSignature, list[int]]] = {}

    def _put(self, label: _Label, i: int, sig: DateSignature) -> None:
        pool = self.by.get(label)
        if pool is None:
            pool = self.by[label] = {}
        items = pool.get(sig)
        if items is None:
            pool[sig] = [i]
        else:
            items.append(i)

    def add(self, i: int, f: Frame, sig: DateSignature, only: Only = None) -> None:
        """Index frame ``i``; with ``only``, frame ``i`` is indexed already and only these
        sentences are new to it."""
        t = f.event_type
        if only is None:
            self._put((t,), i, sig)
            self._put((t, f.sub_event_type), i, sig)
        if t == _EXPLOSIONS:
            if only is None and not _explicit(f):
                self._put((t, "loose"), i, sig)
            for s in f.sentences if only is None else only:
                self._put((t, "sentence", s), i, sig)

    def candidates(self, f: Frame, sig: DateSignature, into: set[int], same_place: bool = False) -> None:
        for label in _labels(f, same_place):
            pool = self.by.get(label)
            if pool is not None:
                for other, items in pool.items():
                    if not signatures_conflict(other, sig):
                        into.update(items)


def _labels(f: Frame, same_place: bool) -> list[_Label]:
    """The labels of :class:`_Kinds` under which the frames that ``f`` may merge with are."""
    t = f.event_type
    if t == "battles" or (same_place and graded_sub_types(t)):
        return [(t,)]
    if t != _EXPLOSIONS:
        return [(t, f.sub_event_type)]
    if not _explicit(f):
        return [(t,)]
    return [(t, f.sub_event_type), (t, "loose"), *((t, "sentence", s) for s in f.sentences)]


class _SamePlace:
    """The kept frames of one block at one ``location_key``: those of :class:`_Kinds`, and, as
    ``_mergeable`` lets them merge at one place whatever their types, every frame of the
    handover family's block, and every violent one when a retold attack is on either side."""

    __slots__ = ("every", "kinds", "retold")

    def __init__(self) -> None:
        self.every: dict[DateSignature, list[int]] = {}
        self.kinds = _Kinds()
        self.retold: dict[DateSignature, list[int]] = {}

    def add(self, i: int, f: Frame, sig: DateSignature, only: Only = None) -> None:
        if only is None:
            self.every.setdefault(sig, []).append(i)
            if f.event_type in VIOLENT_TYPES and _retold_attack(f):
                self.retold.setdefault(sig, []).append(i)
        self.kinds.add(i, f, sig, only)

    def candidates(self, f: Frame, family: str, sig: DateSignature, into: set[int]) -> None:
        pools = []
        if family == "handover" or (f.event_type in VIOLENT_TYPES and _retold_attack(f)):
            pools.append(self.every)
        else:
            self.kinds.candidates(f, sig, into, same_place=True)
            if f.event_type in VIOLENT_TYPES:
                pools.append(self.retold)
        for pool in pools:
            for other, items in pool.items():
                if not signatures_conflict(other, sig):
                    into.update(items)


class _Pool:
    """Frames by what ``_same_place``'s governorate-region rule asks besides ``admin1``: told
    together (a shared sentence, or the same paragraph), or a named doer on both sides, or a
    headline on either."""

    def __init__(self) -> None:
        self.all = _Kinds()
        self.headline = _Kinds()
        self.by_sentence: dict[int, _Kinds] = {}
        self.by_paragraph: dict[int, _Kinds] = {}

    def add(self, i: int, f: Frame, sig: DateSignature, only: Only = None) -> None:
        self.all.add(i, f, sig, only)
        if f.headline:
            self.headline.add(i, f, sig, only)
        # (a sentence's own pool holds the frame with that sentence's label, all its query needs)
        for s in f.sentences if only is None else only:
            self.by_sentence.setdefault(s, _Kinds()).add(i, f, sig)
        self.by_paragraph.setdefault(f.sentence.paragraph, _Kinds()).add(i, f, sig, only)

    def candidates(self, f: Frame, sig: DateSignature, into: set[int]) -> None:
        """The frames the rule may join with ``f``: all when f has a doer or is a headline."""
        if f.roles.actor1 is not None or f.headline:
            self.all.candidates(f, sig, into)
            return
        self.headline.candidates(f, sig, into)
        para = self.by_paragraph.get(f.sentence.paragraph)
        if para is not None:
            para.candidates(f, sig, into)
        for s in f.sentences:
            told = self.by_sentence.get(s)
            if told is not None:
                told.candidates(f, sig, into)


class _Block:
    """The kept frames of one type family, by the keys a mergeable pair must share."""

    def __init__(self, family: str) -> None:
        self.family = family
        self.by_key: dict[str | None, _SamePlace] = {}
        self.regions: dict[object, _Pool] = {}  # region frames by admin1
        self.vague = _Kinds()  # region frames with no admin1
        self.located: dict[object, _Pool] = {}  # every located frame by admin1
        self.all_located = _Kinds()
        self.grid: dict[tuple[int, int], _Kinds] = {}
        self.far = _Kinds()  # located, not regions, outside the grid (no finite or polar coordinates)

    def add(self, i: int, f: Frame, sig: DateSignature, only: Only = None) -> None:
        self.by_key.setdefault(f.location_key, _SamePlace()).add(i, f, sig, only)
        loc = f.location
        if loc is None:
            return
        admin1 = loc.data.get("admin1")
        self.all_located.add(i, f, sig, only)
        self.located.setdefault(admin1, _Pool()).add(i, f, sig, only)
        if loc.kind == "region":
            if admin1 is None:
                self.vague.add(i, f, sig, only)
            else:
                self.regions.setdefault(admin1, _Pool()).add(i, f, sig, only)
            return
        xy = _coordinates(loc)
        if xy is None:
            return
        if abs(xy[0]) > GRID_MAX_LAT:
            self.far.add(i, f, sig, only)
        else:
            self.grid.setdefault(_cell(*xy), _Kinds()).add(i, f, sig, only)

    def candidates(self, f: Frame, sig: DateSignature, into: set[int]) -> None:
        """Add to ``into`` every kept frame of this block that ``_mergeable(kept, f)`` could accept."""
        same = self.by_key.get(f.location_key)
        if same is not None:
            same.candidates(f, self.family, sig, into)
        loc = f.location
        if loc is None:
            return
        admin1 = loc.data.get("admin1")
        named = _named(actor_id(f.roles.actor1))
        if named:
            self.vague.candidates(
                f, sig, into
            )  # a vague region retells a located event by the same named actor
        if admin1 is not None and admin1 in self.regions:
            self.regions[admin1].candidates(f, sig, into)
        if loc.kind == "region":
            if admin1 is None:
                if named:
                    self.all_located.candidates(f, sig, into)
            elif admin1 in self.located:
                self.located[admin1].candidates(f, sig, into)
            return
        xy = _coordinates(loc)
        if xy is None:
            return
        if abs(xy[0]) > GRID_MAX_LAT:
            self.all_located.candidates(f, sig, into)
            return
        self.far.candidates(f, sig, into)
        cy, cx = _cell(*xy)
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                cell = self.grid.get((cy + dy, cx + dx))
                if cell is not None:
                    cell.candidates(f, sig, into)


class _Blocks:
    """``_Block`` per type family; a kept frame that absorbs another is indexed again under its
    new type and place (its old entries stay: a superset is still sound). When only its sentences
    grew, only the new sentences are indexed (a frame that absorbs hundreds of tellings would
    otherwise be indexed again under all its sentences each time)."""

    def __init__(self) -> None:
        self.blocks: dict[str, _Block] = {}
        # frame index -> what its entries were made from: (_indexed_as, its sentences then)
        self.indexed: dict[int, tuple[tuple[object, ...], frozenset[int]]] = {}

    def add(self, i: int, f: Frame) -> None:
        sig = date_signature(f)
        state = _indexed_as(f, sig)
        sentences = frozenset(f.sentences)
        before = self.indexed.get(i)
        only: Only = None
        if before is not None and before[0] == state and before[1] <= sentences:
            only = sentences - before[1]
            if not only:
                return
        self.indexed[i] = (state, sentences)
        for fam in _families(f):
            block = self.blocks.get(fam)
            if block is None:
                block = self.blocks[fam] = _Block(fam)
            block.add(i, f, sig, only)

    def candidates(self, f: Frame) -> list[int]:
        """The indices of the kept frames ``f`` may merge with, in the order they were kept."""
        found: set[int] = set()
        sig = date_signature(f)
        for fam in _families(f):
            block = self.blocks.get(fam)
            if block is not None:
                block.candidates(f, sig, found)
        return sorted(found)


def _indexed_as(f: Frame, sig: DateSignature) -> tuple[object, ...]:
    """Everything but the sentences that a frame's block entries are made from (types, trigger,
    place, date, headline, paragraph): the mentions by identity, as they are never changed."""
    return (f.event_type, f.sub_event_type, id(f.trigger), id(f.location), sig, f.headline, id(f.sentence))


# from how many frames merge_tellings blocks the pairs: below, the blocks cost more than the pairs
_BLOCK_FROM = 48


def merge_tellings(frames: list[Frame], block_from: int = _BLOCK_FROM) -> list[Frame]:
    """Each frame joins the first frame kept before it that ``_mergeable`` accepts, else is kept.

    From ``block_from`` frames on, a frame is tried only against the kept frames its blocks name
    (:class:`_Blocks`, the same result); fewer are tried against every kept frame.
    """
    if len(frames) >= block_from:
        return _merge_blocked(frames)
    out: list[Frame] = []
    for f in frames:
        check_budget("merge_frames")
        for kept in out:
            # (a cheap type test first: most pairs differ in type, and only violent ones may still merge)
            same_kind = (
                kept.event_type == f.event_type
                or (kept.event_type in VIOLENT_TYPES and f.event_type in VIOLENT_TYPES)
                or (kept.sub_event_type in HANDOVER and f.sub_event_type in HANDOVER)
            )
            if same_kind and _mergeable(kept, f):
                _absorb(kept, f)
                break
        else:
            out.append(f)
    return out


def _merge_blocked(frames: list[Frame]) -> list[Frame]:
    """:func:`merge_tellings` over the blocks: linear in the frames where places vary."""
    out: list[Frame] = []
    blocks = _Blocks()
    for f in frames:
        check_budget("merge_frames")
        # only the kept frames that could merge with f (_Blocks), in the order they were kept
        for i in blocks.candidates(f):
            kept = out[i]
            if _mergeable(kept, f):
                _absorb(kept, f)
                blocks.add(i, kept)
                break
        else:
            blocks.add(len(out), f)
            out.append(f)
    return out


def merge_frames(doc: Document, frames: list[Frame], denials: list[Mention]) -> list[Frame]:
    _LISTED.clear()
    try:
        return _merge_frames(doc, frames, denials)
    finally:
        _LISTED.clear()


def _sentences_at(doc: Document, positions: list[int]) -> list[Sentence | None]:
    """``[doc.sentence_at(p) for p in positions]``, by bisection when the sentences run in order
    without overlap (as the segmenter gives them), not a scan of the article's sentences per denial."""
    if not positions:
        return []
    sentences = doc.sentences
    starts = [s.start for s in sentences]
    if any(a.end > b.start for a, b in zip(sentences, sentences[1:], strict=False)) or any(
        s.start > s.end for s in sentences
    ):
        return [doc.sentence_at(p) for p in positions]
    out: list[Sentence | None] = []
    for p in positions:
        k = bisect_right(starts, p) - 1
        out.append(sentences[k] if k >= 0 and p < sentences[k].end else None)
    return out


def _merge_frames(doc: Document, frames: list[Frame], denials: list[Mention]) -> list[Frame]:
    out = merge_tellings(frames)
    out = _fold_raid_arrests(out)
    out = _fold_capital_as_province(doc, out)
    out = absorb_region_twins(doc, out, _absorb)
    out = absorb_quarter_twins(doc, out, _absorb)
    out = absorb_anchor_twins(doc, out)
    out = absorb_anaphor_twins(out)
    # an incident the article tells only inside a denial ("نفت X أن تكون قصفت…") is no event
    for f in out:
        if f.denied_only:
            _contest_denied(f, out)
    out = [f for f in out if not f.denied_only]
    # a denial anywhere in a sentence that names the event's place contests it
    denial_sentences = _sentences_at(doc, [d.start for d in denials])
    for f in out:
        if f.contested or f.location is None:
            continue
        name = f.location.text
        for sent in denial_sentences:
            if sent is not None and name and name in doc.text[sent.start : sent.end]:
                f.contested = True
                break
    for f in out:
        f.evidence.sort()
    return out
