"""Short forms ("التحالف", "الهيئة") read as the actor the article named in full before them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from rasid.document import Article, Mention
from rasid.knowledge.coref import _Antecedents, _Spans
from rasid.pipeline import annotate_article


def _short_forms(text: str) -> list[tuple[str, str]]:
    doc = annotate_article(Article(id="t", text=text))
    return [
        (m.text, m.data["actor_id"]) for m in doc.mentions if m.kind == "actor" and m.data.get("short_form")
    ]


def test_short_form_after_full_name_is_that_actor() -> None:
    text = "قال التحالف الدولي إنه قصف مواقع قرب هجين. وأضاف التحالف أن الضربات استمرت ساعتين."
    assert _short_forms(text) == [("التحالف", "COALITION")]


def test_short_form_keeps_offsets_behind_clitics() -> None:
    text = "أعلنت هيئة تحرير الشام سيطرتها على التلة. وقال قيادي في الهيئة إن المعارك توقفت."
    doc = annotate_article(Article(id="t", text=text))
    found = [m for m in doc.mentions if m.data.get("short_form")]
    assert [(m.text, m.data["actor_id"]) for m in found] == [("الهيئة", "HTS")]
    assert text[found[0].start : found[0].end] == "الهيئة"


def test_short_form_without_antecedent_is_no_actor() -> None:
    assert _short_forms("وقع التحالف الانتخابي اتفاقاً مع الأحزاب في العاصمة.") == []


def test_ambiguous_short_form_takes_the_latest_candidate() -> None:
    text = "قصف الحزب الإسلامي التركستاني مواقع للجيش. ثم اشتبك مقاتلو حزب الله مع الفصائل. وقال الحزب إن مقاتليه تقدموا."
    assert _short_forms(text) == [("الحزب", "HEZBOLLAH")]


def test_bare_army_is_the_army_named_last() -> None:
    text = "أعلن الجيش التركي تدمير مواقع لقسد. وقال الجيش في بيان إن قواته قصفت قرية مرعناز."
    assert _short_forms(text) == [("الجيش", "TUR_MIL")]
    # with no army named before, bare "الجيش" is the Syrian army (undated: the pre-2024 one)
    assert _short_forms("وقال الجيش في بيان إن قواته قصفت قرية مرعناز.") == [("الجيش", "SYR_MIL")]


def _inferred(text: str, published: str | None = None) -> list[tuple[str, str]]:
    import datetime as dt

    day = dt.date.fromisoformat(published) if published else None
    doc = annotate_article(Article(id="t", text=text, published=day))
    return [
        (m.text, m.data["actor_id"]) for m in doc.mentions if m.kind == "actor" and m.data.get("inferred")
    ]


def test_unnamed_warplanes_before_the_fall_are_the_syrian_air_force() -> None:
    text = "شنّ الطيران الحربي ثلاث غارات على بلدة معرة حرمة جنوبي إدلب."
    assert _inferred(text, "2019-05-02") == [("الطيران الحربي", "SYR_MIL")]


def test_unnamed_warplanes_are_the_air_actor_named_before_them() -> None:
    text = "قصفت الطائرات الروسية أطراف بلدة كنصفرة. وعاد الطيران الحربي ليستهدف البلدة مساء."
    assert _inferred(text, "2019-05-02") == [("الطيران الحربي", "RUS_MIL")]


def test_unnamed_helicopters_after_the_fall_name_nobody() -> None:
    text = "حلّقت مروحيات حربية فوق المدينة دون أن تقصف أي موقع."
    assert _inferred(text, "2025-03-10") == []


def test_barrel_bombs_are_dropped_by_the_syrian_air_force_whoever_flew_last() -> None:
    text = "قصفت الطائرات الروسية بلدة الهبيط، فيما ألقيت براميل متفجرة على قرية عابدين."
    assert _inferred(text, "2016-02-11") == [("براميل متفجرة", "SYR_MIL")]


def test_bare_regime_after_its_forces_are_named_is_the_syrian_army() -> None:
    text = "قصفت قوات النظام بلدة كفرنبل. وقال ناشطون إن النظام استقدم تعزيزات إلى قرية حاس."
    assert _short_forms(text) == [("النظام", "SYR_MIL")]
    assert _short_forms("أقر البرلمان النظام الداخلي الجديد للمجلس.") == []


def test_short_form_before_a_definite_adjective_names_another_body() -> None:
    text = "قالت هيئة تحرير الشام إن عضواً في الهيئة الشرعية استقال من منصبه."
    assert _short_forms(text) == []
    text = "أعلنت هيئة تحرير الشام أن الهيئة التي تسيطر على المدينة صدت الهجوم."
    assert _short_forms(text) == [("الهيئة", "HTS")]


def test_bare_army_with_none_named_is_the_syrian_army_of_the_era() -> None:
    import datetime as dt

    text = "قال الجيش إن وحداته دمرت منصات إطلاق في محيط البلدة."
    for day, expected in ((dt.date(2019, 4, 1), "SYR_MIL"), (dt.date(2025, 4, 1), "SYR_GOV_2024")):
        doc = annotate_article(Article(id="t", text=text, published=day))
        found = [(m.text, m.data["actor_id"]) for m in doc.mentions if m.data.get("short_form")]
        assert found == [("الجيش", expected)]


# ---- the indexes that keep short forms linear in a long article (issue #19): the same answers
# ---- as the scans they replace


_IDS = ["SDF", "HTS", "SAA", "RUS_MIL"]


@given(
    st.lists(st.tuples(st.integers(0, 60), st.integers(0, 8)), max_size=30),
    st.integers(-2, 70),
    st.integers(0, 8),
)
def test_spans_overlap_as_a_scan_says(spans: list[tuple[int, int]], start: int, width: int) -> None:
    taken = [(a, a + w) for a, w in spans]
    end = start + width
    assert _Spans(taken).overlaps(start, end) == any(a < end and start < b for a, b in taken)


@given(
    st.lists(
        st.tuples(st.integers(0, 50), st.sampled_from([*_IDS, None]), st.sampled_from([*_IDS, None])),
        max_size=25,
    ),
    st.lists(st.sampled_from(_IDS), min_size=1, max_size=3, unique=True),
    st.integers(-1, 55),
)
def test_antecedent_is_the_last_mention_before(
    rows: list[tuple[int, str | None, str | None]], ids: list[str], pos: int
) -> None:
    actors = sorted(
        (Mention(s, s + 3, "قسد", "actor", {"actor_id": a, "assoc_actor_id": b}) for s, a, b in rows),
        key=lambda m: m.start,
    )
    want = None
    for m in actors:  # the scan _antecedent used to run for every short form
        if m.start >= pos:
            break
        if m.data.get("actor_id") in ids or m.data.get("assoc_actor_id") in ids:
            want = m
    assert _Antecedents(actors).last_before(tuple(ids), pos) is want
