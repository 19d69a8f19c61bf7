"""Event trigger words and the cue words that cancel or contest them.

A trigger is the word that says *what happened* (قصفت، غارة، اشتباكات،
اعتقال): it carries an ACLED event type and sub-event type. Many triggers are
general (قصف، استهدف، هجوم، دمر) and the words around them decide the
sub-type (قصف جوي vs قصف مدفعي, a raid with or without an exchange of fire);
those context rules live in ``data/triggers.yaml`` so that a domain expert can
edit them, and this module is only the mechanism:

1. the lexicon lists verbs by two stems; :func:`verb_forms` conjugates them
   (Arabic glues person, number and object pronouns to the verb, and the
   matcher only strips *leading* clitics), and :func:`noun_forms` adds the
   accusative, dual and possessive forms of nouns;
2. in each sentence, triggers, modifier words and cue words are matched on
   the folded text; a trigger's sub-type is decided by the best modifier in
   its clause (priority, then distance, then rule order);
3. cue words (negation, denial, hypothetical, background) are reported as
   their own mentions so the events stage can cancel or contest an event.

Every reported span is an offset pair into the original text.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, repeat
from operator import attrgetter, gt
from typing import Any

from rasid.document import Article, Document
from rasid.knowledge.loader import DataError, load_yaml
from rasid.knowledge.matcher import Match, MatcherSet, PhraseMatcher
from rasid.pipeline import check_budget
from rasid.text.fold import fold_phrase, fold_set
from rasid.text.tokens import Token, clitic_variants

CUE_KINDS = ("negation", "denial", "hypothetical", "background")
_BLOCK = "BLOCK"
_TANWEEN = "\u064b\u064c\u064d"
_NOUN_PREFIX = set("بلك")
_SENTENCE_END = re.compile(r"[\n.!?]")


# --------------------------------------------------------------------------- data model


@dataclass(frozen=True)
class ModRule:
    """One context rule of a trigger: words of ``group`` near it set the sub-type."""

    group: str
    event_type: str | None
    sub_event_type: str | None  # None cancels the trigger
    priority: int = 0
    absorb: bool = False
    scope: str = "clause"  # clause | sentence
    window: int | None = None


@dataclass(frozen=True)
class Entry:
    """One lexicon entry of triggers.yaml, as the matcher's payloads point to it."""

    lemma: str
    pos: str
    event_type: str
    default: str | None
    modifiers: tuple[ModRule, ...] = ()
    flags: tuple[str, ...] = ()
    present_state: bool = False
    named_check: bool = False
    data: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class Form:
    """A matcher payload: which entry, and what the surface form tells (tense, future)."""

    entry: int
    pos: str
    present: bool = False
    future: bool = False
    # a verb whose tail may come after its subject ("قطع سكان القرية الطريق"): the folded tails
    # and how many tokens may stand between the verb and its tail
    tails: tuple[tuple[str, ...], ...] = ()
    tail_gap: int = 0


@dataclass(frozen=True)
class Cue:
    kind: str
    lemma: str
    skip: int = 0  # folded characters of a glued و/ف before the cue
    after: bool = False  # also cancels a trigger BEFORE it in its clause (cues.yaml background_after)


@dataclass(frozen=True)
class FlagGroup:
    group: str
    window: int
    cancels: tuple[str, ...] = ()


@dataclass(frozen=True)
class Conjugation:
    past_suffixes: tuple[str, ...]
    present_prefixes: tuple[str, ...]
    present_suffixes: tuple[str, ...]
    objects: tuple[str, ...]
    future: str


@dataclass
class Lexicon:
    """Everything find_triggers needs, compiled once (see :func:`trigger_lexicon`)."""

    triggers: PhraseMatcher
    groups: dict[str, PhraseMatcher]
    cues: PhraseMatcher
    entries: list[Entry]
    flag_groups: dict[str, FlagGroup]
    window: int
    clause_marks: str
    agreement_names: frozenset[tuple[str, ...]]
    needs_present_next: frozenset[str]
    neutral_hides: frozenset[str] = field(default_factory=frozenset)
    group_set: MatcherSet = field(init=False)

    def __post_init__(self) -> None:
        self.group_set = MatcherSet(list(self.groups.values()))


# --------------------------------------------------------------------------- morphology


