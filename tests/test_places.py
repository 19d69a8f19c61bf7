"""Place and region recognition: place-likeness, region grammar, context resolution, offsets."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasid.document import Article, Document, Mention
from rasid.geo.gazetteer import gazetteer
from rasid.geo.places import find_places, resolve_place_name
from rasid.pipeline import compiled

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
from place_accuracy import evaluate, read_probes  # noqa: E402


def geo(text: str, actors: tuple[str, ...] = (), boilerplate: tuple[str, ...] = ()) -> list[Mention]:
    doc = Document(Article(id="t", text=text))
    for a in actors:
        i = text.index(a)
        doc.add_mention(i, i + len(a), "actor", actor_id="X", name=a)
    for b in boilerplate:
        i = text.index(b)
        doc.boilerplate.append((i, i + len(b)))
    find_places(doc)
    return [m for m in doc.mentions if m.kind in ("place", "region")]


def only(mentions: list[Mention], text: str) -> Mention:
    found = [m for m in mentions if m.text == text]
    assert len(found) == 1, [(m.text, m.kind) for m in mentions]
    return found[0]


def test_probe_accuracy() -> None:
    score = evaluate(read_probes())
    assert score.total >= 250
    assert score.accuracy >= 0.90, "\n".join(score.failures)
    assert score.precision >= 0.90


def test_gazetteer_is_built_once_and_has_every_source() -> None:
    gz = gazetteer()
    assert gazetteer() is gz
    sources = {p.source for p in gz.places}
    assert sources == {"places", "features", "foreign"}
    assert len(gz.governorates) == 14


# --------------------------------------------------------------------------- regions


def test_countryside_with_direction_is_a_region_of_the_governorate() -> None:
    m = only(geo("شنت الطائرات غارات على قرى ريف إدلب الجنوبي مساء أمس."), "ريف إدلب الجنوبي")
    assert m.kind == "region" and m.data["geo_precision"] == 3
    assert m.data["admin1"] == "Idlib" and m.data["country"] == "SY"


def test_countryside_of_a_town_takes_the_town_admin_units() -> None:
    m = only(geo("استهدفت مسيرة سيارة بريف القامشلي الشرقي."), "ريف القامشلي الشرقي")
    assert m.kind == "region" and m.data["admin1"] == "Al-Hasakah" and m.data["admin2"]


def test_countryside_before_the_governorate_name() -> None:
    m = only(geo("هاجمت خلايا التنظيم نقاطا في الريف الشرقي للدير ليلا."), "الريف الشرقي للدير")
    assert m.data["admin1"] == "Deir ez-Zor" and m.data["geo_precision"] == 3
    m = only(geo("انسحبت القوات من الريف الغربي لدير الزور."), "الريف الغربي لدير الزور")
    assert m.data["admin1"] == "Deir ez-Zor"


def test_country_parts_are_regions_and_the_country_is_not_counted_twice() -> None:
    ms = geo("قصفت الطائرات مواقع في شمال شرق سوريا وشمال العراق.")
    assert [m.text for m in ms] == ["شمال شرق سوريا", "شمال العراق"]
    iraq = ms[1]
    assert iraq.kind == "region" and iraq.data["country"] == "IQ" and iraq.data["admin1"] is None


def test_direction_of_a_governorate_capital_and_governorate_phrase() -> None:
    ms = geo("تصاعد القصف على قرى غربي حماة وشمال غربي حماة وفي محافظة إدلب.")
    assert [(m.text, m.kind, m.data["admin1"]) for m in ms] == [
        ("غربي حماة", "region", "Hama"),
        ("شمال غربي حماة", "region", "Hama"),
        ("محافظة إدلب", "region", "Idlib"),
    ]


def test_named_regions_and_area_features() -> None:
    ms = geo("تتواصل المعارك شرق الفرات وفي سهل الغاب.")
    assert [(m.text, m.kind, m.data["geo_precision"]) for m in ms] == [
        ("شرق الفرات", "region", 3),
        ("سهل الغاب", "region", 3),
    ]


# --------------------------------------------------------------------------- near


@pytest.mark.parametrize(
    ("text", "name", "cue"),
    [
        ("سقطت قذيفة قرب منبج صباحا.", "منبج", "قرب"),
        ("انفجر لغم بالقرب من بلدة تل تمر.", "تل تمر", "بالقرب من بلدة"),
        ("قتل راع في محيط قرية خشام.", "خشام", "في محيط قرية"),
        ("تعرضت أطراف مدينة الباب لقصف.", "الباب", "أطراف مدينة"),
        ("انفجرت عبوة على بعد 8 كيلومترات شرقي معرة النعمان.", "معرة النعمان", "8 كيلومترات شرقي"),
        ("قصفت المدفعية قرى شرق سراقب.", "سراقب", "شرق"),
    ],
)
def test_near_phrases_give_the_place_with_precision_2(text: str, name: str, cue: str) -> None:
    m = only(geo(text), name)
    assert m.kind == "place" and m.data["geo_precision"] == 2
    assert m.data["near"] == cue
    assert text[m.start : m.end] == name


# --------------------------------------------------------------------------- ambiguity


def test_cairo_in_the_ghab_plain_is_the_hama_village() -> None:
    m = only(geo("قصفت قوات النظام قرية القاهرة في سهل الغاب غربي حماة."), "القاهرة")
    assert m.data["country"] == "SY" and m.data["admin1"] == "Hama"


def test_cairo_without_syrian_context_is_the_egyptian_capital() -> None:
    m = only(geo("وصل وزير الخارجية المصري إلى القاهرة قادما من الرياض."), "القاهرة")
    assert m.data["country"] == "EG"


def test_saida_near_ain_issa_is_the_raqqa_village_not_sidon() -> None:
    m = only(geo("سيطرت الفصائل على قرية صيدا قرب بلدة عين عيسى."), "صيدا")
    assert m.data["gazetteer_id"] == "hand:saida-raqqa" and m.data["admin1"] == "Ar-Raqqa"
    m = only(geo("استهدفت غارة مبنى في مدينة صيدا جنوب لبنان."), "صيدا")
    assert m.data["country"] == "LB"


def test_admin_cue_picks_among_same_name_villages() -> None:
    m = only(geo("شهدت بلدات الصور والبصيرة وذيبان احتجاجات."), "الصور")
    assert m.data["admin1"] == "Deir ez-Zor"


def test_resolve_place_name_uses_context() -> None:
    assert resolve_place_name("القاهرة")["country"] == "EG"
    hama = resolve_place_name("القاهرة", "قصف على قرى سهل الغاب غربي حماة")
    assert hama is not None and hama["admin1"] == "Hama" and hama["geo_precision"] == 1
    assert resolve_place_name("اسم لا وجود له") is None


# --------------------------------------------------------------------------- place-likeness


@pytest.mark.parametrize(
    "text",
    [
        "قالت المصادر إن المنطقة تحت سيطرة الفصائل.",
        "أصيب مدنيان بجروح خطيرة.",
        "شنت القوات حملة واسعة واعتقلت مجموعة من الشبان.",
        "نفذت الطائرات سلسلة غارات عنيفة على محطة وقود.",
        "قتل عنصران في كمين وسط قصف شديد.",
        "رفع المحتجون شعارات الحرية والكرامة وأحيوا ذكرى الشهداء.",
        "فتح الاتفاق الباب أمام عودة النازحين.",
    ],
)
def test_common_words_are_not_places(text: str) -> None:
    assert geo(text) == []


def test_a_class_word_makes_a_common_word_a_place() -> None:
    m = only(geo("قتل شخصان في قرية الكرامة بريف الرقة."), "الكرامة")
    assert m.kind == "place" and m.data["admin1"] == "Ar-Raqqa"


def test_names_inside_actor_mentions_are_skipped() -> None:
    text = "أعلن جيش الإسلام وقوات سوريا الديمقراطية انسحابهما من الرقة."
    ms = geo(text, actors=("جيش الإسلام", "قوات سوريا الديمقراطية"))
    assert [m.text for m in ms] == ["الرقة"]


def test_boilerplate_is_skipped() -> None:
    text = "قصفت الطائرات مدينة إدلب.\nاقرأ أيضا: انفجار في حلب"
    ms = geo(text, boilerplate=("اقرأ أيضا: انفجار في حلب",))
    assert [m.text for m in ms] == ["إدلب"]


def test_places_abroad_carry_their_country() -> None:
    ms = geo("زار الرئيس التركي بغداد ثم توجه إلى أربيل وغازي عنتاب.")
    assert [(m.text, m.data["country"]) for m in ms] == [
        ("بغداد", "IQ"),
        ("أربيل", "IQ"),
        ("غازي عنتاب", "TR"),
    ]
    assert all(m.data["admin1"] is None for m in ms)


# --------------------------------------------------------------------------- offsets


def test_offsets_exclude_clitics_and_cover_tatweel() -> None:
    text = "سقطت قذائف على والقامشلي وبحلب ولإدلب ومدينة إدلـــب."
    ms = geo(text)
    assert [m.text for m in ms] == ["القامشلي", "حلب", "إدلب", "إدلـــب"]
    for m in ms:
        assert text[m.start : m.end] == m.text


def test_mention_data_keys() -> None:
    m = only(geo("قصفت الطائرات مدينة سرمين."), "سرمين")
    assert set(m.data) == {
        "gazetteer_id",
        "name",
        "name_ar",
        "admin1",
        "admin2",
        "country",
        "lat",
        "lon",
        "geo_precision",
        "feature",
        "near",
        "role",
    }
    assert m.data["role"] == "site"
    assert 35.8 < m.data["lat"] < 36.0 and 36.6 < m.data["lon"] < 36.8


_WORDS = [
    "في",
    "قرب",
    "ريف",
    "إدلب",
    "الجنوبي",
    "حلب",
    "و",
    "قرية",
    "تحت",
    "شمال",
    "سوريا",
    "،",
    ".",
    "بحلب",
    "8",
    "كم",
]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_WORDS) | st.text(max_size=4), max_size=14))
def test_spans_are_exact_and_disjoint_on_any_text(parts: list[str]) -> None:
    text = " ".join(parts)
    ms = sorted(geo(text), key=lambda m: m.start)
    for m in ms:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.text
    for a, b in zip(ms, ms[1:], strict=False):
        assert a.end <= b.start


# --------------------------------------------------------------------------- news spellings (build tool)

import build_gazetteer as bg  # noqa: E402


@pytest.mark.parametrize(
    ("name", "variants"),
    [
        ("كفر نبودة", ["كفرنبودة"]),  # glued
        ("كفرنبل", ["كفر نبل"]),  # split
        ("معر شورين", ["معرشورين"]),
        ("معرة حرمة", ["معرتحرمة"]),  # ة is glued as ت
        ("معرتمصرين", ["معرة مصرين"]),  # and split back to ة
        ("دير حافر", ["ديرحافر"]),
        ("ديرصوان", ["دير صوان"]),
        ("تل رفعت", ["تلرفعت"]),
        ("عين ترما", ["عينترما"]),
        ("بيت سحم", ["بيتسحم"]),
        ("خربةغزالة", ["خربة غزالة"]),  # a source typo is split
        ("خربة غزالة", []),  # but خربة is never glued
        ("دير الزور", []),  # never glued across the article...
        ("كفر الماء", ["كفرالماء"]),  # ...except كفر, as before
        ("كفريا", []),  # the rest is too short to be a name
        ("كفر فو", []),
        ("تلال", []),
        ("أم باطنة", []),  # heads news keeps apart are left alone
        ("امتان", []),
        ("برمان", []),
        ("كفرّام", []),  # a rest that starts with a diacritic is no word
    ],
)
def test_compound_head_variants(name: str, variants: list[str]) -> None:
    assert bg.compound_variants(name) == variants


@pytest.mark.parametrize(
    ("name", "latin", "variants"),
    [
        ("كنسفرة", ["Kannsafra", "Kanşafrah"], ["كنصفرة"]),
        ("كنسفرة", ["Kansafrah"], []),  # no dotted ş: no sign
        ("السوسة", ["As Sūsah"], []),
        ("السوسة", ["Aş Şūşah"], ["الصوصة"]),  # the Latin article is dropped, ال kept
        ("سبع شكور", ["Sab‘ Shukūr"], []),  # ش is never touched
        ("رساس", ["Raşāş"], ["رصاص"]),  # made here, refused later as a word
        ("سرمين", ["Sarmīn wa Şāliḩ"], []),  # word counts differ
        ("مسرابا", ["Maşrābā", "Mişrābā"], ["مصرابا"]),
        ("سلقين", ["Salqīn"], []),
    ],
)
def test_emphatic_variants_follow_the_transliteration(
    name: str, latin: list[str], variants: list[str]
) -> None:
    assert bg.emphatic_variants(name, latin) == variants


def test_hand_news_spellings_are_variants_of_their_row() -> None:
    row = {"names": ["سفوهون"], "latin": [], "admin1_pcode": "SY07"}
    assert "سفوهن" in bg.spelling_variants(row)
    row["admin1_pcode"] = "SY05"  # another governorate's سفوهون is not that village
    assert bg.spelling_variants(row) == []


@pytest.fixture
def fake_zipf(monkeypatch: pytest.MonkeyPatch) -> None:
    freq = {"رصاص": 4.5, "برصاص": 3.6, "صفات": 4.0, "بصلاح": 3.2}
    monkeypatch.setattr(bg, "zipf_of", lambda w: freq.get(w, 0.0))


def _holder(lat: float, lon: float, feature: str = "village", population: int = 1000) -> bg.Holder:
    return bg.Holder.of({"lat": lat, "lon": lon, "feature_type": feature, "population": population})


@pytest.mark.usefixtures("fake_zipf")
def test_variant_rejection_reasons() -> None:
    here = _holder(35.66, 36.58)
    assert bg.variant_rejection("صال", {}, here) == "short"
    assert bg.variant_rejection("رصاص", {}, here) == "word"
    assert bg.variant_rejection("صلاح", {}, here) == "word"  # بصلاح: with a clitic it is a word
    assert bg.variant_rejection("كنصفرة", {}, here) is None
    # a name of a hand-entered feature or of a place abroad: never
    assert bg.variant_rejection("تلعفر", {"تلعفر": [None]}, here) == "taken"
    # the other article form counts, and so does a reading without a clitic
    assert bg.variant_rejection("الكنصفرة", {"كنصفره": [_holder(33.0, 36.0)]}, here) == "taken"
    assert bg.variant_rejection("بكنصفرة", {"كنصفره": [_holder(33.0, 36.0)]}, here) == "taken"
    # another village far away that would lose the bare name to the new one
    small_far = {"التوينه": [_holder(36.56, 40.65, population=3300)]}
    assert bg.variant_rejection("التوينة", small_far, _holder(35.42, 36.36, population=4500)) == "taken"
    # ...but a bigger place keeps it, and the same place from another source is no other place
    big_far = {"التوينه": [_holder(36.56, 40.65, "town", 30000)]}
    assert bg.variant_rejection("التوينة", big_far, _holder(35.42, 36.36, population=4500)) is None
    near = {"كفردلي فوقاني": [_holder(36.16, 36.57, population=5000)]}
    assert bg.variant_rejection("كفردلي فوقاني", near, _holder(36.17, 36.58, population=100)) is None


@pytest.mark.usefixtures("fake_zipf")
def test_add_variants_keeps_only_safe_ones() -> None:
    rows = [
        {"id": "a", "names": ["كنسفرة"], "latin": ["Kanşafrah"], "lat": 35.6, "lon": 36.5,
         "feature_type": "village", "population": 5000, "admin1_pcode": "SY07"},
        {"id": "b", "names": ["رساس"], "latin": ["Raşāş"], "lat": 36.0, "lon": 37.0,
         "feature_type": "village", "population": 100, "admin1_pcode": "SY02"},
        {"id": "c", "names": ["معر شورين"], "latin": [], "lat": 35.6, "lon": 36.7,
         "feature_type": "village", "population": 100, "admin1_pcode": "SY07"},
    ]  # fmt: skip
    log: dict[str, list[str]] = {"added": [], "word": [], "taken": [], "short": []}
    bg.add_variants(rows, ["معرشورين"], log)  # a feature of that name exists (made up for the test)
    assert rows[0]["names"] == ["كنسفرة", "كنصفرة"]
    assert rows[1]["names"] == ["رساس"]
    assert rows[2]["names"] == ["معر شورين"]
    assert len(log["added"]) == 1 and len(log["word"]) == 1 and len(log["taken"]) == 1


@pytest.mark.parametrize(
    ("text", "name", "place_id"),
    [
        ("قصفت قوات النظام بلدة كنصفرة في جبل الزاوية.", "كنصفرة", "wof:1226826293"),
        ("قصفت قوات النظام بلدة معرشورين بريف إدلب.", "معرشورين", "wof:1242758077"),
        ("قصفت قوات النظام بلدة البارة في جبل الزاوية.", "البارة", None),  # article: the matcher's job
    ],
)
def test_news_spellings_reach_the_gazetteer(text: str, name: str, place_id: str | None) -> None:
    m = only(geo(text), name)
    assert m.data["admin1"] == "Idlib"
    if place_id:
        assert m.data["gazetteer_id"] == place_id


# ---- places from grammar: names the gazetteer lacks (invented names: بطيخان، دحروجة...)


def test_an_unknown_name_after_a_settlement_word_is_a_place_of_the_sentence_governorate() -> None:
    m = only(geo("قصفت قوات النظام قرية بطيخان بريف إدلب الجنوبي."), "بطيخان")
    assert m.kind == "place" and m.data["admin1"] == "Idlib"
    assert m.data["gazetteer_id"] == "context:بطيخان" and m.data["lat"] is None
    assert m.data["geo_precision"] == 2


def test_a_feature_word_belongs_to_the_unknown_name() -> None:
    ms = geo("سقطت قذائف على مخيم الصنوبرات قرب مدينة حلب.")
    m = only(ms, "مخيم الصنوبرات")
    assert m.data["admin1"] == "Aleppo"


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("سيطرت الفصائل على قرى بطيخان ودحروجة والقرنفلية في ريف حماة.", ["بطيخان", "دحروجة", "القرنفلية"]),
        ("استهدف القصف بلدتي كفرتقيش والزنبقة شرقي حلب.", ["كفرتقيش", "الزنبقة"]),
        ("قصفت المدفعية قرى، بطيخان وأم الفستق ودحروجة.", ["بطيخان", "أم الفستق", "دحروجة"]),
    ],
)
def test_every_item_of_a_list_after_a_plural_head_is_a_place(text: str, names: list[str]) -> None:
    found = [m.text for m in geo(text) if m.kind == "place"]
    assert found == names


def test_unknown_items_after_a_known_place_need_a_list_end() -> None:
    ms = geo("قصفت الطائرات معرة النعمان وبطيخان ودحروجة بريف إدلب الجنوبي.")
    assert [m.text for m in ms if m.kind == "place"] == ["معرة النعمان", "بطيخان", "دحروجة"]
    ms = geo("قصفت الطائرات معرة النعمان وقتلت مدنيين.")
    assert [m.text for m in ms] == ["معرة النعمان"]


@pytest.mark.parametrize(
    "text",
    [
        "نقل الجرحى إلى مشفى ميداني في المنطقة.",
        "سيطرت القوات على عدة قرى وبسطت نفوذها.",
        "أقام الجيش حاجز أمني عند المدخل.",
        "دخل المقاتلون محاور استراتيجية.",
        "تقع البلدة وريفها تحت القصف.",
    ],
)
def test_words_after_heads_that_are_not_names(text: str) -> None:
    assert [m for m in geo(text) if m.data.get("feature") == "unknown"] == []


# ---- countries and capitals: a place in a place slot, the actor only as the doer


def _pipeline_kinds(text: str, name: str) -> set[str]:
    from rasid.pipeline import annotate_article

    doc = annotate_article(Article(id="t", text=text))
    return {m.kind for m in doc.mentions if m.text == name and m.kind in ("place", "actor")}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("انفجرت عبوة ناسفة في دمشق صباح اليوم.", "دمشق"),
        ("سقطت قذائف على أحياء سكنية بدمشق.", "دمشق"),
        ("أسفر انفجار بيروت عن دمار واسع.", "بيروت"),
        ("استهدفت غارات مواقع عسكرية قرب بغداد.", "بغداد"),
        ("تظاهر المئات في شوارع عمان.", "عمان"),
        ("#دمشق انفجار يهز حي المزة", "دمشق"),
    ],
)
def test_a_capital_in_a_place_slot_is_a_place(text: str, name: str) -> None:
    assert "place" in _pipeline_kinds(text, name)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("قالت دمشق إن الهجوم فشل.", "دمشق"),
        ("أدانت الحكومة الانتقالية في دمشق الهجوم.", "دمشق"),
        ("ندد المسؤولون بهجوم تركيا على القرى الحدودية.", "تركيا"),
    ],
)
def test_a_capital_or_country_that_acts_or_hosts_an_actor_is_no_place(text: str, name: str) -> None:
    assert "place" not in _pipeline_kinds(text, name)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("سيطرت القوات على تل الفستق شرقي حلب.", "تل الفستق"),
        ("دارت اشتباكات في محيط بلدة تل بطيخان.", "تل بطيخان"),
        ("قتل مدنيان في قصف على حي الشيخ سعيد بحلب.", "الشيخ سعيد"),
        ("اندلعت اشتباكات في منطقة حوش البلوطة جنوب المدينة.", "حوش البلوطة"),
        ("قصفت المدفعية قريتا دحروجة والقرنفلية.", "القرنفلية"),
    ],
)
def test_compound_and_stop_word_names_after_heads(text: str, name: str) -> None:
    # the head word may be part of the mention (حي الشيخ سعيد, a gazetteer neighbourhood) or not
    assert any(m.text.endswith(name) for m in geo(text) if m.kind == "place")


@pytest.mark.parametrize(
    "text",
    [
        "نفذت المدفعية رمايات على محاور تحرك المسلحين.",
        "رصدت الطائرات محاور تقدم المجموعات وخطوط إمدادها.",
        "اندلعت اشتباكات في مناطق ريفية خالية من السكان.",
        "بسط الجيش سيطرته على مناطق واسعة بعد معارك عنيفة.",
        "دخلت القوات منطقة جديدة بعد انسحاب المسلحين.",
        "وصلت فرق الإنقاذ إلى منطقة تعرضت للقصف.",
        "استهدفت الغارة معسكرا في منطقة تقع غربي المدينة.",
        "نقل الجريح إلى مشفى المدينة.",
    ],
)
def test_area_words_and_heads_before_non_names(text: str) -> None:
    assert [m.text for m in geo(text) if m.kind == "place"] == []


# ---- place roles: events are located only at sites


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        ("أطلقت صواريخ من درعا على مواقع في السويداء.", "درعا", "origin"),
        ("أطلقت صواريخ من درعا على مواقع في السويداء.", "السويداء", "site"),
        ("نقل الجرحى إلى مشفى حمص بعد قصف قرية تلبيسة.", "حمص", "destination"),
        ("وصلت تعزيزات عسكرية إلى مدينة منبج.", "منبج", "destination"),
        ("قتل شاب من أبناء بلدة داعل برصاص مجهولين في درعا.", "داعل", "home"),
        ("قتل شاب من أبناء بلدة داعل برصاص مجهولين في درعا.", "درعا", "site"),
        ("جرت مفاوضات بشأن حلب بين الطرفين.", "حلب", "topic"),
        ("امتدت الاشتباكات إلى بلدة سرمين.", "سرمين", "site"),
        ("انسحبت الفصائل من بلدة سرمين.", "سرمين", "site"),
        # home: the victims' home town (المنحدرين من، جاءوا من)
        ("عثر على جثتي شابين المنحدرين من مدينة نوى قرب مدينة درعا.", "نوى", "home"),
        ("اغتال مجهولون عنصرا المنحدر من بلدة طفس في مدينة درعا.", "طفس", "home"),
        ("قتل مدنيون جاءوا من مدينة منبج إلى مدينة الرقة.", "منبج", "home"),
        # base: where a unit is stationed, unless it is attacked there
        ("قصفت قوات النظام المتمركزة في مدينة خان شيخون بلدة التمانعة.", "خان شيخون", "base"),
        ("قصفت قوات النظام المتمركزة في مدينة خان شيخون بلدة التمانعة.", "التمانعة", "site"),
        ("أطلقت الميليشيات المتمركزة في بلدة نبل قذائف على مدينة عندان.", "نبل", "base"),
        ("استهدفت الفصائل مواقع قوات النظام المتمركزة في بلدة كفرنبودة.", "كفرنبودة", "site"),
        # holder: the one an area is under
        ("قصفت المدفعية القرى الخاضعة لسيطرة تركيا في ريف حلب.", "تركيا", "holder"),
        ("قصفت المدفعية القرى الخاضعة لسيطرة تركيا في ريف حلب.", "ريف حلب", "site"),
        ("تعيش المناطق الخاضعة لسيطرة دمشق أزمة وقود.", "دمشق", "holder"),
        # destination: the end of a road, the way a pursuit goes
        ("تقدمت القوات على الطريق المؤدي إلى مدينة سراقب.", "سراقب", "destination"),
        ("تلاحق القوات فلول المسلحين باتجاه بلدة كنصفرة.", "كنصفرة", "destination"),
        ("أعلن الجيش انسحاب وحداته إلى بلدة التمانعة.", "التمانعة", "destination"),
        # sanctions or pressure on a country: a topic
        ("شدد الاتحاد الأوروبي العقوبات على إيران.", "إيران", "topic"),
        ("فرضت الحكومة عقوبات جديدة على سوريا بسبب القمع.", "سوريا", "topic"),
        ("تتصاعد الضغوط الغربية على لبنان لإجراء إصلاحات.", "لبنان", "topic"),
    ],
)
def test_place_roles(text: str, name: str, role: str) -> None:
    assert only(geo(text), name).data["role"] == role


# ---- small villages with no preposition: a list or a strike verb vouches for them


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("قصفت الطائرات الحربية جرجناز ومعرشورين وتلمنس.", ["جرجناز", "معرشورين", "تلمنس"]),
        ("طال القصف المدفعي جرجناز وتلمنس بريف إدلب الشرقي.", ["جرجناز", "تلمنس"]),
        ("قصفت قوات النظام جرجناز صباح اليوم.", ["جرجناز"]),
        ("اقتحمت الفصائل خان السبل بعد منتصف الليل.", ["خان السبل"]),
    ],
)
def test_lists_and_strike_verbs_make_small_villages_places(text: str, names: list[str]) -> None:
    doers = tuple(a for a in ("قوات النظام", "الفصائل") if a in text)
    ms = geo(text, actors=doers)
    found = [m.text for m in ms if m.kind == "place"]
    assert found == names
    assert all(m.data["admin1"] == "Idlib" for m in ms if m.kind == "place")


@pytest.mark.parametrize(
    ("text", "name", "admin1"),
    [
        ("اندلعت اشتباكات في قامشلي مساء أمس.", "قامشلي", "Al-Hasakah"),
        ("سقطت قذائف على حمدونية في ريف حلب.", "حمدونية", "Aleppo"),
        ("دارت اشتباكات عنيفة في التل بريف دمشق.", "التل", "Rif Dimashq"),
    ],
)
def test_names_without_their_article_and_everyday_words_in_a_place_slot(
    text: str, name: str, admin1: str
) -> None:
    assert only(geo(text), name).data["admin1"] == admin1


@pytest.mark.parametrize(
    "text",
    ["خرج الناس على أمل العودة.", "تحدث عن ثورة جديدة في البلاد.", "قال إن قامشلي كلمة كردية."],
)
def test_everyday_words_and_bare_article_less_names_out_of_a_slot(text: str) -> None:
    assert [m.text for m in geo(text) if m.kind == "place"] == []


# ---- precision: fragments of words, adjectives after plural class words


@pytest.mark.parametrize(
    "text",
    [
        "أطلقت وزارة الصحة حملة لقاح جديدة في المدارس.",
        "عقد اجتماع في وزارة الأوقاف صباح اليوم.",
        "سيطرت القوات على قرى جديدة بعد انسحاب الفصائل.",
        "اندلعت اشتباكات متقطعة في عدة مناطق ريفية.",
        "بسط الجيش سيطرته على مناطق واسعة من البادية.",
        "واكتفى البيان بالإشارة إلى نتائج العملية.",
        "تصدت الدفاعات الجوية لعدوان صاروخي.",
    ],
)
def test_word_fragments_and_adjectives_are_not_places(text: str) -> None:
    assert [m.text for m in geo(text) if m.kind == "place"] == []


def test_a_common_word_after_a_singular_settlement_word_is_a_name() -> None:
    assert [
        m.text for m in geo("قتل مدنيان بقصف على بلدة مديرا في الغوطة الشرقية.") if m.kind == "place"
    ] == ["مديرا"]


def test_an_unknown_place_takes_the_article_governorate_over_a_road_end_in_its_sentence() -> None:
    text = (
        "تواصل القصف على أحياء مدينة دمشق منذ الصباح.\n"
        "وسقطت قذائف على أحياء الميدان والزاهرة والقرنفلية وطريق درعا دمشق."
    )
    m = only(geo(text), "القرنفلية")
    assert m.data["admin1"] == "Damascus"


def test_a_small_village_far_from_the_article_is_read_as_an_unknown_place_there() -> None:
    text = (
        "سيطرت الفصائل على بلدة خان أرنبة في ريف القنيطرة.\n"
        "ودارت اشتباكات في مدينة القنيطرة وقرب بلدة جباثا الخشب.\n"
        "كما اندلعت مواجهات في تل أسود."
    )
    m = only(geo(text), "تل أسود")
    assert m.data["admin1"] == "Quneitra" and m.data["feature"] == "unknown"


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "قصفت المدفعية قرى، دحروجة والأربعين وتل الفستق الواقعة شمال حلب.",
            ["دحروجة", "الأربعين", "تل الفستق"],
        ),
        ("استيقظ أهالي سراقب وكفرتقيش في ريف إدلب على أصوات الانفجارات.", ["سراقب", "كفرتقيش"]),
    ],
)
def test_list_items_with_their_own_head_and_lists_closed_by_a_countryside_phrase(
    text: str, names: list[str]
) -> None:
    assert [m.text for m in geo(text) if m.kind == "place"] == names


def test_a_common_word_after_a_singular_site_word_is_a_name() -> None:
    assert [m.text for m in geo("نفذت الفصائل عملية على محور خطاب شمالي حماة.") if m.kind == "place"] == [
        "خطاب"
    ]


def test_a_name_prefix_before_another_word_is_one_longer_name() -> None:
    ms = geo("قصفت المدفعية قرية دحروجة ومعرة الفستق والنقير بريف إدلب الجنوبي.")
    assert [m.text for m in ms if m.kind == "place"] == ["دحروجة", "معرة الفستق", "النقير"]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("اندلعت اشتباكات في الاشرفيه بحلب.", ["الاشرفيه", "حلب"]),
        ("عثر على جثته في منزله بعد مقتله.", []),
    ],
)
def test_final_h_for_ta_marbuta_only_where_no_pronoun_can_be(text: str, found: list[str]) -> None:
    assert [m.text for m in geo(text)] == found


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("سيطرت الفصائل على عدة قرى من قبضة التنظيم أهمها بطيخان ودحروجة.", ["بطيخان", "دحروجة"]),
        ("طال القصف أحياء أخرى منها القرنفلية والزنبقة.", ["القرنفلية", "الزنبقة"]),
        ("سيطرت القوات على عدة قرى، منها دحروجة.", ["دحروجة"]),
    ],
)
def test_a_list_opener_after_a_plural_head_opens_a_list(text: str, names: list[str]) -> None:
    assert [m.text for m in geo(text) if m.kind == "place"] == names


# ---- the region around Syria (issue #16): tests/data/region, scored by tools/place_region.py


def test_region_folder_every_country_and_town_is_a_place() -> None:
    from place_region import annotate_folder, read_expected, score

    s = score(annotate_folder(), read_expected())
    assert s.countries >= 15 and s.places >= 40
    assert s.countries_right == s.countries, s.misses
    assert s.places_right == s.places, s.misses
    assert s.mentions_right / s.mentions >= 0.95, s.misses


def test_a_country_an_actor_covers_is_shown_as_a_place() -> None:
    from rasid.annotate import annotation
    from rasid.pipeline import annotate_article

    text = "قالت تركيا إن طائراتها قصفت مواقع للمسلحين، فيما هاجمت إسرائيل أهدافا في سوريا."
    ann = annotation(annotate_article(Article(id="t", text=text)))
    places = {m["text"]: m for m in ann["mentions"] if m["kind"] in ("place", "region")}
    assert places["تركيا"]["country"] == "TR" and places["تركيا"]["role"] == "actor"
    assert places["إسرائيل"]["country"] == "IL"
    assert all(
        e["location"] is None or e["location"]["mention"] not in ("تركيا", "إسرائيل") for e in ann["events"]
    )


@pytest.mark.parametrize(
    ("text", "name", "country"),
    [
        ("سقطت شظايا صاروخ في محيط مدينة حفر الباطن.", "حفر الباطن", "SA"),
        ("أغلقت السلطات الطرق في الخفجي بسبب العاصفة.", "الخفجي", "SA"),
        ("اندلع حريق في مصفاة قرب الفحيحيل.", "الفحيحيل", "KW"),
        ("احتج العمال في ميناء العقبة على تأخر الأجور.", "العقبة", "JO"),
        ("تظاهر المئات في مادبا ضد رفع الأسعار.", "مادبا", "JO"),
        ("قتل جنديان في هجوم على نقطة عسكرية في مأرب.", "مأرب", "YE"),
        ("أعلنت السلطات حالة الطوارئ في حضرموت بعد الفيضانات.", "حضرموت", "YE"),
        ("اعتقلت قوات الأمن ناشطين في الأحواز.", "الأحواز", "IR"),
    ],
)
def test_arab_world_provinces_and_towns(text: str, name: str, country: str) -> None:
    assert only(geo(text), name).data["country"] == country


@pytest.mark.parametrize(
    ("text", "word"),
    [
        # floods, not Seoul
        ("تسببت الأمطار الغزيرة بسيول جرفت السيارات في الشوارع.", "بسيول"),
        ("حذرت الأرصاد من السيول بعد هطول أمطار غزيرة على المرتفعات.", "السيول"),
        ("أغرقت سيول عارمة أحياء المدينة عقب العاصفة.", "سيول"),
        # rainy, not the Cairo district
        ("تستمر الحالة المطرية حتى مساء الجمعة.", "المطرية"),
        ("تتأثر البلاد بموجة من الأجواء المطرية الباردة.", "المطرية"),
        ("يتوقع خبراء الأرصاد أن تبلغ الكتلة المطرية ذروتها غدا.", "المطرية"),
        # kindergartens, not Riyadh
        ("أغلقت المدارس ورياض الأطفال بسبب الوباء.", "ورياض"),
        ("افتتحت الوزارة ثلاثين من رياض الأطفال في الريف.", "رياض"),
        ("تعاني رياض الأطفال الحكومية من نقص المعلمات.", "رياض"),
        # peaceful, not Salamiyah
        ("فرقت الشرطة المظاهرة السلمية بالهراوات.", "السلمية"),
        ("دعا الحزب إلى الحلول السلمية للأزمة.", "السلمية"),
        ("نظم الطلاب وقفة سلمية أمام الجامعة.", "سلمية"),
        # a scene, not Mashhad
        ("وقف الأهالي في مشهد مؤلم يودعون الضحايا.", "مشهد"),
        ("تصدر الجيش المشهد السياسي في البلاد.", "المشهد"),
        ("تكرر المشهد في أكثر من مدينة، في مشهد يعيد ذكريات الحرب.", "مشهد"),
    ],
)
def test_everyday_words_beside_their_cues_are_no_places(text: str, word: str) -> None:
    start = text.index(word)
    assert not [m for m in geo(text) if m.start < start + len(word) and start < m.end]


@pytest.mark.parametrize(
    "text",
    [
        "أصدرت وزارة الصحة بيانا عن حملة لقاح الأطفال.",
        "عاد الأهالي إلى منازلهم وهم يشعرون بالأمان بعد انتهاء القصف.",
        "طالبت الوزارة بتوزيع لقاح جديد في المراكز الصحية.",
    ],
)
def test_clitics_make_no_fragment_places(text: str) -> None:
    assert [m.text for m in geo(text) if m.kind == "place"] == []


@pytest.mark.parametrize(
    "text",
    [
        "انتشرت الدوريات في حي الكاشف قرب مدينة طفس، استهدفت الأحياء بالرصاص.",
        "وصلت التعزيزات إلى بلدة نوى، قصفت الأحياء الشرقية بالمدفعية.",
        "تجمع المسلحون في قرية اليادودة، هاجموا الأحياء المجاورة ليلا.",
    ],
)
def test_a_frequent_word_after_a_comma_is_no_list_item(text: str) -> None:
    after_comma = text.split("، ")[1].split()[0]
    assert all(m.text != after_comma for m in geo(text))


def test_salamiyah_after_a_preposition_stays_a_place() -> None:
    assert only(geo("خرجت مظاهرة في السلمية ضد الغلاء."), "السلمية").data["admin1"] == "Hama"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ('أطلقت الفصائل معركة "تحرير حلب" فجر اليوم.', "حلب"),
        ("شاركت غرفة عمليات “نصر جاسم” في المعارك قرب بلدة نوى.", "جاسم"),
        ("بدأت عملية «فجر داريا» صباح اليوم في ريف دمشق.", "داريا"),
    ],
)
def test_a_name_inside_an_operation_name_is_no_place(text: str, name: str) -> None:
    assert all(m.text != name for m in geo(text))


def test_a_battle_in_a_town_keeps_the_town() -> None:
    assert only(geo("دارت معركة عنيفة في بلدة داريا."), "داريا").data["admin1"] == "Rif Dimashq"


def test_no_role_rule_holds_without_a_role_marker() -> None:
    # place_role answers "site" at once when no marker of any rule stands before the place
    from rasid.geo.places import _ROLE_RULES, _RoleContext, role_words

    rw = role_words()
    every_cue = tuple(rw.launch | rw.movement | rw.base_attack | rw.pressure_cues)
    ctx = _RoleContext(tails=("كلمة", "كلمة أخرى"), words=every_cue)
    assert not any(rule(ctx) for _, rule in _ROLE_RULES)


@pytest.mark.skipif(compiled(), reason="compiled: module constants cannot be patched; the pure run checks it")
def test_counted_sentence_cues_choose_as_the_pass_over_the_others(monkeypatch: pytest.MonkeyPatch) -> None:
    # a sentence with many names keeps its cues as counts (_SentenceCues); with every sentence
    # counted (threshold 0) the places chosen must be those of the pass over the other names
    import rasid.geo.places as places

    text = (
        "قصفت قوات النظام قرى وبلدات الصالحية والحميدية والعزيزية والمنصورة والقاهرة والسلام "
        "وتل أحمر والكرامة والرشيدية والمزرعة في ريف حلب وريف إدلب وريف حماة. "
        "وفي منطقة أخرى شملت الغارات بلدات الصالحية والكرامة والحميدية قرب دير الزور."
    )

    def places_of() -> list[dict[str, object]]:
        doc = Document(Article(id="t", text=text))
        find_places(doc)
        return [m.data for m in doc.mentions if m.kind in ("place", "region")]

    plain = places_of()
    monkeypatch.setattr(places, "_BIG_SENTENCE", 0)
    assert places_of() == plain
    assert plain  # the text names places
