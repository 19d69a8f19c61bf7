"""Recognise actors and claim sources in an article.

Who fought whom is half of an event record, and who *says so* decides how much
to trust it. This module reads three data files a domain expert edits:

- ``actors.tsv``: the actor inventory (ACLED-style names, kinds, validity dates,
  Arabic aliases);
- ``claim_sources.tsv``: outlets, monitors, networks, official spokes-bodies and
  generic source phrases ("مصادر محلية"), which are never event actors;
- ``actor_forms.yaml``: the ways news names an actor without its name
  (``الطيران التركي``, ``غارة روسية``), loaded words (``ميليشيا``, ``المرتزقة``),
  metonyms (``دمشق``), era cues for undated articles, and claim-source patterns
  (``مصدر أمني تركي``, ``المتحدث باسم ...``).

:func:`find_actors` adds ``actor`` and ``claim_source`` mentions to a
:class:`~rasid.document.Document`. All candidate readings of the text (plain
aliases, adjective forms, loaded prefixes, source patterns) compete, and the
longest wins, so ``المتحدث باسم إدارة العمليات العسكرية`` is one claim source,
not a source plus an actor.

Some aliases name different actors in different periods (``الجيش السوري`` is
the Assad-era army until 2024-12-07 and the new government's forces from
2024-12-08). :func:`resolve` picks by the article date, else by the era that
:func:`infer_era` reads from cue phrases, else the pre-2024 actor, which most
archive coverage is about.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from rasid.document import Document, Mention
from rasid.knowledge.loader import DataError, data_path, load_yaml, read_tsv
from rasid.knowledge.matcher import PhraseMatcher, phrase_key
from rasid.text.fold import fold_phrase, fold_set
from rasid.text.tokens import Token, clitic_variants

Era = Literal["pre_2024", "post_2024"]

ACTOR_KINDS = frozenset(
    {
        "state_forces",
        "political_militia",
        "rebel_group",
        "identity_militia",
        "external_forces",
        "government",
        "civilians",
        "protesters",
        "unidentified",
    }
)
SOURCE_KINDS = frozenset({"agency", "tv", "newspaper", "monitor", "network", "official", "generic"})

# First day of the post-Assad era: the government fell on 8 December 2024.
FALL_OF_ASSAD = dt.date(2024, 12, 8)

_ACTORS_FILE = "actors.tsv"
_SOURCES_FILE = "claim_sources.tsv"
_FORMS_FILE = "actor_forms.yaml"
_MAX_INTERVENING = 3
_ADJ_GAPS = frozenset({"", "-", "/"})


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Actor:
    """One entry of the actor inventory."""

    id: str
    name: str
    kind: str
    country: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    aliases: tuple[str, ...]

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def days_outside(self, day: dt.date) -> int:
        """How far ``day`` lies outside the validity (0 inside): the nearest actor wins when none fits."""
        if self.valid_from is not None and day < self.valid_from:
            return (self.valid_from - day).days
        if self.valid_to is not None and day > self.valid_to:
            return (day - self.valid_to).days
        return 0

    def in_era(self, era: Era) -> bool:
        if era == "post_2024":
            return self.valid_to is None or self.valid_to >= FALL_OF_ASSAD
        return self.valid_from is None or self.valid_from < FALL_OF_ASSAD


@dataclass(frozen=True)
class ClaimSource:
    """An outlet, monitor, official body or generic source phrase ("مصادر محلية")."""

    id: str
    name: str
    source_kind: str
    aliases: tuple[str, ...]
    actor_ids: tuple[str, ...]  # the actor an official source speaks for (several: by date)


@dataclass(frozen=True)
class Nationality:
    code: str
    actors: tuple[str, ...]
    english: str
    personnel: bool


@dataclass(frozen=True)
class Forms:
    """``actor_forms.yaml``, folded and indexed."""

    military_nouns: frozenset[str]
    personnel_nouns: frozenset[str]
    intervening: frozenset[str]
    nationality_of: dict[str, Nationality]  # folded adjective form -> nationality
    blockers: frozenset[str]
    loaded: PhraseMatcher
    loaded_exempt: frozenset[str]
    loaded_prefixes: PhraseMatcher
    proxy_of: dict[str, str]
    proxy_suffix: frozenset[str]
    proxy_heads: frozenset[str]
    proxy_qualifiers: frozenset[str]
    proxy_links: frozenset[str]
    generic_alone: frozenset[tuple[str, ...]]
    metonyms: frozenset[tuple[str, ...]]
    principal_of: dict[str, str]
    era_cues: PhraseMatcher
    spokesperson: PhraseMatcher
    adjective_heads: PhraseMatcher
    head_number: dict[str, str]  # folded first word of a source phrase -> English head ("sources")
    cue_required: frozenset[tuple[str, ...]]
    source_cues: frozenset[str]
    cue_links: frozenset[str]


def _parse_date(value: str, name: str, line: int, column: str) -> dt.date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise DataError(f"{data_path(name)}:{line}: field '{column}' is not a date: {value!r}") from None


def _split_aliases(value: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in value.split("|") if a.strip())


@lru_cache(maxsize=1)
def _actors() -> dict[str, Actor]:
    out: dict[str, Actor] = {}
    for line, row in read_tsv(_ACTORS_FILE, required=("id", "name", "kind", "ar_aliases")):
        actor = Actor(
            id=row["id"].strip(),
            name=row["name"].strip(),
            kind=row["kind"].strip(),
            country=row.get("country", "").strip(),
            valid_from=_parse_date(row.get("valid_from", ""), _ACTORS_FILE, line, "valid_from"),
            valid_to=_parse_date(row.get("valid_to", ""), _ACTORS_FILE, line, "valid_to"),
            aliases=_split_aliases(row["ar_aliases"]),
        )
        where = f"{data_path(_ACTORS_FILE)}:{line}"
        if actor.kind not in ACTOR_KINDS:
            raise DataError(f"{where}: unknown kind {actor.kind!r}")
        if actor.id in out:
            raise DataError(f"{where}: duplicate id {actor.id}")
        if actor.valid_from and actor.valid_to and actor.valid_from > actor.valid_to:
            raise DataError(f"{where}: valid_from is after valid_to")
        out[actor.id] = actor
    return out


@lru_cache(maxsize=1)
def _sources() -> dict[str, ClaimSource]:
    actors = _actors()
    out: dict[str, ClaimSource] = {}
    for line, row in read_tsv(_SOURCES_FILE, required=("id", "name", "source_kind", "ar_aliases")):
        src = ClaimSource(
            id=row["id"].strip(),
            name=row["name"].strip(),
            source_kind=row["source_kind"].strip(),
            aliases=_split_aliases(row["ar_aliases"]),
            actor_ids=_split_aliases(row.get("actor_id", "")),
        )
        where = f"{data_path(_SOURCES_FILE)}:{line}"
        if src.source_kind not in SOURCE_KINDS:
            raise DataError(f"{where}: unknown source_kind {src.source_kind!r}")
        if src.id in out:
            raise DataError(f"{where}: duplicate id {src.id}")
        missing = [a for a in src.actor_ids if a not in actors]
        if missing:
            raise DataError(f"{where}: unknown actor_id {', '.join(missing)}")
        out[src.id] = src
    return out


def all_actors() -> list[Actor]:
    """Every actor of the inventory, in file order."""
    return list(_actors().values())


def actor_by_id(actor_id: str) -> Actor:
    """The actor with this id; ``KeyError`` names the id if there is none."""
    try:
        return _actors()[actor_id]
    except KeyError:
        raise KeyError(f"unknown actor id {actor_id!r}") from None


def add_actor(doc: Document, start: int, end: int, actor: Actor, /, **data: Any) -> Mention:
    """Record an actor mention of ``actor`` over ``doc.text[start:end]``; ``data`` adds its other keys.

    Later stages that infer an actor (a default army, the civilians of a toll,
    the protesters of a protest) all record the same three keys first, so the
    mention reads the same wherever it came from.
    """
    return doc.add_mention(
        start, end, "actor", actor_id=actor.id, name=actor.name, actor_kind=actor.kind, **data
    )


def all_claim_sources() -> list[ClaimSource]:
    return list(_sources().values())


def claim_source_by_id(source_id: str) -> ClaimSource:
    try:
        return _sources()[source_id]
    except KeyError:
        raise KeyError(f"unknown claim source id {source_id!r}") from None


def _key_set(phrases: Iterable[str]) -> frozenset[tuple[str, ...]]:
    return frozenset(k for k in (phrase_key(p) for p in phrases) if k)


def _matcher(items: Iterable[tuple[str, Any]]) -> PhraseMatcher:
    m = PhraseMatcher()
    m.add_many(items)
    return m


@lru_cache(maxsize=1)
def forms() -> Forms:
    """The compiled ``actor_forms.yaml`` (built once)."""
    data = load_yaml(_FORMS_FILE)
    actors = _actors()
    nationality_of: dict[str, Nationality] = {}
    for code, spec in data["nationalities"].items():
        nat = Nationality(code, tuple(spec.get("actors") or ()), spec["english"], bool(spec.get("personnel")))
        for a in nat.actors:
            if a not in actors:
                raise DataError(f"{data_path(_FORMS_FILE)}: nationality {code}: unknown actor {a}")
        for f in spec["forms"]:
            nationality_of[fold_phrase(f)] = nat
    for group in ("proxy_of", "principal_of"):
        for k, v in data[group].items():
            if k not in actors or v not in actors:
                raise DataError(f"{data_path(_FORMS_FILE)}: {group}: unknown actor in {k}: {v}")
    heads = data["adjective_heads"]
    return Forms(
        military_nouns=fold_set(data["military_nouns"]),
        personnel_nouns=fold_set(data["personnel_nouns"]),
        intervening=fold_set(data["intervening"]),
        nationality_of=nationality_of,
        blockers=fold_set(data["adjective_blockers"]),
        loaded=_matcher((w, w) for w in data["loaded_words"]),
        loaded_exempt=frozenset(data["loaded_exempt_actors"]),
        loaded_prefixes=_matcher((w, w) for w in data["loaded_prefixes"]),
        proxy_of=dict(data["proxy_of"]),
        proxy_suffix=fold_set(data["proxy_suffix_words"]),
        proxy_heads=fold_set(data["proxy_heads"]),
        proxy_qualifiers=fold_set(data["proxy_qualifiers"]),
        proxy_links=fold_set(data["proxy_links"]),
        generic_alone=_key_set(data["generic_alone"]),
        metonyms=_key_set(data["metonyms"]),
        principal_of=dict(data["principal_of"]),
        era_cues=_matcher(
            [(c, "post_2024") for c in data["era_cues"]["post_2024"]]
            + [(c, "pre_2024") for c in data["era_cues"]["pre_2024"]]
        ),
        spokesperson=_matcher(data["spokesperson_phrases"].items()),
        adjective_heads=_matcher(heads.items()),
        head_number={fold_phrase(k): v for k, v in heads.items() if " " not in k},
        cue_required=_key_set(data["cue_required_sources"]),
        source_cues=fold_set(data["source_cues"]),
        cue_links=fold_set(data["source_cue_links"]),
    )


@lru_cache(maxsize=1)
def _alias_matcher() -> PhraseMatcher:
    """Actor and claim-source aliases in one matcher, so the longer of the two wins."""
    m = PhraseMatcher()
    for actor in _actors().values():
        for alias in actor.aliases:
            m.add(alias, ("actor", actor.id))
    for src in _sources().values():
        for alias in src.aliases:
            m.add(alias, ("source", src.id))
    return m


# --------------------------------------------------------------------- resolution


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def resolve(candidates: Sequence[Actor | str], date: dt.date | None = None, era: Era | None = None) -> Actor:
    """The one actor an alias names, among ``candidates`` that share it.

    With a date: the actor valid on it (else the nearest in time: an old name used
    later still names its group). Without one: an actor of ``era`` if given, and
    otherwise the pre-2024 one. Ties go to file order (core actors first).
    """
    actors = [actor_by_id(c) if isinstance(c, str) else c for c in candidates]
    if not actors:
        raise ValueError("resolve() needs at least one candidate")
    if len(actors) == 1:
        return actors[0]
    if date is not None:
        valid = [a for a in actors if a.valid_on(date)]
        return valid[0] if valid else min(actors, key=lambda a: a.days_outside(date))
    if era is not None:
        actors = [a for a in actors if a.in_era(era)] or actors
    pre = [a for a in actors if a.in_era("pre_2024")]
    return (pre or actors)[0]


def _content_tokens(doc: Document) -> list[Token]:
    """Document tokens outside boilerplate."""
    if not doc.boilerplate:
        return doc.tokens
    # A token is never empty, so its original start is its first character's offset
    # (Folded.span), and ``a <= offsets[t.start] < b`` holds exactly for the tokens from
    # the first starting at or after to_folded(a) up to the first at or after to_folded(b):
    # each range drops a run of tokens found by bisection, not by a test per token.
    # A range reaches only up to the next one's start, as in Document.in_boilerplate.
    tokens, starts, ranges = doc.tokens, doc.token_starts, doc.boilerplate
    out: list[Token] = []
    kept = 0  # tokens before this index are settled
    for k, (a, b) in enumerate(ranges):
        if k + 1 < len(ranges):
            b = min(b, ranges[k + 1][0])
        if a >= b:
            continue
        lo = max(kept, bisect_left(starts, doc.to_folded(a)))
        hi = bisect_left(starts, doc.to_folded(b))
        if lo < hi:
            out.extend(tokens[kept:lo])
            kept = hi
    out.extend(tokens[kept:])
    return out


# A date written in an article's first lines ("تحديث بتاريخ 2017/11/26", "الأربعاء 04-03-2015",
# " date 2025-11-06"): year first or last, - / or . between the parts.
_HEAD_DATE = re.compile(
    r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)|(?<!\d)(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?!\d)"
)
_HEAD_CHARS = 300


def _date_of(m: re.Match[str]) -> dt.date | None:
    """The day a _HEAD_DATE match writes, if it is a real day of 2000-2039."""
    if m.group(1):
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        d, mo, y = int(m.group(4)), int(m.group(5)), int(m.group(6))
    if not 2000 <= y < 2040:
        return None
    try:
        return dt.date(y, mo, d)
    except ValueError:
        return None


def article_day(doc: Document) -> dt.date | None:
    """The article's date: its published date, else a date written in its first lines."""
    day = _as_date(doc.published)
    if day is not None:
        return day
    for m in _HEAD_DATE.finditer(doc.text[:_HEAD_CHARS]):
        found = _date_of(m)
        if found is not None:
            return found
    return None