def _conjugation(data: dict[str, Any]) -> Conjugation:
    c = data["conjugation"]
    return Conjugation(
        past_suffixes=tuple(c["past_suffixes"]),
        present_prefixes=tuple(fold_phrase(p) for p in c["present_prefixes"]),
        present_suffixes=tuple(c["present_suffixes"]),
        objects=tuple(c["object_suffixes"]),
        future=fold_phrase(c["future_prefix"]),
    )


def _past_forms(p: str, hollow: bool, conj: Conjugation) -> set[str]:
    """Past forms of folded stem ``p``: person/number suffixes and object pronouns."""
    out: set[str] = set()
    if len(p) >= 3 and p[-1] in "يا":
        # defective (تصدى، أخلى، دعا): تصدت، تصدوا، أخلاها، نفوه
        base = p[:-1]
        out |= {p, base + "ت", base + "تا", base + "وا", p + "نا", p + "ا", p + "تم"}
        for o in conj.objects:
            out |= {base + "ا" + o, base + "ت" + o, base + "و" + o, p + o}
        return out
    short = p[:-2] + p[-1] if hollow else p  # استعاد -> استعدنا
    for s in conj.past_suffixes:
        out.add((short if hollow and s in ("نا", "تم", "ن") else p) + s)
    for o in conj.objects:
        out |= {p + o, p + "ت" + o, p + "و" + o, p + "ا" + o, p + "تا" + o, short + "نا" + o}
    return out


def _present_forms(stem: str, conj: Conjugation) -> set[str]:
    """Present forms without prefix: ``stem`` is the present minus its ي."""
    out: set[str] = set()
    weak = stem[-1] in "يوا"
    for s in conj.present_suffixes:
        if weak and s in ("ون", "ين"):
            out.add(stem[:-1] + s)
        else:
            out.add(stem + s)
    for o in conj.objects:
        out |= {stem + o, stem + "ون" + o, stem + "ان" + o}
        if weak:
            out |= {stem[:-1] + "ا" + o, stem[:-1] + "ون" + o}
    return out


def verb_forms(past: str, present: str | None, conj: Conjugation) -> list[tuple[str, bool, bool]]:
    """Every folded conjugation of a verb as ``(form, is_present, is_future)``.

    Diacritics are folded away, so the passive (قُصف، يُقصف) is the same string
    as the active and needs no forms of its own.
    """
    p = fold_phrase(past)
    pr = fold_phrase(present) if present else None
    hollow = len(p) >= 3 and p[-2] == "ا" and pr is not None and len(pr) >= 3 and pr[-2] in "ايو"
    out: list[tuple[str, bool, bool]] = [(f, False, False) for f in sorted(_past_forms(p, hollow, conj))]
    if pr:
        if not pr.startswith("ي"):
            raise DataError(f"triggers: present stem '{present}' must start with ي")
        bodies = _present_forms(pr[1:], conj)
        for pre in conj.present_prefixes:
            for b in sorted(bodies):
                out.append((pre + b, True, False))
                out.append((conj.future + pre + b, True, True))
    return out


def noun_forms(raw: str, conj: Conjugation) -> list[str]:
    """Folded forms of a noun phrase: as given, definite, accusative, dual, possessive.

    ``raw`` is the unfolded entry, because a final ة (which folds to ه) decides
    how suffixes attach: غارة -> غارتها، غارتين.
    """
    f = fold_phrase(raw)
    words = f.split()
    out = [f]
    if len(words) == 1:
        if raw.strip().endswith("ة"):
            base = f[:-1] + "ت"
            out += [base + o for o in conj.objects] + [base + "ين", base + "ان"]
        elif f.endswith("ات"):
            out += [f + o for o in conj.objects]
        elif f[-1] not in "اي":
            out += [f + o for o in conj.objects] + [f + "ا", f + "ين", f + "ان"]
    elif not any(w.startswith("ال") for w in words) and not (set(words) & _PARTICLES):
        out.append(" ".join("ال" + w for w in words))
    return out


_PARTICLES = {fold_phrase(w) for w in ("على", "حتى", "إلى", "من", "في", "عن", "مع", "بين", "دون", "ب")}


# --------------------------------------------------------------------------- loading


