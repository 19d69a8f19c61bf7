"""The phrase matchers' shared start index (issue #19) answers exactly what a scan of the tokens does."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rasid.knowledge.matcher import PhraseMatcher, index_tokens
from rasid.text.fold import fold
from rasid.text.tokens import tokenize

_WORDS = ["قصف", "بلدة", "كفر", "نبل", "وقصف", "الطيران", "والطيران", "الحربي", "في", "ريف"]


def _matchers() -> tuple[PhraseMatcher, PhraseMatcher]:
    a = PhraseMatcher(allow_article_drop=True)
    a.add_many([("قصف", "shell"), ("الطيران الحربي", "air"), ("كفر نبل", "town")])
    b = PhraseMatcher()
    b.add_many([("ريف", "countryside"), ("بلدة كفر", "odd"), ("في ريف", "in")])
    return a, b


# made once: a matcher that has scanned an indexed document stays in the index for good
_A, _B = _matchers()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(_WORDS), max_size=14),
    st.lists(st.sampled_from([" ", " ", "، ", ". "]), min_size=14, max_size=14),
    st.integers(0, 15),
    st.integers(0, 15),
)
def test_indexed_find_equals_the_scan_of_a_slice(words: list[str], gaps: list[str], lo: int, hi: int) -> None:
    text = "".join(w + g for w, g in zip(words, gaps, strict=False))
    tokens = tokenize(fold(text))
    hi = min(hi, len(tokens))
    lo = min(lo, hi)
    plain = {m: (m.find(list(tokens)), m.find(tokens[lo:hi])) for m in (_A, _B)}
    index_tokens(tokens)
    for m in (_A, _B):
        m.find(tokens)  # (the first scan of an indexed list joins the index)
    index_tokens(tokens)
    for m, (whole, part) in plain.items():
        assert m.find(tokens) == whole
        assert m.find_in(tokens, lo, hi) == part


def test_a_matcher_made_after_indexing_scans_as_before() -> None:
    tokens = tokenize(fold("قصف الطيران الحربي بلدة كفر نبل"))
    a, _ = _matchers()
    index_tokens(tokens)
    late = PhraseMatcher()
    late.add("كفر نبل", "town")
    assert [m.payloads for m in late.find(tokens)] == [("town",)]
    assert [m.payloads for m in a.find_in(tokens, 1, 6)] == [("air",), ("town",)]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(_WORDS), min_size=1, max_size=8),
    st.integers(0, 7),
    st.sampled_from(["الطيران", "كفر", "بلدة", "قصف", "في", "طيران"]),
)
def test_match_read_as_equals_a_copy_with_the_token_replaced(words: list[str], i: int, text: str) -> None:
    tokens = tokenize(fold(" ".join(words)))
    i = min(i, len(tokens) - 1)
    copy = list(tokens)
    tok = tokens[i]
    copy[i] = type(tok)(tok.start, tok.end, text, tok.joined)
    for m in (_A, _B):
        assert m.match_read_as(tokens, i, text) == m.match_at(copy, i)