def infer_era(doc: Document) -> Era | None:
    """Pre- or post-December-2024, from the article date, else from cue phrases.

    Cues are phrases only one era uses ("النظام البائد", "الرئيس المخلوع" after the
    fall; "قوات النظام", "ميليشيا أسد" before). The era with more cues wins; a tie is
    unknown.
    """
    day = article_day(doc)
    if day is not None:
        return "post_2024" if day >= FALL_OF_ASSAD else "pre_2024"
    # Actors, short forms and event building each ask: the cue count is kept on the document for
    # as long as its boilerplate ranges (what the count reads besides the text) stay the same.
    memo = doc.memo.get("era_cues")
    if memo is not None and memo[0] == doc.boilerplate:
        return memo[1]
    counts = {"pre_2024": 0, "post_2024": 0}
    for m in forms().era_cues.find(_content_tokens(doc)):
        counts[m.payloads[0]] += 1
    era: Era | None = None
    if counts["post_2024"] > counts["pre_2024"]:
        era = "post_2024"
    elif counts["pre_2024"] > counts["post_2024"]:
        era = "pre_2024"
    doc.memo["era_cues"] = (list(doc.boilerplate), era)
    return era


# ---------------------------------------------------------------------- candidates


@dataclass(slots=True)
class _Part:
    """One more actor inside a candidate ("الروسي" in "القصف السوري - الروسي")."""

    start: int
    end: int
    actors: tuple[str, ...]