def _rule(raw: dict[str, Any], where: str) -> ModRule:
    if "group" not in raw or "sub_event_type" not in raw:
        raise DataError(f"triggers.yaml: {where}: a modifier needs 'group' and 'sub_event_type'")
    return ModRule(
        group=raw["group"],
        event_type=raw.get("event_type"),
        sub_event_type=raw["sub_event_type"],
        priority=int(raw.get("priority", 0)),
        absorb=bool(raw.get("absorb", False)),
        scope=raw.get("scope", "clause"),
        window=raw.get("window"),
    )


def _entry(raw: dict[str, Any], groups: dict[str, Any], flag_groups: dict[str, Any]) -> Entry:
    where = f"entry '{raw.get('lemma')}'"
    for key in ("lemma", "pos", "event_type", "default"):
        if key not in raw:
            raise DataError(f"triggers.yaml: {where}: missing '{key}'")
    rules = tuple(_rule(r, where) for r in raw.get("modifiers") or ())
    for r in rules:
        if r.group not in groups:
            raise DataError(f"triggers.yaml: {where}: unknown group '{r.group}'")
    for fl in raw.get("flags") or ():
        if fl not in flag_groups:
            raise DataError(f"triggers.yaml: {where}: unknown flag group '{fl}'")
    return Entry(
        lemma=raw["lemma"],
        pos=raw["pos"],
        event_type=raw["event_type"],
        default=raw["default"],
        modifiers=rules,
        flags=tuple(raw.get("flags") or ()),
        present_state=bool(raw.get("present_state", False)),
        named_check=bool(raw.get("named_check", False)),
        data=tuple(sorted((raw.get("data") or {}).items())),
    )


def _entry_phrases(raw: dict[str, Any], index: int, conj: Conjugation) -> Iterable[tuple[str, Form]]:
    """(folded phrase, payload) pairs for one entry."""
    exclude = {fold_phrase(x) for x in raw.get("exclude") or ()}
    if raw["pos"] == "verb":
        if raw.get("intransitive"):
            conj = _without_objects(conj)
        tails = [fold_phrase(t) for t in raw.get("tail") or ()]
        gap = int(raw.get("tail_gap") or 0)
        for form, present, future in verb_forms(raw["past"], raw.get("present"), conj):
            if form in exclude:
                continue
            payload = Form(index, "verb", present, future)
            if tails:
                for t in tails:
                    yield f"{form} {t}", payload
                if gap:
                    # the verb alone, kept only when a tail follows within ``gap`` tokens
                    yield (
                        form,
                        Form(index, "verb", present, future, tuple(tuple(t.split()) for t in tails), gap),
                    )
            else:
                yield form, payload
    else:
        for raw_form in raw.get("forms") or ():
            for form in noun_forms(raw_form, conj):
                if form not in exclude:
                    yield form, Form(index, "noun")


def _without_objects(conj: Conjugation) -> Conjugation:
    """The conjugation of a verb that takes no object (سيطر على): سيطره is the noun سيطرة, not "controlled it"."""
    return Conjugation(
        past_suffixes=conj.past_suffixes,
        present_prefixes=conj.present_prefixes,
        present_suffixes=conj.present_suffixes,
        objects=(),
        future=conj.future,
    )


def _group_matchers(groups: dict[str, list[str]], literal: Iterable[str]) -> dict[str, PhraseMatcher]:
    """One matcher per group, so that overlapping words of two groups are both seen."""
    out: dict[str, PhraseMatcher] = {}
    for name, words in groups.items():
        m = PhraseMatcher(allow_article_drop=name not in literal)
        for w in words:
            m.add(w, name)
        out[name] = m
    return out


def _cue_matcher(data: dict[str, Any], conj: Conjugation) -> PhraseMatcher:
    m = PhraseMatcher(allow_article_drop=True)
    for kind in CUE_KINDS:
        # phrases first: a folded form shared with a verb form (كذبة / كذبه) keeps the phrase's lemma
        for item in sorted(data.get(kind) or (), key=lambda x: isinstance(x, dict)):
            if isinstance(item, dict):
                exclude = {fold_phrase(x) for x in item.get("exclude") or ()}
                for form, _present, _future in verb_forms(item["past"], item.get("present"), conj):
                    if form not in exclude:
                        m.add(form, Cue(kind, item["past"]))
            else:
                _add_short(m, item, Cue(kind, item))
    # habits and periods ("يقصف النظام المدينة بانتظام", "منذ مطلع العام"): background on either side
    for item in data.get("background_after") or ():
        _add_short(m, item, Cue("background", item, after=True))
    for item in data.get("blocks") or ():
        _add_short(m, item, _BLOCK)
    return m


