"""The incident model (rasid.extract.incidents): region-level twins and the compatibility score.

Sentences are written for these tests; frames are built by hand so each feature is tested alone.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from rasid.document import Article, Document, Mention, Sentence
from rasid.evaluate import match_article
from rasid.extract.arguments import Roles
from rasid.extract.events import Frame
from rasid.extract.incidents import (
    contains,
    countryside_of,
    dates_conflict,
    features,
    granularity,
    model,
    quarter_features,
    quarter_score,
    score,
)
from rasid.extract.merge import _actors_agree
from rasid.extract.record import public
from rasid.pipeline import extract_article

_TEXT = "قصفت قوات النظام ريف إدلب الجنوبي.\nوقصفت قوات النظام بلدة كفرنبل."


def _doc() -> Document:
    doc = Document(Article(id="t", text=_TEXT))
    doc.sentences = [Sentence(0, 34, 0), Sentence(35, len(_TEXT), 1)]
    return doc


def _place(kind: str = "place", **data: Any) -> Mention:
    base = {"admin1": "Idlib", "country": "SY", "feature": "town", "gazetteer_id": "g:kafranbel"}
    base.update(data)
    return Mention(0, 4, "مكان", kind, base)


def _actor(aid: str) -> Mention:
    return Mention(0, 4, "فاعل", "actor", {"actor_id": aid})


def _frame(
    loc: Mention,
    sentence: Sentence,
    sub: str = "shelling_artillery_missile_attack",
    actor1: str | None = None,
    actor2: str | None = None,
    killed: int | None = None,
    day: str | None = None,
) -> Frame:
    trig = Mention(sentence.start, sentence.start + 4, "قصفت", "trigger", {"lemma": "قصف", "pos": "verb"})
    roles = Roles(_actor(actor1) if actor1 else None, _actor(actor2) if actor2 else None)
    cas = (
        [Mention(0, 1, "x", "casualty", {"casualty": "killed", "value": killed})]
        if killed is not None
        else []
    )
    date = Mention(0, 1, "x", "date", {"start": day, "precision": "day"}) if day else None
    return Frame(
        trigger=trig,
        event_type="explosions_remote_violence",
        sub_event_type=sub,
        sentence=sentence,
        location=loc,
        roles=roles,
        casualties=cas,
        date=date,
    )


def _region() -> Mention:
    return _place("region", feature="region", gazetteer_id="g:south-idlib", geo_precision=3)


def test_weights_file_loads() -> None:
    m = model()
    assert m.threshold > 0
    assert m.weights["same_sub_event_type"] > 0 > m.weights["actor_conflict"]


def test_granularity_orders_site_town_district_region_country_part() -> None:
    doc = _doc()
    s = doc.sentences[1]
    assert granularity(doc, _frame(_place(feature="neighbourhood"), s)) == 0
    assert granularity(doc, _frame(_place(), s)) == 1
    assert granularity(doc, _frame(_place("region", feature="district", admin2="Maarrat"), s)) == 2
    assert granularity(doc, _frame(_region(), s)) == 3
    assert granularity(doc, _frame(_place("region", admin1=None, feature="region"), s)) == 4


def test_region_contains_its_governorates_places_only() -> None:
    assert contains(_region(), _place())
    assert not contains(_region(), _place(admin1="Hama"))
    assert contains(_place("region", admin1=None), _place(admin1="Hama"))
    assert not contains(_place("region", admin1=None), _place(country="IQ"))


def test_same_actor_and_adjacent_sentences_reach_the_threshold() -> None:
    doc = _doc()
    region = _frame(_region(), doc.sentences[0], actor1="SYR_MIL")
    town = _frame(_place(), doc.sentences[1], actor1="SYR_MIL")
    found = features(doc, region, town)
    assert found is not None and "same_named_actor" in found and "adjacent_sentence" in found
    s = score(doc, region, town)
    assert s is not None and s >= model().threshold


def test_other_side_counts_against() -> None:
    doc = _doc()
    region = _frame(_region(), doc.sentences[0], actor1="OPPOSITION")
    town = _frame(_place(), doc.sentences[1], actor1="SYR_MIL")
    s = score(doc, region, town)
    assert s is not None and s < model().threshold


def test_different_tolls_count_against_and_same_toll_for() -> None:
    doc = _doc()
    town = _frame(_place(), doc.sentences[1], killed=4)
    same = features(doc, _frame(_region(), doc.sentences[0], killed=4), town)
    other = features(doc, _frame(_region(), doc.sentences[0], killed=9), town)
    assert same is not None and "same_toll" in same
    assert other is not None and "toll_conflict" in other


def test_two_stated_days_are_two_incidents() -> None:
    doc = _doc()
    region = _frame(_region(), doc.sentences[0], day="2019-06-01")
    town = _frame(_place(), doc.sentences[1], day="2019-06-03")
    assert dates_conflict(region, town)
    assert features(doc, region, town) is None
    assert not dates_conflict(region, _frame(_place(), doc.sentences[1]))


def test_an_arrest_is_no_twin_of_a_shelling() -> None:
    doc = _doc()
    region = _frame(_region(), doc.sentences[0])
    region.event_type, region.sub_event_type = "strategic_developments", "arrests"
    assert features(doc, region, _frame(_place(), doc.sentences[1])) is None


def test_actor2_equal_to_actor1_does_not_block_a_merge() -> None:
    doc = _doc()
    a = _frame(_place(), doc.sentences[0], actor1="TUR_MIL", actor2="TUR_MIL")
    b = _frame(_place(), doc.sentences[1], actor1="TUR_MIL", actor2="SDF")
    assert _actors_agree(a, b)
    c = _frame(_place(), doc.sentences[1], actor1="TUR_MIL", actor2="SYR_MIL")
    assert not _actors_agree(b, c)
    own_side = _frame(_place(), doc.sentences[0], actor1="SYR_MIL", actor2="SYR_GOV")
    assert _actors_agree(own_side, _frame(_place(), doc.sentences[1], actor1="SYR_MIL", actor2="CIV"))


def test_unidentified_attacker_agrees_with_a_named_one() -> None:
    doc = _doc()
    a = _frame(_place(), doc.sentences[0], actor1="UNIDENTIFIED")
    b = _frame(_place(), doc.sentences[1], actor1="ISIS")
    assert _actors_agree(a, b)


def test_a_lone_actor_that_is_the_other_tellings_target_does_not_block_a_merge() -> None:
    doc = _doc()
    full = _frame(_place(), doc.sentences[0], sub="air_drone_strike", actor1="TUR_MIL", actor2="SDF")
    lone = _frame(_place(), doc.sentences[1], sub="air_drone_strike", actor1="SDF")
    assert _actors_agree(full, lone) and _actors_agree(lone, full)
    other = _frame(_place(), doc.sentences[1], sub="air_drone_strike", actor1="RUS_MIL")
    assert not _actors_agree(full, other)


def test_a_lone_actor_at_another_place_is_no_misread_target() -> None:
    doc = _doc()
    region = _frame(_region(), doc.sentences[0], actor1="OPPOSITION", actor2="SYR_MIL")
    town = _frame(_place(), doc.sentences[1], actor1="SYR_MIL")
    assert not _actors_agree(town, region)


def _listed(v: Any) -> list[Any]:
    return v if isinstance(v, list) else [v]


def _gold(case: dict[str, Any]) -> list[dict[str, Any]]:
    """The case's expected events as gold lines (only type and place matter for matching)."""
    return [
        {
            "article_id": case["id"],
            "event_type": _listed(e["event_type"]),
            "sub_event_type": _listed(e["sub_event_type"]),
            "actor1": _listed(e["actor1"]),
            "location_mentions": _listed(e["location"]),
            "optional": False,
        }
        for e in case["expect"]
    ]


