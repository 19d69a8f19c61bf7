"""Find place and region mentions in a document and decide what each one is.

Two things make naive gazetteer lookup fail on Arabic conflict news. First,
thousands of Syrian villages are called by common words (تحت، واسعة، الكرامة،
كمين...), so a name counts only with place-like context (a preposition or a
ب/ل clitic on it, a class word such as قرية, a compass word, a neighbouring
place in a list) or a strong prior (a city, a big town, a hand-entered
feature); common words need an explicit class word. Second, names repeat:
there are many villages called القاهرة or صيدا, and Cairo and Sidon too. The
candidate is chosen from context: admin cues in the sentence (ريف الرقة،
غربي حماة، سهل الغاب), the distance to the other places of the sentence and the
article, then population and feature priors.

Region phrases (ريف إدلب الجنوبي، محافظة إدلب، غربي حماة، شمال العراق، شرق
الفرات) become ``region`` mentions with ``geo_precision`` 3; "near" phrases
(قرب X، في محيط قرية X، 8 كيلومترات شرقي X) become ``place`` mentions of X with
``geo_precision`` 2 and the cue text in ``near``. The word lists are in
``rasid/data/place_words.yaml`` and ``rasid/data/regions.yaml``.

Places also come from grammar: a head word and a name (قرية X، مخيم X، تل X), the
items of a list a plural head opens (قرى X وY وZ) or a known place starts and a
region phrase closes, are places even when the gazetteer lacks the name; such a
mention has ``feature`` ``unknown``, no coordinates, and the governorate of its
context. A country or capital in a place slot (في دمشق، انفجار بيروت) is the
place; the actor reading stays only for the doer. Every mention carries a
``role`` (site, origin, destination, home, topic) from an ordered table of
rules; events are located only at sites (:func:`site_places`).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import repeat
from operator import attrgetter
from typing import Any

from rasid.document import Article, Document, Mention
from rasid.geo.gazetteer import Governorate, Place, gazetteer, haversine_km, is_common_word, near_match_at
from rasid.knowledge.loader import load_yaml
from rasid.knowledge.matcher import Match, PhraseMatcher
from rasid.pipeline import check_budget
from rasid.text.fold import fold_phrase, fold_set
from rasid.text.tokens import Token, clitic_variants

_DIR_EN = {"north": "North", "south": "South", "east": "East", "west": "West"}
_NUMBER_WORDS = frozenset(
    fold_phrase(w)
    for w in "بضعة عدة بضع واحد اثنين ثلاثة أربعة خمسة ستة سبعة ثمانية تسعة عشرة عشرين ثلاثين "
    "أربعين خمسين مئة مائة ثلاث أربع خمس ست سبع ثماني تسع عشر نحو حوالي".split()
)
_BLOCKING_KINDS = ("actor", "claim_source")


@dataclass(frozen=True)
class Words:
    """The place vocabulary, folded, from place_words.yaml and regions.yaml."""

    stop: frozenset[str]
    not_places: PhraseMatcher
    class_words: frozenset[str]
    prepositions: frozenset[str]
    strong_features: frozenset[str]
    area_features: frozenset[str]
    strong_population: int
    common_zipf: float
    needs_context: frozenset[str]
    directions: dict[str, str]
    countryside: frozenset[str]
    governorate_words: frozenset[str]
    adjectives: dict[str, str]
    named_regions: PhraseMatcher
    near_cues: PhraseMatcher
    units: frozenset[str]


@lru_cache(maxsize=1)
def words() -> Words:
    pw = load_yaml("place_words.yaml")
    rg = load_yaml("regions.yaml")
    not_places = PhraseMatcher()
    for p in pw["not_places"]:
        not_places.add(p, "block")
    directions = {fold_phrase(w): d for d, ws in rg["directions"].items() for w in ws}
    adjectives = {fold_phrase(w): directions.get(fold_phrase(w), "") for w in rg["countryside_adjectives"]}
    adjectives.update({k: v for k, v in directions.items() if k.startswith("ال")})
    named = PhraseMatcher()
    for r in rg["named_regions"]:
        for n in [r["name_ar"], *r.get("alt", [])]:
            named.add(n, r)
    near = PhraseMatcher()
    for c in rg["near_cues"]:
        near.add(c, c)
    return Words(
        stop=fold_set(pw["stop_names"]) | fold_set(pw["class_words"]),
        not_places=not_places,
        class_words=fold_set(pw["class_words"]),
        prepositions=fold_set(pw["prepositions"]),
        strong_features=frozenset(pw["strong_features"]),
        area_features=frozenset(pw["area_features"]),
        strong_population=int(pw["strong_population"]),
        common_zipf=float(pw["common_zipf"]),
        needs_context=fold_set(pw["needs_context"]),
        directions=directions,
        countryside=fold_set(rg["countryside_words"]),
        governorate_words=fold_set(rg["governorate_words"]),
        adjectives=adjectives,
        named_regions=named,
        near_cues=near,
        units=fold_set(rg["distance_units"]),
    )


# --------------------------------------------------------------------------- candidates


@dataclass(slots=True)
class Cand:
    """A gazetteer name found in the text, before and after the decision."""

    start: int  # folded offsets of the name
    end: int
    first: int  # token range
    last: int
    key: str
    places: list[Place]
    sentence: int
    precision: int = 1
    near: str | None = None
    forced: bool = False  # context already proves it is a place (near cue, class word, compass word)
    has_class: bool = False
    has_prep: bool = False
    prep_word: bool = False  # a preposition word before (في، من), not just a ب/ل clitic
    class_word: str | None = None
    conj: bool = False
    accepted: bool | None = None
    chosen: Place | None = None
    region: dict[str, Any] | None = None  # set for grammar regions (countryside, governorate...)
    admin_cue: str | None = None  # an admin1 this mention itself states (region phrases)
    country_cue: str | None = None
    unknown: bool = False  # a name the gazetteer lacks, found by grammar (قرية برعان)
    article_added: bool = False  # matched only once the entry's article was added (قامشلي)
    definite: bool = False  # the text names it with the article or in several words
    role: str = "site"  # what the place is to the event (place_role)

    # Written out, not generated: see rasid.document.Mention.__init__.
    def __init__(
        self,
        start: int,
        end: int,
        first: int,
        last: int,
        key: str,
        places: list[Place],
        sentence: int,
        precision: int = 1,
        near: str | None = None,
        forced: bool = False,
        has_class: bool = False,
        has_prep: bool = False,
        prep_word: bool = False,
        class_word: str | None = None,
        conj: bool = False,
        accepted: bool | None = None,
        chosen: Place | None = None,
        region: dict[str, Any] | None = None,
        admin_cue: str | None = None,
        country_cue: str | None = None,
        unknown: bool = False,
        article_added: bool = False,
        definite: bool = False,
        role: str = "site",
    ) -> None:
        self.start = start
        self.end = end
        self.first = first
        self.last = last
        self.key = key
        self.places = places
        self.sentence = sentence
        self.precision = precision
        self.near = near
        self.forced = forced
        self.has_class = has_class
        self.has_prep = has_prep
        self.prep_word = prep_word
        self.class_word = class_word
        self.conj = conj
        self.accepted = accepted
        self.chosen = chosen
        self.region = region
        self.admin_cue = admin_cue
        self.country_cue = country_cue
        self.unknown = unknown
        self.article_added = article_added
        self.definite = definite
        self.role = role


@dataclass
class _Scan:
    doc: Document
    tokens: list[Token]
    sent_of: list[int]
    blocked: list[bool]
    cands: list[Cand] = field(default_factory=list)


def _variants(tok: Token) -> frozenset[str]:
    return _variant_texts(tok.text)


@lru_cache(maxsize=20_000)
def _literal_variant_texts(token: str) -> frozenset[str]:
    """The token's readings that keep the article (cached: asked before every name found)."""
    return frozenset(v.text for v in clitic_variants(token) if not v.no_article)


@lru_cache(maxsize=20_000)
def _variant_texts(token: str) -> frozenset[str]:
    """The token read with and without its clitics (cached: asked for every token)."""
    return frozenset(v.text for v in clitic_variants(token))


def _prefix(tok: Token, start: int) -> str:
    return tok.text[: start - tok.start]


def _sentence_index(doc: Document, tokens: list[Token]) -> list[int]:
    """Sentence number of each token (doc.sentences when segmented, else punctuation)."""
    folded = doc.folded
    if doc.sentences:
        bounds = [doc.to_folded(s.end) for s in doc.sentences]
    else:
        bounds = [m.end() for m in re.finditer(r"[.!?\n]+", folded.text)] + [len(folded.text) + 1]
    # the number of sentence ends at or before each token, counting all but the last end
    # (bounds are sorted; the last sentence takes whatever follows)
    if tokens is doc.tokens:
        starts = doc.token_starts
    else:
        starts = [t.start for t in tokens]
    return list(map(bisect_right, repeat(bounds[:-1]), starts))


_TOKEN_END = attrgetter("end")


def _blocked_tokens(doc: Document, tokens: list[Token]) -> list[bool]:
    """Tokens that overlap an actor or claim-source mention.

    Tokens are sorted and disjoint, so the tokens overlapping a span ``[a, b)``
    (``a < t.end and t.start < b``) are one run, found by bisection.
    """
    starts = doc.token_starts if tokens is doc.tokens else [t.start for t in tokens]
    ends = list(map(_TOKEN_END, tokens))
    out = [False] * len(tokens)
    for m in doc.mentions:
        if m.kind in _BLOCKING_KINDS and not _names_a_place(doc, tokens, starts, m):
            a, b = doc.to_folded(m.start), doc.to_folded(m.end)
            for k in range(bisect_right(ends, a), bisect_left(starts, b)):
                out[k] = True
    return out


def _names_a_place(doc: Document, tokens: list[Token], starts: list[int], m: Mention) -> bool:
    """A country or capital read as its government that stands in a place slot is the place.

    ``انفجرت سيارة مفخخة في دمشق``, ``بدمشق``, ``انفجار بيروت``, ``مطار دمشق``, ``#دمشق``: the
    name follows a preposition (or carries ب), an event noun or a site word, or is a hashtag.
    ``قالت دمشق``, ``قصفت إسرائيل`` keep the actor (the doer). Events drop an actor that a
    place mention covers.
    """
    if m.kind != "actor" or not m.data.get("metonym"):
        return False
    a = doc.to_folded(m.start)
    k = bisect_right(starts, a) - 1
    if k < 0:
        return False
    tok = tokens[k]
    prefix = tok.text[: a - tok.start]
    if "ب" in prefix or doc.text[max(0, m.start - 1) : m.start] == "#":
        return True
    if prefix or k == 0 or not tok.joined:
        return False
    before = _literal_variant_texts(tokens[k - 1].text)
    if _name_part_head(tokens[k - 1].text) or tokens[k - 1].text[1:] in head_words().prefixes:
        return True  # "ومعرة الصين": the country name ends a place name
    if before.isdisjoint(slot_words()) and (before.isdisjoint(event_nouns()) or _is_country(m.text)):
        return False
    return not _seat_of_actor(doc, tokens, k - 1)


