"""A sentence's clause numbers from the document's mark counts (triggers._sentence_clauses) are what
the regex search per gap gives (triggers._clauses), for every sentence slice."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from rasid.extract.triggers import _clauses, _MarkCounts, _sentence_clauses
from rasid.text.fold import fold
from rasid.text.tokens import tokenize


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(["قصف", "الطيران", "بلدة", "3", "وقتل"]), max_size=10),
    st.lists(st.sampled_from([" ", "، ", ", ", "; ", " - ", ".", " ,،"]), min_size=10, max_size=10),
    st.sampled_from([",;", "،,;", "", "-"]),
)
def test_sentence_clauses_equal_the_search_per_gap(words: list[str], gaps: list[str], marks: str) -> None:
    text = "".join(w + g for w, g in zip(words, gaps, strict=False))
    folded = fold(text).text
    tokens = tokenize(fold(text))
    counts = _MarkCounts(folded, tokens, marks)
    for lo in range(len(tokens) + 1):
        for hi in range(lo + 1, len(tokens) + 1):
            assert _sentence_clauses(counts, lo, hi) == _clauses(folded, tokens[lo:hi], marks)
