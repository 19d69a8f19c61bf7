"""The scorer behind ``rasid eval`` (SPEC section 6): normalisation, matching, counts, report.

Hand-made cases pin the numbers; a cross-check runs the project's reference
scorer (when the shared checkout has it) on randomised gold/prediction files
and demands the very same output.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rasid.evaluate import (
    EvalInputError,
    format_report,
    governorate_key,
    load_jsonl,
    match_article,
    place_matches,
    place_tokens,
    score,
)

REFERENCE = Path(__file__).parents[1] / ".." / "shared" / "eval" / "score.py"


def gold(article: str = "a1", **kw: Any) -> dict[str, Any]:
    """A gold event with every scored field off unless given."""
    row: dict[str, Any] = {
        "article_id": article,
        "event_type": ["explosions_remote_violence"],
        "sub_event_type": ["air_drone_strike"],
        "actor1": None,
        "actor2": None,
        "location_mentions": ["إدلب"],
        "killed": None,
        "injured": None,
        "date": None,
        "admin1": None,
        "optional": False,
        "why": "test event",
    }
    row.update(kw)
    return row


def pred(article: str = "a1", mention: str | None = "إدلب", **kw: Any) -> dict[str, Any]:
    """A predicted record shaped like rasid's public output."""
    row: dict[str, Any] = {
        "article_id": article,
        "event_type": "explosions_remote_violence",
        "sub_event_type": "air_drone_strike",
        "actor1": None,
        "actor2": None,
        "location": {"mention": mention, "name_ar": None, "admin1": None},
        "fatalities": {"killed": None, "injured": None},
        "date": {"start": None},
    }
    for key, value in kw.items():
        if key in ("name_ar", "admin1"):
            row["location"][key] = value
        elif key in ("killed", "injured"):
            row["fatalities"][key] = value
        elif key == "date":
            row["date"] = {"start": value}
        else:
            row[key] = value
    return row


# --------------------------------------------------------------------------- normalisation


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("وبالرقّة", ("رقه",)),  # و + ب + ال, shadda, ta marbuta
        ("فالرقة", ("رقه",)),
        ("الرقة", ("رقه",)),
        ("وإدلب", ("ادلب",)),  # bare و on a long word, hamza under alef
        ("أريحا", ("اريحا",)),
        ("بالأتارب", ("اتارب",)),
        ("حلـــب", ("حلب",)),  # tatweel
        ("مَعَرَّة النُّعمان", ("معره", "نعمان")),
        ("مدينة سراقب، شرقي إدلب", ("مدينه", "سراقب", "شرقي", "ادلب")),
        ("الحمى", ("حمي",)),  # alef maqsura
        ("والي", ("الي",)),  # article would leave one letter: only the و goes
        ("ولي", ("ولي",)),  # three letters: و stays
        ("بإدلب", ("بادلب",)),  # a lone preposition stays (reference behaviour)
        ("", ()),
        (None, ()),
    ],
)
def test_place_tokens(text: str | None, tokens: tuple[str, ...]) -> None:
    assert place_tokens(text) == tokens


def test_place_matches_containment_both_ways_and_name_ar() -> None:
    assert place_matches({"mention": "ريف إدلب الجنوبي"}, ["إدلب"])
    assert place_matches({"mention": "كفرنبل"}, ["قرية كفرنبل"])
    assert place_matches({"mention": "بلدة", "name_ar": "معرّة النعمان"}, ["معرة النعمان"])
    assert not place_matches({"mention": "سراقب"}, ["إدلب", "أريحا"])
    # containment is of whole words, in order, not of letters
    assert not place_matches({"mention": "النعمان معرة"}, ["معرة النعمان"])
    assert not place_matches({"mention": "حلبا"}, ["حلب"])
    assert not place_matches(None, ["إدلب"])
    assert not place_matches({"mention": "", "name_ar": None}, ["إدلب"])


def test_one_letter_proclitics_fold_before_a_place() -> None:
    """SPEC section 6: بإدلب names إدلب, وبحمص names حمص; a short word keeps its first letter."""
    assert place_matches({"mention": "بإدلب"}, ["إدلب"])
    assert place_matches({"mention": "إدلب"}, ["بإدلب"])
    assert place_matches({"mention": "وبحمص"}, ["حمص"])
    assert place_matches({"mention": "ريف بإدلب"}, ["ريف إدلب"])
    # a three-letter word is a name, not a clitic on two letters
    assert not place_matches({"mention": "بنش"}, ["نش"])
    # one letter off, not any letter: a different first letter is a different town
    assert not place_matches({"mention": "تلدو"}, ["ملدو"])