@dataclass(slots=True)
class _Cand:
    """A reading of tokens[first:last]; the longest readings win."""

    first: int
    last: int
    start: int  # folded offsets
    end: int
    kind: str  # "actor" | "claim_source"
    actors: tuple[str, ...] = ()
    source: ClaimSource | None = None
    source_name: str | None = None
    source_kind: str | None = None
    source_actors: tuple[str, ...] = ()
    loaded: tuple[int, int] | None = None  # folded span of the loaded word, if known
    adjective: bool = False
    key: tuple[str, ...] = ()
    rank: int = 0  # among equal spans, higher wins
    parts: list[_Part] = field(default_factory=list)

    # Written out, not generated: see rasid.document.Mention.__init__.
    def __init__(
        self,
        first: int,
        last: int,
        start: int,
        end: int,
        kind: str,
        actors: tuple[str, ...] = (),
        source: ClaimSource | None = None,
        source_name: str | None = None,
        source_kind: str | None = None,
        source_actors: tuple[str, ...] = (),
        loaded: tuple[int, int] | None = None,
        adjective: bool = False,
        key: tuple[str, ...] = (),
        rank: int = 0,
        parts: list[_Part] | None = None,
    ) -> None:
        self.first = first
        self.last = last
        self.start = start
        self.end = end
        self.kind = kind
        self.actors = actors
        self.source = source
        self.source_name = source_name
        self.source_kind = source_kind
        self.source_actors = source_actors
        self.loaded = loaded
        self.adjective = adjective
        self.key = key
        self.rank = rank
        self.parts = [] if parts is None else parts