def _seat_of_actor(doc: Document, tokens: list[Token], k: int) -> bool:
    """``الحكومة الانتقالية في دمشق``: the capital after an actor says where it sits, not a site."""
    if k == 0 or not tokens[k].joined:
        return False
    end = doc.folded.span(tokens[k - 1].start, tokens[k - 1].end)[1]
    return any(m.kind == "actor" and m.end == end for m in doc.mentions)


def _is_country(name: str) -> bool:
    """``هجوم تركيا``: a country after an event noun is the doer, a city (``انفجار بيروت``) the site."""
    return any(p.feature == "country" for p in gazetteer().lookup(name))


@lru_cache(maxsize=1)
def event_nouns() -> frozenset[str]:
    """Event nouns whose genitive city is where it happened (``event_nouns_of_place``)."""
    return fold_set(load_yaml("place_words.yaml")["event_nouns_of_place"])


@lru_cache(maxsize=1)
def slot_words() -> frozenset[str]:
    """Words after which a country or capital is a place (place_words.yaml ``place_slot_words``)."""
    pw = load_yaml("place_words.yaml")
    return fold_set(pw["place_slot_words"]) | fold_set(pw["feature_heads"])


def _free(scan: _Scan, m: Match) -> bool:
    return not any(scan.blocked[j] for j in range(m.first, m.last))


def _gaz_match(scan: _Scan, i: int) -> Match | None:
    if i >= len(scan.tokens) or scan.blocked[i]:
        return None
    m = gazetteer().matcher.match_at(scan.tokens, i)
    tok = scan.tokens[i]
    if m is None and len(tok.text) == 3 and tok.text[0] in "وف":
        # وحي، فحي: the tokenizer keeps a conjunction on a two-letter word; read it without.
        # (read in place, not on a copy of the token list: its name starts one character later)
        m = gazetteer().matcher.match_read_as(scan.tokens, i, tok.text[1:])
        if m is not None:
            m = replace(m, start=m.start + 1)
    if m is None or not _free(scan, m):
        return None
    if len(m.key) == 1 and m.key[0] in words().class_words:
        return None  # "أحياء مدينة حلب": a settlement word names no place by itself
    return _with_article_variants(m)


def _with_article_variants(m: Match) -> Match:
    """Add the entries spelled with/without the article: الصور also means the village صور."""
    payloads = _article_variant_payloads(m.key, m.payloads)
    return m if len(payloads) == len(m.payloads) else replace(m, payloads=payloads)


@lru_cache(maxsize=20_000)
def _article_variant_payloads(key: tuple[str, ...], payloads: tuple[Any, ...]) -> tuple[Any, ...]:
    """``payloads`` and the entries of ``key`` spelled with/without the article (cached per name)."""
    first = key[0]
    other = first[2:] if first.startswith("ال") else "ال" + first
    extra = gazetteer().matcher.lookup(" ".join((other, *key[1:])))
    return payloads + tuple(x for x in extra if x not in payloads)


def _places_of(m: Match) -> list[Place]:
    gz = gazetteer()
    return [gz.places[i] for i in m.payloads]


# --------------------------------------------------------------------------- region grammar


def _gov_region(gov: Governorate, surface: str, label: str) -> dict[str, Any]:
    return {
        "gazetteer_id": gov.place_id or f"admin1:{gov.pcode}",
        "name": label,
        "name_ar": surface,
        "admin1": gov.admin1,
        "admin2": None,
        "country": "SY",
        "lat": round(gov.lat, 4),
        "lon": round(gov.lon, 4),
        "feature": "governorate",
    }


def _admin_at(scan: _Scan, i: int) -> tuple[Match, Governorate] | None:
    if i >= len(scan.tokens) or scan.blocked[i]:
        return None
    m = gazetteer().admin_names.match_at(scan.tokens, i)
    if m is None:
        return None
    return m, gazetteer().governorates[m.payloads[0]]


def _adjectives(scan: _Scan, j: int) -> tuple[list[str], int]:
    """Compass adjectives from token j on (الشمالي الغربي): their directions and the next index."""
    w = words()
    dirs: list[str] = []
    while (
        j < len(scan.tokens)
        and scan.tokens[j].joined
        and scan.tokens[j].text in w.adjectives
        and len(dirs) < 2
    ):
        if scan.sent_of[j] != scan.sent_of[j - 1]:
            break
        dirs.append(w.adjectives[scan.tokens[j].text])
        j += 1
    return dirs, j


def _dir_label(dirs: list[str]) -> str:
    named = [_DIR_EN[d] for d in dirs if d in _DIR_EN]
    if not named:
        return ""
    return named[0] + "".join("-" + d.lower() for d in named[1:])


def _best_syrian(places: list[Place]) -> Place | None:
    syr = [p for p in places if p.country == "SY" and p.feature not in ("country",)]
    return max(syr, key=_prior) if syr else None


def _span_start(scan: _Scan, i: int) -> int:
    """Folded start of token i without its leading clitics (و ب ل ف)."""
    tok = scan.tokens[i]
    best = tok.start
    for v in clitic_variants(tok.text):
        if v.skip and (
            v.text in words().countryside
            or v.text in words().governorate_words
            or v.text in words().directions
            or v.text in words().class_words
        ):
            best = tok.start + v.skip
    return best


def _countryside(scan: _Scan, i: int) -> Cand | None:
    """ريف X [الجنوبي]، بريف القامشلي، الريف الشرقي لدير الزور."""
    pre_dirs, j = _adjectives(scan, i + 1)
    target = _admin_at(scan, j)
    town: Place | None = None
    if target is None:
        m = _gaz_match(scan, j)
        town = _best_syrian(_places_of(m)) if m else None
        if town is None or m is None:
            return None
        end_tok = m.last
    else:
        end_tok = target[0].last
    if scan.sent_of[j] != scan.sent_of[i]:
        return None
    post_dirs, end_tok2 = _adjectives(scan, end_tok)
    dirs = pre_dirs + post_dirs
    start = _span_start(scan, i)
    end = scan.tokens[end_tok2 - 1].end
    surface = scan.doc.folded.text[start:end]
    label_dir = _dir_label(dirs)
    if target is not None:
        gov = target[1]
        if gov.admin1 == "Damascus":
            gov = gazetteer().governorates["Rif Dimashq"]
        region = _gov_region(gov, surface, f"{gov.admin1} countryside")
    else:
        assert town is not None
        region = town.data()
        region.update(name=f"{town.name} countryside", name_ar=surface)
    region["feature"] = "countryside"
    if label_dir:
        region["name"] = f"{region['name']} ({label_dir})"
    return Cand(start, end, i, end_tok2, surface, [], scan.sent_of[i], precision=3, region=region)


def _governorate_phrase(scan: _Scan, i: int) -> Cand | None:
    """محافظة إدلب، بمحافظة دير الزور: the governorate as a region."""
    target = _admin_at(scan, i + 1)
    if target is None or scan.sent_of[i + 1] != scan.sent_of[i]:
        return None
    m, gov = target
    if gov.admin1 == "Rif Dimashq" or m.key == ("دمشق",):
        gov = gazetteer().governorates[gov.admin1]
    start = _span_start(scan, i)
    end = scan.tokens[m.last - 1].end
    surface = scan.doc.folded.text[start:end]
    region = _gov_region(gov, surface, f"{gov.admin1} Governorate")
    return Cand(start, end, i, m.last, surface, [], scan.sent_of[i], precision=3, region=region)


def _distance_before(scan: _Scan, i: int) -> int | None:
    """Token index where "8 كيلومترات" starts when it stands right before token i."""
    w = words()
    if i >= 2 and scan.tokens[i - 1].text in w.units:
        num = scan.tokens[i - 2].text
        if num.isdigit() or num in _NUMBER_WORDS:
            return i - 2
    if i >= 3 and " ".join(t.text for t in scan.tokens[i - 2 : i]) in w.units:
        num = scan.tokens[i - 3].text
        if num.isdigit() or num in _NUMBER_WORDS:
            return i - 3
    return None


def _direction(scan: _Scan, i: int) -> Cand | None:
    """شمال العراق، غربي حماة، شرق بلدة X، 8 كيلومترات شرقي X."""
    w = words()
    tok = scan.tokens[i]
    first = next((v for v in clitic_variants(tok.text) if v.text in w.directions and not v.no_article), None)
    if first is None or first.text.startswith("ال"):
        return None
    dirs = [w.directions[first.text]]
    j = i + 1
    if j < len(scan.tokens) and scan.tokens[j].joined and scan.tokens[j].text in w.directions:
        second = w.directions[scan.tokens[j].text]
        if second != dirs[0]:
            dirs.append(second)
            j += 1
    if j >= len(scan.tokens) or scan.sent_of[j] != scan.sent_of[i]:
        return None
    if scan.tokens[j].text in w.countryside:
        sub = _countryside(scan, j)
        if sub is not None:
            sub.start, sub.first = _span_start(scan, i), i
            return sub
    has_class = bool(_variants(scan.tokens[j]) & w.class_words) and _gaz_match(scan, j) is None
    k = j + 1 if has_class else j
    dist = _distance_before(scan, i)
    label = _dir_label(dirs)
    if not has_class and dist is None:
        target = _admin_at(scan, k)
        if target is not None and target[1].admin1 not in ("Rif Dimashq",):
            admin, gov = target
            start = tok.start + first.skip
            end = scan.tokens[admin.last - 1].end
            surface = scan.doc.folded.text[start:end]
            region = _gov_region(gov, surface, f"{label} of {gov.admin1}")
            return Cand(start, end, i, admin.last, surface, [], scan.sent_of[i], precision=3, region=region)
    m = _gaz_match(scan, k)
    if m is None:
        return None
    places = _places_of(m)
    countries = [p for p in places if p.feature == "country"]
    cue_start = scan.tokens[dist].start if dist is not None else tok.start + first.skip
    if countries and not has_class and dist is None:
        c = countries[0]
        end = scan.tokens[m.last - 1].end
        surface = scan.doc.folded.text[cue_start:end]
        region = c.data()
        region.update(
            name=f"{label} {c.name}", name_ar=surface, admin1=None, admin2=None, feature="country_part"
        )
        cand = Cand(cue_start, end, i, m.last, surface, [], scan.sent_of[i], precision=3, region=region)
        cand.country_cue = c.country
        return cand
    cand = _cand_from_match(scan, m, forced=True)
    cand.precision, cand.near, cand.has_class = (
        2,
        _orig_text(scan, cue_start, scan.tokens[k - 1].end),
        has_class,
    )
    return cand


