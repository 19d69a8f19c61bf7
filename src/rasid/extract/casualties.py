"""Casualty counts: who was killed or injured, and how many.

A figure alone means nothing; it becomes a casualty count next to a cue word,
and Arabic puts the cue on either side of it: ``مقتل 3 عناصر`` (cue, count,
victims), ``قتلت قوات النظام ثلاثة مدنيين`` (verb, subject, count),
``أكثر من 100 مقاتل ... قُتلوا`` (count long before a passive plural verb),
``لقي 4 أشخاص حتفهم``, ``سقوط قتيلين`` (the victim word is the count),
``عدد من القتلى`` (no figure at all). :func:`find_casualties` reads the
``number`` mentions that :mod:`rasid.extract.numbers` added and pairs each with
the nearest cue of the right role (``casualties.yaml``), adding one ``casualty``
mention whose span covers the whole expression, so an event can quote it as
evidence.

Rules worth knowing:

- a singular person noun after a cue counts one (``مقتل شخص واعتقال رجل`` = 1);
  a dual verb with no figure counts two (``المهاجمين اللذين قتلا``);
- ``مقتل وإصابة 12`` gives a total that cannot be split: two mentions (killed
  and injured) with ``value`` None, qualifier ``several`` and ``total`` 12;
- ``تحييد``/``حيّد`` (Turkish military "neutralised": killed, captured or
  surrendered) is reported with casualty ``neutralised``, which events must
  not count as killed;
- a plural victim word with no figure (``سقوط جرحى``) keeps its mention with
  ``value`` None and qualifier ``several``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rasid.document import Document
from rasid.extract.numbers import dual_forms, noun_forms
from rasid.extract.numbers import lexicon as number_lexicon
from rasid.extract.numbers import scan as scan_numbers
from rasid.knowledge.loader import load_yaml
from rasid.knowledge.matcher import Match, PhraseMatcher
from rasid.text.fold import fold_phrase, fold_set
from rasid.text.tokens import Token, clitic_variants

_SENTENCE_END = ".!?\n"
_SENTENCE_END_RE = re.compile(f"[{re.escape(_SENTENCE_END)}]")


@dataclass(frozen=True)
class Cue:
    role: str  # right | left | victim
    casualty: str  # killed | injured | neutralised
    count: int | None = None  # victims: 1 for a singular word


@dataclass(frozen=True)
class Words:
    cues: PhraseMatcher
    right_verbs: frozenset[str]
    dual: frozenset[str]
    single: frozenset[str]
    lead_verbs: frozenset[str]
    lead_nouns: PhraseMatcher
    stop: frozenset[str]
    relatives: frozenset[str]
    others: frozenset[str]
    others_one: frozenset[str]
    toll: frozenset[str]
    toll_to: frozenset[str]
    right_window: int
    left_window: int
    also: PhraseMatcher
    also_window: int
    needs_verb: frozenset[str]
    life_verbs: frozenset[str]
    passive_verbs: frozenset[str]
    time_words: frozenset[str]


@lru_cache(maxsize=1)
def words() -> Words:
    """The compiled cue lists of ``casualties.yaml``."""
    data = load_yaml("casualties.yaml")
    cues = PhraseMatcher(allow_article_drop=True)  # الشهداء، الجرحى
    for role in ("left", "right"):
        for kind, items in data[role].items():
            for w in items:
                cues.add(str(w), Cue(role, kind))
    for kind, by_count in data["victims"].items():
        for count, items in by_count.items():
            for w in items:
                cues.add(str(w), Cue("victim", kind, None if count is None else int(count)))
                if count == 1:  # قتيلين، جريحان: the dual names two victims
                    for dual in dual_forms(fold_phrase(str(w))):
                        cues.add(dual, Cue("victim", kind, 2))
    leads = PhraseMatcher()
    for w in data["lead_nouns"]:
        leads.add(str(w), True)
    also = PhraseMatcher()
    for w in data.get("also_markers", []):
        also.add(str(w), True)
    return Words(
        cues=cues,
        right_verbs=fold_set(data["right_verbs"]),
        dual=fold_set(data["dual_cues"]),
        single=fold_set(data["single_cues"]),
        lead_verbs=fold_set(data["lead_verbs"]),
        lead_nouns=leads,
        stop=fold_set(data["who_stop"]),
        relatives=fold_set(data["relatives"]),
        others=fold_set(data.get("others", [])),
        others_one=fold_set(data.get("others_one", [])),
        toll=fold_set(data.get("toll_words", [])),
        toll_to=fold_set(data.get("toll_to", [])),
        right_window=int(data["right_window"]),
        left_window=int(data["left_window"]),
        also=also,
        also_window=int(data.get("also_window", 0)),
        needs_verb=fold_set(data.get("needs_verb", {}).get("cues", [])),
        life_verbs=fold_set(data.get("needs_verb", {}).get("verbs", [])),
        passive_verbs=fold_set(data.get("passive_single", {}).get("verbs", [])),
        time_words=fold_set(data.get("passive_single", {}).get("time", [])),
    )


@dataclass(frozen=True)
class Num:
    """A number mention seen as folded tokens."""

    first: int
    last: int
    start: int  # folded
    end: int
    value: int | None
    value_high: int | None
    qualifier: str
    dual: bool


@dataclass
class Found:
    start: int  # folded
    end: int
    casualty: str
    value: int | None
    value_high: int | None = None
    qualifier: str = "exact"
    who: tuple[int, int] | None = None  # folded span of the victims phrase
    total: int | None = None
    joined: bool = False  # a figure joined to the toll before it (و5 آخرين): more victims, same kind


def _index_numbers(
    nums: list[Num],
) -> tuple[dict[int, list[int]], dict[int, list[int]], dict[int, list[int]]]:
    """The numbers (indices into ``nums``, ascending) by first token, last token and each token they
    cover: the reader looks numbers up per token, and a scan of every number for each was quadratic
    in the article's length (issue #19)."""
    first: dict[int, list[int]] = {}
    last: dict[int, list[int]] = {}
    over: dict[int, list[int]] = {}
    for idx, n in enumerate(nums):
        first.setdefault(n.first, []).append(idx)
        last.setdefault(n.last, []).append(idx)
        for k in range(n.first, n.last):
            over.setdefault(k, []).append(idx)
    return first, last, over