def _variant_in(token: str, words: frozenset[str]) -> tuple[str, int] | None:
    """The clitic-free reading of ``token`` found in ``words`` and its clitic length."""
    for v in clitic_variants(token):
        if v.text in words:
            return v.text, v.skip
    return None


def _alias_candidates(tokens: list[Token]) -> list[_Cand]:
    matcher = _alias_matcher()
    sources = _sources()
    out: list[_Cand] = []
    for i in matcher.start_positions(tokens):
        m = matcher.match_at(tokens, i)
        if m is None:
            continue
        src_ids = [p[1] for p in m.payloads if p[0] == "source"]
        if src_ids:
            src = sources[src_ids[0]]
            out.append(_Cand(m.first, m.last, m.start, m.end, "claim_source", source=src, key=m.key, rank=2))
        else:
            ids = tuple(p[1] for p in m.payloads)
            out.append(_Cand(m.first, m.last, m.start, m.end, "actor", actors=ids, key=m.key, rank=2))
    return out


def _nationality_at(tok: Token, f: Forms, allow_and: bool) -> tuple[Nationality, int] | None:
    nat = f.nationality_of.get(tok.text)
    if nat is not None:
        return nat, 0
    if allow_and and tok.text.startswith("و") and tok.text[1:] in f.nationality_of:
        return f.nationality_of[tok.text[1:]], 1
    return None