def _orig_text(scan: _Scan, fstart: int, fend: int) -> str:
    a, b = scan.doc.folded.span(fstart, fend)
    return scan.doc.text[a:b]


def _near(scan: _Scan, i: int) -> Cand | None:
    """قرب X، بالقرب من X، في محيط قرية X، على أطراف مدينة X."""
    w = words()
    cue = w.near_cues.match_at(scan.tokens, i)
    if cue is None:
        return None
    j = cue.last
    if j >= len(scan.tokens) or scan.sent_of[j] != scan.sent_of[i]:
        return None
    has_class = False
    if _variants(scan.tokens[j]) & w.class_words and _gaz_match(scan, j) is None:
        has_class, j = True, j + 1
    m = _gaz_match(scan, j)
    if m is None:
        return None
    cand = _cand_from_match(scan, m, forced=True)
    cand.precision = 2
    cand.has_class = has_class
    cand.near = _orig_text(scan, cue.start, scan.tokens[j - 1].end)
    return cand


# --------------------------------------------------------------------------- plain names


def _cand_from_match(scan: _Scan, m: Match, forced: bool = False) -> Cand:
    w = words()
    i = m.first
    tok = scan.tokens[i]
    prefix = _prefix(tok, m.start)
    has_prep = any(c in prefix for c in "بل")
    conj = prefix.startswith("و")
    has_class = prep_word = False
    class_word = None
    if i > 0 and scan.sent_of[i - 1] == scan.sent_of[i]:
        prev = scan.tokens[i - 1]
        pv = _literal_variant_texts(prev.text)
        gap = scan.doc.folded.text[prev.end : tok.start]
        if "," in gap or "،" in gap:
            conj = True
        elif tok.joined and not conj:
            # "في وزارة": a preposition before و governs no name read after the conjunction
            has_class = bool(pv & w.class_words)
            prep_word = bool(pv & w.prepositions)
            has_prep = has_prep or prep_word
            class_word = next(iter(pv & w.class_words), None)
    if not (has_prep or has_class or conj):
        has_prep = _object_of_verb(scan, i)
    surface = scan.doc.folded.text[m.start : m.end]
    definite = surface.startswith("ال") or " " in surface
    return Cand(
        m.start,
        m.end,
        m.first,
        m.last,
        " ".join(m.key),
        _places_of(m),
        scan.sent_of[i],
        forced=forced,
        has_class=has_class,
        has_prep=has_prep,
        prep_word=prep_word,
        class_word=class_word,
        conj=conj,
        definite=definite,
    )


def _object_of_verb(scan: _Scan, i: int) -> bool:
    """``قصفت قوات النظام X``, ``اقتحمت X``: the object of a strike or entry verb, the named
    doer (an actor mention) between them allowed."""
    k = i - 1
    while k >= 0 and scan.blocked[k] and scan.sent_of[k] == scan.sent_of[i]:
        k -= 1
    if k < 0 or scan.sent_of[k] != scan.sent_of[i]:
        return False
    return not _literal_variant_texts(scan.tokens[k].text).isdisjoint(object_verbs())


@lru_cache(maxsize=1)
def object_verbs() -> frozenset[str]:
    """Verbs whose object is a place (place_words.yaml ``object_verbs``)."""
    return fold_set(load_yaml("place_words.yaml")["object_verbs"])


@lru_cache(maxsize=20_000)
def _starts(token: str) -> tuple[bool, bool, bool, bool]:
    """What :func:`_scan` can find beginning at a token with this text.

    ``(not-place phrase, named region, region grammar, gazetteer name)``. Most
    tokens begin nothing and are skipped; the others try only the readings
    that can succeed (a step that cannot match returns None and changes nothing).
    """
    w = words()
    gz = gazetteer()
    vs = _variant_texts(token)
    grammar = (
        gz.admin_names.may_start(token)
        or bool(vs & w.countryside)
        or bool(vs & w.governorate_words)
        or w.near_cues.may_start(token)
        or not vs.isdisjoint(w.directions)
    )
    # _gaz_match also reads وحي، فحي without the conjunction
    gaz = gz.matcher.may_start(token) or (
        len(token) == 3 and token[0] in "وف" and gz.matcher.may_start(token[1:])
    )
    return w.not_places.may_start(token), w.named_regions.may_start(token), grammar, gaz


# Token texts known to begin nothing (-> False), read with dict.get in _scan so that such
# tokens (most) are skipped without a Python call each; bounded like the other caches.
_MAY_START: dict[str, bool] = {}


def _begins_nothing(token: str) -> None:
    if len(_MAY_START) >= 20_000:
        _MAY_START.clear()
    _MAY_START[token] = False


def _scan(doc: Document) -> _Scan:
    tokens = doc.tokens
    scan = _Scan(doc, tokens, _sentence_index(doc, tokens), _blocked_tokens(doc, tokens))
    w = words()
    pos = 0  # tokens before pos are inside the last thing found
    known = _MAY_START.get
    blocked, sent_of = scan.blocked, scan.sent_of
    for i, tok in enumerate(tokens):
        if not i & 1023:
            check_budget("places")
        if i < pos or blocked[i]:
            continue
        fresh = known(tok.text, True)  # False: known to begin nothing
        if fresh and not any(_starts(tok.text)) and not _article_less(tok.text):
            _begins_nothing(tok.text)
            fresh = False
        if not fresh:
            # (_near_spelling's first tests inline: most tokens follow no class word in their sentence)
            if not (i and tok.joined and sent_of[i - 1] == sent_of[i] and _is_class_word(tokens[i - 1].text)):
                continue
            near = _near_spelling(scan, i)
            if near is not None:
                scan.cands.append(_cand_from_match(scan, near))
                pos = near.last
            continue
        not_place, named, grammar, gaz = _starts(tok.text)
        m = w.not_places.match_at(tokens, i) if not_place else None
        if m is not None:
            for j in range(m.first, m.last):
                scan.blocked[j] = True
            pos = m.last
            continue
        m = w.named_regions.match_at(tokens, i) if named else None
        if m is not None and _free(scan, m):
            r = m.payloads[0]
            surface = doc.folded.text[m.start : m.end]
            region = {
                "gazetteer_id": "region:" + fold_phrase(r["name_ar"]).replace(" ", "_"),
                "name": r["name_en"],
                "name_ar": surface,
                "admin1": r["admin1"],
                "admin2": None,
                "country": r["country"],
                "lat": r["lat"],
                "lon": r["lon"],
                "feature": "region",
            }
            c = Cand(
                m.start, m.end, m.first, m.last, surface, [], scan.sent_of[i], precision=3, region=region
            )
            c.country_cue = r["country"]
            scan.cands.append(c)
            pos = m.last
            continue
        found = _grammar_at(scan, i) if grammar else None
        if found is not None:
            scan.cands.append(found)
            pos = max(found.last, i + 1)
            continue
        cand = _plain_name_at(scan, i, gaz)
        if cand is not None:
            scan.cands.append(cand)
            pos = cand.last
            continue
    return scan


def _near_spelling(scan: _Scan, i: int) -> Match | None:
    """A near spelling of a gazetteer name right after a class word (قرية معرزيتا), or None.

    The hook of the gazetteer's spelling variants (rasid.geo.gazetteer.near_match_at):
    only a class word makes an unknown word a place slot.
    """
    if i == 0 or not scan.tokens[i].joined or scan.sent_of[i - 1] != scan.sent_of[i]:
        return None
    w = words()
    if scan.tokens[i].text in w.stop or not _is_class_word(scan.tokens[i - 1].text):
        return None
    m = near_match_at(scan.tokens, i)
    if m is None or m.start != scan.tokens[i].start:
        # a clitic read off (قرية بطيخان as ب + طيخان): a class word is followed by its name, not by a preposition
        return None
    return m if _free(scan, m) else None


@lru_cache(maxsize=20_000)
def _is_class_word(word: str) -> bool:
    """The folded word, read with its clitics off but its article kept, is a class word (قرية،
    بلدة) (cached by word: asked before every token that begins no name)."""
    return not _literal_variant_texts(word).isdisjoint(words().class_words)


def _plain_name_at(scan: _Scan, i: int, gaz: bool) -> Cand | None:
    """A gazetteer name at token i, as written or read with the article its entry has."""
    m = _gaz_match(scan, i) if gaz else None
    if m is not None:
        return _cand_from_match(scan, m)
    if not _article_less(scan.tokens[i].text):
        return None
    m = _gaz_match_with_article(scan, i)
    if m is None:
        return None
    cand = _cand_from_match(scan, m)
    cand.article_added = True
    return cand


def _with_article(token: str) -> str | None:
    """``قامشلي`` -> ``القامشلي``, ``بحمدونيه`` -> ``بالحمدونيه``, ``لحمدونيه`` -> ``للحمدونيه``."""
    if token.startswith("ال") or len(token) < 4:
        return None
    if token[0] == "ل":
        return "لل" + token[1:]
    if token[0] in "وفب" and not token[1:].startswith("ال") and len(token) > 4:
        return token[0] + "ال" + token[1:]
    return "ال" + token


@lru_cache(maxsize=20_000)
def _article_less(token: str) -> bool:
    """A token that may be a gazetteer name written without the article its entry has."""
    with_article = _with_article(token)
    if with_article is None or not gazetteer().matcher.may_start(with_article):
        return False
    return not _not_a_name(token) and _variant_texts(token).isdisjoint(words().class_words)


def _gaz_match_with_article(scan: _Scan, i: int) -> Match | None:
    """The gazetteer name at token i read with the article its entry has (``في قامشلي``)."""
    tok = scan.tokens[i]
    with_article = _with_article(tok.text)
    if with_article is None or scan.blocked[i]:
        return None
    m = gazetteer().matcher.match_read_as(scan.tokens, i, with_article)
    if m is None or not _free(scan, m) or m.last != i + 1:
        return None
    clitic = 0 if with_article.startswith("ال") else 1  # بحمدونيه: the name starts after ب
    return _with_article_variants(replace(m, start=tok.start + clitic, end=tok.end))


def _grammar_at(scan: _Scan, i: int) -> Cand | None:
    w = words()
    vs = _variants(scan.tokens[i])
    admin = _admin_at(scan, i)
    if admin is not None and admin[1].admin1 == "Rif Dimashq":
        m, gov = admin
        dirs, end_tok = _adjectives(scan, m.last)
        start, end = m.start, scan.tokens[end_tok - 1].end
        surface = scan.doc.folded.text[start:end]
        label = f"{gov.admin1} ({_dir_label(dirs)})" if dirs else gov.admin1
        return Cand(
            start,
            end,
            i,
            end_tok,
            surface,
            [],
            scan.sent_of[i],
            precision=3,
            region=_gov_region(gov, surface, label),
        )
    if vs & w.countryside:
        c = _countryside(scan, i)
        if c is not None:
            return c
    if vs & w.governorate_words:
        c = _governorate_phrase(scan, i)
        if c is not None:
            return c
    c = _near(scan, i)
    if c is not None:
        return c
    if not vs.isdisjoint(w.directions):
        return _direction(scan, i)
    return None


