"""The gazetteer's data files and its lookups (exact names, near spellings)."""

from __future__ import annotations

import math

import pytest

from rasid.document import Article, Document, Mention
from rasid.geo.gazetteer import (
    gazetteer,
    is_common_word,
    near_key,
    one_place,
    within_one_edit,
)
from rasid.geo.places import find_places
from rasid.knowledge.loader import load_yaml, read_tsv
from rasid.text.fold import fold_phrase

ADMIN1 = {g["admin1"] for g in load_yaml("regions.yaml")["governorates"]}
# Syria's bounding box, a little generous (the border crossings and the Golan are on its edge)
SYRIA_LAT, SYRIA_LON = (32.2, 37.4), (35.5, 42.5)


def geo(text: str) -> list[Mention]:
    doc = Document(Article(id="t", text=text))
    find_places(doc)
    return [m for m in doc.mentions if m.kind in ("place", "region")]


def places_named(text: str, name: str) -> list[Mention]:
    return [m for m in geo(text) if m.text == name]


# --------------------------------------------------------------------------- data files


@pytest.mark.parametrize("name", ["places.tsv", "features.tsv", "foreign_places.tsv"])
def test_every_row_has_a_name_and_valid_coordinates(name: str) -> None:
    for n, r in read_tsv(name, required=("id", "name_ar", "lat", "lon")):
        lat, lon = float(r["lat"]), float(r["lon"])
        assert -90 <= lat <= 90 and -180 <= lon <= 180, (name, n)
        assert math.isfinite(lat) and math.isfinite(lon), (name, n)


def test_syrian_rows_lie_in_syria_and_name_a_known_governorate() -> None:
    gz = gazetteer()
    rows = [p for p in gz.places if p.country == "SY" and p.source != "foreign"]
    assert len(rows) > 10_000
    for p in rows:
        where = (p.id, p.name_ar)
        if p.feature == "country" or p.admin1 is None:
            # national features (the Euphrates, the M5, the Badia) span several governorates
            assert p.source == "features" and p.feature in ("river", "road", "region", "desert"), where
            continue
        assert p.admin1 in ADMIN1, where
        assert SYRIA_LAT[0] <= p.lat <= SYRIA_LAT[1] and SYRIA_LON[0] <= p.lon <= SYRIA_LON[1], where


def test_feature_rows_have_unique_ids_and_say_their_source() -> None:
    ids: set[str] = set()
    for n, r in read_tsv("features.tsv", required=("id", "name_ar", "feature", "country", "source")):
        assert r["id"] not in ids, n
        ids.add(r["id"])
        assert r["source"].startswith(("hand:", "ocha:", "wof:")), n
        assert r["id"].startswith("hand:"), n


def test_neighbourhoods_and_landmarks_resolve_to_their_city() -> None:
    gz = gazetteer()
    for name, admin1 in [
        ("حي غويران", "Al-Hasakah"),
        ("الشيخ سعيد", "Aleppo"),
        ("كرم الأفندي", "Aleppo"),
        ("حي الزاهرة", "Damascus"),
        ("درعا البلد", "Daraa"),
        ("جبال الشومرية", "Homs"),
        ("اللواء 66", "Hama"),
        ("حقل الشاعر", "Homs"),
        ("جسر قرقوزاق", "Aleppo"),
    ]:
        found = gz.lookup(name)
        assert found and all(p.admin1 == admin1 for p in found), name


def test_kurdish_names_of_north_eastern_towns() -> None:
    gz = gazetteer()
    assert {p.name_ar for p in gz.lookup("كوباني")} == {"عين العرب"}
    assert {p.name_ar for p in gz.lookup("قامشلو")} == {"القامشلي"}
    assert {p.name_ar for p in gz.lookup("سري كانيه")} == {"رأس العين"}


def test_the_word_after_a_compound_head_takes_or_drops_the_article() -> None:
    gz = gazetteer()
    assert {p.name_ar for p in gz.lookup("معرة الصين")} == {"معرة صين"}
    assert {p.name_ar for p in gz.lookup("تل كرامة")} >= {"تل الكرامة"}


def test_far_away_cities_do_not_take_everyday_words() -> None:
    gz = gazetteer()
    for word in ("ميدان", "المدينة", "الجديدة", "المشهد"):
        assert all(p.country == "SY" for p in gz.lookup(word)), word
    assert {p.country for p in gz.lookup("المدينة المنورة")} == {"SA"}


# --------------------------------------------------------------------------- near spellings


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("كفر نبل", "كفرنبل"),  # glued or split compound
        ("معرة الصين", "معرة صين"),  # article inside a compound
        ("القامشلي", "قامشلي"),  # article dropped
        ("الولغة", "ولغا"),  # final ة / ا
        ("حماه", "حماة"),  # final ه / ة
    ],
)
def test_near_key_forgives_article_spaces_and_final_letter(a: str, b: str) -> None:
    assert near_key(fold_phrase(a)) == near_key(fold_phrase(b))


def test_within_one_edit() -> None:
    assert within_one_edit("مدايه", "مضايه")  # one letter replaced
    assert within_one_edit("ارينبه", "ارنبه")  # a long vowel more
    assert within_one_edit("كومباش", "كومباشه")  # a letter less
    assert not within_one_edit("ادلب", "حلب")
    assert not within_one_edit("قامشلي", "قمشل")