# token text -> _variant_in(text, military and personnel nouns), for _adjective_candidates
_NOUN_READING: dict[str, tuple[str, int] | None] = {}


def _adjective_candidates(tokens: list[Token], folded: str) -> list[_Cand]:
    """Military noun (+ up to three qualifiers) + nationality adjective(s): "غارة جوية روسية"."""
    f = forms()
    nouns = f.military_nouns | f.personnel_nouns
    out: list[_Cand] = []
    n = len(tokens)
    known = _NOUN_READING.get
    # tokens known to be no military noun (most) are skipped with one dictionary lookup each
    for i, tok in enumerate(tokens):
        if not known(tok.text, True):
            continue
        if tok.text in _NOUN_READING:
            hit = _NOUN_READING[tok.text]
        else:
            hit = _variant_in(tok.text, nouns)
            if len(_NOUN_READING) >= 20_000:
                _NOUN_READING.clear()
            _NOUN_READING[tok.text] = hit
        if hit is None:
            continue
        personnel_only = hit[0] in f.personnel_nouns and hit[0] not in f.military_nouns
        j = i + 1
        while (
            j < n
            and j - i - 1 < _MAX_INTERVENING
            and tokens[j].joined
            and tokens[j].text not in f.nationality_of
            and _variant_in(tokens[j].text, f.intervening)
        ):
            j += 1
        adjs: list[tuple[int, Nationality, int]] = []
        while j < n:
            if adjs:
                gap = folded[tokens[j - 1].end : tokens[j].start].strip()
                if gap not in _ADJ_GAPS:
                    break
            elif not tokens[j].joined:
                break
            found = _nationality_at(tokens[j], f, allow_and=bool(adjs))
            if found is None:
                break
            adjs.append((j, *found))
            j += 1
        if not adjs or (j < n and tokens[j].joined and tokens[j].text in f.blockers):
            continue
        usable = [
            (k, nat, skip) for k, nat, skip in adjs if nat.actors and (nat.personnel or not personnel_only)
        ]
        if not usable or usable[0][0] != adjs[0][0]:
            continue
        k0, nat0, _ = usable[0]
        cand = _Cand(
            i, j, tok.start + hit[1], tokens[k0].end, "actor", actors=nat0.actors, adjective=True, rank=1
        )
        for k, nat, skip in usable[1:]:
            cand.parts.append(_Part(tokens[k].start + skip, tokens[k].end, nat.actors))
        out.append(cand)
    return out