# --------------------------------------------------------------------------- places from grammar


@dataclass(frozen=True)
class HeadWords:
    """Words of place grammar (place_words.yaml): heads, list heads, name parts, non-names."""

    settlement: frozenset[str]
    feature: frozenset[str]
    area: frozenset[str]
    lists: frozenset[str]
    prefixes: frozenset[str]
    adjectives: frozenset[str]
    not_names: frozenset[str]
    closers: frozenset[str]
    openers: frozenset[str]


@lru_cache(maxsize=1)
def head_words() -> HeadWords:
    pw = load_yaml("place_words.yaml")
    return HeadWords(
        settlement=fold_set(pw["settlement_heads"]),
        feature=fold_set(pw["feature_heads"]),
        area=fold_set(pw["area_heads"]),
        lists=fold_set(pw["list_heads"]),
        prefixes=fold_set(pw["name_prefixes"]),
        adjectives=fold_set(pw["name_adjectives"]),
        not_names=fold_set(pw["not_names"]),
        closers=fold_set(pw["list_closers"]),
        openers=fold_set(pw["list_openers"]),
    )


_PRONOUN_ENDINGS = ("ها", "هم", "هما", "كم")
_QUOTES = "\"'“”«»‘’()"
_LIST_GAPS = frozenset({",", "،", "-", "–", "—", "/"})


def _tight(scan: _Scan, j: int) -> bool:
    """Token j follows token j-1 in the same sentence with only spaces or quotes between."""
    if j <= 0 or j >= len(scan.tokens) or scan.sent_of[j] != scan.sent_of[j - 1]:
        return False
    gap = scan.doc.folded.text[scan.tokens[j - 1].end : scan.tokens[j].start]
    return not gap.strip(" \t" + _QUOTES)


def _list_gap(scan: _Scan, j: int) -> bool:
    """Token j follows j-1 after a comma or dash (``X، Y``, ``صيدا – المعلق``) in one sentence."""
    if j <= 0 or j >= len(scan.tokens) or scan.sent_of[j] != scan.sent_of[j - 1]:
        return False
    gap = scan.doc.folded.text[scan.tokens[j - 1].end : scan.tokens[j].start].strip(" \t" + _QUOTES)
    return gap in _LIST_GAPS


def _head_at(scan: _Scan, i: int) -> tuple[str, int] | None:
    """``("settlement"|"feature"|"area", folded start of the head word)`` when token i is a head.

    ``قرية``, ``وبلدة``, ``بمخيم``: clitics are allowed, the article is not (``القرية`` names
    nothing after it).
    """
    tok = scan.tokens[i]
    head = _head_of_word(tok.text)
    if head is None:
        return None
    return head[0], tok.start + head[1]


@lru_cache(maxsize=20_000)
def _head_of_word(word: str) -> tuple[str, int] | None:
    """``(kind, clitic letters before the head)`` when the folded word is a head word
    (cached by word: :func:`_head_at` asks it at every token, several times)."""
    hw = head_words()
    readings = [(v.text, v.skip) for v in clitic_variants(word) if not v.no_article]
    if len(word) == 3 and word[0] in "وف":
        readings.append((word[1:], 1))  # وتل، وحي: a conjunction on a two-letter head
    for text, skip in readings:
        if text in hw.settlement:
            return "settlement", skip
        if text in hw.feature:
            return "feature", skip
        if text in hw.area:
            return "area", skip
    return None


_LIST_ITEM = "list_item"  # class_word of a name listed after a plural head (قرى X وY)


def _head_text(scan: _Scan, i: int) -> str | None:
    """The head word at token i without its clitics (``بمحور`` -> ``محور``)."""
    hw = head_words()
    heads = hw.settlement | hw.feature | hw.area
    tok = scan.tokens[i].text
    if len(tok) == 3 and tok[0] in "وف" and tok[1:] in heads:
        return tok[1:]
    return next((v for v in sorted(_variant_texts(tok)) if v in heads), None)


def _name_part_head(token: str) -> bool:
    """``تل``, ``وتل``, ``جبل``: a head word that is also the first word of the name it heads."""
    prefixes = head_words().prefixes
    if len(token) == 3 and token[0] in "وف" and token[1:] in prefixes:
        return True
    return not _variant_texts(token).isdisjoint(prefixes)


def _not_a_name(text: str, strict: bool = True) -> bool:
    """A word that cannot be (the start of) a place name: a preposition, a number, an adjective…

    ``strict`` (no head word vouches for the name) also refuses the common words that are
    village names (stop names); after a head they are names (حي السلام، الشيخ سعيد).
    """
    w, hw = words(), head_words()
    if len(text) < (3 if strict else 2) or any(ch.isdigit() for ch in text):
        return True
    if len(text) >= 5 and text.endswith(_PRONOUN_ENDINGS):
        return True  # ريفها، محيطها، اقتيادهم: a noun with a pronoun is no name
    for v in _variant_texts(text):
        if (
            (strict and v in w.stop)
            or v in hw.not_names
            or v in w.prepositions
            or v in w.directions
            or v in w.countryside
            or v in w.governorate_words
            or v in hw.settlement
            or v in hw.feature
            or v in hw.area
            or v in hw.openers
            or v in _NUMBER_WORDS
        ):
            return True
    return False


def _first_name_ok(text: str, kind: str) -> bool:
    """The word right after a head: no conjunction (``قرى وبسطت``), and after a feature word
    no bare adjective of relation (``سجن عسكري``, ``محاور استراتيجية``)."""
    if text.startswith("و") and len(text) > 3:
        return False
    if kind == "area" and not text.startswith("ال") and text not in head_words().prefixes:
        return False  # منطقة تقع غربي…: after an area word only a definite name or a compound
    return not (kind != "settlement" and not text.startswith("ال") and text.endswith(("ي", "يه")))


def _name_end(scan: _Scan, j: int, text: str, strict: bool = True) -> int | None:
    """End token (exclusive) of a name starting at token j whose text (conjunction taken off) is
    ``text``; None when no name starts there. ``أم الخير`` and ``الدواية الكبيرة`` are two words."""
    hw = head_words()
    if scan.blocked[j]:
        return None
    end = j + 1
    if text in hw.prefixes and _tight(scan, end) and not scan.blocked[end]:
        nxt = scan.tokens[end].text
        if _not_a_name(nxt, strict=False) and nxt not in hw.adjectives:
            return None
        end += 1
    elif _not_a_name(text, strict):
        return None
    if _tight(scan, end) and scan.tokens[end].text in hw.adjectives and not scan.blocked[end]:
        end += 1
    return end


def _unknown_cand(scan: _Scan, start: int, name_start: int, first: int, last: int) -> Cand:
    """A place the gazetteer lacks, spanning folded ``start`` to the end of token ``last - 1``."""
    end = scan.tokens[last - 1].end
    name = scan.doc.folded.text[name_start:end]
    c = Cand(start, end, first, last, name, [], scan.sent_of[first], forced=True, has_class=True)
    c.unknown, c.accepted, c.precision = True, True, 2
    return c


def _item_text(tok: Token) -> tuple[str, int]:
    """A list item's token without its conjunction: ``(text, characters taken off)``."""
    if tok.text.startswith("و") and len(tok.text) > 2:
        return tok.text[1:], 1
    return tok.text, 0


def _closes_item(scan: _Scan, e: int) -> bool:
    """What may follow an unheaded list item: punctuation, the next و-item, a place or area word.

    ``والدرابلة وقرى أخرى``, ``وركايا بريف إدلب``, ``والعبوش، ودردارة``: a list goes on or ends;
    ``وقتل مدنيين`` does not (a verb goes on with its object).
    """
    w = words()
    if e >= len(scan.tokens) or scan.sent_of[e] != scan.sent_of[e - 1]:
        return True
    gap = scan.doc.folded.text[scan.tokens[e - 1].end : scan.tokens[e].start]
    if gap.strip(" \t"):
        return True
    text = scan.tokens[e].text
    if text.startswith("و") and len(text) > 2:
        return True
    vs = _variant_texts(text)
    closing = w.prepositions | frozenset(w.directions) | w.countryside | w.governorate_words | w.class_words
    return bool(vs & (closing | head_words().closers)) or gazetteer().admin_names.may_start(text)


