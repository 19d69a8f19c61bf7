"""The one object every pipeline stage reads and annotates.

An :class:`Article` is what a reader hands over (text plus metadata). A
:class:`Document` wraps it for processing: it owns the original text, a folded
view for matching (see :mod:`rasid.text.fold`), and the annotations that later
stages add — boilerplate ranges, sentences, mentions, events. Every span is a
pair of character offsets into ``Document.text``, never a copy of the text, so
anything reported can be highlighted in the source exactly (spaCy's ``Doc``
model).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from rasid.text.fold import Folded, fold
from rasid.text.tokens import FoldedWords, Token, tokenize


@dataclass(frozen=True)
class Article:
    """One input article as a reader produced it."""

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: dt.date | None = None
    source: str | None = None  # file (and line) it came from, for messages


@dataclass(slots=True)
class Mention:
    """A recognised piece of the original text.

    ``kind`` is one of: place, region, actor, claim_source, trigger, number,
    casualty, date, negation, denial. ``data`` holds what it resolved to
    (gazetteer entry, actor id, event type, value...).
    """

    start: int
    end: int
    text: str
    kind: str
    data: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"start": self.start, "end": self.end, "text": self.text, "kind": self.kind}
        for k, v in self.data.items():
            # a date's resolved start/end must not overwrite the offsets
            out[f"{self.kind}_{k}" if k in out else k] = v
        return out


@dataclass(frozen=True)
class Sentence:
    """A sentence (or heading line) as offsets into the original text."""

    start: int
    end: int
    paragraph: int = 0


class Document:
    """An article under processing: original text, folded view, annotations."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self.text = article.text
        # Ranges of the original text that are not article content
        # (subscription lines, "read also" headlines, counters...).
        self.boilerplate: list[tuple[int, int]] = []
        self.sentences: list[Sentence] = []
        self.mentions: list[Mention] = []
        self.events: list[Any] = []
        self._folded: Folded | None = None
        self._tokens: list[Token] | None = None
        self._token_starts: list[int] | None = None
        self._words: FoldedWords | None = None

    @property
    def id(self) -> str:
        return self.article.id

    @property
    def published(self) -> dt.date | None:
        return self.article.published

    # The views below are built on first use and kept. Plain attributes rather
    # than ``functools.cached_property``: the compiled build (mypyc, see
    # setup.py) gives classes no instance ``__dict__`` for such a cache.

    @property
    def folded(self) -> Folded:
        """Folded view of the whole text with its offset map (built once)."""
        if self._folded is None:
            self._folded = fold(self.text)
        return self._folded

    @property
    def tokens(self) -> list[Token]:
        """Word tokens of the folded view (folded offsets)."""
        if self._tokens is None:
            self._tokens = tokenize(self.folded)
        return self._tokens

    @property
    def token_starts(self) -> list[int]:
        """``[t.start for t in self.tokens]``, for bisection (built once)."""
        if self._token_starts is None:
            self._token_starts = [t.start for t in self.tokens]
        return self._token_starts

    @property
    def words(self) -> FoldedWords:
        """The folded view's words (quotes dropped), indexed for slicing by offsets (built once)."""
        if self._words is None:
            self._words = FoldedWords(self.folded.text)
        return self._words

    def span_text(self, start: int, end: int) -> str:
        return self.text[start:end]

    def add_mention(self, start: int, end: int, kind: str, /, **data: Any) -> Mention:
        """Record a mention of ``text[start:end]`` with what it resolved to."""
        return self.add_mention_data(start, end, kind, data)

    def add_mention_data(self, start: int, end: int, kind: str, data: dict[str, Any]) -> Mention:
        """:meth:`add_mention` with ``data`` as a dict, which may hold ``start``/``end`` (a date's range).

        Keyword arguments named like the positional-only offsets are lost in the
        compiled build (mypyc), so such data must come this way.
        """
        m = Mention(start, end, self.text[start:end], kind, dict(data))
        self.mentions.append(m)
        return m

    def mentions_of(self, kind: str) -> list[Mention]:
        return [m for m in self.mentions if m.kind == kind]

    def in_boilerplate(self, pos: int) -> bool:
        """Whether original offset ``pos`` lies in a boilerplate range (ranges are sorted)."""
        i = bisect_right(self.boilerplate, (pos, float("inf"))) - 1
        return i >= 0 and self.boilerplate[i][0] <= pos < self.boilerplate[i][1]

    def sentence_at(self, pos: int) -> Sentence | None:
        for s in self.sentences:
            if s.start <= pos < s.end:
                return s
        return None