class _Reader:
    """Pairs cues with numbers over one document's folded tokens."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.tokens: list[Token] = doc.tokens
        self.text = doc.folded.text
        self.w = words()
        self.lex = number_lexicon()
        self.starts = [t.start for t in self.tokens]
        self.nums = self._numbers()
        self.num_first, self.num_last, self.num_over = _index_numbers(self.nums)
        self.used: set[int] = set()
        self.sentence = self._sentence_ids()

    # setup ------------------------------------------------------------------
    def _numbers(self) -> list[Num]:
        doc, out = self.doc, []
        mentions = doc.mentions_of("number")
        if mentions:
            for m in mentions:
                a, b = doc.to_folded(m.start), doc.to_folded(m.end)
                d = m.data
                out.append(self._num(a, b, d["value"], d["value_high"], d["qualifier"], "noun" in d))
        elif not any(m.kind == "number" for m in doc.mentions):
            for f in scan_numbers(self.text, self.tokens):
                n = f.number
                out.append(self._num(f.start, f.end, n.value, n.value_high, n.qualifier, bool(f.dual_noun)))
        return sorted(out, key=lambda n: n.start)

    def _num(self, a: int, b: int, value: Any, high: Any, qual: str, dual: bool) -> Num:
        first = max(0, bisect_right(self.starts, a) - 1)
        last = max(first + 1, bisect_left(self.starts, b))
        return Num(first, last, a, b, value, high, qual, dual)

    def _sentence_ids(self) -> list[int]:
        """Sentence number of each token: the sentence-end marks before it.

        The marks are not word characters, so none lies inside a token and the
        marks before a token are exactly those in the gaps before it.
        """
        marks = [m.start() for m in _SENTENCE_END_RE.finditer(self.text)]
        return [bisect_left(marks, t.start) for t in self.tokens]

    # helpers ------------------------------------------------------------------
    def _num_at(self, k: int) -> int | None:
        """Index of an unused number mention whose first token is ``k``."""
        return self._unused(self.num_first.get(k))

    def _num_ending(self, k: int) -> int | None:
        return self._unused(self.num_last.get(k))

    def _num_covering(self, k: int) -> int | None:
        return self._unused(self.num_over.get(k))

    def _unused(self, found: list[int] | None) -> int | None:
        """The first of ``found`` (ascending indices into ``nums``) not used yet."""
        if found:
            for idx in found:
                if idx not in self.used:
                    return idx
        return None

    def _variants(self, k: int) -> set[str]:
        if not 0 <= k < len(self.tokens):
            return set()
        return noun_forms(self.tokens[k].text)

    def _adjacent(self, end: int, k: int) -> bool:
        """Token ``k`` follows folded offset ``end`` with only spaces or quotes between (حيّد» 26)."""
        return k < len(self.tokens) and self.text[end : self.tokens[k].start].strip(" \"'") == ""

    def _person(self, k: int) -> bool:
        return bool(self._variants(k) & self.lex.people)

    def _thing(self, k: int) -> bool:
        v = self._variants(k)
        return bool(v & self.lex.nouns) and not v & self.lex.persons

    def _same_sentence(self, a: int, b: int) -> bool:
        return (
            0 <= a < len(self.tokens) and 0 <= b < len(self.tokens) and self.sentence[a] == self.sentence[b]
        )

    def _who(self, k: int, limit: int | None = None) -> tuple[int, int] | None:
        """The victims phrase starting at token ``k`` (up to 4 words, stops at a stop word)."""
        limit = len(self.tokens) if limit is None else limit
        if 0 < k < limit and not self._same_sentence(k - 1, k):
            return None  # 50 شخصا على الأقل.وأضافت: the next sentence names no victims
        if k < limit and self.tokens[k].text == "من" and self.tokens[k].joined:
            k += 1
        j = k
        while j < limit and j - k < 4 and (j == k or self.tokens[j].joined):
            t = self.tokens[j].text
            if t in self.w.stop or t in self.w.relatives or (j > k and t.startswith("و")):
                break
            if self.w.cues.match_at(self.tokens, j) is not None or self._num_at(j) is not None:
                break
            j += 1
        if j == k:
            return None
        return self.tokens[k].start, self.tokens[j - 1].end

    def _found(
        self, start: int, end: int, casualty: str, idx: int | None, who: Any, count: int | None = None
    ):
        if idx is not None:
            self.used.add(idx)
            n = self.nums[idx]
            start, end = min(start, n.start), max(end, n.end)
            f = Found(start, end, casualty, n.value, n.value_high, n.qualifier, who)
        else:
            qual = "exact" if count is not None else "several"
            f = Found(start, end, casualty, count, None, qual, who)
        if who is not None:
            f.end = max(f.end, who[1])
        return f

    # roles --------------------------------------------------------------------
    def right(self, m: Match, cue: Cue) -> list[Found]:
        k = m.last
        subject = self._subject_before(m)
        if subject is not None:
            return [self._found(subject[0], m.end, cue.casualty, None, subject, 1)]
        combined = self._combined(m, cue)
        if combined:
            return combined
        idx = self._num_at(k) if self._adjacent(m.end, k) else None
        if idx is None and k + 1 < len(self.tokens) and self.tokens[k].text == "ما":
            idx = self._num_at(k + 1)  # مقتل ما بين 10 و15
        if idx is not None and self._counts_things(idx):
            return []
        if idx is None and " ".join(m.key) in self.w.right_verbs:
            idx = self._num_ahead(k)
        if idx is not None:
            n = self.nums[idx]
            who = (self.tokens[n.first].start, n.end) if n.dual else self._who(n.last)
            return [self._found(m.start, m.end, cue.casualty, idx, who)]
        if k < len(self.tokens) and self.tokens[k].joined:
            after = self._num_at(k + 1) if self._adjacent(self.tokens[k].end, k + 1) else None
            if after is not None and (
                self.nums[after].value in (1, 2) or self._variants(k) & self.lex.persons
            ):
                # the numeral after its noun: إصابة مدنيين اثنين، مقتل عناصر ثلاثة
                who = (self.tokens[k].start, self.tokens[k].end)
                return [self._found(m.start, m.end, cue.casualty, after, who)]
            if self._person(k) or self._possessed_person(k):
                return [self._found(m.start, m.end, cue.casualty, None, self._who(k), 1)]
            if self._variants(k) & {"احد", "احدي"} and self._same_sentence(k, k + 1):
                return [self._found(m.start, m.end, cue.casualty, None, self._who(k + 1), 1)]
            if self.tokens[k].text in self.w.others:
                who = (self.tokens[k].start, self.tokens[k].end)
                one = 1 if self.tokens[k].text in self.w.others_one else None
                return [self._found(m.start, m.end, cue.casualty, None, who, one)]
        if self._passive_single(m):
            return [self._found(m.start, m.end, cue.casualty, None, None, 1)]
        return []

    def _passive_single(self, m: Match) -> bool:
        """``وكان القيادي … قتل أمس بانفجار عبوة``: a singular passive verb, then a time word or a cause."""
        k = m.last
        if (
            " ".join(m.key) not in self.w.passive_verbs
            or k >= len(self.tokens)
            or not self._same_sentence(k - 1, k)
        ):
            return False
        first = self._variants(k)
        if (
            not (first & self.w.time_words or self.tokens[k].text in self.w.stop)
            or self.tokens[k].text == "و"
        ):
            return False
        end = min(k + self.w.right_window, len(self.tokens))
        return not any(
            self._same_sentence(k, j) and (self._num_at(j) is not None or self._persons(j))
            for j in range(k, end)
        )

    def _subject_before(self, m: Match) -> tuple[int, int] | None:
        """``امرأة قتلت وأصيب خمسة``: a singular person just before a verb cue with no count after it."""
        j = m.first - 1
        if " ".join(m.key) not in self.w.right_verbs or j < 0 or not self._same_sentence(j, m.first):
            return None
        if not self._person(j) or self._variants(j) & self.lex.nouns - self.lex.people:
            return None
        after = self._num_at(m.last) if m.last < len(self.tokens) else None
        if after is not None or (m.last < len(self.tokens) and self._persons(m.last)):
            return None  # قتل شخص ثلاثة مدنيين: the count or the victims follow
        return self.tokens[j].start, self.tokens[j].end

    def _counts_things(self, idx: int) -> bool:
        """``3 طائرات``، ``دبابتين``: the number counts materiel, not victims."""
        n = self.nums[idx]
        return self._thing(n.first) if n.dual else self._thing(n.last)

    def _num_ahead(self, k: int) -> int | None:
        """A verb's object count a few words on: قتلت قوات النظام ثلاثة مدنيين."""
        for j in range(k, min(k + self.w.right_window, len(self.tokens))):
            if j > k and (not self.tokens[j].joined or self.w.cues.match_at(self.tokens, j) is not None):
                return None
            idx = self._num_at(j)
            if idx is None:
                continue
            n = self.nums[idx]
            nxt = n.last
            if n.dual and not self._thing(n.first):
                return idx
            if self._variants(nxt) & self.lex.persons:
                return idx
            if nxt < len(self.tokens) and (
                self.tokens[nxt].text == "من" or self.tokens[nxt].text in self.w.others
            ):
                return idx  # أعدم أيضا 4 آخرين
            cue = self.w.cues.match_at(self.tokens, nxt) if nxt < len(self.tokens) else None
            if cue is not None and any(c.role == "victim" for c in cue.payloads):
                return None  # the victim word claims it (قتلت الغارة 5 قتلى)
            return None
        return None

    def _combined(self, m: Match, cue: Cue) -> list[Found]:
        """``مقتل وإصابة 12``: one total for both kinds."""
        k = m.last
        if k >= len(self.tokens) or not self.tokens[k].text.startswith("و"):
            return []
        other = self.w.cues.match_at(self.tokens, k)
        if other is None:
            return []
        second = next((c for c in other.payloads if c.role == "right" and c.casualty != cue.casualty), None)
        idx = self._num_at(other.last) if second is not None else None
        if idx is None or second is None:
            return []
        n = self.nums[idx]
        self.used.add(idx)
        who = self._who(n.last)
        end = max(n.end, who[1] if who else n.end)
        kinds = [cue.casualty, second.casualty]
        return [Found(m.start, end, kind, None, None, "several", who, n.value) for kind in kinds]

    def left(self, m: Match, cue: Cue) -> list[Found]:
        key = " ".join(m.key)
        if key in self.w.needs_verb and not self._life_verb_before(m.first):
            return []
        # a cue that is singular or dual by itself (فارق الحياة، مقتله، قتلا) takes no number from before
        fixed = key in self.w.single or key in self.w.dual
        lo = m.first if fixed else max(0, m.first - self.w.left_window)
        for j in range(m.first - 1, lo - 1, -1):
            if not self._same_sentence(j, m.first):
                break
            idx = self._num_ending_before(j, m.first)
            if idx is None:
                continue
            n = self.nums[idx]
            if self._thing(n.last) or (n.dual and self._thing(n.first)):
                continue
            lead_start = self._lead_verb(n.first)
            start = n.start if lead_start is None else lead_start
            who = (self.tokens[n.first].start, n.end) if n.dual else self._who(n.last, m.first)
            return [self._found(start, m.end, cue.casualty, idx, who)]
        count = 2 if key in self.w.dual else 1 if key in self.w.single else None
        start, who = m.start, None
        before = m.first - 1
        if (
            before >= 0
            and self.tokens[before].text in self.w.relatives
            and self._same_sentence(before, m.first)
        ):
            before -= 1
        lead = None
        for j in range(m.first - 1, max(-1, m.first - 5), -1):
            if self._variants(j) & self.w.lead_verbs and self._same_sentence(j, m.first):
                lead = j
                break
        if lead is not None:
            start = self.tokens[lead].start + (len(self.tokens[lead].text) - len(self._lead_text(lead)))
            if self._person(lead + 1):
                count = count or 1
                who = self._who(lead + 1, m.first)
        elif (
            before >= 0
            and self._same_sentence(before, m.first)
            and not self._thing(before)
            and self.tokens[before].text not in self.w.stop  # عن مقتلهما: no victims named before
        ):
            who = (self.tokens[before].start, self.tokens[before].end)
            start = who[0]
        return [self._found(start, m.end, cue.casualty, None, who, count)]

    def _life_verb_before(self, k: int) -> bool:
        """``فقد شخصان حياتهما``: the verb that makes ``حياتهما`` a toll, up to 4 words before."""
        return any(
            self._variants(j) & self.w.life_verbs and self._same_sentence(j, k)
            for j in range(max(0, k - 4), k)
        )

    def _lead_text(self, k: int) -> str:
        for v in clitic_variants(self.tokens[k].text):
            if v.text in self.w.lead_verbs:
                return v.text
        return self.tokens[k].text

    def _num_ending_before(self, j: int, limit: int) -> int | None:
        """An unused number mention whose first token is ``j`` and that ends before ``limit``."""
        idx = self._num_at(j)
        if idx is not None and self.nums[idx].last <= limit:
            return idx
        return None

    def _lead_verb(self, k: int) -> int | None:
        j = k - 1
        if j >= 0 and self._variants(j) & self.w.lead_verbs and self._same_sentence(j, k):
            return self.tokens[j].start + (len(self.tokens[j].text) - len(self._lead_text(j)))
        return None

    def victim(self, m: Match, cue: Cue) -> list[Found]:
        k = m.first
        mixed = self._between_kinds(m, cue)
        if mixed:
            return mixed
        idx = self._num_covering(k)
        if idx is None:
            idx = self._num_ending(k)
        if idx is None and k >= 1 and self.tokens[k - 1].text == "من" and self.tokens[k].joined:
            idx = self._num_ending(k - 1)
        toll = idx is None and k >= 1 and bool(self._variants(k - 1) & self.w.toll)
        if toll:
            idx = self._toll_figure(m.last)
        who = None
        end = m.end
        if m.last < len(self.tokens) and self.tokens[m.last].text == "من" and self.tokens[m.last].joined:
            who = self._who(m.last)
        start = m.start
        first = self.nums[idx].first if idx is not None and not toll else k
        lead = self.tokens[k - 1].start if toll else self._lead_noun(first)
        if lead is not None:
            start = lead
        return [self._found(start, end, cue.casualty, idx, who, cue.count)]

    def _between_kinds(self, m: Match, cue: Cue) -> list[Found]:
        """``12 بين قتيل وجريح``، ``سقط العشرات بين قتيل وجريح``: one total for both kinds."""
        k = m.first
        if k < 1 or self.tokens[k - 1].text != "بين" or m.last >= len(self.tokens):
            return []
        other = self.w.cues.match_at(self.tokens, m.last)
        second = None
        if other is not None and self.tokens[m.last].text.startswith("و"):
            second = next(
                (c for c in other.payloads if c.role == "victim" and c.casualty != cue.casualty), None
            )
        if other is None or second is None:
            return []
        idx = None
        for j in range(k - 2, max(-1, k - 5), -1):
            if not self._same_sentence(j, k):
                break
            idx = self._num_ending(j + 1)
            if idx is not None:
                break
        total = self.nums[idx].value if idx is not None else None
        start = self.nums[idx].start if idx is not None else self.tokens[k - 1].start
        if idx is not None:
            self.used.add(idx)
        kinds = [cue.casualty, second.casualty]
        return [Found(start, other.end, kind, None, None, "several", None, total) for kind in kinds]

    def _toll_figure(self, k: int) -> int | None:
        """``حصيلة القتلى ... إلى 12``: the figure after إلى later in the sentence."""
        for j in range(k, min(k + self.w.left_window, len(self.tokens) - 1)):
            if not self._same_sentence(j, k):
                return None
            if self.tokens[j].text in self.w.toll_to:
                return self._num_at(j + 1)
        return None

    def _lead_noun(self, k: int) -> int | None:
        for n in (1, 2):
            j = k - n
            if j < 0:
                return None
            m = self.w.lead_nouns.match_at(self.tokens, j)
            if m is not None and m.last == k and self.tokens[k].joined:
                return m.start
        return None

    # joined figures -------------------------------------------------------------
    def also(self, f: Found) -> Found | None:
        """``مقتل 4 مدنيين في X، و5 آخرين في Y``: a second figure of the same kind joined to a toll.

        The figure follows within a few words in the same sentence, behind و or
        ``بالإضافة إلى``, and counts people (``آخرين``، ``مدنيين اثنين``، ``عنصرين``).
        """
        if f.value is None or f.total is not None:
            return None
        k = bisect_left(self.starts, f.end)
        for j in range(k, min(k + self.w.also_window, len(self.tokens))):
            if not self._same_sentence(k, j) or self.w.cues.match_at(self.tokens, j) is not None:
                return None
            found = self._joined_figure(j, f.casualty)
            if found is not None:
                return found
        return None

    def _joined_figure(self, j: int, casualty: str) -> Found | None:
        marker = self.w.also.match_at(self.tokens, j)
        if marker is None and not self.tokens[j].text.startswith("و"):
            return None
        first = j if marker is None else marker.last
        start = self.tokens[j].start if marker is not None else -1
        idx = self._num_at(first)
        if idx is not None and self._victim_word(self.nums[idx].last):
            return None  # و37 جريحا: the victim word gives its own kind
        if idx is not None:
            n = self.nums[idx]
            if n.dual:
                who = None if self._thing(n.first) else (self.tokens[n.first].start, n.end)
            elif n.last < len(self.tokens) and (
                self._persons(n.last) or self.tokens[n.last].text in self.w.others
            ):
                who = (self.tokens[n.last].start, self.tokens[n.last].end)
            elif (
                n.last + 1 < len(self.tokens)
                and self.tokens[n.last].text == "من"
                and self._persons(n.last + 1)
            ):
                who = (self.tokens[n.last].start, self.tokens[n.last + 1].end)  # و2 من عناصر الحراسة
            else:
                who = None
        elif marker is None and self._person(first) and not self._persons_plural(first):
            # مقتل شاب في X وعنصر من قوات النظام في Y: one more victim
            f = Found(self.tokens[j].start, self.tokens[j].end, casualty, 1, None, "exact", None)
            of = j + 1 < len(self.tokens) and self.tokens[j + 1].text == "من"  # وعنصر من الشرطة
            who = self._who(j) if of else None
            f.who = (self.tokens[j].start, self.tokens[j].end) if who is None else who
            f.end = max(f.end, f.who[1])
            f.joined = True
            return f
        elif marker is not None and self._persons(first):
            idx = self._num_at(first + 1)  # بالإضافة إلى مدنيين اثنين
            ok = idx is not None and self.nums[idx].value in (1, 2)
            who = (self.tokens[first].start, self.tokens[first].end) if ok else None
        else:
            who = None
        if idx is None or who is None:
            return None
        n = self.nums[idx]
        found = self._found(n.start if start < 0 else start, n.end, casualty, idx, who)
        found.joined = True
        return found

    def _victim_word(self, k: int) -> bool:
        m = self.w.cues.match_at(self.tokens, k) if k < len(self.tokens) else None
        return m is not None and any(c.role == "victim" for c in m.payloads)

    def _possessed_person(self, k: int) -> bool:
        """``إصابة صديقه``، ``مقتل زوجته``: a singular person noun with a possessive pronoun."""
        text = self.tokens[k].text
        for suffix in ("هما", "هم", "ها", "ه"):
            stem = text[: -len(suffix)]
            if text.endswith(suffix) and len(stem) >= 2:
                stems = {stem, stem[:-1] + "ه"} if stem.endswith("ت") else {stem}
                return bool(stems & self.lex.people)
        return False

    def _persons_plural(self, k: int) -> bool:
        """A person noun that is not singular here (وعناصر، ومدنيين)."""
        return not self._variants(k) & self.lex.people

    def _persons(self, k: int) -> bool:
        return bool(self._variants(k) & self.lex.persons)

    # driver -------------------------------------------------------------------
    def run(self) -> list[Found]:
        out: list[Found] = []
        covered_until = -1
        for m in self.w.cues.find(self.tokens):
            if self.tokens[m.first].start < covered_until:
                continue
            for cue in sorted(m.payloads, key=lambda c: {"left": 0, "right": 1, "victim": 2}[c.role]):
                found = getattr(self, cue.role)(m, cue)
                if found:
                    extra = self.also(found[-1]) if len(found) == 1 else None
                    while extra is not None:
                        found.append(extra)
                        extra = self.also(extra)
                    out.extend(found)
                    covered_until = max(f.end for f in found)
                    break
        return out


def find_casualties(doc: Document) -> None:
    """Add a ``casualty`` mention for every killed / injured count outside boilerplate."""
    folded = doc.folded
    for f in _Reader(doc).run():
        start, end = folded.span(f.start, f.end)
        if doc.in_boilerplate(start):
            continue
        who = doc.text[slice(*folded.span(*f.who))] if f.who else None
        data: dict[str, Any] = {
            "casualty": f.casualty,
            "value": f.value,
            "value_high": f.value_high,
            "qualifier": f.qualifier,
            "who": who,
        }
        if f.total is not None:
            data["total"] = f.total
        if f.joined:
            data["joined"] = True
        doc.add_mention(start, end, "casualty", **data)