class _Heads:
    """Unknown names after head words, and the items of the lists they open."""

    def __init__(self, scan: _Scan) -> None:
        self.scan = scan
        self.starts: dict[int, Cand] = {c.first: c for c in scan.cands}
        self.covered = [False] * len(scan.tokens)
        for c in scan.cands:
            for k in range(c.first, c.last):
                self.covered[k] = True
        self.found: list[Cand] = []
        self.dropped: list[Cand] = []  # known names a longer unknown one replaces (تل + بصير)
        # the names by first token, to find those a taken name overlaps without a pass over every
        # name of a long article (scan.cands does not change while this object is in use); made
        # at the first take
        self.by_first: list[int] = []
        self.firsts: list[int] = []
        self.widest = -1

    def free(self, j: int) -> bool:
        return j < len(self.scan.tokens) and not self.covered[j] and not self.scan.blocked[j]

    def take(self, c: Cand) -> None:
        for k in range(c.first, c.last):
            self.covered[k] = True
        cands = self.scan.cands
        if self.widest < 0:
            self.by_first = sorted(range(len(cands)), key=lambda k: cands[k].first)
            self.firsts = [cands[k].first for k in self.by_first]
            self.widest = max((o.last - o.first for o in cands), default=0)
        # (a name that ends after c.first starts after c.first - widest)
        lo = bisect_right(self.firsts, c.first - self.widest)
        hi = bisect_left(self.firsts, c.last)
        for k in sorted(self.by_first[lo:hi]):
            o = cands[k]
            if o.first < c.last and c.first < o.last and o not in self.dropped:
                self.dropped.append(o)
        self.starts[c.first] = c
        self.found.append(c)

    def headed(self, i: int) -> int:
        """A head word at token i and the name after it; the index to go on from."""
        scan = self.scan
        head = _head_at(scan, i)
        j = i + 1
        if head is None or not (_tight(scan, j) or (_list_gap(scan, j) and self.is_list(i))):
            return i + 1
        kind = head[0]
        if self.covered[i] and not self.bare_head(i, kind):
            return i + 1
        known = self.starts.get(j)
        if known is not None and _head_at(scan, j) is not None and known.last == j + 1:
            return j  # بلدة تل الكروم: the name begins with a head word of its own
        if known is not None and not self.part_of_name(i, kind, known):
            return self.known_after_head(i, kind, known)
        if not (self.free(j) or known is not None) or not _first_name_ok(scan.tokens[j].text, kind):
            return i + 1
        return self.unknown_after_head(i, head)

    def opened(self, i: int) -> int:
        """``سيطرت على عدة قرى أهمها X وY``: a list opener after a plural head word opens a list."""
        scan = self.scan
        j = i + 1
        if not _opens_list(scan, i) or not _tight(scan, j):
            return i + 1
        known = self.starts.get(j)
        if known is not None:
            if known.region is None:
                known.has_class, known.class_word = True, known.class_word or _LIST_ITEM
            return self.items(known.last, known)
        if not self.free(j) or not _first_name_ok(scan.tokens[j].text, "settlement"):
            return i + 1
        end = _name_end(scan, j, scan.tokens[j].text, strict=False)
        if end is None:
            return i + 1
        c = _unknown_cand(scan, scan.tokens[j].start, scan.tokens[j].start, j, end)
        self.take(c)
        return self.items(end, c)

    def known_after_head(self, i: int, kind: str, known: Cand) -> int:
        """``قرية الكرامة``, ``محور خطاب``: the head vouches for a gazetteer name after it."""
        if " " in known.key or not _not_a_name(known.key, strict=kind != "settlement"):
            known.has_class = True
            known.class_word = known.class_word or _head_text(self.scan, i)
        return self.items(known.last, known) if self.is_list(i) else known.last

    def unknown_after_head(self, i: int, head: tuple[str, int]) -> int:
        """``قرية برعان``, ``مخيم روبار`` (the feature word is part of the mention)."""
        scan = self.scan
        kind, head_start = head
        j = i + 1
        strict = kind == "feature" and not _name_part_head(scan.tokens[i].text)
        end = _name_end(scan, j, scan.tokens[j].text, strict=strict)
        if end is None:
            return i + 1
        start = head_start if kind == "feature" else scan.tokens[j].start
        c = _unknown_cand(scan, start, start, i if kind == "feature" else j, end)
        self.take(c)
        return self.items(end, c) if self.is_list(i) else end

    def bare_head(self, i: int, kind: str) -> bool:
        """``تل`` alone is a gazetteer name; before another name it only begins that name."""
        c = self.starts.get(i)
        return kind == "feature" and c is not None and c.last == i + 1 and c.region is None

    def part_of_name(self, i: int, kind: str, known: Cand) -> bool:
        """``تل بصير``: a name-part head before a small known name makes a new, longer name."""
        if kind != "feature" or known.last != i + 2 or known.region is not None:
            return False
        if not _name_part_head(self.scan.tokens[i].text):
            return False
        return max((_strength(p) for p in known.places), default=0) < 2

    def is_list(self, i: int) -> bool:
        return not _variant_texts(self.scan.tokens[i].text).isdisjoint(head_words().lists)

    def items(self, j: int, prev: Cand, headed: bool = True) -> int:
        """The items after ``prev`` joined by و or a comma: ``قرى X وY وZ``.

        After a list head every item that reads as a name counts; after a known place with no
        head the run of unknown items counts only when it ends where a list of places ends
        (``وركايا ومعرزيتا بريف إدلب``, ``والعبوش الواقعة شمال...``) or at a known place.
        """
        scan = self.scan
        run: list[Cand] = []
        while j < len(scan.tokens):
            tok = scan.tokens[j]
            text, skip = _item_text(tok)
            if not (skip or _list_gap(scan, j)) or scan.sent_of[j] != prev.sentence:
                break
            known = self.starts.get(j)
            if known is not None:
                item = self.known_item(j, known, text, headed)
                if item is None:
                    break
                self.keep(run)
                run = []
                prev, j = item
                continue
            if (
                not self.free(j)
                or _head_at(scan, j) is not None
                or (skip and _not_a_name(tok.text, strict=not headed))
                or (not headed and not skip and is_common_word(text))
            ):
                break
            end = _name_end(scan, j, text, strict=not headed)
            if end is None or not _closes_item(scan, end):
                break
            c = _unknown_cand(scan, tok.start + skip, tok.start + skip, j, end)
            c.conj = True
            run.append(c)
            if headed:
                self.keep(run)
                run = []
            prev, j = c, end
        if run and _ends_place_list(scan, j):
            self.keep(run)
        return j

    def known_item(self, j: int, known: Cand, text: str, headed: bool) -> tuple[Cand, int] | None:
        """A list item the scan already found at token j: ``(item, next index)``, or None to stop.

        ``… وتل اللبن``: an item that begins with a head word of its own is read after it.
        """
        if known.last == j + 1 and _head_at(self.scan, j) is not None:
            n = len(self.found)
            after = self.headed(j)
            return (self.found[-1], after) if len(self.found) > n else None
        if headed and _variant_texts(text).isdisjoint(head_words().not_names):
            known.has_class = True
            known.class_word = known.class_word or _LIST_ITEM
        return known, known.last

    def keep(self, run: list[Cand]) -> None:
        for c in run:
            self.take(c)


def _ends_place_list(scan: _Scan, e: int) -> bool:
    """A word that closes a list of places: ``بريف إدلب``, ``شمال تل تمر``, ``الواقعة``, ``وقرى``."""
    w, hw = words(), head_words()
    if e >= len(scan.tokens) or scan.sent_of[e] != scan.sent_of[e - 1]:
        return False
    vs = _variant_texts(scan.tokens[e].text)
    closing = frozenset(w.directions) | w.countryside | w.governorate_words | hw.closers | hw.settlement
    if vs & closing or gazetteer().admin_names.may_start(scan.tokens[e].text):
        return True
    # "… والطيانة في ريف دير الزور": a preposition, then a countryside or governorate phrase
    return (
        bool(vs & w.prepositions)
        and e + 1 < len(scan.tokens)
        and scan.sent_of[e + 1] == scan.sent_of[e]
        and bool(_variant_texts(scan.tokens[e + 1].text) & (w.countryside | w.governorate_words))
    )


def _prefix_compounds(scan: _Scan) -> None:
    """``ومعرة الصين``: a small gazetteer name that is only the first word of a longer name
    (a name prefix) followed by another word is that longer, unknown name."""
    out: list[Cand] = []
    skip_until = -1
    for k, c in enumerate(scan.cands):
        if c.first < skip_until:
            continue
        j = c.last
        nxt = scan.cands[k + 1] if k + 1 < len(scan.cands) else None
        if not _prefix_cand(scan, c) or not _tight(scan, j) or _not_a_name(scan.tokens[j].text, strict=False):
            out.append(c)
            continue
        if nxt is not None and nxt.first == j and (nxt.last != j + 1 or nxt.region is not None):
            out.append(c)
            continue
        start = c.start
        u = _unknown_cand(scan, start, start, c.first, j + 1)
        u.conj, u.has_prep, u.prep_word = c.conj, c.has_prep, c.prep_word
        u.accepted = None  # decided like the name it replaces: by its slot or its list
        u.forced = u.has_class = c.has_class
        out.append(u)
        skip_until = j + 1
    scan.cands[:] = out


def _prefix_cand(scan: _Scan, c: Cand) -> bool:
    """A one-word weak gazetteer name that is a name prefix (معرة، تل، كفر، عين…)."""
    if c.region is not None or c.unknown or c.last != c.first + 1:
        return False
    text, _ = _item_text(scan.tokens[c.first])
    if text not in head_words().prefixes and scan.tokens[c.first].text not in head_words().prefixes:
        return False
    return max((_strength(p) for p in c.places), default=0) < 2


def _opens_list(scan: _Scan, i: int) -> bool:
    """Token i is a list opener (أهمها، أبرزها، منها) with a plural head word a few words before
    it in the same sentence."""
    hw = head_words()
    if _variant_texts(scan.tokens[i].text).isdisjoint(hw.openers):
        return False
    for k in range(max(0, i - _OPENER_REACH), i):
        if scan.sent_of[k] == scan.sent_of[i] and not _variant_texts(scan.tokens[k].text).isdisjoint(
            hw.lists
        ):
            return True
    return False


_OPENER_REACH = 6  # words between a plural head and the list opener after it


def _grammar_places(scan: _Scan) -> None:
    """Add the unknown names after head words (قرية برعان، مخيم روبار، قرى X وY وZ)."""
    _prefix_compounds(scan)
    heads = _Heads(scan)
    i = 0
    n = len(scan.tokens)
    tokens = scan.tokens
    while i < n:
        if scan.blocked[i] or not _may_head(tokens[i].text):
            i += 1
            continue
        i = max(i + 1, heads.headed(i), heads.opened(i))
    scan.cands[:] = [c for c in scan.cands if c not in heads.dropped] + heads.found
    scan.cands.sort(key=lambda c: c.start)


@lru_cache(maxsize=20_000)
def _may_head(word: str) -> bool:
    """Whether the folded word is a head word or a list opener, the only tokens at which
    :meth:`_Heads.headed` or :meth:`_Heads.opened` find anything (cached by word)."""
    return _head_of_word(word) is not None or not _variant_texts(word).isdisjoint(head_words().openers)


def _extend_known_lists(scan: _Scan) -> None:
    """Unknown names listed after an accepted place: ``في X وY وZ بريف إدلب`` (X known)."""
    heads = _Heads(scan)
    for c in list(scan.cands):
        if c.accepted and c.region is None and not c.unknown:
            heads.items(c.last, c, headed=False)
    if heads.found:
        scan.cands.extend(heads.found)
        scan.cands.sort(key=lambda c: c.start)


def _context_admin1(cands: list[Cand], c: Cand, dominant: str | None) -> str | None:
    """The governorate an unknown place lies in: a region phrase after it in the sentence
    (``قرى X وY بريف حماة``), else the article's governorate when the sentence names a place
    there, else the nearest place of the sentence, else the article's governorate."""
    same = [o for o in cands if o.accepted and o.sentence == c.sentence and not o.unknown]
    after = [o for o in same if o.start > c.start and o.region is not None and o.region.get("admin1")]
    if after:
        return _admin1_of(after[0])
    near: list[str] = []
    for o in sorted(same, key=lambda o: abs(o.start - c.start)):
        a1 = _admin1_of(o)
        if a1:
            near.append(a1)
    if dominant in near:
        return dominant
    return near[0] if near else dominant


def _admin1_of(c: Cand) -> str | None:
    if c.region is not None:
        a1 = c.region.get("admin1")
        return str(a1) if a1 else None
    if c.chosen is not None and c.chosen.country == "SY" and c.chosen.admin1:
        return c.chosen.admin1
    return None


def _dominant_admin1(cands: list[Cand]) -> str | None:
    """The governorate the article names most (the first named on a tie)."""
    counts: dict[str, int] = {}
    for c in cands:
        a1 = _admin1_of(c) if c.accepted and not c.unknown else None
        if a1:
            counts[a1] = counts.get(a1, 0) + 1
    if not counts:
        return None
    order = list(counts)
    return max(order, key=lambda a: (counts[a], -order.index(a)))