@pytest.mark.parametrize(
    ("spellings", "key"),
    [
        (["Idlib", "Idleb", "إدلب", "محافظة إدلب", "Idlib Governorate"], "idlib"),
        (["Al-Hasakah", "Al-Hasakeh", "Hasakah", "الحسكة", "Al Hassakeh"], "hasakah"),
        (["Deir ez-Zor", "Deir-ez-Zor", "Deir al-Zour", "دير الزور"], "deir_ez_zor"),
        (["Rif Dimashq", "Rural Damascus", "Damascus Countryside", "ريف دمشق"], "rif_dimashq"),
        (["As-Suwayda", "As-Sweida", "Suwayda Province", "السويداء"], "suwayda"),
        (["Latakia", "Lattakia", "اللاذقية"], "latakia"),
        (["Ar-Raqqa", "Raqqah", "الرقة"], "raqqa"),
    ],
)
def test_governorate_spellings_fold_together(spellings: list[str], key: str) -> None:
    assert {governorate_key(s) for s in spellings} == {key}


def test_governorate_unknown_and_empty() -> None:
    assert governorate_key("Ghouta") == "ghouta"
    assert governorate_key("") is None
    assert governorate_key(None) is None
    assert governorate_key("Damascus") != governorate_key("Rif Dimashq")


# --------------------------------------------------------------------------- matching and counts


def test_one_to_one_second_prediction_is_extra() -> None:
    result = score([gold()], [pred(), pred(mention="بإدلب المدينة")])
    assert (result.tp, result.fp, result.fn) == (1, 1, 0)
    assert result.precision == 0.5 and result.recall == 1.0
    assert result.f1 == pytest.approx(2 / 3)


def test_event_type_must_be_listed() -> None:
    result = score([gold(event_type=["battles"])], [pred()])
    assert (result.tp, result.fp, result.fn) == (0, 1, 1)


def test_article_must_be_the_same() -> None:
    result = score([gold(article="a1")], [pred(article="a2")])
    assert (result.tp, result.fp, result.fn) == (0, 1, 1)


def test_better_pair_wins_over_earlier_gold() -> None:
    golds = [
        gold(sub_event_type=["shelling_artillery_missile_attack"], location_mentions=["سراقب"]),
        gold(sub_event_type=["air_drone_strike"], location_mentions=["مدينة سراقب"]),
    ]
    # the prediction meets both; the second gold agrees on the sub-event type (score 3 over 1)
    assert match_article(golds, [pred(mention="سراقب")]) == [(1, 0)]


def test_actor_breaks_the_tie_then_order_does() -> None:
    golds = [gold(actor1=["HTS"]), gold(actor1=["SYR_MIL"])]
    assert match_article(golds, [pred(actor1={"id": "SYR_MIL", "name": "x"})]) == [(1, 0)]
    # equal scores: the earlier gold takes the earlier prediction
    assert match_article(golds, [pred(), pred()]) == [(0, 0), (1, 1)]


def test_greedy_assignment_is_by_score_not_by_order() -> None:
    golds = [
        gold(location_mentions=["أريحا"], sub_event_type=["shelling_artillery_missile_attack"]),
        gold(location_mentions=["أريحا"], sub_event_type=["air_drone_strike"]),
    ]
    preds = [pred(mention="اريحا"), pred(mention="أريحا", sub_event_type="shelling_artillery_missile_attack")]
    assert sorted(match_article(golds, preds)) == [(0, 1), (1, 0)]


def test_optional_gold_absorbs_without_counting() -> None:
    golds = [gold(optional=True), gold(location_mentions=["أريحا"], optional=True)]
    result = score(golds, [pred()])
    assert (result.tp, result.fp, result.fn) == (0, 0, 0)
    assert result.f1 == 0.0 and result.fields == {}


def test_required_gold_served_before_optional() -> None:
    # the optional event is listed first and would score higher, but the required one takes the prediction
    golds = [gold(optional=True), gold(sub_event_type=["shelling_artillery_missile_attack"])]
    result = score(golds, [pred()])
    assert (result.tp, result.fp, result.fn) == (1, 0, 0)
    assert result.fields["sub_event_type"] == (0, 1)