def _add_short(m: PhraseMatcher, phrase: str, payload: Cue | str) -> None:
    """Add a phrase; a first word of one or two letters (لم، لا، قد) also with a glued و/ف.

    The matcher does not strip و/ف off words that short, so ``ولم`` is added
    explicitly and the cue then starts one character later.
    """
    m.add(phrase, payload)
    first = fold_phrase(phrase).split()[0]
    if len(first) <= 2:
        for conj in ("و", "ف"):
            glued = conj + fold_phrase(phrase)
            m.add(
                glued,
                Cue(payload.kind, payload.lemma, 1, payload.after) if isinstance(payload, Cue) else _BLOCK,
            )


@lru_cache(maxsize=1)
def trigger_lexicon() -> Lexicon:
    """The compiled trigger, modifier and cue lexicons (built once per process)."""
    data = load_yaml("triggers.yaml")
    cues = load_yaml("cues.yaml")
    conj = _conjugation(data)
    groups = data["groups"]
    flag_groups = {
        name: FlagGroup(g["group"], int(g.get("window", data["window"])), tuple(g.get("cancels") or ()))
        for name, g in (data.get("flag_groups") or {}).items()
    }
    entries: list[Entry] = []
    trig = PhraseMatcher(allow_article_drop=True)
    for i, raw in enumerate(data["triggers"]):
        entries.append(_entry(raw, groups, flag_groups))
        for phrase, payload in _entry_phrases(raw, i, conj):
            trig.add(phrase, payload)
    for phrase in data.get("blocks") or ():
        trig.add(phrase, _BLOCK)
    return Lexicon(
        triggers=trig,
        groups=_group_matchers(
            {**groups, "neutral": [*groups.get("neutral", []), *(data.get("blocks") or [])]},
            data.get("literal_groups") or (),
        ),
        cues=_cue_matcher(cues, conj),
        entries=entries,
        flag_groups=flag_groups,
        window=int(data["window"]),
        clause_marks=data.get("clause_marks", ",;"),
        agreement_names=frozenset(tuple(fold_phrase(n).split()) for n in data.get("agreement_names") or ()),
        needs_present_next=fold_set(cues.get("needs_present_next") or ()),
        neutral_hides=frozenset(data.get("neutral_hides") or ()),
    )


# --------------------------------------------------------------------------- sentence context


@dataclass
class Hit:
    """A modifier-group match inside a sentence (token indices relative to the sentence)."""

    group: str
    first: int
    last: int
    start: int  # folded offsets
    end: int

    # Written out, not generated: see rasid.document.Mention.__init__.
    def __init__(self, group: str, first: int, last: int, start: int, end: int) -> None:
        self.group = group
        self.first = first
        self.last = last
        self.start = start
        self.end = end


@dataclass
class Context:
    """One sentence's tokens, their clause numbers and the modifier hits in it."""

    tokens: list[Token]
    clause: list[int]
    hits: list[Hit]
    matches: list[Match] = field(default_factory=list)  # every trigger match of the sentence


def _sentence_ranges(doc: Document) -> list[tuple[int, int]]:
    """Folded ranges of the sentences: the segmenter's, else split at newlines and . ! ?"""
    f = doc.folded
    if doc.sentences:
        return [(doc.to_folded(s.start), doc.to_folded(s.end)) for s in doc.sentences]
    out: list[tuple[int, int]] = []
    pos = 0
    for m in _SENTENCE_END.finditer(f.text):
        if m.end() > pos:
            out.append((pos, m.end()))
        pos = m.end()
    if pos < len(f.text):
        out.append((pos, len(f.text)))
    return out


def _clauses(text: str, tokens: list[Token], marks: str) -> list[int]:
    """Clause number of each token: one more after every gap that holds a clause mark."""
    mark = _mark_re(marks)
    out: list[int] = []
    n = 0
    prev_end = -1
    for t in tokens:
        if prev_end >= 0 and mark.search(text, prev_end, t.start):
            n += 1
        out.append(n)
        prev_end = t.end
    return out