def _proxy_candidates(tokens: list[Token], alias_cands: list[_Cand]) -> list[_Cand]:
    """``فصائل موالية لتركيا``, ``الميليشيات المدعومة من إيران``: the state's proxies (``proxy_of``)."""
    f = forms()
    out: list[_Cand] = []
    for c in alias_cands:
        proxies = tuple(dict.fromkeys(f.proxy_of[a] for a in c.actors if a in f.proxy_of))
        if c.kind != "actor" or not proxies:
            continue
        head = _proxy_head(tokens, c.first, f)
        if head is not None:
            i, skip = head
            out.append(_Cand(i, c.last, tokens[i].start + skip, c.end, "actor", actors=proxies, rank=2))
    return out


def _proxy_head(tokens: list[Token], first: int, f: Forms) -> tuple[int, int] | None:
    """The group noun (token index, clitic length) of "noun [qualifier] backing-word [من]" before ``first``."""
    j = first - 1
    if j >= 0 and tokens[j].text in ("من", "ل", "لـ"):
        j -= 1
    if j < 1 or tokens[j].text not in f.proxy_links:
        return None
    j -= 1
    if j >= 1 and tokens[j].text in f.proxy_qualifiers:
        j -= 1
    hit = _variant_in(tokens[j].text, f.proxy_heads) if j >= 0 else None
    return None if hit is None else (j, hit[1])


def _loaded_prefix_candidates(tokens: list[Token]) -> list[_Cand]:
    """ "ميليشيات الحشد الشعبي", "مرتزقة أردوغان": a loaded word glued to an actor name."""
    f = forms()
    aliases = _alias_matcher()
    out: list[_Cand] = []
    for i in f.loaded_prefixes.start_positions(tokens):
        p = f.loaded_prefixes.match_at(tokens, i)
        if p is None or p.last >= len(tokens) or not tokens[p.last].joined:
            continue
        m = aliases.match_at(tokens, p.last)
        if m is None or any(x[0] != "actor" for x in m.payloads):
            continue
        ids = tuple(dict.fromkeys(f.proxy_of.get(x[1], x[1]) for x in m.payloads))
        out.append(_Cand(i, m.last, p.start, m.end, "actor", actors=ids, loaded=(p.start, p.end), rank=1))
    return out


def _source_name(src_name: str, key: tuple[str, ...], f: Forms) -> str:
    """ "security source" read from "مصدران أمنيان" is plural: "security sources"."""
    head = f.head_number.get(key[0]) if key else None
    if head and head.endswith("s") and not src_name.endswith("s"):
        return src_name + "s"
    return src_name


