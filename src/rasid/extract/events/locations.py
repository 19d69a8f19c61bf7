"""Where an event happened: which places of a sentence locate which trigger, and which of them count.

A place goes to the nearest trigger before it in its clause (else after it);
a region or container named beside a place inside it is context, not a second
event; a list of places is one event each. Each choice has a rule name, kept
per (trigger, place) in a :data:`Why` table for the record's ``"spans"``.
"""

from __future__ import annotations

from rasid.document import Document, Mention, Sentence
from rasid.extract.arguments import folded_between, markers
from rasid.extract.events.frame import Frame
from rasid.extract.events.mentions import clause_at, inside
from rasid.extract.frames import HANDOVER
from rasid.extract.places_of_events import counted_one_by_one, joined_as_list, without_cities_of_quarters

# (id of a trigger, id of a place or toll) -> the name of the rule that gave it to the trigger
Why = dict[tuple[int, int], str]

# Features that run through several governorates.
_LINEAR_FEATURES = frozenset({"river", "lake"})


def event_locations(doc: Document, cands: list[Mention]) -> list[Mention]:
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
    conj = markers().conjunction
    if gap not in ([], [conj]) and not (len(gap) == 1 and gap[0] in (conj, ",")):
        return False
    if counted_one_by_one(doc, prev):
        return False
    before = folded_between(doc, max(0, prev.start - 30), prev.start)[-3:]
    vicinity = markers().vicinity
    return any(w in vicinity or w.lstrip(markers().vicinity_clitics) in vicinity for w in before)


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


def _last_words(text: str, end: int, n: int) -> list[str]:
    """``text[:end].split()[-n:]`` from a window before ``end`` that grows until it holds more
    than ``n`` words (so none of the last ``n`` is cut) or reaches the start: not a split of a
    long article's whole text before each place (issue #19)."""
    width = 64
    while True:
        lo = max(0, end - width)
        words = text[lo:end].split()
        if lo == 0 or len(words) > n:
            return words[-n:]
        width *= 4


def _between(doc: Document, place: Mention) -> bool:
    """``بين X وY``: Y is the other end of one location, not a second event."""
    before = _last_words(doc.folded.text, doc.to_folded(place.start), 4)
    m = markers()
    return any(w == m.conjunction for w in before[-1:]) and any(w in m.between for w in before)


def _is_direction_anchor(doc: Document, prev: Mention, cur: Mention) -> bool:
    """``X شرق دير الزور`` / ``X بريف Y`` / ``X في Y``: Y only says where X is."""
    gap = doc.folded.text[doc.to_folded(prev.end) : doc.to_folded(cur.start)]
    words = gap.replace(",", " ").split()
    if len(words) > 3:
        return False
    m = markers()
    anchors = m.direction_words | m.place_anchors
    if not words:
        return cur.data.get("feature") in {"governorate", "district"}
    return any(w in anchors for w in words) and m.conjunction not in words


def assign_to_triggers(
    items: list[Mention],
    triggers: list[Mention],
    clauses: list[tuple[int, int]],
    sent: Sentence,
    retaliation: set[int],
    how: Why | None = None,
    doc: Document | None = None,
) -> dict[int, list[Mention]]:
    """Give each place (or casualty count) of the sentence to the trigger it belongs to.

    It belongs to the nearest trigger before it in its clause, else the first
    after it in its clause, else the nearest before it in the sentence, else
    (a fronted place) the first after it; with ``doc``, a place followed in its clause by a
    time word (بعد، عقب…) and then a trigger belongs to the trigger before it. An event given as a reason
    (``ردا على هجوم``) takes nothing from before it. ``how`` gets the name of
    the rule that gave each (trigger, place) pair.
    """
    owned: dict[int, list[Mention]] = {}
    for p in items:
        if not inside(p, sent.start, sent.end):
            continue
        clause = clause_at(clauses, p.start, sent)
        before_in_clause = [t for t in triggers if clause[0] <= t.start < p.start]
        before = [t for t in triggers if t.start < p.start]
        after_in_clause = [t for t in triggers if p.start < t.start < clause[1] and id(t) not in retaliation]
        if before_in_clause:
            owner, rule = before_in_clause[-1], "trigger_before_in_clause"
        elif (
            after_in_clause and before and doc is not None and _subordinate_after(doc, p, after_in_clause[0])
        ):
            # "أنشأت القوات قاعدة، ظهر اليوم، في جبل الزاوية عقب وصول تعزيزات…": the place ends the
            # main clause; the event after عقب/بعد is told as its time, it is not where it happened
            owner, rule = before[-1], "trigger_before_subordinate"
        elif after_in_clause:
            owner, rule = after_in_clause[0], "trigger_after_in_clause"
        elif before:
            owner, rule = before[-1], "trigger_before_in_sentence"
        else:
            # a fronted place: "وفي مدينة نوى، انفجرت عبوة…"
            after = [t for t in triggers if t.start > p.start and id(t) not in retaliation]
            if not after:
                continue
            owner, rule = after[0], "fronted_before_trigger"
        owned.setdefault(id(owner), []).append(p)
        if how is not None:
            how[(id(owner), id(p))] = rule
    return owned


def _subordinate_after(doc: Document, place: Mention, trig: Mention) -> bool:
    """A time word (``subordinators``: بعد، عقب، إثر…) stands between the place and the trigger after it."""
    between = folded_between(doc, place.end, trig.start)
    subordinators = markers().subordinators
    return any(w in subordinators for w in between)


def road_endpoint(doc: Document, place: Mention) -> bool:
    """``الأوتستراد الدولي "حلب - الحسكة"``, ``طريق حلب خناصر الدولي``: the towns name the road,
    they are not where it happened (a dash, quotes, or a road adjective within two words after)."""
    before = folded_between(doc, max(0, place.start - 40), place.start)[-4:]
    road = markers().road_words
    if not any(w in road for w in before):
        return False
    after = folded_between(doc, place.end, min(len(doc.text), place.end + 30))[:2]
    return (
        any(w == "-" for w in before)
        or (
            any(w in road for w in before[-2:])
            and any(w.strip('.,،؛:()"«»') in markers().road_adjectives for w in after)
        )
        or '"' in doc.folded.text[doc.to_folded(max(0, place.start - 3)) : doc.to_folded(place.start)]
        or (
            any(w in road for w in before[-2:])
            and (doc.text[place.end : place.end + 4].lstrip()[:1] or "x") in "-–—"
        )
    )


def river_governorates(frames: list[Frame], places: list[Mention]) -> None:
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


def drop_destinations(doc: Document, trig: Mention, places: list[Mention]) -> list[Mention]:
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


def road_as_last_resort(
    live: list[Mention], owned: dict[int, list[Mention]], endpoints: list[Mention], sent: Sentence, how: Why
) -> None:
    """``على طريق القامشلي – عامودا`` and no other place: the road's first town locates the event."""
    ends = [p for p in endpoints if inside(p, sent.start, sent.end)]
    if not ends or any(owned.get(id(t)) for t in live):
        return
    for t in live:
        after = [p for p in ends if p.start > t.start]
        if after:
            owned[id(t)] = [after[0]]
            how[(id(t), id(after[0]))] = "road_first_town"


def share_main_places(doc: Document, live: list[Mention], owned: dict[int, list[Mention]], how: Why) -> None:
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
        for p in owned[id(trig)]:
            how[(id(trig), id(p))] = "main_event_place"
