"""From mentions to events: one frame per trigger, one event per location.

The stage reads what earlier components found (triggers, actors, claim
sources, places, regions, numbers, casualties, dates, cue words) and builds
events the way an ACLED coder would:

1. a trigger outside boilerplate, not negated, not a threat or background;
2. its clause gives actors (:mod:`rasid.extract.arguments`), places, the
   casualty count and the date; the sentence and paragraph fill what the
   clause lacks;
3. a list of places gives one event per place; a region named beside a
   place inside it is context, not a second event;
4. the same incident told twice is merged (:mod:`rasid.extract.merge`);
5. each event becomes a SPEC record (:mod:`rasid.extract.record`).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from itertools import accumulate

from rasid.document import Document, Mention, Sentence
from rasid.extract.arguments import (
    Roles,
    actor_id,
    assign_roles,
    capital_as_place,
    carry_opponent,
    civilian_victims,
    claimer,
    ends_with_phrase,
    folded_between,
    give_claimed_doer,
    labels_a_group,
    last_complementiser,
    markers,
    retells_an_event,
    starts_with,
    state_as_armed_forces,
    words_at,
)
from rasid.extract.frames import (
    CROWD_EVENT_TYPES,
    HANDOVER,
    VIOLENT_TYPES,
    civilians_do_not_act,
    counted_back_reference,
    descriptive_present,
    protest_roles,
    resolve_type,
)
from rasid.extract.places_of_events import (
    counted_one_by_one,
    joined_as_list,
    place_pointed_back,
    without_cities_of_quarters,
    without_fronted,
)
from rasid.extract.tolls import casualties_by_place as _casualties_by_place
from rasid.extract.tolls import casualty_owner as _casualty_owner
from rasid.extract.tolls import (
    combine_casualties,
    place_unhosted,
    sentence_tolls,
    trailing_toll,
    with_held_tolls,
)
from rasid.extract.tolls import continue_previous as _continue_previous
from rasid.extract.tolls import toll_host as _toll_host
from rasid.extract.tolls import victims as _victims
from rasid.geo.places import site_places
from rasid.knowledge.actors import actor_by_id, add_actor

# How far (in characters) a cue word reaches to cancel a trigger after it.
_CUE_REACH = 60
# a habit or period cue fronted before its trigger: at most a comma and a preposition between
_FRONTED_GAP = 6
# Features that run through several governorates.
_LINEAR_FEATURES = frozenset({"river", "lake"})


@dataclass(slots=True)
class Frame:
    """One event in the making: a trigger, its arguments and its evidence."""

    trigger: Mention
    event_type: str
    sub_event_type: str
    sentence: Sentence
    location: Mention | None
    roles: Roles
    casualties: list[Mention] = field(default_factory=list)
    date: Mention | None = None
    claim: Mention | None = None
    contested: bool = False
    mentions: list[Mention] = field(default_factory=list)
    evidence: list[tuple[int, int]] = field(default_factory=list)
    confidence: float = 0.5
    sentences: set[int] = field(default_factory=set)  # start offsets of the sentences told in
    denied_only: bool = False  # every telling is what a denial says did not happen
    admin1_hint: str | None = None  # the governorate of a river's stretch, from the places told before
    headline: bool = False  # told in the article's title line

    def __post_init__(self) -> None:
        self.sentences.add(self.sentence.start)

    @property
    def location_key(self) -> str | None:
        if self.location is None:
            return None
        return self.location.data.get("gazetteer_id") or self.location.text


def _sentences(doc: Document) -> list[Sentence]:
    if doc.sentences:
        return doc.sentences
    # the segmenter did not run: fall back to lines
    out, pos = [], 0
    for line in doc.text.split("\n"):
        if line.strip():
            out.append(Sentence(pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _clauses(doc: Document, sent: Sentence) -> list[tuple[int, int]]:
    try:
        from rasid.text.segment import clauses
    except ImportError:  # segmenter not installed: the sentence is one clause
        return [(sent.start, sent.end)]
    return clauses(doc, sent) or [(sent.start, sent.end)]


def _inside(m: Mention, a: int, b: int) -> bool:
    return a <= m.start and m.end <= b


class _Containers:
    """Mentions sorted by start, asked whether any of them contains a given mention."""

    def __init__(self, items: list[Mention]) -> None:
        self.starts = [m.start for m in items]
        # the furthest end among the first k items: some item starting at or before
        # m.start contains m exactly when that furthest end reaches m.end
        self.reach = list(accumulate((m.end for m in items), max))

    def contains(self, m: Mention) -> bool:
        """``any(p.start <= m.start and m.end <= p.end for p in items)``."""
        k = bisect_right(self.starts, m.start)
        return k > 0 and self.reach[k - 1] >= m.end


class _ByStart:
    """Mentions sorted by start, so the ones inside a span are found by bisection, in order."""

    def __init__(self, items: list[Mention]) -> None:
        self.items = items
        self.starts = [m.start for m in items]

    def inside(self, a: int, b: int) -> list[Mention]:
        """``[m for m in items if _inside(m, a, b)]``, looking only at mentions that start in [a, b]."""
        lo, hi = bisect_left(self.starts, a), bisect_right(self.starts, b)
        return [m for m in self.items[lo:hi] if _inside(m, a, b)]


def _cancelled(doc: Document, trig: Mention, cues: list[Mention], clause: tuple[int, int]) -> bool:
    """A negation, threat/hypothetical or background cue before the trigger in its clause.

    A plural trigger followed in its clause by a background span ("قُتلوا في هجمات التنظيم
    منذ بداية العام") is a tally over a period, not one incident, so the cue counts after it too;
    so does a habit or period cue (``after`` in its data: "يقصف النظام المدينة بانتظام") after any trigger.
    """
    plural = trig.text.rstrip().endswith(("ات", "اتها", "اته"))
    for c in cues:
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


def _event_locations(doc: Document, cands: list[Mention]) -> list[Mention]:
    """One location per event: drop regions and containers named beside a place inside them.

    ``قرية صيدا بريف الرقة`` is one event at صيدا, ``القرقور في سهل الغاب`` one at
    القرقور; a list ``أريحا وجسر الشغور وبنش`` stays three; places around one
    ``محيط``/``بين`` cue count once.
    """
    # "سوريا" alone says nothing about where in Syria
    cands = [p for p in cands if not (p.data.get("feature") == "country" and p.data.get("country") == "SY")]
    if not cands:
        return []
    specific = [p for p in cands if p.kind == "place" and p.data.get("geo_precision", 1) < 3]
    if specific:
        kept = []
        for p in specific:
            feature = p.data.get("feature") or ""
            # a plain/mountain/river or the governorate city named beside a village is context
            if (
                feature in {"plain", "mountain", "river", "valley", "desert", "region", "lake"}
                and len(specific) > 1
            ):
                continue
            kept.append(p)
        kept = kept or specific
        # the governorate capital named after a village in it ("بلدة X في ريف دير الزور")
        cities = {p.data.get("admin1") for p in kept if p.data.get("feature") not in {"governorate"}}
        out = []
        for p in kept:
            if p.data.get("feature") == "governorate" and p.data.get("admin1") in cities and len(kept) > 1:
                continue
            out.append(p)
        kept = out
        # several places behind one vicinity cue ("في محيط قرى X وY") or "بين X وY": the first
        grouped: list[Mention] = []
        for p in sorted(kept, key=lambda m: m.start):
            if grouped and (_between(doc, p) or _same_vicinity(doc, grouped[-1], p)):
                continue
            grouped.append(p)
        # "حلب ... أحياء المشهد والصالحين": the quarters are the sites, not their city
        grouped = without_cities_of_quarters(grouped)
        # a place used again as the container of the previous one: "الباغوز شرق دير الزور"
        final: list[Mention] = []
        for p in grouped:
            if final and _is_direction_anchor(doc, final[-1], p):
                continue
            if final and _close(final[-1], p) and not _listed(doc, final[-1], p):
                continue
            final.append(p)
        return _dedupe(final)
    regions = [p for p in cands if p.kind == "region"]
    # the most specific region (one with an admin1 beats a country part)
    regions.sort(key=lambda r: (r.data.get("admin1") is None, r.start))
    best = regions[:1]
    # ... and the regions listed with it ("في منطقتي قنديل وغارا"): one event each
    in_order = sorted(regions, key=lambda r: r.start)
    for prev, cur in zip(in_order, in_order[1:], strict=False):
        if prev in best and _listed(doc, prev, cur):
            best.append(cur)
    return _dedupe(best)


def _same_vicinity(doc: Document, prev: Mention, cur: Mention) -> bool:
    """``في محيط قرى X وY``: Y joined by و to X, which follows a vicinity word."""
    gap = folded_between(doc, prev.end, cur.start)
    if gap not in ([], ["و"]) and not (len(gap) == 1 and gap[0] in ("و", ",")):
        return False
    if counted_one_by_one(doc, prev):
        return False
    before = folded_between(doc, max(0, prev.start - 30), prev.start)[-3:]
    vicinity = markers().vicinity
    return any(w in vicinity or w.lstrip("وب") in vicinity for w in before)


def _close(a: Mention, b: Mention, km: float = 5.0) -> bool:
    """Two named places a few kilometres apart (a city and its quarter) are one location."""
    from rasid.extract.merge import distance_km

    d = distance_km(a, b)
    return d is not None and d < km


def _listed(doc: Document, prev: Mention, cur: Mention) -> bool:
    """``بلدات كفرنبل وحاس``, ``بلدة كفرنبل وقرية حاس``: places joined by و or a comma are a list,
    however close."""
    return joined_as_list(doc, prev, cur)


def _dedupe(places: list[Mention]) -> list[Mention]:
    seen, out = set(), []
    for p in places:
        key = p.data.get("gazetteer_id") or p.text
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def _between(doc: Document, place: Mention) -> bool:
    """``بين X وY``: Y is the other end of one location, not a second event."""
    before = doc.folded.text[: doc.to_folded(place.start)].split()[-4:]
    return any(w in ("و",) for w in before[-1:]) and any(w in markers().between for w in before)


def _is_direction_anchor(doc: Document, prev: Mention, cur: Mention) -> bool:
    """``X شرق دير الزور`` / ``X بريف Y`` / ``X في Y``: Y only says where X is."""
    gap = doc.folded.text[doc.to_folded(prev.end) : doc.to_folded(cur.start)]
    words = gap.replace(",", " ").split()
    if len(words) > 3:
        return False
    anchors = markers().direction_words | {"في", "ب", "بريف", "ريف", "وسط", "قرب", "بالقرب"}
    if not words:
        return cur.data.get("feature") in {"governorate", "district"}
    return any(w in anchors for w in words) and "و" not in words


def _nearest(items: list[Mention], pos: int, a: int, b: int, after_first: bool = True) -> Mention | None:
    inside = [m for m in items if _inside(m, a, b)]
    if not inside:
        return None
    if after_first:
        following = [m for m in inside if m.start >= pos]
        if following:
            return following[0]
    return min(inside, key=lambda m: abs(m.start - pos))


def build_events(doc: Document) -> None:  # noqa: C901 (to be split into named passes, issue #15)
    """Turn the document's mentions into SPEC records in ``doc.events``."""
    from rasid.extract.incidents import dateline_place, reporter_place
    from rasid.extract.merge import merge_frames
    from rasid.extract.record import to_record

    by_kind: dict[str, list[Mention]] = {}
    for m in sorted(doc.mentions, key=lambda m: (m.start, -m.end)):
        by_kind.setdefault(m.kind, []).append(m)
    triggers = by_kind.get("trigger", [])
    actors = by_kind.get("actor", [])
    places = site_places(by_kind.get("place", []) + by_kind.get("region", []))
    places.sort(key=lambda m: m.start)
    casualties = by_kind.get("casualty", [])
    dates = by_kind.get("date", [])
    sources = by_kind.get("claim_source", [])
    cues = sorted(
        by_kind.get("negation", []) + by_kind.get("hypothetical", []) + by_kind.get("background", []),
        key=lambda m: m.start,
    )
    denials = by_kind.get("denial", [])

    # a capital or city named as a government ("دمشق") inside a place name ("ريف دمشق") is no actor,
    # nor one that only says where a place lies ("الكسوة جنوبي دمشق")
    in_place = _Containers(places)
    actors = [a for a in actors if not in_place.contains(a)]
    actors = [a for a in actors if not (a.data.get("metonym") and _anchors_a_place(doc, a))]
    places = [p for p in places if not reporter_place(doc, p)]  # "مراسلنا في حلب": not where it happened
    actors = [a for a in actors if not dateline_place(doc, a)]  # "دمشق – …" files the story, acts in none
    actors = [a for a in actors if not capital_as_place(doc, a)]
    endpoints = [p for p in places if _road_endpoint(doc, p)]
    places = [p for p in places if p not in endpoints]
    # a cue word that is also a place name ("نوى" intended / the town Nawa) is the place
    in_place = _Containers(places)
    cues = [c for c in cues if not in_place.contains(c)]

    # every list is sorted by start: a sentence's mentions are found by bisection
    trigger_idx, actor_idx, place_idx = _ByStart(triggers), _ByStart(actors), _ByStart(places)
    casualty_idx, date_idx, source_idx = _ByStart(casualties), _ByStart(dates), _ByStart(sources)

    frames: list[Frame] = []
    unhosted: list[Mention] = []  # tolls of sentences with no event word and no event before them
    sentences = _sentences(doc)
    title_si = _title_index(doc, sentences)
    for si, sent in enumerate(sentences):
        if doc.in_boilerplate(sent.start):
            continue
        claimed = claimer(doc, sent.start, sent.end, actor_idx.inside(sent.start, sent.end))
        if claimed is not None:
            # "وتبنّى تنظيم الدولة الهجوم": the attack told in the two sentences before
            earlier = sentences[max(0, si - 2)].start
            for f in frames:
                if f.sentence.start >= earlier and f.event_type in VIOLENT_TYPES:
                    give_claimed_doer(claimed, f.roles)
        sent_triggers = [t for t in trigger_idx.inside(sent.start, sent.end) if _is_event_trigger(doc, t)]
        if not sent_triggers:
            cas_here = casualty_idx.inside(sent.start, sent.end)
            unhosted += trailing_toll(
                doc, frames, cas_here, actor_idx.inside(sent.start, sent.end), places, sentences, si
            )
            continue
        clauses = _clauses(doc, sent)
        clause_of = {id(t): _clause_at(clauses, t.start, sent) for t in sent_triggers}
        live = [t for t in sent_triggers if not _cancelled(doc, t, cues, clause_of[id(t)])]
        live = _collapse_adjacent(doc, live)
        retaliation = {id(t) for t in live if _is_retaliation(doc, t)}
        cas_all = casualty_idx.inside(sent.start, sent.end)
        owned = _assign(place_idx.inside(sent.start, sent.end), live, clauses, sent, retaliation)
        _share_main_places(doc, live, owned)
        _road_as_last_resort(live, owned, endpoints, sent)
        owned_cas = with_held_tolls(doc, cas_all, live, _assign(cas_all, live, clauses, sent, retaliation))
        sent_actors = actor_idx.inside(sent.start, sent.end)
        sent_dates = date_idx.inside(sent.start, sent.end)
        sent_sources = source_idx.inside(sent.start, sent.end)
        cas_spans = [c for c in cas_all if c.data.get("casualty") in ("killed", "injured", "neutralised")]
        # sources that speak for an actor can be the side hit ("قُتل قيادي في تنظيم حراس الدين")
        owner_sources = [s for s in sent_sources if s.data.get("actor_id")]
        made = 0
        victims: list[Mention] | None = None
        orphans: list[Mention] = []  # tolls of triggers with no place of their own
        first_frame = len(frames)
        for trig in live:
            clause = clause_of[id(trig)]
            here = without_fronted(owned.get(id(trig), []), clause)
            locs = _event_locations(doc, _drop_destinations(doc, trig, here))
            if not locs and not owned.get(id(trig)):
                locs = place_pointed_back(doc, clause, places)
            if not locs:
                if id(trig) not in retaliation:  # a reason's toll is its own ("ردا على هجوم أسفر عن…")
                    orphans += [
                        c
                        for c in owned_cas.get(id(trig), [])
                        if c.data.get("casualty") in ("killed", "injured")
                    ]
                continue
            # an event given as a reason ("ردا على الهجوم الذي استهدف…") has none of the main clause's actors
            floor = _retaliation_floor(live, retaliation, trig, sent)
            # the victims of the sentence's tolls ("مقتل 5 عناصر من قوات النظام") never did it
            # (the same for every trigger of the sentence: found once)
            if victims is None:
                victims = _victims(doc, sent_actors, cas_spans, live)
            usable = [a for a in sent_actors if a.start >= floor and a not in victims]
            clause_actors = [a for a in usable if _inside(a, *clause)] or usable
            # the two sides of a clash, or the two parties of a deal ("تبادل أسرى بين X وY")
            clash = (trig.data.get("event_type"), trig.data.get("sub_event_type")) in (
                ("battles", "armed_clash"),
                ("strategic_developments", "agreement"),
            )
            roles = assign_roles(doc, trig, clause_actors, clause, clash, usable, others=live)
            civilians_do_not_act(
                trig.data.get("event_type") or "", roles, trig.data.get("sub_event_type") or ""
            )
            if (
                roles.actor1 is None
                and clause[0] > sent.start
                and floor == sent.start
                and not _contrast(doc, clause)
            ):
                # "توغلت قوة إسرائيلية في البلدة، وداهمت… واعتقلت شابين": the subject of the sentence
                doers = [
                    a for a in usable if a.data.get("actor_id") != "CIV" or not _civilians_cannot_do(trig)
                ]
                doers = [a for a in doers if actor_id(a) != actor_id(roles.actor2) or roles.actor2 is None]
                roles.actor1 = assign_roles(doc, trig, doers, (sent.start, sent.end), clash).actor1
            own = floor == sent.start and _speaker_is_subject(doc, trig, roles)
            if floor == sent.start and (roles.actor1 is None or own):
                speaker = _speaker_actor(doc, trig, sources, sent, sent_actors if own else [])
                if speaker is not None and roles.actor1 is not None and roles.actor2 is None:
                    # "قالت قسد إن مقاتليها أسقطوا طائرة مسيّرة تركية": the one taken for the doer is hit
                    roles.actor2 = roles.actor1 if roles.actor1.start > trig.start else None
                roles.actor1 = speaker or roles.actor1
            cas_here = owned_cas.get(id(trig), [])
            if roles.actor2 is None:
                roles.actor2 = _casualty_owner(doc, cas_here, victims + usable + owner_sources, roles)
            if roles.actor1 is None:
                _continue_roles(doc, trig, roles, frames, sentences, si)
            if roles.actor1 is None:
                roles.actor1 = _unidentified(doc, trig, floor if floor > sent.start else clause[0])
            etype, stype = resolve_type(doc, trig, roles)
            if etype is None or stype is None:
                continue
            protest_roles(doc, trig, stype, roles)
            if etype == "battles":
                carry_opponent(roles, [f.roles for f in frames if f.event_type == "battles"])
            claim = _claim_for(trig, sent_sources, sent)
            date = _nearest(sent_dates, trig.start, sent.start, sent.end) or _paragraph_date(
                date_idx, sentences, si
            )
            contested = any(_inside(d, sent.start, sent.end) for d in denials)
            denied = _denied(doc, trig, denials, sent)
            cas = [c for c in cas_here if c.data.get("casualty") in ("killed", "injured")]
            cas_at = _casualties_by_place(doc, cas, locs, places, trig) if len(locs) > 1 else {}
            for loc in locs:
                used = [trig, loc] + [m for m in (roles.actor1, roles.actor2, date, claim) if m] + cas
                used += roles.assoc
                frames.append(
                    Frame(
                        trigger=trig,
                        event_type=etype,
                        sub_event_type=stype,
                        sentence=sent,
                        location=loc,
                        roles=roles,
                        casualties=cas if len(locs) == 1 else cas_at.get(id(loc), []),
                        date=date,
                        claim=claim,
                        contested=contested,
                        denied_only=denied,
                        mentions=used,
                        evidence=[(sent.start, sent.end)],
                        confidence=_confidence(trig, roles, loc),
                        headline=si == title_si,
                    )
                )
                made += 1
        # "قُتل قيادي… بغارة لطائرة مسيّرة استهدفت سيارته قرب إدلب": the toll of the unplaced
        # "غارة" belongs to the one event the sentence does place
        placed = frames[first_frame:]
        sentence_tolls(doc, placed, cas_all, places)
        if orphans and len({f.location_key for f in placed}) == 1:
            for f in placed:
                f.casualties = combine_casualties(f.casualties, orphans)
                f.mentions.extend(c for c in orphans if c not in f.mentions)
                if f.roles.actor2 is None:
                    f.roles.actor2 = _casualty_owner(doc, orphans, sent_actors + owner_sources, f.roles)
        cas_all = [c for c in cas_all if c.data.get("casualty") in ("killed", "injured")]
        if not made and frames and cas_all and live:
            # (a sentence whose every trigger a cue cancelled is a tally or a denial, not a toll)
            host = _toll_host(frames, sent_actors, sentences, si, live)
            if host is not None:
                _continue_previous(host, sent, cas_all)
    place_unhosted(doc, frames, unhosted, places)
    frames = merge_frames(doc, frames, denials)
    for f in frames:
        civilian_victims(
            doc, f.trigger, f.event_type, f.roles, [m for m in f.mentions if m.kind == "casualty"]
        )
        state_as_armed_forces(doc, f.event_type, f.sub_event_type, f.roles)
    _river_governorates(frames, places)
    doc.events = [to_record(doc, f) for f in frames]


def _clause_at(clauses: list[tuple[int, int]], pos: int, sent: Sentence) -> tuple[int, int]:
    return next(((a, b) for a, b in clauses if a <= pos < b), (sent.start, sent.end))


def _is_event_trigger(doc: Document, trig: Mention) -> bool:
    """Not a state (``تسيطر عليها``), a named past agreement, a back-reference or a habit."""
    if trig.data.get("state") or trig.data.get("named_agreement") or descriptive_present(doc, trig):
        return False
    if counted_back_reference(doc, trig):
        return False
    m = markers()
    before = folded_between(doc, max(0, trig.start - 12), trig.start)
    if before and before[-1] in m.anaphora_before:
        return False
    after = folded_between(doc, trig.end, min(len(doc.text), trig.end + 25))[:2]
    return not starts_with(after, m.habitual_after)


def _assign(
    items: list[Mention],
    triggers: list[Mention],
    clauses: list[tuple[int, int]],
    sent: Sentence,
    retaliation: set[int],
) -> dict[int, list[Mention]]:
    """Give each place (or casualty count) of the sentence to the trigger it belongs to.

    It belongs to the nearest trigger before it in its clause, else the first
    after it in its clause, else the nearest before it in the sentence, else
    (a fronted place) the first after it. An event given as a reason
    (``ردا على هجوم``) takes nothing from before it.
    """
    owned: dict[int, list[Mention]] = {}
    for p in items:
        if not _inside(p, sent.start, sent.end):
            continue
        clause = _clause_at(clauses, p.start, sent)
        before_in_clause = [t for t in triggers if clause[0] <= t.start < p.start]
        before = [t for t in triggers if t.start < p.start]
        after_in_clause = [t for t in triggers if p.start < t.start < clause[1] and id(t) not in retaliation]
        if before_in_clause:
            owner = before_in_clause[-1]
        elif after_in_clause:
            owner = after_in_clause[0]
        elif before:
            owner = before[-1]
        else:
            # a fronted place: "وفي مدينة نوى، انفجرت عبوة…"
            after = [t for t in triggers if t.start > p.start and id(t) not in retaliation]
            if not after:
                continue
            owner = after[0]
        owned.setdefault(id(owner), []).append(p)
    return owned


def _is_retaliation(doc: Document, trig: Mention) -> bool:
    before = folded_between(doc, max(0, trig.start - 20), trig.start)
    return ends_with_phrase(before, markers().retaliation)


def _speaker_is_subject(doc: Document, trig: Mention, roles: Roles) -> bool:
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


def _road_endpoint(doc: Document, place: Mention) -> bool:
    """``الأوتستراد الدولي "حلب - الحسكة"``: the towns name the road, they are not where it happened."""
    before = folded_between(doc, max(0, place.start - 40), place.start)[-4:]
    road = markers().road_words
    if not any(w in road for w in before):
        return False
    return (
        any(w == "-" for w in before)
        or '"' in doc.folded.text[doc.to_folded(max(0, place.start - 3)) : doc.to_folded(place.start)]
        or (
            any(w in road for w in before[-2:])
            and (doc.text[place.end : place.end + 4].lstrip()[:1] or "x") in "-–—"
        )
    )


def _river_governorates(frames: list[Frame], places: list[Mention]) -> None:
    """``شرقي الخط الفاصل… عند نهر الفرات``: a river crosses governorates; the stretch meant is
    the one of the last place the article named before it."""
    for f in frames:
        loc = f.location
        if loc is None or loc.data.get("feature") not in _LINEAR_FEATURES or loc.data.get("admin1"):
            continue
        earlier = [
            p
            for p in places
            if p.end <= loc.start and p.data.get("admin1") and p.data.get("country") in (None, "SY")
        ]
        if earlier:
            f.admin1_hint = earlier[-1].data["admin1"]


def _civilians_cannot_do(trig: Mention) -> bool:
    """Civilians protest and riot; any other event is done by an armed or state side."""
    return trig.data.get("event_type") not in CROWD_EVENT_TYPES


def _denied(doc: Document, trig: Mention, denials: list[Mention], sent: Sentence) -> bool:
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
        if d.data.get("cue") == "نفى" and trig.data.get("pos") == "noun" and len(between) <= 2:
            # "نفت أنقرة استهداف المدنيين": the verbal noun is the object of the denial
            return True
    return False


def _anchors_a_place(doc: Document, actor: Mention) -> bool:
    """``جنوبي دمشق``, ``بريف أنقرة``: a capital after a direction word is a place, not its government."""
    before = folded_between(doc, max(0, actor.start - 12), actor.start)[-1:]
    word = before[0] if before else ""
    if word == "مع":
        # "الحدودية مع لبنان", "الحدود مع تركيا": a border is between places
        wider = folded_between(doc, max(0, actor.start - 24), actor.start)[-2:-1]
        return bool(wider) and wider[0].lstrip("و") in markers().border_words
    directions = markers().direction_words
    return word in directions or (word[:1] in ("و", "ب", "ف") and word[1:] in directions)


def _collapse_adjacent(doc: Document, live: list[Mention]) -> list[Mention]:
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
            and folded_between(doc, last_end, t.start) in ([], ["من"], ["و"])
        ):
            last_end = t.end
            continue
        out.append(t)
        last_end = t.end
    return out