def test_field_accuracies_and_not_scored_fields() -> None:
    golds = [
        gold(
            actor1=["HTS"],
            actor2=["SYR_MIL", None],
            killed=3,
            injured=None,
            date="2024-12-01",
            admin1=["Idleb"],
        ),
        gold(location_mentions=["القامشلي"], admin1=["Al-Hasakah"], killed=0, actor1=["TUR_MIL"]),
    ]
    preds = [
        pred(actor1={"id": "HTS"}, killed=3, injured=7, date="2024-12-02", admin1="Idlib"),
        pred(mention="مطار القامشلي", admin1="الحسكة", killed=None, actor1="TUR_MIL"),
    ]
    result = score(golds, preds)
    assert (result.tp, result.fp, result.fn) == (2, 0, 0)
    assert result.fields == {
        "sub_event_type": (2, 2),
        "actor1": (2, 2),
        "actor2": (1, 1),  # no actor2 is acceptable here
        "killed": (1, 2),  # null is not 0
        "date": (0, 1),
        "admin1": (2, 2),
    }
    assert "injured" not in result.fields
    assert len(result.wrong) == 2
    assert result.wrong[0].endswith("| wrong: date")
    assert result.wrong[1].endswith("| wrong: killed")


def test_misses_and_extras_lines() -> None:
    golds = [gold(event_type=["battles"], sub_event_type=["armed_clash"], location_mentions=["جسر الشغور"])]
    result = score(golds, [pred(article="a2", mention="بنش")])
    assert result.misses == ["  - MISSED a1 battles/armed_clash @ جسر الشغور | test event"]
    assert result.extras == ["  + EXTRA  a2 explosions_remote_violence/air_drone_strike @ بنش"]


def test_format_report_layout() -> None:
    golds = [gold(killed=2), gold(location_mentions=["أريحا"]), gold(location_mentions=["سرمين"])]
    preds = [pred(killed=1), pred(mention="وأريحا"), pred(mention="بنش")]
    result = score(golds, preds)
    quiet = format_report(result, verbose=False).splitlines()
    assert quiet == [
        "         killed: 0.000 on 1 matched events",
        " sub_event_type: 1.000 on 2 matched events",
        "event_f1=0.667 precision=0.667 recall=0.667 tp=2 fp=1 fn=1",
    ]
    loud = format_report(result, verbose=True).splitlines()
    assert loud[:3] == [
        "  ~ a1 test event | wrong: killed",
        "  - MISSED a1 explosions_remote_violence/air_drone_strike @ سرمين | test event",
        "  + EXTRA  a1 explosions_remote_violence/air_drone_strike @ بنش",
    ]
    assert loud[3:] == quiet


def test_empty_inputs() -> None:
    result = score([], [])
    assert format_report(result) == "event_f1=0.000 precision=0.000 recall=0.000 tp=0 fp=0 fn=0"


# --------------------------------------------------------------------------- loading


def test_load_jsonl_skips_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text('{"a": 1}\n\n  \n{"a": "حلب"}\n', encoding="utf-8")
    assert load_jsonl(path) == [{"a": 1}, {"a": "حلب"}]


@pytest.mark.parametrize(("bad", "message"), [("{oops", "not JSON"), ("[1, 2]", "expected a JSON object")])
def test_load_jsonl_names_file_and_line(tmp_path: Path, bad: str, message: str) -> None:
    path = tmp_path / "pred.jsonl"
    path.write_text('{"a": 1}\n\n' + bad + "\n", encoding="utf-8")
    with pytest.raises(EvalInputError, match=rf"pred\.jsonl:3: {message}"):
        load_jsonl(path)


# --------------------------------------------------------------------------- properties

_PLACE_TEXT = st.text(alphabet="وفبكلالأإآةىئؤـَُِّ ريدسمن-", max_size=14)
_WORD_TEXT = st.text(alphabet="بكلاأةىدسمنري", min_size=2, max_size=8)


@given(_PLACE_TEXT, _PLACE_TEXT)
def test_place_match_is_symmetric(a: str, b: str) -> None:
    assert place_matches({"mention": a}, [b]) == place_matches({"mention": b}, [a])


@given(_WORD_TEXT, st.sampled_from(["وبال", "فال", "بال", "كال", "لل", "وال"]))
def test_article_with_clitics_folds_like_bare_article(word: str, prefix: str) -> None:
    assert place_tokens(prefix + word) == place_tokens("ال" + word)
    assert place_matches({"mention": prefix + word}, ["ال" + word])


# --------------------------------------------------------------------------- cross-check with the reference