class _MarkCounts:
    """Per document, how many clause marks come before each token's start and before its end, so
    that :func:`_sentence_clauses` is :func:`_clauses` of a sentence without a regex search per gap
    (a mark is one character: a gap holds one when more marks come before the next token's start
    than before the previous token's end)."""

    __slots__ = ("before_start", "before_end")

    def __init__(self, text: str, tokens: list[Token], marks: str) -> None:
        at = [m.start() for m in _mark_re(marks).finditer(text)]
        self.before_start = list(map(bisect_left, repeat(at), map(_START, tokens)))
        self.before_end = list(map(bisect_left, repeat(at), map(_END, tokens)))


_START = attrgetter("start")
_END = attrgetter("end")


def _sentence_clauses(counts: _MarkCounts, lo: int, hi: int) -> list[int]:
    """``_clauses(text, tokens[lo:hi], marks)`` from the document's mark counts (running sums)."""
    gaps = map(gt, counts.before_start[lo + 1 : hi], counts.before_end[lo : hi - 1])
    return list(accumulate(gaps, initial=0))


@lru_cache(maxsize=8)
def _mark_re(marks: str) -> re.Pattern[str]:
    return re.compile(f"[{re.escape(marks)}]" if marks else "(?!)")


def _group_hits(lex: Lexicon, tokens: list[Token], lo: int, hi: int) -> list[Hit]:
    """Every group's matches in ``tokens[lo:hi]`` (a sentence; token indexes relative to ``lo``);
    an air word inside a neutral phrase (قاعدة جوية) is dropped."""
    # In the order of a plain loop over groups, then tokens (ties in _resolve keep the first hit);
    # from the document's one automaton scan when ``tokens`` is the document's list.
    names = list(lex.groups)
    hits = [
        Hit(names[g], m.first, m.last, m.start, m.end) for g, m in lex.group_set.matches_in(tokens, lo, hi)
    ]
    neutral = [h for h in hits if h.group == "neutral"]
    if not neutral:
        return hits
    return [
        h
        for h in hits
        if h.group == "neutral"
        or not any(n.first <= h.first and h.last <= n.last for n in neutral)
        or h.group not in lex.neutral_hides
    ]


def _distance(m: Match, h: Hit) -> int:
    if h.first >= m.last:
        return h.first - m.last + 1
    if h.last <= m.first:
        return m.first - h.last + 1
    return 0


# --------------------------------------------------------------------------- resolution


@dataclass
class Found:
    """A resolved trigger before it becomes a mention."""

    match: Match
    entry: Entry
    form: Form
    event_type: str
    sub_event_type: str
    modifier: Hit | None
    defaulted: bool
    flags: dict[str, bool]
    absorb: Hit | None = None
    named: bool = False


def _choose_form(doc: Document, tokens: list[Token], m: Match, lex: Lexicon) -> Form | None:
    """Pick the payload: a noun reading after ال, ب/ل/ك or with tanween, else the verb."""
    forms = [p for p in m.payloads if isinstance(p, Form)]
    if not forms:
        return None
    tok = tokens[m.first]
    prefix = tok.text[: m.start - tok.start]
    a, b = m.original_span(doc.folded)
    noun_ctx = m.no_article or bool(set(prefix) & _NOUN_PREFIX) or any(c in _TANWEEN for c in doc.text[a:b])
    if m.no_article:
        forms = [f for f in forms if f.pos == "noun"]
    if not forms:
        return None
    forms = [f for f in forms if not f.tails or _tail_follows(tokens, m, f)]
    if not forms:
        return None
    preferred = [f for f in forms if f.pos == ("noun" if noun_ctx else "verb")]
    return (preferred or forms)[0]


def _tail_follows(tokens: list[Token], m: Match, form: Form) -> bool:
    """``قطع سكان القرية الطريق``: one of the verb's tails within ``form.tail_gap`` tokens after it."""
    for j in range(m.last, min(len(tokens), m.last + form.tail_gap + 1)):
        if not tokens[j].joined:
            return False  # punctuation: the clause ended before a tail came
        for tail in form.tails:
            words = tokens[j : j + len(tail)]
            if len(words) == len(tail) and all(
                w in _readings(t.text) for t, w in zip(words, tail, strict=True)
            ):
                return True
    return False