def _unknown_data(c: Cand, admin1: str | None) -> dict[str, Any]:
    """Mention data of an unknown place: its governorate from context, no coordinates."""
    bare = c.key[2:] if c.key.startswith("ال") else c.key
    return {
        "gazetteer_id": "context:" + bare.replace(" ", "_"),
        "name": None,
        "name_ar": c.key,
        "admin1": admin1,
        "admin2": None,
        "country": "SY" if admin1 else None,
        "lat": None,
        "lon": None,
        "feature": "unknown",
    }


# --------------------------------------------------------------------------- place roles


@dataclass(frozen=True)
class RoleWords:
    """Marker and cue words of place roles (place_words.yaml ``roles``), folded."""

    home: frozenset[str]
    origin: frozenset[str]
    launch: frozenset[str]
    destination: frozenset[str]
    movement: frozenset[str]
    topic: frozenset[str]
    base: frozenset[str]
    base_attack: frozenset[str]
    holder: frozenset[str]
    pressure: frozenset[str]
    pressure_cues: frozenset[str]


@lru_cache(maxsize=1)
def role_words() -> RoleWords:
    r = load_yaml("place_words.yaml")["roles"]
    return RoleWords(
        home=fold_set(r["home_markers"]),
        origin=fold_set(r["origin_markers"]),
        launch=fold_set(r["launch_words"]),
        destination=fold_set(r["destination_markers"]),
        movement=fold_set(r["movement_words"]),
        topic=fold_set(r["topic_markers"]),
        base=fold_set(r["base_markers"]),
        base_attack=fold_set(r["base_attack_cues"]),
        holder=fold_set(r["holder_markers"]),
        pressure=fold_set(r["pressure_markers"]),
        pressure_cues=fold_set(r["pressure_cues"]),
    )


_ROLE_WINDOW = 8  # words of the sentence before a place where a cue word counts


@dataclass(frozen=True)
class _RoleContext:
    tails: tuple[str, ...]  # the last one, two and three folded words right before the place
    words: tuple[str, ...]  # the folded words of the sentence before the place

    def marked(self, markers: frozenset[str]) -> bool:
        """One of ``markers`` (one to three words) stands right before the place."""
        return not markers.isdisjoint(self.tails)

    def cued(self, cues: frozenset[str]) -> bool:
        """One of ``cues`` is one of the words (clitics off too); asked only after a marker."""
        return any(not _variant_texts(w).isdisjoint(cues) for w in self.words)


def _role_context(scan: _Scan, c: Cand) -> _RoleContext:
    """The words before the place in its sentence; the marker words skip a head word
    (``من أبناء بلدة X``, ``إلى مشفى X``)."""
    k = c.first
    lowest = max(0, c.first - _ROLE_WINDOW)
    while k > lowest and scan.sent_of[k - 1] == c.sentence:
        k -= 1
    words = tuple(t.text for t in scan.tokens[k : c.first])
    end = c.first
    while end > k and _head_at(scan, end - 1) is not None:
        end -= 1
    before = words[max(0, end - k - 3) : end - k]
    tails = tuple(" ".join(before[-n:]) for n in (1, 2, 3) if len(before) >= n)
    return _RoleContext(tails, words)


def _home(ctx: _RoleContext) -> bool:
    """``قتل شاب من أبناء بلدة X``: the victim's home town, not where it happened."""
    return ctx.marked(role_words().home)


def _origin(ctx: _RoleContext) -> bool:
    """``صواريخ أطلقت من X``: where the fire came from."""
    rw = role_words()
    return ctx.marked(rw.origin) and ctx.cued(rw.launch)


def _destination(ctx: _RoleContext) -> bool:
    """``نقل الجرحى إلى مشفى X``, ``وصلت تعزيزات إلى X``: where someone went."""
    rw = role_words()
    return ctx.marked(rw.destination) and ctx.cued(rw.movement)


def _base(ctx: _RoleContext) -> bool:
    """``قصفت قوات النظام المتمركزة في X قرية Y``: where a unit is stationed; ``استهدفت
    الفصائل مواقع قوات النظام المتمركزة في X`` (attacked there) stays the site."""
    rw = role_words()
    return ctx.marked(rw.base) and not ctx.cued(rw.base_attack)


def _holder(ctx: _RoleContext) -> bool:
    """``المناطق الخاضعة لسيطرة X``: the one holding an area, not a place something happened."""
    return ctx.marked(role_words().holder)


def _topic(ctx: _RoleContext) -> bool:
    """``مفاوضات بشأن X``: a place talked about."""
    return ctx.marked(role_words().topic)


def _sanctioned(ctx: _RoleContext) -> bool:
    """``العقوبات الدولية على X``: the country sanctions or pressure fall on, no site."""
    rw = role_words()
    return ctx.marked(rw.pressure) and ctx.cued(rw.pressure_cues)


# The first rule that holds names the role; otherwise the place is the site.
_ROLE_RULES = (
    ("home", _home),
    ("origin", _origin),
    ("destination", _destination),
    ("base", _base),
    ("holder", _holder),
    ("topic", _topic),
    ("topic", _sanctioned),
)


@lru_cache(maxsize=1)
def _any_role_marker() -> frozenset[str]:
    """Every marker of :data:`_ROLE_RULES`: each rule first asks for one of its own markers."""
    rw = role_words()
    return rw.home | rw.origin | rw.destination | rw.base | rw.holder | rw.topic | rw.pressure


def place_role(scan: _Scan, c: Cand) -> str:
    """``site`` (by default), ``home``, ``origin``, ``destination``, ``base``, ``holder`` or ``topic``."""
    ctx = _role_context(scan, c)
    if not ctx.marked(_any_role_marker()):
        return "site"  # no rule can hold (most places): one test instead of seven
    for name, rule in _ROLE_RULES:
        if rule(ctx):
            return name
    return "site"


def site_places(places: list[Mention]) -> list[Mention]:
    """The place and region mentions that can locate an event (role ``site``, or no role)."""
    return [p for p in places if p.data.get("role", "site") in _LOCATING_ROLES]


_LOCATING_ROLES = frozenset({"site"})


# --------------------------------------------------------------------------- deciding


_PRIME_FEATURES = frozenset({"capital", "city", "country", "province", "governorate"})


def _strength(p: Place) -> int:
    """2: a name everybody knows (capital, city, feature); 1: a town or big village; 0: the rest."""
    w = words()
    if p.source == "foreign":
        if p.feature in ("capital", "country", "province", "region") or p.population >= 1_000_000:
            return 2
        return 1 if p.population >= w.strong_population else 0
    if p.feature in _PRIME_FEATURES or (p.feature in w.strong_features and p.feature != "town"):
        return 2
    return 1 if p.feature == "town" or p.population >= w.strong_population else 0


def _prior(p: Place) -> float:
    """How likely a bare name means this entry, before context."""
    pop = math.log10(p.population + 1)
    if p.source == "foreign":
        if p.feature == "country":
            return 6.0
        base = 6.5 if p.feature == "capital" else 3.5 if p.population >= 1_000_000 else 0.5
        return base + 0.3 * pop
    base = {
        "capital": 6.0,
        "city": 5.0,
        "town": 3.0,
        "governorate": 2.5,
        "district": 0.5,
        "village": 1.0,
        "abandoned": 0.2,
        "settlement": 0.5,
    }.get(p.feature, 4.0)
    if p.source == "features" and p.country != "SY":
        base = 2.5
    return base + 0.3 * pop


def _place_like(c: Cand) -> bool | None:
    """True/False when decided from the name's own context, None when a neighbour must decide."""
    w = words()
    if c.region is not None:
        return True
    key = c.key
    bare = key[2:] if key.startswith("ال") else key
    if len(key.replace(" ", "")) <= 2:
        return c.has_class
    if key in w.stop or bare in w.stop or ("ال" + key) in w.stop:
        return _everyday_word_place(c)
    if c.article_added:
        # "في قامشلي": a name written without its article needs a place slot
        return True if (c.has_class or c.prep_word or c.forced) else None
    return _by_strength_and_frequency(c)


def _by_strength_and_frequency(c: Cand) -> bool | None:
    """A name that is no stop word: a strong place counts (a big one that is also an everyday
    word needs a slot); a frequent word needs a class word or a preposition; a small village
    needs place-like context or a neighbour."""
    w = words()
    key = c.key
    bare = key[2:] if key.startswith("ال") else key
    strength = max((_strength(p) for p in c.places), default=0)
    # Frequency only says something about one-word names (تحت، واسعة); phrases are rarely words.
    zipf = 0.0
    if " " not in key:
        zipf = max((p.common.get(key, 0.0) or p.common.get("ال" + key, 0.0) for p in c.places), default=0.0)
    if strength == 2:
        if key in w.needs_context or bare in w.needs_context or "ال" + key in w.needs_context:
            return True if (c.has_class or c.has_prep or c.forced) else None
        return True
    if strength == 1:
        if zipf >= w.common_zipf:
            return True if (c.has_class or c.prep_word or c.forced) else None
        return True
    if zipf >= w.common_zipf:
        return c.has_class and _named_by_class(c)
    # a clitic ب/ل alone does not vouch for a short name: لقاح is no "to قاح"
    if c.forced or c.has_class or c.prep_word or (c.has_prep and len(bare) > 3):
        return True
    return None


def _named_by_class(c: Cand) -> bool:
    """``قرية الكرامة``, ``بلدة مديرا`` name a village; ``قرى جديدة``, ``مناطق واسعة`` only
    describe some: after a plural or area word the name must be definite."""
    return (
        c.definite
        or c.key.startswith("ال")
        or c.class_word == _LIST_ITEM
        or c.class_word in singular_settlement_words()
    )


@lru_cache(maxsize=1)
def singular_settlement_words() -> frozenset[str]:
    return fold_set(load_yaml("place_words.yaml")["singular_settlement_words"])


def _everyday_word_place(c: Cand) -> bool:
    """A name that is an everyday word (stop names): a place after a class word when definite
    (قرية الكرامة, not قرى جديدة), or a big place of needs_context in a place slot (في التل)."""
    w = words()
    key = c.key
    bare = key[2:] if key.startswith("ال") else key
    in_context_list = key in w.needs_context or bare in w.needs_context or "ال" + key in w.needs_context
    if c.has_class:
        return c.definite or key.startswith("ال") or in_context_list
    return in_context_list and key.startswith("ال") and (c.prep_word or c.forced)


@dataclass(frozen=True)
class WordSense:
    """An everyday word that is also a place name and the neighbours that show the word (word_senses)."""

    names: frozenset[str]
    cues: frozenset[str]
    reach: int