def _source_candidates(tokens: list[Token], alias_cands: list[_Cand]) -> list[_Cand]:
    """Source patterns: nationality after a generic source, "مسؤول أميركي", "المتحدث باسم X"."""
    f = forms()
    aliases = _alias_matcher()
    sources = _sources()
    n = len(tokens)
    out: list[_Cand] = []
    # Alias candidates get their display name here (plural heads: "مصادر أمنية" -> "security sources"),
    # and a generic one followed by a nationality also yields the longer reading.
    for c in alias_cands:
        if c.kind != "claim_source" or c.source is None:
            continue
        name = _source_name(c.source.name, c.key, f)
        if c.source.source_kind == "generic" and c.last < n and tokens[c.last].joined:
            nat = f.nationality_of.get(tokens[c.last].text)
            if nat is not None:
                out.append(
                    _Cand(
                        c.first, c.last + 1, c.start, tokens[c.last].end, "claim_source",
                        source=c.source, source_name=f"{nat.english} {name}", rank=3,
                    )
                )  # fmt: skip
                continue
        c.source_name = name
    # only where a head or a spokesperson phrase may begin, in token order
    starts = sorted({*f.adjective_heads.start_positions(tokens), *f.spokesperson.start_positions(tokens)})
    for i in starts:
        h = f.adjective_heads.match_at(tokens, i)
        if h is not None and h.last < n and tokens[h.last].joined:
            nat = f.nationality_of.get(tokens[h.last].text)
            if nat is not None:
                english = h.payloads[0]
                out.append(
                    _Cand(
                        i, h.last + 1, h.start, tokens[h.last].end, "claim_source",
                        source_name=f"{nat.english} {english}", source_kind="generic",
                        key=("GENERIC_" + english.upper().replace(" ", "_"),), rank=1,
                    )
                )  # fmt: skip
        s = f.spokesperson.match_at(tokens, i)
        if s is None or s.last >= n or not tokens[s.last].joined:
            continue
        m = aliases.match_at(tokens, s.last)
        if m is None:
            continue
        english = s.payloads[0]
        kind, ref = m.payloads[0]
        if kind == "source":
            src = sources[ref]
            cand = _Cand(i, m.last, s.start, m.end, "claim_source", source=src, rank=1)
            cand.source_name = f"{english} {src.name}"
            out.append(cand)
        elif m.key not in f.metonyms:
            ids = tuple(p[1] for p in m.payloads if p[0] == "actor")
            cand = _Cand(i, m.last, s.start, m.end, "claim_source", source_actors=ids, rank=1)
            cand.source_name = english  # completed with the resolved actor's name
            cand.source_kind = "official"
            cand.key = ("AFFILIATED_" + english.split()[0].upper(),)
            out.append(cand)
    return out


def _has_source_cue(tokens: list[Token], i: int, f: Forms) -> bool:
    """A reporting word right before a common-word source name ("قالت «المدن»", "نقلا عن الجزيرة")."""
    j = i - 1
    if j < 0:
        return False
    if _variant_in(tokens[j].text, f.source_cues):
        return True
    return (
        tokens[j].text in f.cue_links and j > 0 and _variant_in(tokens[j - 1].text, f.source_cues) is not None
    )


def _keep(c: _Cand, tokens: list[Token], doc: Document, f: Forms) -> bool:
    if doc.boilerplate and doc.in_boilerplate(doc.folded.span(c.start, c.end)[0]):
        return False
    if c.kind == "actor" and c.key and c.key in f.generic_alone:
        return False
    if c.kind == "claim_source" and c.key in f.cue_required and c.last - c.first == len(c.key):
        return _has_source_cue(tokens, c.first, f)
    return True


def _select(cands: list[_Cand]) -> list[_Cand]:
    """Non-overlapping candidates, longest (in tokens, then characters) first."""
    taken: set[int] = set()
    chosen: list[_Cand] = []
    for c in sorted(cands, key=lambda c: (-(c.last - c.first), -(c.end - c.start), -c.rank, c.first)):
        span = range(c.first, c.last)
        if any(t in taken for t in span):
            continue
        taken.update(span)
        chosen.append(c)
    return sorted(chosen, key=lambda c: c.start)


# ------------------------------------------------------------------------ emission


def _loaded_word(doc: Document, tokens: list[Token], c: _Cand, actor: Actor, f: Forms) -> str | None:
    """The loaded word of an actor mention, as written ("ميلشيا" in "ميلشيا قسد")."""
    if actor.id in f.loaded_exempt:
        return None
    span = c.loaded
    if span is None:
        hits = f.loaded.find(tokens[c.first : c.last])
        if not hits:
            return None
        span = (hits[0].start, hits[0].end)
    a, b = doc.folded.span(*span)
    return doc.text[a:b]


def _emit_actor(
    doc: Document,
    start: int,
    end: int,
    ids: tuple[str, ...],
    ctx: tuple[dt.date | None, Era | None],
    *,
    loaded: str | None = None,
    adjective: bool = False,
    metonym: bool = False,
) -> Actor:
    f = forms()
    actor = resolve(ids, *ctx)
    principal = actor_by_id(f.principal_of[actor.id]) if actor.id in f.principal_of else actor
    a, b = doc.folded.span(start, end)
    add_actor(
        doc,
        a,
        b,
        principal,
        loaded=loaded,
        adjective=adjective,
        metonym=metonym,
        assoc_actor_id=actor.id if principal is not actor else None,
    )
    return actor


