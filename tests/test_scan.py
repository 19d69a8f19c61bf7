"""The one automaton over every lexicon (rasid.knowledge.scan, issue #19) answers exactly what the phrase
matchers' token-by-token readings do: clitics (و ف ب ل ك لل), the article dropped or not, longest phrase
first, phrases of several words only over tokens joined by spaces. A copy of the document's token list is
not the indexed list, so the matcher answers it token by token: each test compares the two."""

from __future__ import annotations

import pickle

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rasid.knowledge import scan
from rasid.knowledge.matcher import Match, MatcherSet, PhraseMatcher, build_scan, index_tokens, scan_built
from rasid.text.fold import Folded, fold
from rasid.text.tokens import Token, tokenize


def _matchers() -> tuple[PhraseMatcher, PhraseMatcher, PhraseMatcher]:
    places = PhraseMatcher(allow_article_drop=True)
    places.add_many(
        [
            ("القامشلي", "qamishli"),
            ("قامشلي", "qamishli-bare"),
            ("حلب", "aleppo"),
            ("ريف إدلب", "idlib-countryside"),
            ("ريف إدلب الجنوبي", "idlib-south"),
            ("لبنان", "lebanon"),
            ("البنان", "odd-article-name"),
        ]
    )
    actors = PhraseMatcher()
    actors.add_many(
        [
            ("الجيش السوري", "saa"),
            ("الجيش", "army"),
            ("قوات سوريا الديمقراطية", "sdf"),
            ("قوات", "forces"),
            ("الطيران الحربي", "air"),
        ]
    )
    words = PhraseMatcher()  # a third lexicon sharing phrases with the others (one key, two payload sets)
    words.add_many([("قوات", "forces-word"), ("حلب", "aleppo-word"), ("قصف", "shelling"), ("ه", "suffix")])
    return places, actors, words


_PLACES, _ACTORS, _WORDS = _matchers()
_ALL = (_PLACES, _ACTORS, _WORDS)


def _indexed(text: str) -> tuple[Folded, list[Token]]:
    """Fold and tokenize ``text`` and index it, with the automaton built over every matcher so far."""
    if not (scan_built() and all(m._scanned for m in _ALL)):
        build_scan()
    folded = fold(text)
    tokens = tokenize(folded)
    index_tokens(tokens)
    return folded, tokens


def _same_everywhere(tokens: list[Token]) -> None:
    """Every answer on the indexed list equals the token-by-token answer on a copy."""
    copy = list(tokens)
    n = len(tokens)
    for m in _ALL:
        assert m._scanned
        assert m.find(tokens) == m.find(copy)
        for i in range(n):
            assert m.match_at(tokens, i) == m.match_at(copy, i)
        for lo in range(n + 1):
            for hi in range(lo, n + 1):
                assert m.find_in(tokens, lo, hi) == m.find_in(copy, lo, hi)
        assert [i for i in m.start_positions(tokens) if m.match_at(tokens, i)] == [
            i for i in m.start_positions(copy) if m.match_at(copy, i)
        ]
    group = MatcherSet(_ALL)  # (triggers' modifier groups: a sentence's matches of several matchers)
    for lo in range(n + 1):
        for hi in range(lo, n + 1):
            assert group.matches_in(tokens, lo, hi) == group.matches_in(copy, lo, hi)


def _payloads(m: Match | None) -> tuple[object, ...] | None:
    return None if m is None else m.payloads


def test_clitic_forms_of_a_place_are_found_as_before() -> None:
    _folded, tokens = _indexed("وصلت القوات إلى والقامشلي وللقامشلي وبالقامشلي ثم فحلب وبحلب")
    _same_everywhere(tokens)
    texts = [t.text for t in tokens]
    assert _payloads(_PLACES.match_at(tokens, texts.index("والقامشلي"))) == ("qamishli",)
    lam = _PLACES.match_at(tokens, texts.index("وللقامشلي"))  # و + لل read as ل + ال
    assert lam is not None and lam.key == ("القامشلي",) and lam.stripped == 2
    assert _payloads(_PLACES.match_at(tokens, texts.index("وبحلب"))) == ("aleppo",)