@lru_cache(maxsize=1)
def word_senses() -> tuple[WordSense, ...]:
    rows = load_yaml("place_words.yaml")["word_senses"]
    return tuple(WordSense(fold_set(r["names"]), fold_set(r["cues"]), int(r["reach"])) for r in rows)


def _cued_everyday_sense(scan: _Scan, c: Cand, sense: WordSense) -> bool:
    """A cue of the everyday sense within ``reach`` words of the name in its sentence."""
    lo, hi = max(0, c.first - sense.reach), min(len(scan.tokens), c.last + sense.reach)
    for j in range(lo, hi):
        if c.first <= j < c.last or scan.sent_of[j] != c.sentence:
            continue
        if not _variant_texts(scan.tokens[j].text).isdisjoint(sense.cues):
            return True
    return False


def _everyday_sense(scan: _Scan, c: Cand) -> bool:
    """``سيول`` beside ``أمطار`` is floods, ``الحالة المطرية`` rainy, ``رياض الأطفال`` kindergartens:
    no place unless a class word names it (``مدينة مشهد``, ``أحياء المشهد``)."""
    if c.has_class:
        return False
    keys = {c.key, c.key[2:] if c.key.startswith("ال") else "ال" + c.key}
    return any(
        not sense.names.isdisjoint(keys) and _cued_everyday_sense(scan, c, sense) for sense in word_senses()
    )


def _drop_everyday_senses(scan: _Scan) -> None:
    for c in scan.cands:
        if c.accepted and not c.unknown and _everyday_sense(scan, c):
            c.accepted = False
        elif c.accepted and _in_operation_name(scan, c):
            c.accepted = False


_OPENING_QUOTES = "\"“«'"
_CLOSING_QUOTES = "\"”»'"
_OPERATION_REACH = 40  # characters between an operation's opening quote and a name inside it


@lru_cache(maxsize=1)
def _operation_name_opening() -> re.Pattern[str]:
    """An operation word and an opening quote (place_words.yaml ``operation_words``), at the end."""
    ops = "|".join(
        re.escape(w) for w in sorted(load_yaml("place_words.yaml")["operation_words"], key=len, reverse=True)
    )
    return re.compile(rf"(?:{ops})\s*[{_OPENING_QUOTES}][^{_CLOSING_QUOTES}]{{0,{_OPERATION_REACH}}}$")


def _in_operation_name(scan: _Scan, c: Cand) -> bool:
    """``معركة "فالمغيرات صبحا"``, ``غرفة عمليات "حور كلس"``: a name inside an operation's name."""
    a = scan.doc.folded.span(c.start, c.end)[0]
    before = scan.doc.text[max(0, a - _OPERATION_REACH - 20) : a]
    return _operation_name_opening().search(before) is not None


def _decide(cands: list[Cand]) -> None:
    for c in cands:
        c.accepted = _place_like(c)
    for _ in range(3):
        changed = False
        for k, c in enumerate(cands):
            if c.accepted is not None:
                continue
            prev = cands[k - 1] if k > 0 else None
            nxt = cands[k + 1] if k + 1 < len(cands) else None
            if (
                c.conj
                and prev is not None
                and prev.accepted
                and prev.last == c.first
                and prev.sentence == c.sentence
            ):
                c.accepted, changed = True, True
            elif (
                nxt is not None
                and nxt.conj
                and nxt.accepted
                and nxt.first == c.last
                and nxt.sentence == c.sentence
            ):
                c.accepted, changed = True, True
        if not changed:
            break
    _accept_place_lists(cands)
    for c in cands:
        if c.accepted is None:
            c.accepted = False


def _joined_runs(cands: list[Cand]) -> list[list[Cand]]:
    """Runs of gazetteer names joined by و or a comma, word after word, in one sentence."""
    runs: list[list[Cand]] = []
    cur: list[Cand] = []
    for c in cands:
        if cur and c.conj and c.region is None and cur[-1].last == c.first and cur[-1].sentence == c.sentence:
            cur.append(c)
            continue
        if cur:
            runs.append(cur)
        cur = [c] if c.region is None else []
    if cur:
        runs.append(cur)
    return runs


def _closed_by_region(cands: list[Cand], last: Cand) -> bool:
    """``X وY في ريف حلب``, ``X بريف إدلب``: a countryside or governorate phrase right after."""
    firsts = _ordered_firsts(cands)
    if firsts is None:
        nxt = next((o for o in cands if o.first >= last.last), None)
    else:  # the first at or after last.last, by bisection: asked for every list of a long article
        k = bisect_left(firsts, last.last)
        nxt = cands[k] if k < len(cands) else None
    return (
        nxt is not None
        and nxt.region is not None
        and nxt.region.get("feature") in ("countryside", "governorate")
        and nxt.sentence == last.sentence
        and nxt.first - last.last <= 1
    )


# The last candidate list asked about: (the list, its length, its firsts, or None when not in order).
_FIRSTS: list[Any] = [None, -1, None]


def _ordered_firsts(cands: list[Cand]) -> list[int] | None:
    """The candidates' first tokens when the list is in token order, else None."""
    if _FIRSTS[0] is not cands or _FIRSTS[1] != len(cands):
        firsts = [c.first for c in cands]
        ordered = all(a <= b for a, b in zip(firsts, firsts[1:], strict=False))
        _FIRSTS[:] = [cands, len(cands), firsts if ordered else None]
    found: list[int] | None = _FIRSTS[2]
    return found


def _accept_place_lists(cands: list[Cand]) -> None:
    """Undecided names that a list vouches for: three joined names (``X وY وZ``), or names a
    countryside phrase closes (``X وY بريف حلب``)."""
    for run in _joined_runs(cands):
        if len(run) >= 3 or _closed_by_region(cands, run[-1]):
            for c in run:
                if c.accepted is None:
                    c.accepted = True


@dataclass(slots=True)
class _Cues:
    admin1: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    points: list[tuple[float, float]] = field(default_factory=list)
    _centre: tuple[int, float, float] | None = None  # (len(points) it was computed for, lat, lon)

    def centre(self) -> tuple[float, float]:
        """Median latitude and longitude of the points (kept while no point is added)."""
        if self._centre is None or self._centre[0] != len(self.points):
            lat = _median([x for x, _ in self.points])
            lon = _median([y for _, y in self.points])
            self._centre = (len(self.points), lat, lon)
        return self._centre[1], self._centre[2]


def _median(values: list[float]) -> float:
    """``statistics.median``, which the compiled build would still call as interpreted Python."""
    return _median_of_sorted(sorted(values))