@lru_cache(maxsize=20_000)
def _readings(word: str) -> frozenset[str]:
    """The word read with and without its clitics (cached: asked for every word after a verb with tails)."""
    return frozenset(v.text for v in clitic_variants(word))


def _trigger_between(m: Match, h: Hit, matches: list[Match]) -> bool:
    """Another trigger stands between ``m`` and the modifier: the modifier is that one's.

    ``any(o is not m and lo <= o.first and o.last <= hi for o in matches)``. A sentence's
    matches come left to right without overlap, so their ends grow with their starts: of
    those starting at or after ``lo``, the first one that is not ``m`` ends first, and
    only it needs asking (found by bisection; a scan per trigger and modifier grew with
    the square of a long sentence).
    """
    lo, hi = (m.last, h.first) if h.first >= m.last else (h.last, m.first)
    firsts = _ordered_firsts(matches)
    if firsts is None:
        return any(o is not m and lo <= o.first and o.last <= hi for o in matches)
    k = bisect_left(firsts, lo)
    for o in matches[k : k + 2]:
        if o is not m:
            return o.last <= hi
    return False


# The last list of matches asked about: (the list, its length, its firsts or None when unordered).
_FIRSTS: list[Any] = [None, -1, None]


def _ordered_firsts(matches: list[Match]) -> list[int] | None:
    """The matches' first tokens when they run left to right without overlap, else None."""
    if _FIRSTS[0] is not matches or _FIRSTS[1] != len(matches):
        ordered = all(a.last <= b.first for a, b in zip(matches, matches[1:], strict=False)) and all(
            m.first < m.last for m in matches
        )
        _FIRSTS[:] = [matches, len(matches), [m.first for m in matches] if ordered else None]
    firsts: list[int] | None = _FIRSTS[2]
    return firsts


def _resolve(m: Match, form: Form, entry: Entry, ctx: Context, lex: Lexicon) -> Found | None:
    """Apply the entry's modifier rules around match ``m``; None if the trigger does not hold."""
    best: tuple[tuple[int, int, int], ModRule, Hit] | None = None
    for ri, rule in enumerate(entry.modifiers):
        window = rule.window or lex.window
        for h in ctx.hits:
            if h.group != rule.group or h.first == m.first:
                continue
            if rule.scope == "clause" and (
                ctx.clause[h.first] != ctx.clause[m.first] or _trigger_between(m, h, ctx.matches)
            ):
                continue
            d = _distance(m, h)
            if d > window:
                continue
            key = (-rule.priority, d, ri)
            if best is None or key < best[0]:
                best = (key, rule, h)
    flags = _flags(m, entry, ctx, lex)
    if best is not None:
        _, rule, hit = best
        if rule.sub_event_type is None:
            return None
        et = rule.event_type or entry.event_type
        return Found(m, entry, form, et, rule.sub_event_type, hit, False, flags, hit if rule.absorb else None)
    if entry.default is None:
        return None
    return Found(m, entry, form, entry.event_type, entry.default, None, bool(entry.modifiers), flags)


def _flags(m: Match, entry: Entry, ctx: Context, lex: Lexicon) -> dict[str, bool]:
    out: dict[str, bool] = {}
    for name in entry.flags:
        fg = lex.flag_groups[name]
        out[name] = any(h.group == fg.group and _distance(m, h) <= fg.window for h in ctx.hits)
    for name in entry.flags:
        if out.get(name):
            for c in lex.flag_groups[name].cancels:
                out[c] = False
    return out


def _is_named_agreement(doc: Document, tokens: list[Token], m: Match, lex: Lexicon) -> bool:
    """``اتفاق سوتشي``, ``اتفاقية أضنة``: an agreement noun followed by a name or a place."""
    nxt = m.last
    if nxt >= len(tokens):
        return False
    for name in lex.agreement_names:
        if tuple(t.text for t in tokens[nxt : nxt + len(name)]) == name:
            return True
    a, b = doc.folded.span(tokens[nxt].start, tokens[nxt].end)
    starts = _place_starts(doc)
    at = bisect_left(starts, a)
    return at < len(starts) and starts[at] < b


# The document whose place starts are kept: (its mention list, how many of them were read, the
# starts of the place mentions among them, sorted). Mentions are only ever appended to a document.
_PLACE_STARTS: list[Any] = [None, 0, []]