def _emit_source(doc: Document, c: _Cand, ctx: tuple[dt.date | None, Era | None]) -> None:
    src = c.source
    actor_ids = c.source_actors or (src.actor_ids if src else ())
    actor = resolve(actor_ids, *ctx) if actor_ids else None
    name = c.source_name or (src.name if src else "")
    if src is None and actor is not None:
        name = f"{name} {actor.name}"  # "spokesperson of" + the actor
    a, b = doc.folded.span(c.start, c.end)
    doc.add_mention(
        a,
        b,
        "claim_source",
        source_id=src.id if src else c.key[0],
        name=name,
        source_kind=src.source_kind if src else (c.source_kind or "generic"),
        actor_id=actor.id if actor else None,
    )


def _emit_proxy_suffix(
    doc: Document, tokens: list[Token], c: _Cand, actor: Actor, ctx: tuple[dt.date | None, Era | None]
) -> None:
    """ "قوات الاحتلال التركي ومرتزقته": the word after the actor names its proxies."""
    f = forms()
    if c.last >= len(tokens) or not tokens[c.last].joined:
        return
    nxt = tokens[c.last]
    hit = _variant_in(nxt.text, f.proxy_suffix)
    if hit is None:
        return
    start = nxt.start + hit[1]
    a, b = doc.folded.span(start, nxt.end)
    proxy = f.proxy_of.get(actor.id, actor.id)
    _emit_actor(doc, start, nxt.end, (proxy,), ctx, loaded=doc.text[a:b])


def find_actors(doc: Document) -> None:
    """Add ``actor`` and ``claim_source`` mentions to ``doc`` (pipeline component).

    ``actor`` data: actor_id, name, actor_kind, loaded (the loaded word or None),
    adjective (named by a nationality adjective), metonym (a city/country name that
    may be the place), assoc_actor_id (the specific group when ACLED codes it under a
    broader actor, e.g. journalists under civilians). ``claim_source`` data:
    source_id, name, source_kind, actor_id (the actor an official source speaks for).
    """
    tokens = doc.tokens
    if not tokens:
        return
    f = forms()
    ctx = (article_day(doc), infer_era(doc))
    alias_cands = _alias_candidates(tokens)
    adjective_cands = _adjective_candidates(tokens, doc.folded.text)
    cands = (
        alias_cands
        + adjective_cands
        + _loaded_prefix_candidates(tokens)
        + _source_candidates(tokens, alias_cands)
        + _proxy_candidates(tokens, alias_cands)
    )
    adjective_spans = {(c.first, c.last, c.actors) for c in adjective_cands if not c.parts}
    for c in _select([c for c in cands if _keep(c, tokens, doc, f)]):
        if c.kind == "claim_source":
            _emit_source(doc, c, ctx)
            continue
        actor = resolve(c.actors, *ctx)
        adjective = c.adjective or (c.first, c.last, c.actors) in adjective_spans
        _emit_actor(
            doc,
            c.start,
            c.end,
            c.actors,
            ctx,
            loaded=_loaded_word(doc, tokens, c, actor, f),
            adjective=adjective,
            metonym=bool(c.key) and c.key in f.metonyms,
        )
        for part in c.parts:
            _emit_actor(doc, part.start, part.end, part.actors, ctx, adjective=True)
        _emit_proxy_suffix(doc, tokens, c, actor, ctx)


def loaded_word_spans(doc: Document) -> list[tuple[int, int, str]]:
    """Every loaded word of the article (original offsets, surface text), named actor or not.

    Bare "الإرهابيين" or "المرتزقة" names nobody, so it is not an actor mention;
    later stages use these spans to describe how a source frames the parties.
    """
    out: list[tuple[int, int, str]] = []
    for m in forms().loaded.find(doc.tokens):
        a, b = m.original_span(doc.folded)
        if not doc.in_boilerplate(a):
            out.append((a, b, doc.text[a:b]))
    return out
