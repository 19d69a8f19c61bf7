"""Actor inventory, claim sources and the actor recogniser (rasid.knowledge.actors).

Sentences are written for these tests in the style of Syrian conflict news.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasid.document import Article, Document
from rasid.knowledge.actors import (
    ACTOR_KINDS,
    SOURCE_KINDS,
    actor_by_id,
    all_actors,
    all_claim_sources,
    find_actors,
    forms,
    infer_era,
    loaded_word_spans,
    resolve,
)
from rasid.knowledge.matcher import phrase_key
from rasid.text.fold import fold_phrase

# The core inventory of the event contract (spec/actors_core.tsv): ids, names, kinds, aliases.
CORE = """\
SYR_MIL|Military Forces of Syria (2000-2024)|state_forces|الجيش السوري،الجيش العربي السوري،قوات النظام،قوات النظام السوري،قوات الأسد،قوات بشار الأسد،ميليشيا أسد،ميليشيات أسد،القوات الحكومية السورية،الطيران السوري،الطيران الحربي السوري،طيران النظام،الدفاعات الجوية السورية،وسائط الدفاع الجوي،الفرقة الرابعة،الحرس الجمهوري
SYR_PRO_GOV|Pro-Government Militia (Syria)|political_militia|القوات الموالية،القوات الموالية للجيش السوري،قوات موالية للنظام،القوات الرديفة،قوات شعبية،الدفاع الوطني،قوات الدفاع الوطني،لواء القدس،الشبيحة
SYR_GOV_2024|Military Forces of Syria (2024-)|state_forces|إدارة العمليات العسكرية،قوات الحكومة الانتقالية،وزارة الدفاع السورية،الأمن العام،إدارة الأمن العام،الجيش السوري،قوات الحكومة السورية
SYR_GOV|Government of Syria|government|الحكومة السورية،دمشق،الخارجية السورية،النظام السوري،الحكومة الانتقالية
HTS|Hayat Tahrir al-Sham|rebel_group|هيئة تحرير الشام،تحرير الشام،جبهة النصرة،جبهة فتح الشام،النصرة
SNA|Syrian National Army|rebel_group|الجيش الوطني السوري،الجيش الوطني،فصائل الجيش الوطني
FSA|Free Syrian Army|rebel_group|الجيش السوري الحر،الجيش الحر
SDF|SDF: Syrian Democratic Forces|rebel_group|قوات سوريا الديمقراطية،قوات سوريا الديموقراطية،قسد،ميليشيا قسد
YPG|YPG: People's Protection Units|rebel_group|وحدات حماية الشعب،وحدات حماية الشعب الكردية،الوحدات الكردية،الوحدات الكردية المسلحة،ي ب ك،المسلحين الأكراد،القوات الكردية
PKK|PKK: Kurdistan Workers' Party|rebel_group|حزب العمال الكردستاني،بي كا كا،بي كي كي
ISIS|Islamic State (Syria)|rebel_group|تنظيم الدولة الإسلامية،تنظيم الدولة،الدولة الإسلامية،داعش،تنظيم داعش،خلايا داعش
TIP|Turkistan Islamic Party|rebel_group|الحزب الإسلامي التركستاني،الحزب التركستاني
MUHAJIREEN|Katibat al-Muhajireen|rebel_group|كتيبة المهاجرين
AHRAR|Ahrar al-Sham|rebel_group|حركة أحرار الشام،أحرار الشام
JAI|Jaysh al-Islam|rebel_group|جيش الإسلام
HURRAS|Hurras al-Din|rebel_group|حراس الدين،تنظيم حراس الدين
NLF|National Front for Liberation|rebel_group|الجبهة الوطنية للتحرير
TUR_MIL|Military Forces of Turkey|external_forces|الجيش التركي،القوات التركية،القوات المسلحة التركية،الطيران التركي،المسيرات التركية،المدفعية التركية،قوات الاحتلال التركي
TUR_GOV|Government of Turkey|government|تركيا،أنقرة،الحكومة التركية،الخارجية التركية،وزير الخارجية التركي
RUS_MIL|Military Forces of Russia|external_forces|القوات الروسية،الجيش الروسي،الطيران الروسي،الطائرات الروسية،المقاتلات الروسية،الشرطة العسكرية الروسية،المدرعات الروسية
RUS_GOV|Government of Russia|government|روسيا،موسكو،الكرملين،الخارجية الروسية
USA_MIL|Military Forces of the United States|external_forces|القوات الأمريكية،القوات الأميركية،الجيش الأمريكي،الجيش الأميركي،الطائرات الأمريكية،المروحيات الأمريكية،دورية أمريكية
USA_GOV|Government of the United States|government|الولايات المتحدة،واشنطن،البيت الأبيض،الخارجية الأمريكية،الخارجية الأميركية،الإدارة الأمريكية
COALITION|Global Coalition Against Daesh|external_forces|التحالف الدولي،التحالف الأميركي،التحالف الأمريكي،قوات التحالف،قوات التحالف الدولي،طائرات التحالف
ISR_MIL|Military Forces of Israel|external_forces|الجيش الإسرائيلي،جيش الاحتلال الإسرائيلي،الطيران الإسرائيلي،طائرات إسرائيلية،الطائرات الإسرائيلية،طائرات العدو،العدو الإسرائيلي
ISR_GOV|Government of Israel|government|إسرائيل،تل أبيب،الحكومة الإسرائيلية
IRN_MIL|Military Forces of Iran|external_forces|الحرس الثوري الإيراني،الحرس الثوري،القوات الإيرانية،الميليشيات الإيرانية
HEZBOLLAH|Hezbollah|political_militia|حزب الله،ميليشيا حزب الله
PMF|Popular Mobilization Forces|political_militia|الحشد الشعبي
CIV|Civilians (Syria)|civilians|مدنيين،مدنيون،المدنيين،الأهالي،سكان،أطفال،نساء
PROTESTERS|Protesters (Syria)|protesters|متظاهرين،متظاهرون،محتجين،محتجون،سكان قرية
UNIDENTIFIED|Unidentified Armed Group (Syria)|unidentified|مسلحون مجهولون،مجهولون،مسلحين مجهولين
"""


def annotate(text: str, published: dt.date | None = None, boilerplate=()) -> Document:
    doc = Document(Article("t", text, published=published))
    doc.boilerplate = list(boilerplate)
    find_actors(doc)
    return doc


def actors_of(doc: Document) -> list[tuple[str, str]]:
    return [(m.text, m.data["actor_id"]) for m in doc.mentions_of("actor")]


def one(doc: Document, kind: str, text: str):
    found = [m for m in doc.mentions_of(kind) if m.text == text]
    assert len(found) == 1, f"{kind} {text!r} not found once in {[(m.text, m.data) for m in doc.mentions]}"
    return found[0]


# ------------------------------------------------------------------ inventory data


@pytest.mark.parametrize("line", CORE.strip().splitlines(), ids=lambda line: line.split("|")[0])
def test_core_actor_loads_with_name_kind_and_aliases(line: str) -> None:
    actor_id, name, kind, aliases = line.split("|")
    actor = actor_by_id(actor_id)
    assert (actor.name, actor.kind) == (name, kind)
    missing = [a for a in aliases.split("،") if a not in actor.aliases]
    assert not missing


def test_inventory_is_large_and_well_formed() -> None:
    actors = all_actors()
    assert len(actors) >= 150
    assert len({a.id for a in actors}) == len(actors)
    for a in actors:
        assert re.fullmatch(r"[A-Z][A-Z0-9_]*", a.id), a.id
        assert a.name and a.aliases, a.id
        assert a.kind in ACTOR_KINDS, a.id
        assert a.country == "" or re.fullmatch(r"[A-Z]{2}", a.country), a.id
        if a.valid_from and a.valid_to:
            assert a.valid_from <= a.valid_to, a.id


def test_shared_aliases_have_disjoint_validity() -> None:
    """An alias may name two actors only when at most one of them is valid on any day."""
    by_key = defaultdict(list)
    for a in all_actors():
        for alias in a.aliases:
            by_key[phrase_key(alias)].append(a)
    for key, owners in by_key.items():
        for i, a in enumerate(owners):
            for b in owners[i + 1 :]:
                if a.id == b.id:
                    continue
                lo = max(a.valid_from or dt.date.min, b.valid_from or dt.date.min)
                hi = min(a.valid_to or dt.date.max, b.valid_to or dt.date.max)
                assert lo > hi, f"{' '.join(key)}: {a.id} and {b.id} overlap"
    assert {a.id for a in by_key[phrase_key("الجيش السوري")]} == {"SYR_MIL", "SYR_GOV_2024"}


def test_claim_sources_are_well_formed_and_never_actor_aliases() -> None:
    sources = all_claim_sources()
    actor_keys = {phrase_key(al) for a in all_actors() for al in a.aliases}
    assert len(sources) >= 60
    for s in sources:
        assert s.source_kind in SOURCE_KINDS, s.id
        for a in s.actor_ids:
            actor_by_id(a)
        clash = [al for al in s.aliases if phrase_key(al) in actor_keys]
        assert not clash, (s.id, clash)
    official = [s for s in sources if s.source_kind == "official"]
    assert official and all(s.actor_ids for s in official)


def test_forms_reference_known_actors() -> None:
    f = forms()
    for nat in f.nationality_of.values():
        for a in nat.actors:
            actor_by_id(a)
    assert fold_phrase("الأميركية") in f.nationality_of and fold_phrase("الأمريكية") in f.nationality_of


def test_actor_by_id_names_an_unknown_id() -> None:
    with pytest.raises(KeyError, match="NO_SUCH_ACTOR"):
        actor_by_id("NO_SUCH_ACTOR")


# ------------------------------------------------------------------ date and era

SENTENCE_ARMY = (
    "أعلن الجيش السوري سيطرته على قرية الزيارة في ريف حماة الشمالي الغربي بعد اشتباكات استمرت ساعات."
)


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        (dt.date(2024, 6, 1), "SYR_MIL"),
        (dt.date(2025, 2, 1), "SYR_GOV_2024"),
        (dt.date(2024, 12, 8), "SYR_GOV_2024"),
    ],
)
def test_the_article_date_picks_the_syrian_army_of_its_era(published: dt.date, expected: str) -> None:
    doc = annotate(SENTENCE_ARMY, published)
    assert actors_of(doc) == [("الجيش السوري", expected)]


def test_undated_article_uses_post_fall_cues() -> None:
    text = (
        "انتشرت وحدات من الجيش السوري في أحياء مدينة حمص، بعد أيام من سقوط النظام البائد وفرار الرئيس المخلوع، "
        "بالتنسيق مع إدارة الأمن العام."
    )
    doc = annotate(text)
    assert infer_era(doc) == "post_2024"
    assert one(doc, "actor", "الجيش السوري").data["actor_id"] == "SYR_GOV_2024"


def test_undated_article_uses_pre_fall_cues() -> None:
    text = "قصفت قوات النظام بلدة كفرنبل بالمدفعية الثقيلة، في حين قال الجيش السوري إنه رد على مصادر النيران."
    doc = annotate(text)
    assert infer_era(doc) == "pre_2024"
    assert one(doc, "actor", "الجيش السوري").data["actor_id"] == "SYR_MIL"


def test_undated_article_without_cues_prefers_the_pre_2024_actor() -> None:
    doc = annotate(SENTENCE_ARMY)
    assert infer_era(doc) is None
    assert actors_of(doc) == [("الجيش السوري", "SYR_MIL")]


def test_resolve_prefers_the_actor_valid_on_the_date_else_the_nearest() -> None:
    assert resolve(["HTS", "JABHAT_NUSRA"], dt.date(2014, 5, 1)).id == "JABHAT_NUSRA"
    assert resolve(["HTS", "JABHAT_NUSRA"], dt.date(2019, 5, 1)).id == "HTS"
    # after HTS dissolved, its old name still names it rather than the older Nusra
    assert resolve(["HTS", "JABHAT_NUSRA"], dt.date(2025, 6, 1)).id == "HTS"
    assert resolve(["SYR_MIL", "SYR_GOV_2024"], era="post_2024").id == "SYR_GOV_2024"
    assert resolve(["SYR_MIL", "SYR_GOV_2024"]).id == "SYR_MIL"
    with pytest.raises(ValueError):
        resolve([])


# ------------------------------------------------------------------ clitics and offsets


def test_conjunction_clitic_is_left_out_of_the_span() -> None:
    doc = annotate("اندلعت اشتباكات عنيفة بين فصائل الجيش الوطني وقوات سوريا الديمقراطية قرب بلدة عين عيسى.")
    assert ("قوات سوريا الديمقراطية", "SDF") in actors_of(doc)
    assert ("فصائل الجيش الوطني", "SNA") in actors_of(doc)


def test_preposition_before_quoted_name() -> None:
    doc = annotate("استهدفت غارات جوية مقرات تابعة لـ«هيئة تحرير الشام» في جبل الزاوية جنوبي إدلب.")
    assert one(doc, "actor", "هيئة تحرير الشام").data["actor_id"] == "HTS"


def test_bi_clitic_before_article() -> None:
    doc = annotate("التحق عشرات المقاتلين بالجيش الوطني بعد انشقاقهم عن فصيلهم في ريف حلب.")
    assert actors_of(doc) == [("الجيش الوطني", "SNA")]


def test_offsets_slice_tatweel_and_broken_words_exactly() -> None:
    text = "قالت الوزارة إن المســلحين الأكراد انسحبوا، فيما تقدمت هيـ.ئة تحرير الشام نحو القرية."
    doc = annotate(text)
    ypg = one(doc, "actor", "المســلحين الأكراد")
    hts = one(doc, "actor", "هيـ.ئة تحرير الشام")
    assert (ypg.data["actor_id"], hts.data["actor_id"]) == ("YPG", "HTS")
    for m in doc.mentions:
        assert text[m.start : m.end] == m.text


@settings(max_examples=40, deadline=None)
@given(
    alias=st.sampled_from(
        ["قوات سوريا الديمقراطية", "هيئة تحرير الشام", "حزب الله", "الحرس الثوري الإيراني"]
    ),
    cuts=st.lists(st.integers(min_value=1, max_value=12), max_size=3),
)
def test_tatweel_anywhere_inside_a_name_keeps_exact_offsets(alias: str, cuts: list[int]) -> None:
    stretched = alias
    for c in sorted(set(cuts), reverse=True):
        if (
            c < len(stretched)
            and stretched[c - 1] != " "
            and stretched[c] != " "
            and stretched[c - 1] not in "اأدذرزوة"
        ):
            stretched = stretched[:c] + "ـ" + stretched[c:]
    text = f"وذكرت مصادر محلية أن {stretched} نفذت هجوماً على مواقع في المنطقة."
    doc = annotate(text)
    hits = [m for m in doc.mentions_of("actor") if fold_phrase(m.text) == fold_phrase(alias)]
    assert len(hits) == 1
    assert text[hits[0].start : hits[0].end] == stretched


# ------------------------------------------------------------------ adjective forms


def test_nationality_adjective_after_attack_noun() -> None:
    doc = annotate("شنت طائرة مسيرة تركية غارة على سيارة قرب القامشلي، تلتها غارة جوية روسية على ريف إدلب.")
    tur = one(doc, "actor", "طائرة مسيرة تركية")
    rus = one(doc, "actor", "غارة جوية روسية")
    assert (tur.data["actor_id"], tur.data["adjective"]) == ("TUR_MIL", True)
    assert (rus.data["actor_id"], rus.data["adjective"]) == ("RUS_MIL", True)


def test_two_adjectives_give_two_actors() -> None:
    doc = annotate("تواصل القصف الجوي السوري - الروسي على قرى جبل الأكراد.", dt.date(2019, 5, 20))
    assert actors_of(doc) == [("القصف الجوي السوري", "SYR_MIL"), ("الروسي", "RUS_MIL")]
    assert all(m.data["adjective"] for m in doc.mentions_of("actor"))


def test_and_joined_second_adjective_and_date_dependent_syrian_adjective() -> None:
    doc = annotate("قصفت المدفعية السورية والتركية مواقع متقابلة على خطوط التماس.", dt.date(2025, 3, 1))
    assert actors_of(doc) == [("المدفعية السورية", "SYR_GOV_2024"), ("التركية", "TUR_MIL")]


def test_core_alias_is_also_flagged_as_adjective_form() -> None:
    doc = annotate("وقام الطيران التركي بتدمير شاحنات محملة بالذخائر شرقي القامشلي.")
    m = one(doc, "actor", "الطيران التركي")
    assert (m.data["actor_id"], m.data["adjective"]) == ("TUR_MIL", True)


def test_weapon_origin_is_not_an_actor() -> None:
    doc = annotate("ضبطت الدورية شحنة صواريخ إيرانية الصنع كانت في طريقها إلى لبنان.")
    assert not [m for m in doc.mentions_of("actor") if m.data["actor_id"] == "IRN_MIL"]


def test_personnel_nouns_take_foreign_but_not_syrian_adjectives() -> None:
    doc = annotate("أصيب جنديان أتراك بجروح، فيما اعتقل مسلحين سوريين على الحدود.")
    assert actors_of(doc) == [("جنديان أتراك", "TUR_MIL")]


# ------------------------------------------------------------------ loaded terms


def test_loaded_word_inside_an_alias() -> None:
    doc = annotate("رفضت قوات النظام القتال إلى جانب ميليشيا قسد في محيط البلدة.")
    m = one(doc, "actor", "ميليشيا قسد")
    assert (m.data["actor_id"], m.data["loaded"]) == ("SDF", "ميليشيا")
    assert one(doc, "actor", "قوات النظام").data["loaded"] is None


def test_loaded_prefix_joins_the_actor_that_follows() -> None:
    doc = annotate("وصلت تعزيزات من ميلشيات الحشد الشعبي إلى البوكمال، فيما هاجم مرتزقة أردوغان قرى عفرين.")
    pmf = one(doc, "actor", "ميلشيات الحشد الشعبي")
    sna = one(doc, "actor", "مرتزقة أردوغان")
    assert (pmf.data["actor_id"], pmf.data["loaded"]) == ("PMF", "ميلشيات")
    assert (sna.data["actor_id"], sna.data["loaded"]) == ("SNA", "مرتزقة")


def test_occupation_and_its_mercenaries_name_two_actors() -> None:
    doc = annotate("وقالت الوكالة إن قوات الاحتلال التركي ومرتزقته شنوا هجوماً على بلدة عين عيسى.")
    assert actors_of(doc) == [("قوات الاحتلال التركي", "TUR_MIL"), ("مرتزقته", "SNA")]
    assert [m.data["loaded"] for m in doc.mentions_of("actor")] == ["الاحتلال", "مرتزقته"]


def test_bare_loaded_words_name_nobody() -> None:
    text = "قصف الجيش مواقع الإرهابيين في ريف إدلب، وطارد المرتزقة في الجبال."
    doc = annotate(text, dt.date(2020, 1, 10))
    assert [m.data["actor_id"] for m in doc.mentions_of("actor")] == []
    assert [w for _, _, w in loaded_word_spans(doc)] == ["الإرهابيين", "المرتزقة"]


def test_shabiha_is_pro_government_and_loaded() -> None:
    doc = annotate("اقتحم الشبيحة الحي واعتقلوا عدداً من الشبان.")
    m = one(doc, "actor", "الشبيحة")
    assert (m.data["actor_id"], m.data["loaded"]) == ("SYR_PRO_GOV", "الشبيحة")


# ------------------------------------------------------------------ claim sources


SOURCE_SENTENCES = [
    ("وثق المرصد السوري لحقوق الإنسان مقتل ثلاثة مدنيين.", "المرصد السوري لحقوق الإنسان", "SOHR"),
    ("ونقلت وكالة سانا عن مصدر عسكري قوله إن الوحدات تصدت للهجوم.", "وكالة سانا", "SANA"),
    ("وقال ناشطون إن الطائرات حلقت فوق المدينة.", "ناشطون", "ACTIVISTS"),
    ("وبحسب عنب بلدي فإن الاشتباكات توقفت مساء.", "عنب بلدي", "ENAB"),
    ("وقال مصدر محلي لـ«تلفزيون سوريا» إن القصف استمر.", "تلفزيون سوريا", "SYRIA_TV"),
    ("وذكرت صحيفة واشنطن بوست أن القوات ستبقى.", "صحيفة واشنطن بوست", "WAPO"),
    ("وقالت «المدن» إن التعزيزات وصلت ليلاً.", "المدن", "ALMODON"),
    ("ونقلت رويترز عن مسؤولين أن المحادثات مستمرة.", "رويترز", "REUTERS"),
]


@pytest.mark.parametrize(("text", "mention", "source_id"), SOURCE_SENTENCES)
def test_claim_sources_are_never_actors(text: str, mention: str, source_id: str) -> None:
    doc = annotate(text)
    src = one(doc, "claim_source", mention)
    assert src.data["source_id"] == source_id
    assert not [a for a in doc.mentions_of("actor") if a.start < src.end and src.start < a.end]


def test_common_word_source_needs_a_reporting_cue() -> None:
    doc = annotate("تشهد المدن السورية ارتفاعاً في الأسعار، وتتجه الأنظار إلى الشرق الأوسط.")
    assert doc.mentions_of("claim_source") == []


def test_official_source_carries_its_actor() -> None:
    doc = annotate("أعلنت وزارة الدفاع التركية أنها دمرت 15 هدفاً في شمال سوريا.")
    m = one(doc, "claim_source", "وزارة الدفاع التركية")
    assert (m.data["source_kind"], m.data["actor_id"]) == ("official", "TUR_MIL")
    assert doc.mentions_of("actor") == []


def test_spokesperson_of_an_actor_is_an_official_source() -> None:
    doc = annotate("وقال المتحدث باسم إدارة العمليات العسكرية إن المدينة باتت آمنة.", dt.date(2024, 12, 10))
    m = one(doc, "claim_source", "المتحدث باسم إدارة العمليات العسكرية")
    assert m.data["actor_id"] == "SYR_GOV_2024"
    assert m.data["name"] == "spokesperson of Military Forces of Syria (2024-)"
    assert doc.mentions_of("actor") == []


@pytest.mark.parametrize(
    ("text", "mention", "name"),
    [
        ("وقال مصدر أمني تركي إن العملية مستمرة.", "مصدر أمني تركي", "Turkish security source"),
        (
            "وقال مصدران أمنيان سوريان إن الغارات طالت المطار.",
            "مصدران أمنيان سوريان",
            "Syrian security sources",
        ),
        ("وقال مسؤول أميركي إن القوات لن تنسحب.", "مسؤول أميركي", "US official"),
        ("وأكد مسؤولون إسرائيليون أن الضربة استهدفت مستودعاً.", "مسؤولون إسرائيليون", "Israeli officials"),
    ],
)
def test_nationality_after_a_generic_source(text: str, mention: str, name: str) -> None:
    doc = annotate(text)
    m = one(doc, "claim_source", mention)
    assert (m.data["name"], m.data["source_kind"]) == (name, "generic")
    assert doc.mentions_of("actor") == []


def test_longer_name_wins_over_the_name_inside_it() -> None:
    doc = annotate(
        "هاجم عناصر من الجيش السوري الحر حاجزاً، وأعلن الجيش السوري في بيان صد الهجوم.", dt.date(2013, 4, 2)
    )
    assert actors_of(doc) == [("الجيش السوري الحر", "FSA"), ("الجيش السوري", "SYR_MIL")]


# ------------------------------------------------------------------ generic words, metonyms, boilerplate


def test_generic_words_alone_are_not_actors() -> None:
    doc = annotate("دخلت قوات إلى البلدة، وقال سكان إن مسلحين انتشروا في الشوارع.")
    assert doc.mentions_of("actor") == []
    assert actors_of(annotate("خرج سكان قرية المسيفرة في مظاهرة.")) == [("سكان قرية", "PROTESTERS")]


def test_capital_is_reported_as_a_metonym() -> None:
    doc = annotate("ردت دمشق على الاتهامات، فيما سقطت قذائف على أحياء في دمشق.")
    ms = doc.mentions_of("actor")
    assert [m.data["actor_id"] for m in ms] == ["SYR_GOV", "SYR_GOV"]
    assert all(m.data["metonym"] for m in ms)
    assert not one(annotate("قالت الحكومة السورية إن المعبر سيفتح."), "actor", "الحكومة السورية").data[
        "metonym"
    ]


def test_boilerplate_is_skipped() -> None:
    text = "اقرأ أيضاً: حزب الله ينعى قيادياً في الجنوب\nقصفت القوات التركية قرى ريف منبج."
    cut = text.index("\n")
    doc = annotate(text, boilerplate=[(0, cut)])
    assert actors_of(doc) == [("القوات التركية", "TUR_MIL")]


def test_specific_civilian_groups_are_coded_as_civilians_with_an_associated_actor() -> None:
    doc = annotate("أسفر القصف عن مقتل صحفيين اثنين أثناء تغطيتهما المعارك.")
    m = one(doc, "actor", "صحفيين")
    assert (m.data["actor_id"], m.data["assoc_actor_id"], m.data["actor_kind"]) == (
        "CIV",
        "JOURNALISTS",
        "civilians",
    )


def test_mention_data_keys() -> None:
    doc = annotate("قصفت الطائرات الروسية مواقع لتنظيم داعش في البادية، بحسب المرصد السوري.")
    for m in doc.mentions_of("actor"):
        assert {"actor_id", "name", "actor_kind", "loaded", "adjective", "metonym"} <= set(m.data)
    for m in doc.mentions_of("claim_source"):
        assert {"source_id", "name", "source_kind", "actor_id"} <= set(m.data)
    assert [m.data["actor_id"] for m in doc.mentions_of("actor")] == ["RUS_MIL", "ISIS"]
    assert [m.data["source_id"] for m in doc.mentions_of("claim_source")] == ["SOHR"]


def test_unidentified_attacker_read_from_majhul() -> None:
    doc = annotate("استهدفت طائرة مسيرة مجهولة سيارة عسكرية قرب البوكمال.")
    assert actors_of(doc) == [("طائرة مسيرة مجهولة", "UNIDENTIFIED")]


def test_source_name_inside_a_longer_actor_name_is_not_a_source() -> None:
    doc = annotate("قالت حركة تحرير الوطن إن مقاتليها صدوا الهجوم.")
    assert actors_of(doc) == [("حركة تحرير الوطن", "HARAKAT_TAHRIR_WATAN")]
    assert doc.mentions_of("claim_source") == []


@pytest.mark.parametrize(
    ("text", "mention", "principal", "group"),
    [
        (
            "تقدمت فصائل المعارضة المسلحة نحو التلال المحيطة بالبلدة.",
            "فصائل المعارضة المسلحة",
            "FSA",
            "OPPOSITION",
        ),
        ("اعتقلت الأسايش ثلاثة شبان في حي الصناعة.", "الأسايش", "SDF", "ASAYISH"),
        ("هاجم مقاتلو فرقة السلطان مراد نقطة عسكرية قرب القرية.", "فرقة السلطان مراد", "SNA", "SULTAN_MURAD"),
        ("تقدمت كتائب المعارضة نحو تلة الحمرية فجراً.", "كتائب المعارضة", "FSA", "OPPOSITION"),
        ("استهدفت قوات المعارضة بالهاون تجمعاً للجنود.", "قوات المعارضة", "FSA", "OPPOSITION"),
    ],
)
def test_a_group_outside_the_core_inventory_is_coded_under_its_core_actor(
    text: str, mention: str, principal: str, group: str
) -> None:
    m = one(annotate(text, published=dt.date(2019, 3, 1)), "actor", mention)
    assert (m.data["actor_id"], m.data["assoc_actor_id"]) == (principal, group)


def test_remnants_of_the_former_regime_are_an_unidentified_armed_group() -> None:
    doc = annotate("نصب مسلحون من فلول النظام البائد كميناً لدورية أمنية.", published=dt.date(2025, 3, 7))
    m = one(doc, "actor", "فلول النظام البائد")
    assert (m.data["actor_id"], m.data["assoc_actor_id"]) == ("UNIDENTIFIED", "ASSAD_LOYALISTS")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (" date 2025-03-09 \nقصف الجيش السوري مواقع في ريف اللاذقية.", "SYR_GOV_2024"),
        ("تحديث بتاريخ 2019/11/26\nقصف الجيش السوري مواقع في ريف إدلب.", "SYR_MIL"),
        ("الأربعاء 09-03-2025 08:57\nقصف الجيش السوري مواقع في ريف حمص.", "SYR_GOV_2024"),
    ],
)
def test_a_date_in_the_first_lines_dates_an_undated_article(text: str, expected: str) -> None:
    doc = annotate(text)
    assert one(doc, "actor", "الجيش السوري").data["actor_id"] == expected


@pytest.mark.parametrize(
    ("text", "mention", "expected"),
    [
        ("تجددت المواجهات بين قسد وفصائل موالية لتركيا على محور عين عيسى.", "فصائل موالية لتركيا", "SNA"),
        ("قصفت ميليشيات مدعومة من إيران أطراف البلدة.", "ميليشيات مدعومة من إيران", "IRN_MIL"),
        ("تبادلت فصائل محلية وأخرى موالية لـ«تركيا» القصف في الريف.", "أخرى موالية لـ«تركيا", "SNA"),
        ("هاجم مسلحون سوريون متحالفون مع قسد الحاجز.", None, None),
    ],
)
def test_groups_backed_by_a_state_are_its_proxies(
    text: str, mention: str | None, expected: str | None
) -> None:
    doc = annotate(text, published=dt.date(2021, 5, 1))
    if mention is None:
        assert all(m.data["actor_id"] != "SNA" for m in doc.mentions_of("actor"))
        return
    assert one(doc, "actor", mention).data["actor_id"] == expected


def test_kurdish_factions_are_the_sdf() -> None:
    doc = annotate(
        "اندلعت اشتباكات بين الفصائل الكردية وفصائل الجيش الوطني قرب منبج.", published=dt.date(2021, 5, 1)
    )
    assert one(doc, "actor", "الفصائل الكردية").data["actor_id"] == "SDF"


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="قصف ـ.،\n", max_size=30),
    st.lists(st.tuples(st.integers(0, 32), st.integers(0, 12)), max_size=4),
)
def test_content_tokens_are_the_tokens_outside_boilerplate(text: str, spans: list[tuple[int, int]]) -> None:
    # the bisection over boilerplate ranges keeps exactly the tokens Document.in_boilerplate keeps
    from rasid.knowledge.actors import _content_tokens

    doc = Document(Article(id="t", text=text))
    doc.boilerplate = sorted((a, a + n) for a, n in spans)
    offsets = doc.folded.offsets
    expected = [t for t in doc.tokens if not doc.in_boilerplate(offsets[t.start])]
    assert _content_tokens(doc) == expected