def test_one_place_accepts_the_same_village_from_two_sources_only() -> None:
    gz = gazetteer()
    idlib, aleppo = gz.lookup("إدلب")[0], gz.lookup("حلب")[0]
    assert one_place([idlib, idlib], 8.0)
    assert not one_place([idlib, aleppo], 8.0)
    assert not one_place([], 8.0)


def test_near_matches_find_the_one_place_a_spelling_fits() -> None:
    gz = gazetteer()
    assert {p.name_ar for p in gz.near_matches(fold_phrase("معرزيتا"))} == {"معر زيتة"}
    assert {p.name_ar for p in gz.near_matches(fold_phrase("كوم الباش"))} == {"كوم الباشا"}
    assert {p.admin1 for p in gz.near_matches(fold_phrase("الولغة"))} == {"As-Suwayda"}


def test_near_matches_refuse_exact_names_short_names_and_common_words() -> None:
    gz = gazetteer()
    assert gz.near_matches(fold_phrase("حلب")) == []  # an exact name is not a near spelling
    assert gz.near_matches(fold_phrase("كفر")) == []  # too short
    for word in ("عديدة", "القريبة", "مجاورة", "التابعة"):
        assert is_common_word(fold_phrase(word)), word
        assert gz.near_matches(fold_phrase(word)) == [], word


def test_a_class_word_makes_a_near_spelling_a_place() -> None:
    [m] = places_named("قصفت قوات النظام قرية معرزيتا بالمدفعية الثقيلة.", "معرزيتا")
    assert m.kind == "place" and m.data["admin1"] == "Idlib"
    [m] = places_named("سقطت قذائف على بلدة الولغة في ريف السويداء.", "الولغة")
    assert m.data["admin1"] == "As-Suwayda"


def test_a_near_spelling_without_a_class_word_is_no_place() -> None:
    assert places_named("قصفت قوات النظام معرزيتا بالمدفعية الثقيلة.", "معرزيتا") == []


def test_adjectives_after_a_class_word_are_not_near_spellings() -> None:
    text = "شنت الطائرات غارات على مناطق عديدة وقرى مجاورة في ريف إدلب."
    assert [m.text for m in geo(text) if m.kind == "place"] == []


def test_near_spelling_offsets_point_into_the_original_text() -> None:
    text = "اندلعت اشتباكات عنيفة في محيط بلدة ومعرزيتا صباح اليوم."
    doc = Document(Article(id="t", text=text))
    find_places(doc)
    texts = [text[m.start : m.end] for m in doc.mentions if m.kind == "place"]
    assert texts == [] or texts == ["معرزيتا"]


# --------------------------------------------------------------------------- divisions abroad


@pytest.mark.parametrize(
    ("text", "name", "country"),
    [
        ("قصفت طائرات مسيرة مواقع في محافظة ديالى شرقي بغداد.", "محافظة ديالى", "IQ"),
        ("شهدت منطقة جبل لبنان مظاهرات ليلية.", "جبل لبنان", "LB"),
        ("اعتقلت السلطات ناشطين في خوزستان جنوب غربي إيران.", "خوزستان", "IR"),
        ("وصل اللاجئون إلى ولاية قونية وسط تركيا.", "ولاية قونية", "TR"),
    ],
)
def test_first_level_divisions_abroad_carry_their_country(text: str, name: str, country: str) -> None:
    [m] = places_named(text, name)
    assert m.data["country"] == country and m.data["feature"] == "province"


def test_divisions_abroad_leave_syrian_names_alone() -> None:
    gz = gazetteer()
    provinces = [p for p in gz.places if p.id.startswith("hand:admin1:")]
    assert len(provinces) > 200
    syrian = {fold_phrase(n) for p in gz.places if p.country == "SY" for n in p.names_ar}
    for p in provinces:
        assert not syrian & {fold_phrase(n) for n in p.names_ar}, p.id
    [m] = places_named("قصفت قوات النظام قرية معان في ريف حماة الشمالي.", "معان")
    assert m.data["admin1"] == "Hama"


# --------------------------------------------------------------------------- quarters


def test_a_quarter_is_read_in_its_own_city() -> None:
    [m] = places_named("انفجرت سيارة مفخخة في حي الزهراء بمدينة حمص.", "الزهراء")
    assert m.data["admin1"] == "Homs"
    [m] = places_named("اشتبكت الوحدات الكردية مع التنظيم في حي العزيزية بمدينة الحسكة.", "العزيزية")
    assert m.data["admin1"] == "Al-Hasakah"


def test_a_quarter_named_by_an_everyday_word_needs_the_class_word() -> None:
    assert places_named("تغير المشهد في المدينة بعد القصف.", "المشهد") == []
    assert places_named("تعرض حي المشهد في حلب لقصف مدفعي.", "المشهد") != []


# --------------------------------------------------------------------------- common words


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("استهدفت القوات التركية بواسطة الطيران المسير مواقع في ريف الرقة.", "واسطة"),
        ("وكان رئيس قسم الإشارة في فرع الشرطة قد قتل في الهجوم.", "الإشارة"),
        ("اشتكى الأهالي من فقدان الأمان في مناطق انتشار المسلحين.", "الأمان"),
        ("تغير المشهد الميداني في الشمال السوري خلال أسبوع.", "المشهد"),
    ],
)
def test_everyday_words_are_no_places_abroad_or_at_home(text: str, word: str) -> None:
    assert [m for m in geo(text) if word in m.text] == []