def _contrast(doc: Document, clause: tuple[int, int]) -> bool:
    """A clause opened by فيما/بينما/لكن tells another doer's act: it borrows no subject."""
    first = folded_between(doc, clause[0], min(clause[1], clause[0] + 12))[:2]
    return starts_with(first, markers().contrast_openers)


def _title_index(doc: Document, sentences: list[Sentence]) -> int | None:
    """The index of the article's title: its first content line, when it has no full stop."""
    first = next((i for i, s in enumerate(sentences) if not doc.in_boilerplate(s.start)), None)
    if first is None:
        return None
    text = doc.text[sentences[first].start : sentences[first].end].rstrip()
    return None if text.endswith((".", "؟", "!")) else first


def _drop_destinations(doc: Document, trig: Mention, places: list[Mention]) -> list[Mention]:
    """A withdrawal happened where it left from: ``إلى داخل اللواء 93`` is where it went."""
    if trig.data.get("sub_event_type") != "non_violent_transfer_of_territory":
        return places
    dest = markers().destination_words
    kept = [
        p
        for p in places
        if not any(w in dest for w in folded_between(doc, max(0, p.start - 14), p.start)[-2:])
    ]
    return kept or places


def _road_as_last_resort(
    live: list[Mention], owned: dict[int, list[Mention]], endpoints: list[Mention], sent: Sentence
) -> None:
    """``على طريق القامشلي – عامودا`` and no other place: the road's first town locates the event."""
    ends = [p for p in endpoints if _inside(p, sent.start, sent.end)]
    if not ends or any(owned.get(id(t)) for t in live):
        return
    for t in live:
        after = [p for p in ends if p.start > t.start]
        if after:
            owned[id(t)] = [after[0]]