def _place_starts(doc: Document) -> list[int]:
    """The sorted starts of the document's place mentions, brought up to date with the mentions
    added since the last call (not a pass over every mention per agreement noun: issue #19)."""
    mentions = doc.mentions
    if _PLACE_STARTS[0] is not mentions or _PLACE_STARTS[1] > len(mentions):
        _PLACE_STARTS[:] = [mentions, 0, []]
    starts: list[int] = _PLACE_STARTS[2]
    for m in mentions[_PLACE_STARTS[1] :]:
        if m.kind == "place":
            insort(starts, m.start)
    _PLACE_STARTS[1] = len(mentions)
    return starts


def _sentence_triggers(doc: Document, ctx: Context, lex: Lexicon) -> list[Found]:
    """The triggers of ``ctx.matches`` that hold, resolved against the sentence's modifier hits."""
    found: list[Found] = []
    chosen = [(m, _choose_form(doc, ctx.tokens, m, lex)) for m in ctx.matches]
    # a verb alone whose tail never came (القوه of ألقى in بالقوة) stands between nothing
    ctx.matches = [m for m, form in chosen if form is not None]
    for m, form in chosen:
        if form is None:
            continue
        entry = lex.entries[form.entry]
        named = entry.named_check and _is_named_agreement(doc, ctx.tokens, m, lex)
        if named:
            f: Found | None = Found(
                m, entry, form, entry.event_type, "agreement", None, False, {}, named=True
            )
        else:
            f = _resolve(m, form, entry, ctx, lex)
        if f is not None:
            found.append(f)
    absorbing = [f.absorb for f in found if f.absorb is not None]
    absorbing += _fighting_before_takeover(found, ctx, lex)
    return [
        f
        for f in found
        if not any(a.first <= f.match.first < a.last and f.absorb is not a for a in absorbing)
        and not _targets_of_a_deed_told(f, found)
    ]


# how many tokens after a raid or assault a weaponless "targeted" still tells what it hit
_DEED_REACH = 12


def _targets_of_a_deed_told(f: Found, found: list[Found]) -> bool:
    """``شنت القوات حملات دهم استهدفت أوكار…``, ``هاجمت مجموعات نقاطنا، واستهدفت دورياتنا``.

    A targeting word with no weapon word of its own (``targets_of`` in its data, defaulted)
    right after a raid, assault or clash tells what that deed hit: it is no shelling of its own.
    """
    if not f.defaulted or not dict(f.entry.data).get("targets_of"):
        return False
    return any(
        g.event_type in ("battles", "strategic_developments")
        and g.match.last <= f.match.first
        and f.match.first - g.match.last < _DEED_REACH
        for g in found
        if g is not f
    )


def _fighting_before_takeover(found: list[Found], ctx: Context, lex: Lexicon) -> list[Hit]:
    """``سيطرت الفصائل على القرية بعد معارك عنيفة``: the fighting is how the place was taken.

    The with-fighting phrases (``with_fighting`` flag group) of a trigger whose flag is set
    absorb the clash words inside them: one event, the takeover, not also a clash.
    """
    fg = lex.flag_groups.get("with_fighting")
    if fg is None:
        return []
    out: list[Hit] = []
    for f in found:
        if not f.flags.get("with_fighting"):
            continue
        out += [h for h in ctx.hits if h.group == fg.group and _distance(f.match, h) <= fg.window]
    return out


def _emit_trigger(doc: Document, f: Found) -> None:
    start, end = f.match.original_span(doc.folded)
    if f.form.future:
        cue_start = start
        start = doc.folded.span(f.match.start + 1, f.match.end)[0]
        doc.add_mention(cue_start, start, "hypothetical", cue="س")
    data: dict[str, Any] = {
        "event_type": f.event_type,
        "sub_event_type": f.sub_event_type,
        "lemma": f.entry.lemma,
        "pos": f.form.pos,
        "passive": None,
        "modifier": None,
        "modifier_group": f.modifier.group if f.modifier is not None else None,
        "without_fighting": bool(f.flags.get("without_fighting")),
        "after_withdrawal": bool(f.flags.get("after_withdrawal")),
        "with_fighting": bool(f.flags.get("with_fighting")),
        "state": f.entry.present_state and f.form.present and not f.form.future,
        "named_agreement": f.named,
        "future": f.form.future,
        "present": f.form.present and not f.form.future,
        "defaulted": f.defaulted,
    }
    if f.modifier is not None:
        a, b = doc.folded.span(f.modifier.start, f.modifier.end)
        data["modifier"] = doc.text[a:b]
    for k, v in f.entry.data:
        data[k] = data.get(k) or v
    doc.add_mention(start, end, "trigger", **data)