def _merge_cases() -> list[dict[str, Any]]:
    path = Path(__file__).parent / "data" / "extraction_cases.yaml"
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [c for c in cases if str(c["id"]).startswith("merge_")]


@pytest.mark.parametrize("case", _merge_cases(), ids=lambda c: str(c["id"]))
def test_merge_case_events_one_to_one(case: dict[str, Any]) -> None:
    """Each incident case gives exactly its events (type and place), whatever else the floor allows."""
    published = dt.date.fromisoformat(case["published"]) if case.get("published") else None
    records = [
        public(r) for r in extract_article(Article(id=case["id"], text=case["text"], published=published))
    ]
    golds = _gold(case)
    pairs = match_article(golds, records)
    assert len(records) == len(golds) == len(pairs), [
        (r["sub_event_type"], (r.get("location") or {}).get("mention")) for r in records
    ]


# ---------------------------------------------------------------- a battle for a city: its quarters

_CITY_TEXT = "اشتبكت قوات النظام مع الفصائل في مدينة حماة.\nوتركزت المعارك في حي الأربعين."


def _city_doc() -> Document:
    doc = Document(Article(id="q", text=_CITY_TEXT))
    cut = _CITY_TEXT.index("\n")
    doc.sentences = [Sentence(0, cut, 0), Sentence(cut + 1, len(_CITY_TEXT), 1)]
    return doc