def test_longest_phrase_wins_and_a_gap_that_is_not_a_space_breaks_it() -> None:
    _folded, tokens = _indexed("قصف الجيش السوري ريف إدلب الجنوبي، ثم ريف إدلب. الجيش، السوري")
    _same_everywhere(tokens)
    found = [m.payloads for m in _ACTORS.find(tokens)]
    assert found == [("saa",), ("army",)]  # "الجيش، السوري": the comma keeps the two words apart
    assert [m.payloads for m in _PLACES.find(tokens)] == [("idlib-south",), ("idlib-countryside",)]


def test_two_spaces_or_a_tab_still_join_words() -> None:
    _folded, tokens = _indexed("دخلت قوات  سوريا\tالديمقراطية المدينة")
    _same_everywhere(tokens)
    assert [m.payloads for m in _ACTORS.find(tokens)] == [("sdf",)]


def test_article_dropped_only_where_the_matcher_allows_it() -> None:
    _folded, tokens = _indexed("زار الوفد اللبنان والقامشلي")
    _same_everywhere(tokens)
    texts = [t.text for t in tokens]
    m = _PLACES.match_at(tokens, texts.index("اللبنان"))
    assert m is not None and m.payloads == ("lebanon",) and m.no_article


def test_one_phrase_in_two_lexicons_reaches_both() -> None:
    _folded, tokens = _indexed("انسحبت قوات من حلب")
    _same_everywhere(tokens)
    assert _payloads(_ACTORS.match_at(tokens, 1)) == ("forces",)
    assert _payloads(_WORDS.match_at(tokens, 1)) == ("forces-word",)
    assert _payloads(_WORDS.match_at(tokens, 3)) == ("aleppo-word",)


def test_a_matcher_changed_after_the_build_matches_token_by_token() -> None:
    late = PhraseMatcher()
    late.add("مخيم الهول", "camp")
    _folded, tokens = _indexed("نقل الأطفال من مخيم الهول")
    assert not late._scanned
    assert _payloads(late.match_at(tokens, 3)) == ("camp",)


def test_the_automaton_pickles() -> None:
    automaton = scan.build_automaton(_ALL)
    again = pickle.loads(pickle.dumps(automaton))
    tokens = tokenize(fold("قصف الجيش السوري وللقامشلي"))
    assert again.scan(tokens, 3) == automaton.scan(tokens, 3)


def test_the_knowledge_load_builds_it() -> None:
    from rasid.pipeline import load_knowledge

    load_knowledge()
    assert scan_built()


_PIECES = [
    "القامشلي", "والقامشلي", "للقامشلي", "وللقامشلي", "قامشلي", "حلب", "وبحلب", "ريف", "إدلب", "الجنوبي",
    "لبنان", "للبنان", "البنان", "الجيش", "والجيش", "السوري", "قوات", "سوريا", "الديمقراطية", "قصف",
    "وقصفه", "محلب", "الطيران", "الحربي", "ه", "3", "كفـ.ـر",
]  # fmt: skip
_GAPS = [" ", " ", " ", "  ", "\t", "، ", ". ", "\n", " (", "-", "ـ"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(_PIECES), st.sampled_from(_GAPS)), max_size=12))
def test_scan_equals_the_token_readings_and_offsets_point_into_the_text(parts: list[tuple[str, str]]) -> None:
    text = "".join(w + g for w, g in parts)
    folded, tokens = _indexed(text)
    _same_everywhere(tokens)
    for m in _ALL:
        for hit in m.find(tokens):
            a, b = hit.original_span(folded)
            assert 0 <= a < b <= len(text)
            # the match ends where its last token ends, and its words (less the clitics) are the key's
            assert folded.text[hit.start : hit.end].split()[1:] == list(hit.key[1:])
            first = folded.text[hit.start : tokens[hit.first].end]
            assert hit.key[0] in (first, first[2:], "ال" + first)