_PLACES = [
    "إدلب",
    "ادلب",
    "وإدلب",
    "بإدلب",
    "مدينة إدلب",
    "ريف إدلب الجنوبي",
    "مَعَرَّة النعمان",
    "بمعرة النعمان",
    "الرقة",
    "بالرقة",
    "والرقّة",
    "دير الزور",
    "القامشلي",
    "مطار القامشلي",
    "سراقب",
    "أريحا",
    "الأتارب",
    "بالاتارب",
    "حلـب",
    "ريف حلب",
    "منبج",
    "ومنبج",
    "اللاذقية",
    "للاذقية",
]
_TYPES = {
    "battles": ["armed_clash", "government_regains_territory"],
    "explosions_remote_violence": ["air_drone_strike", "shelling_artillery_missile_attack"],
    "strategic_developments": ["arrests", "disrupted_weapons_use"],
}
_ACTORS = ["HTS", "SYR_MIL", "SDF", "TUR_MIL", "RUS_MIL"]
_ADMIN1 = ["Idlib", "Idleb", "إدلب", "Al-Hasakah", "Al-Hasakeh", "الحسكة", "Deir ez-Zor", "Deir-ez-Zor"]
_ADMIN1 += ["Rif Dimashq", "Rural Damascus", "As-Suwayda", "As-Sweida", "السويداء", "Aleppo", "حلب", "Ghouta"]
_DATES = ["2024-12-01", "2024-12-02", "2024-12-03"]
_ARTICLES = ["art_b", "art_a", "art_c", 7]


def _maybe(rng: random.Random, pool: list[Any], k: int = 2, p_null: float = 0.3) -> list[Any] | None:
    if rng.random() < p_null:
        return None
    return rng.sample(pool, rng.randint(1, k))


def _random_gold(rng: random.Random, article: Any) -> dict[str, Any]:
    etypes = rng.sample(sorted(_TYPES), rng.randint(1, 2))
    subs = sorted({s for t in etypes for s in _TYPES[t]})
    return {
        "article_id": article,
        "event_type": etypes,
        "sub_event_type": rng.sample(subs, rng.randint(1, 2)),
        "actor1": _maybe(rng, _ACTORS),
        "actor2": _maybe(rng, [*_ACTORS, None], k=3),
        "location_mentions": rng.sample(_PLACES, rng.randint(1, 2)),
        "killed": rng.choice([None, None, 0, 1, 4]),
        "injured": rng.choice([None, None, 2, 5]),
        "date": rng.choice([None, *_DATES]),
        "admin1": rng.choice([None, [], _maybe(rng, _ADMIN1, p_null=0)]),
        "optional": rng.random() < 0.2,
        "why": rng.choice(["غارة على المدينة", "x" * 90, "clash near the road"]),
    }


def _random_pred(rng: random.Random, article: Any, golds: list[dict[str, Any]]) -> dict[str, Any]:
    """A random prediction; most copy type and place from a gold event so that matches and ties abound."""
    if golds and rng.random() < 0.7:
        model = rng.choice(golds)
        etype = rng.choice(model["event_type"])
        places = model["location_mentions"] + _PLACES[:3]
    else:
        etype, places = rng.choice(sorted(_TYPES)), _PLACES
    actor = rng.choice([None, *_ACTORS])
    return {
        "article_id": article,
        "event_type": etype,
        "sub_event_type": rng.choice(sorted({s for v in _TYPES.values() for s in v})),
        "actor1": {"id": actor, "name": str(actor)} if rng.random() < 0.5 else actor,
        "actor2": rng.choice([None, *_ACTORS]),
        "location": rng.choice(
            [
                None,
                {
                    "mention": rng.choice([None, *_PLACES]),
                    "name_ar": rng.choice([None, None, *_PLACES]),
                    "admin1": rng.choice([None, *_ADMIN1]),
                },
            ]
        )
        if rng.random() < 0.1
        else {"mention": rng.choice(places), "name_ar": None, "admin1": rng.choice([None, *_ADMIN1])},
        "fatalities": rng.choice(
            [None, {"killed": rng.choice([None, 0, 1, 4]), "injured": rng.choice([None, 2])}]
        ),
        "date": rng.choice([None, {"start": rng.choice([None, *_DATES])}]),
    }


def _write(path: Path, rows: list[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


@pytest.mark.skipif(not REFERENCE.is_file(), reason="reference scorer not in this checkout")
@pytest.mark.parametrize("seed", range(8))
def test_agrees_with_reference_scorer(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    golds, preds = [], []
    for article in _ARTICLES:
        article_golds = [_random_gold(rng, article) for _ in range(rng.randint(0, 7))]
        golds += article_golds
        preds += [_random_pred(rng, article, article_golds) for _ in range(rng.randint(0, 9))]
    rng.shuffle(preds)  # predictions of different articles interleave
    gold_path, pred_path = tmp_path / "gold.jsonl", tmp_path / "pred.jsonl"
    _write(gold_path, golds)
    _write(pred_path, preds)

    cmd = [sys.executable, str(REFERENCE), "--gold", str(gold_path), "--pred", str(pred_path), "--verbose"]
    expected = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", check=True).stdout

    mine = format_report(score(load_jsonl(gold_path), load_jsonl(pred_path)), verbose=True)
    assert mine.splitlines()[-1] == expected.splitlines()[-1]  # the headline
    assert mine.splitlines() == expected.splitlines()  # and every detail line, in order
