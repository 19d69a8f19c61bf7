"""``rasid eval``'s gold file is checked line by line: a wrong shape is one error naming file and line,
never F1 0 or a crash inside the scorer (fuzzed with hypothesis)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rasid.evaluate import EvalInputError, format_report, load_gold, score

GOOD = {
    "article_id": "a",
    "event_type": ["explosions_remote_violence"],
    "sub_event_type": ["air_drone_strike"],
    "actor1": ["SYR_MIL", None],
    "actor2": None,
    "location_mentions": ["إدلب"],
    "killed": 3,
    "injured": None,
    "date": None,
    "admin1": ["Idlib"],
    "optional": False,
    "why": "ours",
}


def _write(path: Path, rows: list[object], blank_first: bool = False) -> Path:
    lines = [json.dumps(r, ensure_ascii=False) for r in rows]
    path.write_text(("\n" if blank_first else "") + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_good_gold_loads(tmp_path: Path) -> None:
    assert load_gold(_write(tmp_path / "g.jsonl", [GOOD, GOOD])) == [GOOD, GOOD]


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("actor1", 5, "'actor1' must be null, a string or a list, got 5"),
        ("killed", "three", "'killed' must be null or a whole number"),
        ("killed", True, "'killed' must be null or a whole number"),
        ("event_type", {"x": 1}, "'event_type' must be a string or a list of strings"),
        ("location_mentions", [1, 2], "'location_mentions' must be a list of strings"),
        ("optional", "no", "'optional' must be true or false"),
        ("article_id", None, "'article_id' must be a string"),
    ],
)
def test_wrong_field_names_file_and_line(tmp_path: Path, field: str, value: object, words: str) -> None:
    path = _write(tmp_path / "g.jsonl", [GOOD, {**GOOD, field: value}], blank_first=True)
    with pytest.raises(EvalInputError) as err:
        load_gold(path)
    assert str(err.value).startswith(f"{path}:3: gold event {words}")


def test_bad_utf8_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "g.jsonl"
    path.write_bytes(json.dumps(GOOD).encode() + b"\n\xff\xfe\n")
    with pytest.raises(EvalInputError, match=r":2: not UTF-8 text \(bad byte 0xff\)"):
        load_gold(path)


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=8,
)
_row = st.fixed_dictionaries(
    {
        "article_id": st.sampled_from(["a", "b"]),
        "sub_event_type": st.sampled_from(["air_drone_strike", ["armed_clash"]]),
    },
    optional={k: _json for k in GOOD if k not in ("article_id", "sub_event_type")},
)
_pred = st.fixed_dictionaries(
    {
        "article_id": st.sampled_from(["a", "b"]),
        "sub_event_type": st.sampled_from(["air_drone_strike", "armed_clash"]),
    },
    optional={
        "event_type": st.sampled_from(["battles", "explosions_remote_violence"]),
        "location": st.just({"mention": "إدلب"}),
    },
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(gold=st.lists(_row, min_size=1, max_size=4), preds=st.lists(_pred, max_size=4))
def test_any_gold_loads_and_scores_or_is_one_error(
    tmp_path: Path, gold: list[dict], preds: list[dict]
) -> None:
    path = _write(tmp_path / "fuzz.jsonl", gold)
    try:
        rows = load_gold(path)
    except EvalInputError as e:
        assert str(e).startswith(f"{path}:")
        return
    format_report(score(rows, preds), verbose=True)