def _battle(loc: Mention, sentence: Sentence, actor1: str = "SYR_MIL", actor2: str = "FSA") -> Frame:
    f = _frame(loc, sentence, sub="armed_clash", actor1=actor1, actor2=actor2)
    f.event_type = "battles"
    return f


def _city() -> Mention:
    return _place(admin1="Hama", feature="capital", gazetteer_id="g:hama", lat=35.13, lon=36.75)


def _quarter(**data: Any) -> Mention:
    base: dict[str, Any] = {"admin1": "Hama", "feature": "quarter", "gazetteer_id": "g:arbaeen"}
    base.update(data)
    return _place(**base)


def test_a_quarter_of_the_city_joins_its_battle() -> None:
    doc = _city_doc()
    city = _battle(_city(), doc.sentences[0])
    part = _battle(_quarter(lat=35.14, lon=36.74), doc.sentences[1], actor1="FSA", actor2="SYR_MIL")
    found = quarter_features(doc, city, part)
    assert found is not None and "inside_city" in found and "same_sides" in found
    s = quarter_score(doc, city, part)
    assert s is not None and s >= model().quarters.threshold


def test_a_third_camp_or_a_far_place_is_no_quarter() -> None:
    doc = _city_doc()
    city = _battle(_city(), doc.sentences[0])
    other = _battle(_quarter(lat=35.14, lon=36.74), doc.sentences[1], actor1="ISIS", actor2="SDF")
    s = quarter_score(doc, city, other)
    assert s is not None and s < model().quarters.threshold
    far = _battle(_quarter(lat=35.5, lon=36.9), doc.sentences[1])
    assert quarter_features(doc, city, far) is None


def test_strikes_on_quarters_stay_one_event_each() -> None:
    doc = _city_doc()
    city = _frame(_city(), doc.sentences[0])
    part = _frame(_quarter(lat=35.14, lon=36.74), doc.sentences[1])
    assert quarter_features(doc, city, part) is None


# ---------------------------------------------------------------- a countryside read as its city


def _named_place(text: str, name: str, nth: int = 0) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = text.index(name, start + 1)
    data = {"admin1": "Hama", "country": "SY", "feature": "capital", "gazetteer_id": f"g:{name}"}
    return Mention(start, start + len(name), name, "place", data)


def _doc_of(text: str) -> Document:
    doc = Document(Article(id="c", text=text))
    doc.sentences = [Sentence(0, len(text), 0)]
    return doc


def test_both_names_of_a_dual_countryside_are_regions() -> None:
    text = "قصفت قوات النظام مواقع في ريفي حماة الشمالي وإدلب الجنوبي."
    doc = _doc_of(text)
    s = doc.sentences[0]
    assert countryside_of(doc, _named_place(text, "حماة"))
    assert granularity(doc, _frame(_named_place(text, "حماة"), s)) == 3
    assert granularity(doc, _frame(_named_place(text, "إدلب"), s)) == 3


def test_countryside_of_the_city_is_a_region_and_the_city_is_not() -> None:
    text = "قصفت المدفعية ريف مدينة عفرين، ثم قصفت مدينة حلب وإدلب."
    doc = _doc_of(text)
    assert countryside_of(doc, _named_place(text, "عفرين"))
    assert not countryside_of(doc, _named_place(text, "حلب"))
    assert not countryside_of(doc, _named_place(text, "إدلب"))


def test_a_countryside_word_with_a_clitic_counts() -> None:
    text = "وشنت الطائرات غارات على قرى في جبل شحشبو بريفي حماة وإدلب."
    doc = _doc_of(text)
    assert countryside_of(doc, _named_place(text, "حماة"))
    assert countryside_of(doc, _named_place(text, "إدلب"))


def test_a_sum_of_separate_attacks_joins_each_despite_its_total() -> None:
    text = "قتل ثلاثة بهجمات منفصلة في مناطق متفرقة من ريف إدلب.\nوقتل شاب برصاص مسلحين في بلدة كفرنبل."
    doc = Document(Article(id="s", text=text))
    cut = text.index("\n")
    doc.sentences = [Sentence(0, cut, 0), Sentence(cut + 1, len(text), 1)]
    region = _frame(_region(), doc.sentences[0], sub="armed_clash", killed=3)
    region.event_type = "battles"
    town = _frame(_place(), doc.sentences[1], sub="attack", killed=1)
    town.event_type = "violence_against_civilians"
    found = features(doc, region, town)
    assert found is not None and "summary" in found and "toll_conflict" not in found
    s = score(doc, region, town)
    assert s is not None and s >= model().threshold
