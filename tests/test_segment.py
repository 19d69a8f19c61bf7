"""Sentences and clauses as original offsets, on scraped-news-style Arabic."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from rasid.document import Article, Document, Sentence
from rasid.text.boilerplate import mark_boilerplate
from rasid.text.segment import clauses, segment


def run(text: str, boilerplate: bool = True) -> Document:
    doc = Document(Article("t", text))
    if boilerplate:
        mark_boilerplate(doc)
    segment(doc)
    return doc


def sents(text: str) -> list[str]:
    return [text[s.start : s.end] for s in run(text).sentences]


def test_basic_split_on_all_enders() -> None:
    text = "قصفت الطائرات مدينة أريحا. هل كان القصف متوقعا؟ نعم! وقال ناشطون إن القصف مستمر?"
    assert sents(text) == [
        "قصفت الطائرات مدينة أريحا.",
        "هل كان القصف متوقعا؟",
        "نعم!",
        "وقال ناشطون إن القصف مستمر?",
    ]


def test_newline_is_a_boundary_and_spans_are_stripped() -> None:
    text = "  انفجار عبوة ناسفة في مدينة الباب  \nوقتل شخصان في الانفجار بحسب الدفاع المدني\n\n"
    assert sents(text) == ["انفجار عبوة ناسفة في مدينة الباب", "وقتل شخصان في الانفجار بحسب الدفاع المدني"]


def test_numbers_are_not_split() -> None:
    text = "سقطت قذيفة على بعد 3.5 كيلومتر من المدينة، وبلغت الخسائر ١٢.٥ مليون ليرة. وأصيب طفل."
    assert sents(text) == [
        "سقطت قذيفة على بعد 3.5 كيلومتر من المدينة، وبلغت الخسائر ١٢.٥ مليون ليرة.",
        "وأصيب طفل.",
    ]


def test_abbreviations_are_not_split() -> None:
    text = "وقال د. محمد الأحمد مدير المشفى إن م. خالد أصيب بجروح. وأكد ج. سمير ذلك."
    assert sents(text) == ["وقال د. محمد الأحمد مدير المشفى إن م. خالد أصيب بجروح.", "وأكد ج. سمير ذلك."]


def test_obfuscated_words_are_not_split() -> None:
    text = "اندلعت معـ.ارك عنيفة في محيط البلدة. وتبادل الطرفان القصـ.ف المدفـ.عي خلال الاشـ.تباكات."
    assert sents(text) == [
        "اندلعت معـ.ارك عنيفة في محيط البلدة.",
        "وتبادل الطرفان القصـ.ف المدفـ.عي خلال الاشـ.تباكات.",
    ]


def test_missing_space_after_period_is_a_boundary() -> None:
    assert sents("نقلت الوكالة.قوات النظام قصفت القرية") == ["نقلت الوكالة.", "قوات النظام قصفت القرية"]


def test_domains_are_not_split() -> None:
    assert sents("ونشر موقع example.com صورا للدمار في الحي.") == [
        "ونشر موقع example.com صورا للدمار في الحي."
    ]


def test_short_quotes_stay_whole_and_closers_stay_with_sentence() -> None:
    text = "وقال المتحدث: «قصفنا مواقع الإرهابيين. ودمرنا مستودعا للذخيرة». وأضاف أن العملية مستمرة."
    assert sents(text) == [
        "وقال المتحدث: «قصفنا مواقع الإرهابيين. ودمرنا مستودعا للذخيرة».",
        "وأضاف أن العملية مستمرة.",
    ]
    text2 = "وقالت الوكالة إن “القصف أدى إلى أضرار كبيرة.” وذكرت أن الطيران غادر."
    assert sents(text2) == ["وقالت الوكالة إن “القصف أدى إلى أضرار كبيرة.”", "وذكرت أن الطيران غادر."]


def test_unclosed_or_long_quote_does_not_block_splitting() -> None:
    text = "وقال القائد «لن نتراجع. سنواصل القتال. وأضاف أن قواته تقدمت."
    assert len(sents(text)) == 3
    long_quote = "«" + "قصفت الطائرات القرية. " * 20 + "»"
    assert len(sents(long_quote)) == 20


def test_boilerplate_is_skipped_and_paragraphs_counted() -> None:
    text = (
        "اشترك مجانا بقناتنا على يوتيوب\n"
        "غارات روسية على جبل الزاوية\n"
        "\n"
        "شنت طائرات حربية روسية غارات على قرى جبل الزاوية. وأسفرت الغارات عن مقتل مدنيين اثنين.\n"
        "\n"
        "إقرأ أيضاً: انفجار في مدينة عفرين\n"
        "\n"
        "وقال الدفاع المدني إن فرقه انتشلت الضحايا.\n"
    )
    doc = run(text)
    got = [(text[s.start : s.end], s.paragraph) for s in doc.sentences]
    assert got == [
        ("غارات روسية على جبل الزاوية", 0),
        ("شنت طائرات حربية روسية غارات على قرى جبل الزاوية.", 1),
        ("وأسفرت الغارات عن مقتل مدنيين اثنين.", 1),
        ("وقال الدفاع المدني إن فرقه انتشلت الضحايا.", 2),
    ]
    for s in doc.sentences:
        assert not any(doc.in_boilerplate(i) for i in range(s.start, s.end))


def test_paragraph_per_line_without_blank_lines() -> None:
    text = "قصف على بلدة كنصفرة. وأصيب مدني.\nوفي درعا قتل شاب برصاص مجهولين.\nوفي حلب سقطت قذائف."
    assert [s.paragraph for s in run(text).sentences] == [0, 0, 1, 2]


def test_empty_and_symbol_only_text() -> None:
    assert run("").sentences == []
    assert run("...\n\n — ").sentences == []


def clause_texts(text: str) -> list[str]:
    """The clauses of a one-sentence text, as text."""
    doc = run(text)
    assert len(doc.sentences) == 1
    return [text[a:b] for a, b in clauses(doc, doc.sentences[0])]


def test_clauses() -> None:
    text = (
        "قصفت الطائرات الروسية بلدة كفرنبل، ما أدى إلى مقتل مدنيين؛ في حين استهدفت المدفعية قرية حاس "
        "بينما اندلعت اشتباكات في محيط سراقب وفيما يتعلق بالخسائر فلم تتضح بعد"
    )
    assert clause_texts(text) == [
        "قصفت الطائرات الروسية بلدة كفرنبل،",
        "ما أدى إلى مقتل مدنيين؛",
        "في حين استهدفت المدفعية قرية حاس",
        "بينما اندلعت اشتباكات في محيط سراقب وفيما يتعلق بالخسائر فلم تتضح بعد",
    ]


def test_clause_glued_conjunction_and_number_commas() -> None:
    text = "نزح 1,500 شخص من القرية وفيما واصلت الطائرات غاراتها, أعلن الدفاع المدني حالة الطوارئ"
    assert clause_texts(text) == [
        "نزح 1,500 شخص من القرية",
        "وفيما واصلت الطائرات غاراتها,",
        "أعلن الدفاع المدني حالة الطوارئ",
    ]


def test_clause_opener_at_sentence_start_does_not_split() -> None:
    text = "بينما كانت الطائرات تحلق فوق المدينة سمع دوي انفجارات"
    doc = run(text)
    assert clauses(doc, doc.sentences[0]) == [(0, len(text))]


_PIECES = st.sampled_from(
    [
        "قصفت الطائرات القرية",
        "معـ.ارك",
        "3.5",
        " ",
        "  ",
        ".",
        "؟",
        "!",
        "\n",
        "\n\n",
        "«",
        "»",
        "“",
        "”",
        "د.",
        "،",
        "في حين",
        "اقرأ أيضا: خبر",
        "الأكثر قراءة",
        "0",
        "🔴",
        "\u200b",
        "ـ",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_sentences_are_ordered_stripped_and_outside_boilerplate(text: str) -> None:
    doc = run(text)
    prev_end = 0
    prev_para = 0
    for s in doc.sentences:
        assert isinstance(s, Sentence)
        assert prev_end <= s.start < s.end <= len(text)
        assert s.paragraph >= prev_para
        span = text[s.start : s.end]
        assert span == span.strip() and "\n" not in span
        assert not any(doc.in_boilerplate(i) for i in range(s.start, s.end))
        for a, b in clauses(doc, s):
            assert s.start <= a < b <= s.end
            assert text[a:b] == text[a:b].strip()
        prev_end, prev_para = s.end, s.paragraph


def test_opener_inside_a_longer_opener_is_cut_once() -> None:
    text = "جرت المواجهات الأسبوع الماضي حين قطع السكان الطريق، في حين انسحبت الدورية."
    assert clause_texts(text) == [
        "جرت المواجهات الأسبوع الماضي",
        "حين قطع السكان الطريق،",
        "في حين انسحبت الدورية.",
    ]