def _median_of_sorted(values: list[float]) -> float:
    n = len(values)
    if n % 2:
        return values[n // 2]
    return (values[n // 2 - 1] + values[n // 2]) / 2


def _median_without(values: list[float], x: float) -> float:
    """The median of sorted ``values`` less one ``x``, without copying them (a member's centre was
    asked for every member of a long article's list: copying made it quadratic)."""
    gone = bisect_left(values, x)

    def at(i: int) -> float:
        return values[i] if i < gone else values[i + 1]

    n = len(values) - 1
    if n % 2:
        return at(n // 2)
    return (at(n // 2 - 1) + at(n // 2)) / 2


def _point(c: Cand) -> tuple[float, float] | None:
    if c.region is not None:
        if (
            c.region.get("feature") in ("country", "country_part", "region")
            and c.region.get("admin1") is None
        ):
            return None
        return float(c.region["lat"]), float(c.region["lon"])
    p = c.chosen
    if p is None or p.feature in ("country", "province", "road", "river", "desert"):
        return None
    return p.lat, p.lon


_BIG_SENTENCE = 24  # accepted names in a sentence from which _SentenceCues counts its cues


def _cue_parts(c: Cand) -> tuple[str | None, str | None, tuple[float, float] | None]:
    """What one resolved candidate adds to :func:`_cues_of`: an admin1, a country, a point."""
    admin1 = country = None
    if c.region is not None:
        if c.region.get("admin1"):
            admin1 = c.region["admin1"]
        if c.country_cue:
            country = c.country_cue
    elif c.chosen is not None:
        if c.chosen.feature == "country":
            country = c.chosen.country
        elif c.chosen.feature in ("plain", "mountain", "region") and c.chosen.admin1:
            admin1 = c.chosen.admin1
    return admin1, country, _point(c)


class _SentenceCues:
    """The cues of a sentence's resolved names (region, or an entry chosen), kept as counts and
    sorted coordinates, so that the cues of every name but one -- :func:`_cues_of` of the others --
    come without a pass over the sentence. Same sets, same median (the same multiset of points)."""

    def __init__(self, members: list[Cand]) -> None:
        self.admin1: dict[str, int] = {}
        self.countries: dict[str, int] = {}
        self.lats: list[float] = []
        self.lons: list[float] = []
        self.parts: dict[int, tuple[str | None, str | None, tuple[float, float] | None]] = {}
        for o in members:
            self._add(o)

    def _add(self, o: Cand) -> None:
        part = _cue_parts(o) if (o.region is not None or o.chosen) else (None, None, None)
        self.parts[id(o)] = part
        admin1, country, point = part
        if admin1 is not None:
            self.admin1[admin1] = self.admin1.get(admin1, 0) + 1
        if country is not None:
            self.countries[country] = self.countries.get(country, 0) + 1
        if point is not None:
            insort(self.lats, point[0])
            insort(self.lons, point[1])

    def update(self, o: Cand) -> None:
        """``o`` was resolved again: count what it adds now instead of what it added."""
        admin1, country, point = self.parts[id(o)]
        if admin1 is not None:
            self.admin1[admin1] -= 1
        if country is not None:
            self.countries[country] -= 1
        if point is not None:
            del self.lats[bisect_left(self.lats, point[0])]
            del self.lons[bisect_left(self.lons, point[1])]
        self._add(o)

    def without(self, o: Cand) -> tuple[set[str], set[str], tuple[float, float] | None]:
        """The admin1 and country sets and the centre of every member but ``o``."""
        admin1, country, point = self.parts[id(o)]
        admin1s = {k for k, n in self.admin1.items() if n - (k == admin1) > 0}
        countries = {k for k, n in self.countries.items() if n - (k == country) > 0}
        if point is None:
            if not self.lats:
                return admin1s, countries, None
            return admin1s, countries, (_median_of_sorted(self.lats), _median_of_sorted(self.lons))
        if len(self.lats) == 1:
            return admin1s, countries, None
        return (
            admin1s,
            countries,
            (_median_without(self.lats, point[0]), _median_without(self.lons, point[1])),
        )


def _cues_of(cands: list[Cand]) -> _Cues:
    cues = _Cues()
    for c in cands:
        if not c.accepted:
            continue
        if c.region is not None:
            if c.region.get("admin1"):
                cues.admin1.add(c.region["admin1"])
            if c.country_cue:
                cues.countries.add(c.country_cue)
        elif c.chosen is not None:
            if c.chosen.feature == "country":
                cues.countries.add(c.chosen.country)
            elif c.chosen.feature in ("plain", "mountain", "region") and c.chosen.admin1:
                cues.admin1.add(c.chosen.admin1)
        pt = _point(c)
        if pt is not None:
            cues.points.append(pt)
    return cues


def _score(p: Place, sent: _Cues, doc: _Cues) -> float:
    s = _prior(p)
    if p.admin1 and p.admin1 in sent.admin1:
        s += 10.0
    elif p.admin1 and p.admin1 in doc.admin1:
        s += 3.0
    if p.country in sent.countries:
        s += 3.0
    for cues, weight in ((sent, 8.0), (doc, 5.0)):
        if cues.points:
            lat, lon = cues.centre()
            s += weight * max(0.0, 1.0 - haversine_km(lat, lon, p.lat, p.lon) / 150.0)
    return s


def _best_place(
    c: Cand,
    sent_admin1: set[str],
    sent_countries: set[str],
    sent_centre: tuple[float, float] | None,
    doc: _Cues,
) -> Place:
    """``max(c.places, key=lambda p: _score(p, sent, doc) + _class_bonus(c, p))`` (the first of equals)
    for the sentence's cues ``sent`` (its admin1 and country sets and its centre, None without
    points), with each centre taken once and the priors from a cache: an ambiguous name has
    many entries, and every one is scored twice."""
    centres = [(8.0, sent_centre)] if sent_centre is not None else []
    if doc.points:
        centres.append((5.0, doc.centre()))
    best: Place | None = None
    best_score = 0.0
    for p in c.places:
        s = _PRIORS.get(p.id)
        if s is None:
            s = _PRIORS[p.id] = _prior(p)
        if p.admin1 and p.admin1 in sent_admin1:
            s += 10.0
        elif p.admin1 and p.admin1 in doc.admin1:
            s += 3.0
        if p.country in sent_countries:
            s += 3.0
        for weight, (lat, lon) in centres:
            s += weight * max(0.0, 1.0 - haversine_km(lat, lon, p.lat, p.lon) / 150.0)
        s += _class_bonus(c, p)
        if best is None or s > best_score:
            best, best_score = p, s
    if best is None:
        raise ValueError("a candidate without gazetteer entries")  # as max() of nothing
    return best


# _prior by gazetteer id (a pure function of the entry)
_PRIORS: dict[str, float] = {}


_SETTLEMENT_WORDS = frozenset(
    fold_phrase(w) for w in ("قرية", "قريتي", "قرى", "بلدة", "بلدتي", "بلدات", "مزرعة")
)


def _class_bonus(c: Cand, p: Place) -> float:
    """قرية/بلدة before a name: a Syrian village or town rather than a foreign city of that name."""
    if c.class_word in _SETTLEMENT_WORDS and p.source != "foreign" and p.feature in ("village", "town"):
        return 3.0
    return 0.0


def _resolve(cands: list[Cand]) -> None:
    accepted = [c for c in cands if c.accepted and c.region is None and not c.unknown]
    for c in accepted:
        if len(c.places) == 1:
            c.chosen = c.places[0]
    by_sent: dict[int, list[Cand]] = {}
    for c in cands:
        if c.accepted:
            by_sent.setdefault(c.sentence, []).append(c)
    sure = [c for c in cands if c.accepted and (c.region is not None or c.chosen is not None)]
    shares = _admin1_shares(sure)
    doc_cues = _cues_of(sure)
    ambiguous = [c for c in accepted if c.chosen is None]
    # Two rounds: the second sees the first round's choices, so same-name places
    # in one list (الصور والبصيرة وذيبان) settle each other.
    for _ in range(2):
        # a sentence with many names (a long list, or a long text no segmentation split) keeps its
        # cues as counts, so each name's "all the others" is not a pass over the whole sentence
        big = {k: _SentenceCues(v) for k, v in by_sent.items() if len(v) > _BIG_SENTENCE}
        for c in ambiguous:
            counted = big.get(c.sentence)
            if counted is not None:
                admin1, countries, centre = counted.without(c)
                c.chosen = _best_place(c, admin1, countries, centre, doc_cues)
                counted.update(c)
                continue
            others = [
                o for o in by_sent.get(c.sentence, []) if o is not c and (o.region is not None or o.chosen)
            ]
            sent = _cues_of(others)
            c.chosen = _best_place(
                c, sent.admin1, sent.countries, sent.centre() if sent.points else None, doc_cues
            )
        doc_cues = _cues_of(
            [c for c in cands if c.accepted and (c.region is not None or c.chosen is not None)]
        )
    _mark_missing_entries(accepted, shares, _cues_of(sure))


def _mark_missing_entries(accepted: list[Cand], shares: dict[str, float], sure: _Cues) -> None:
    for c in accepted:
        if _entry_missing(c, shares, sure):
            c.unknown, c.chosen, c.precision = True, None, 2


_FAR_KM = 80.0  # a village this far from every sure place of the article is another one
_DOMINANT_SHARE = 0.5


def _entry_missing(c: Cand, shares: dict[str, float], sure: _Cues) -> bool:
    """``تل أحمر`` in an article about Quneitra when the gazetteer only knows villages of that
    name in Aleppo: the right entry is missing, so the name is read as an unknown place of the
    article's governorate. Only for small villages, far from every sure place of an article
    that one governorate dominates."""
    if not sure.points or max(shares.values(), default=0.0) < _DOMINANT_SHARE:
        return False
    if any(_strength(p) > 0 or p.source != "places" or shares.get(p.admin1 or "", 0.0) > 0 for p in c.places):
        return False
    lat, lon = sure.centre()
    return all(haversine_km(lat, lon, p.lat, p.lon) > _FAR_KM for p in c.places)


def _admin1_shares(sure: list[Cand]) -> dict[str, float]:
    """How much of the article its unambiguous places and regions put in each governorate:
    a village of the same name in another governorate is a weaker reading."""
    counts: dict[str, int] = {}
    for c in sure:
        a1 = _admin1_of(c)
        if a1:
            counts[a1] = counts.get(a1, 0) + 1
    total = sum(counts.values())
    return {a: n / total for a, n in counts.items()} if total else {}


def _pronoun_collision(surface: str, name_ar: str | None) -> bool:
    """``مقتله`` ("his killing") is not the village مقتلة: folding ة to ه made them meet.

    Writers spell a name's ta marbuta; a surface ending in plain ه where the
    name ends in ة is a word with a pronoun suffix, unless the word has the article
    (``الاشرفيه``: a noun with ال takes no pronoun) or the name has several words.
    """
    if not name_ar or " " in surface.strip():
        return False
    bare = surface.rstrip("\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0640")
    if any(
        v.text.startswith("\u0627\u0644") and not v.no_article for v in clitic_variants(fold_phrase(bare))
    ):
        return False
    return bare.endswith("\u0647") and name_ar.endswith("\u0629")


def _emit(doc: Document, cands: list[Cand]) -> None:
    w = words()
    seen: set[tuple[int, int]] = set()
    dominant = _dominant_admin1(cands)
    for c in cands:
        if not c.accepted:
            continue
        a, b = doc.folded.span(c.start, c.end)
        if (a, b) in seen or doc.in_boilerplate(a):
            continue
        seen.add((a, b))
        if c.region is not None:
            data = dict(c.region)
            data["name_ar"] = doc.text[a:b] if data.get("feature") != "region" else data["name_ar"]
            doc.add_mention(a, b, "region", **data, geo_precision=3, near=None, role=c.role)
            continue
        if c.unknown:
            data = _unknown_data(c, _context_admin1(cands, c, dominant))
            doc.add_mention(a, b, "place", **data, geo_precision=c.precision, near=c.near, role=c.role)
            continue
        p = c.chosen
        if p is None or (_pronoun_collision(doc.text[a:b], p.name_ar) and not c.has_class):
            continue
        data = p.data()
        if p.feature in w.area_features:
            doc.add_mention(a, b, "region", **data, geo_precision=3, near=c.near, role=c.role)
        else:
            doc.add_mention(a, b, "place", **data, geo_precision=c.precision, near=c.near, role=c.role)


def analyse(doc: Document) -> list[Cand]:
    """Scan, decide and resolve; the candidates with their decisions (for tools and tests)."""
    scan = _scan(doc)
    _grammar_places(scan)
    _decide(scan.cands)
    _drop_everyday_senses(scan)
    _extend_known_lists(scan)
    _resolve(scan.cands)
    for c in scan.cands:
        if c.accepted:
            c.role = place_role(scan, c)
    return scan.cands


def find_places(doc: Document) -> None:
    """Pipeline component: add ``place`` and ``region`` mentions to ``doc``."""
    _emit(doc, analyse(doc))


_NATIONAL_FEATURES = ("country", "capital")


def _national_place(text: str) -> Place | None:
    """The country or capital an actor's words name (``تركيا``, ``وبيروت``), else None."""
    for v in clitic_variants(fold_phrase(text)):
        found = [p for p in gazetteer().lookup(v.text) if p.feature in _NATIONAL_FEATURES]
        if found:
            return max(found, key=lambda p: (p.feature == "country", p.population, p.id))
    return None


def actor_country_places(doc: Document) -> list[Mention]:
    """Countries and capitals that only an actor mention covers (``قالت تركيا``, ``هاجمت إسرائيل``),
    as place mentions of role ``actor`` for the annotate page: a country name is always shown as
    a place with its country code. Extraction never sees them (no site, not in ``doc.mentions``)."""
    placed = [(m.start, m.end) for m in doc.mentions if m.kind in ("place", "region")]
    out: list[Mention] = []
    seen: set[tuple[int, int]] = set()
    for m in doc.mentions:
        if m.kind != "actor" or (m.start, m.end) in seen or any(a < m.end and m.start < b for a, b in placed):
            continue
        p = _national_place(m.text)
        if p is None:
            continue
        seen.add((m.start, m.end))
        kind, precision = ("region", 3) if p.feature == "country" else ("place", 1)
        data = dict(p.data(), geo_precision=precision, near=None, role="actor")
        out.append(Mention(m.start, m.end, m.text, kind, data))
    return out


def resolve_place_name(name: str, context_text: str = "") -> dict[str, Any] | None:
    """The entry ``name`` most likely means given ``context_text`` (mention data keys), or None.

    No place-likeness test here: the caller says it is a place. Context works as
    in :func:`find_places`: admin cues and regions in the text, then distance to
    the places it names, then priors.
    """
    places = gazetteer().lookup(name)
    if not places:
        return None
    cues = _Cues()
    if context_text.strip():
        cands = analyse(Document(Article(id="context", text=context_text)))
        cues = _cues_of([c for c in cands if c.accepted])
    best = max(places, key=lambda p: _score(p, cues, _Cues()))
    data = best.data()
    data["geo_precision"] = 3 if best.feature in words().area_features else 1
    data["near"] = None
    return data