def _looks_present(tok: str) -> bool:
    """A token that reads as a present-tense verb: يصل، تصل، نصل (not تعرضت، قصفت)."""
    if tok[:1] in ("ي", "ن"):
        return True
    return tok[:1] == "ت" and not tok.endswith(("ت", "وا", "نا"))


def _sentence_cues(doc: Document, ctx: Context, lex: Lexicon, cue_matches: list[Match]) -> None:
    for m in cue_matches:
        cues = [p for p in m.payloads if isinstance(p, Cue)]
        if _BLOCK in m.payloads or not cues:
            continue
        cue = cues[0]
        if m.key[0][cue.skip :] in lex.needs_present_next and (
            m.last >= len(ctx.tokens) or not _looks_present(ctx.tokens[m.last].text)
        ):
            continue
        a, b = doc.folded.span(m.start + cue.skip, m.end)
        if doc.in_boilerplate(a):
            continue
        if cue.after:
            doc.add_mention(a, b, cue.kind, cue=cue.lemma, after=True)
        else:
            doc.add_mention(a, b, cue.kind, cue=cue.lemma)


def find_triggers(doc: Document) -> None:
    """Add ``trigger`` mentions and negation/denial/hypothetical/background cue mentions."""
    lex = trigger_lexicon()
    text = doc.folded.text
    all_tokens = doc.tokens
    starts = doc.token_starts
    marks: _MarkCounts | None = None  # made at the first sentence with a trigger
    for a, b in _sentence_ranges(doc):
        check_budget("triggers")
        lo, hi = bisect_left(starts, a), bisect_left(starts, b)
        tokens = all_tokens[lo:hi]
        if not tokens:
            continue
        # (the sentence's matches from the document's start index: no scan of the slice per matcher)
        matches = [m for m in lex.triggers.find_in(all_tokens, lo, hi) if _BLOCK not in m.payloads]
        if matches:
            # clauses and modifier hits only matter around a trigger
            groups = _group_hits(lex, all_tokens, lo, hi)
            if marks is None:
                marks = _MarkCounts(text, all_tokens, lex.clause_marks)
            ctx = Context(tokens, _sentence_clauses(marks, lo, hi), groups, matches)
            for f in _sentence_triggers(doc, ctx, lex):
                if not doc.in_boilerplate(f.match.original_span(doc.folded)[0]):
                    _emit_trigger(doc, f)
        else:
            ctx = Context(tokens, [], [])
        _sentence_cues(doc, ctx, lex, lex.cues.find_in(all_tokens, lo, hi))
    _bombings_of_a_suicide_article(doc)


def _bombings_of_a_suicide_article(doc: Document) -> None:
    """``هز دمشق تفجيران… الإرهابي فجّر نفسه داخل القصر``: the bombings are the suicide attacks.

    A bare blast word (``blast_word`` in its data: تفجير، انفجار) with no weapon word of its
    own (``defaulted``) in an article that tells a suicide bombing (a ``suicide_bomb`` trigger)
    is read as that bombing; a named device (عبوة ناسفة) stays what it is.
    """
    found = doc.mentions_of("trigger")
    if not any(m.data.get("sub_event_type") == "suicide_bomb" for m in found):
        return
    for m in found:
        if (
            m.data.get("blast_word")
            and m.data.get("defaulted")
            and m.data.get("sub_event_type") == "remote_explosive_landmine_ied"
        ):
            m.data["sub_event_type"] = "suicide_bomb"
            m.data["suicide_in_article"] = True


def classify(text: str) -> list[tuple[str, str]]:
    """(event_type, sub_event_type) of every trigger in ``text``, state and named agreements left out."""
    doc = Document(Article("classify", text))
    find_triggers(doc)
    return [
        (m.data["event_type"], m.data["sub_event_type"])
        for m in doc.mentions_of("trigger")
        if not m.data["state"] and not m.data["named_agreement"]
    ]