def _share_main_places(doc: Document, live: list[Mention], owned: dict[int, list[Mention]]) -> None:
    """``انسحبت القوات من X بعد معارك بين…``: a subordinate event with no place of its own is at X."""
    subordinators = markers().subordinators
    for i, trig in enumerate(live):
        if owned.get(id(trig)) or i == 0:
            continue
        before = folded_between(doc, max(0, trig.start - 12), trig.start)
        if not before or before[-1] not in subordinators:
            continue
        main = next((t for t in reversed(live[:i]) if owned.get(id(t))), None)
        if main is None:
            continue
        if trig.data.get("sub_event_type") in HANDOVER and main.data.get("sub_event_type") in HANDOVER:
            # "دخلت القوات البلدة بعد انسحاب قسد منها": the withdrawal is how the place changed hands
            continue
        owned[id(trig)] = list(owned[id(main)])


def _retaliation_floor(live: list[Mention], retaliation: set[int], trig: Mention, sent: Sentence) -> int:
    """Where the reason clause (``ردا على الهجوم…``) that holds ``trig`` starts, else the sentence start."""
    starts = [t.start for t in live if id(t) in retaliation and t.start <= trig.start]
    return max(starts) if starts else sent.start


def _continue_roles(
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
            roles.actor1 = f.roles.actor1
            roles.actor2 = roles.actor2 or f.roles.actor2
            return


def _unidentified(doc: Document, trig: Mention, floor: int) -> Mention | None:
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


def _speaker_actor(
    doc: Document, trig: Mention, sources: list[Mention], sent: Sentence, actors: list[Mention]
) -> Mention | None:
    """``أعلنت وزارة الدفاع التركية أنها دمرت…``: an official source speaking of its own act.

    With no such source, the actor that speaks of its own forces (``أعلنت هيئة تحرير الشام أن
    مقاتليها…``): the first of ``actors`` before the complementiser. The caller passes no actors
    when the clause does not speak of the speaker's own forces ("أكدت الأمم المتحدة أن القصف…").
    """
    for s in sources:
        if _inside(s, sent.start, trig.start) and s.data.get("actor_id"):
            return s
    comp = last_complementiser(doc, sent.start, trig.start)
    if comp is None:
        return None
    speakers = [a for a in actors if sent.start <= a.start and a.end <= comp]
    return speakers[0] if speakers else None


def _claim_for(trig: Mention, sources: list[Mention], sent: Sentence) -> Mention | None:
    """The source of the trigger's sentence: the last one before it, else the first after it."""
    inside = [s for s in sources if _inside(s, sent.start, sent.end)]
    if inside:
        before = [s for s in inside if s.start <= trig.start]
        return before[-1] if before else inside[0]
    return None


def _paragraph_date(dates: _ByStart, sentences: list[Sentence], si: int) -> Mention | None:
    para = sentences[si].paragraph
    for s in reversed(sentences[:si]):
        if s.paragraph != para:
            break
        found = dates.inside(s.start, s.end)
        if found:
            return found[-1]
    return None


def _confidence(trig: Mention, roles: Roles, loc: Mention) -> float:
    score = 0.4
    if roles.actor1 is not None:
        score += 0.2
    if roles.actor2 is not None:
        score += 0.1
    if loc.kind == "place":
        score += 0.2
    if trig.data.get("pos") == "verb":
        score += 0.05
    return round(min(score, 0.95), 2)
