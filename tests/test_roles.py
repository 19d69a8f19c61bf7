"""The role rules as a table (issue #15): every rule has an example and a case that exercises it,
and the rule that chose each field is recorded on the event ("spans")."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from rasid.document import Article, Mention
from rasid.evaluate import match_article
from rasid.extract.arguments import Roles
from rasid.extract.events.roles import CLASH_RULES, LATER_RULES, RULES, rule_notes
from rasid.extract.record import public
from rasid.pipeline import extract_article

CASES = {
    c["id"]: c
    for c in yaml.safe_load(
        (Path(__file__).parent / "data" / "extraction_cases.yaml").read_text(encoding="utf-8")
    )
}
ALL_RULES = [r.name for r in CLASH_RULES + RULES] + list(LATER_RULES)
SCHEMA = json.loads(
    (Path(__file__).parents[1] / "src" / "rasid" / "schema" / "event.schema.json").read_text(encoding="utf-8")
)
FIELDS = ("event_type", "sub_event_type", "actor1", "actor2", "killed", "injured", "date")


def _extract(case: dict[str, Any]) -> list[dict[str, Any]]:
    published = dt.date.fromisoformat(case["published"]) if case.get("published") else None
    return [
        public(r) for r in extract_article(Article(id=case["id"], text=case["text"], published=published))
    ]


def _accepted(expected: Any) -> list[Any]:
    return expected if isinstance(expected, list) else [expected]


def _value(record: dict[str, Any], name: str) -> Any:
    if name in ("actor1", "actor2"):
        return (record[name] or {}).get("id")
    if name in ("killed", "injured"):
        return record["fatalities"][name]
    if name == "date":
        return record["date"]["start"]
    return record[name]


def _passes(case: dict[str, Any], records: list[dict[str, Any]]) -> bool:
    """Every expected event found (matched like the scorer), no other, each field an accepted value."""
    gold = [
        {
            "event_type": _accepted(e["event_type"]),
            "location_mentions": _accepted(e["location"]),
            "admin1": None,
            "date": None,
        }
        for e in case["expect"]
    ]
    pairs = match_article(gold, records)
    if len(pairs) != len(gold) or len(records) != len(gold):
        return False
    for gi, pi in pairs:
        expected = case["expect"][gi]
        for name in FIELDS:
            if expected[name] is None and name in ("killed", "injured", "date"):
                continue  # as the scorer: scored only where one is expected
            if _value(records[pi], name) not in _accepted(expected[name]):
                return False
    return True


def test_every_rule_has_one_note_and_no_note_is_left_over() -> None:
    assert len(ALL_RULES) == len(set(ALL_RULES))
    assert sorted(rule_notes()) == sorted(ALL_RULES)


@pytest.mark.parametrize("rule", ALL_RULES)
def test_rule_case_exists_passes_and_fires_the_rule(rule: str) -> None:
    note = rule_notes()[rule]
    case = CASES.get(note["case"])
    assert case is not None, f"{rule}: no case {note['case']}"
    assert note["example"] in case["text"], f"{rule}: the example is not words of {note['case']}"
    records = _extract(case)
    assert _passes(case, records), f"{rule}: case {note['case']} no longer passes"
    fired = {
        part
        for r in records
        for key in ("actor1", "actor2")
        if key in r["spans"]
        for part in r["spans"][key]["rule"].split("+")
    }
    assert rule in fired, f"{rule} does not fire in {note['case']} (fired: {sorted(fired)})"


def test_the_first_rule_that_finds_an_actor_decides() -> None:
    # "قصفت قوات النظام مواقع لقسد" : the doer after the verb, the target behind its marker
    records = _extract(CASES["neutralised_is_not_killed"])
    spans = records[0]["spans"]
    assert spans["actor1"]["rule"] == "verb_subject_after"
    assert spans["actor2"]["rule"] == "target_marker"


def test_spans_point_into_the_original_text_and_validate() -> None:
    text = "أفادت وكالة سانا يوم الأحد بأن ثلاثة مدنيين قُتلوا بقصف مدفعي لقوات النظام على بلدة كفرنبل."
    records = [public(r) for r in extract_article(Article(id="s", text=text, published=dt.date(2024, 3, 5)))]
    assert records
    for r in records:
        jsonschema.validate(r, SCHEMA)
        assert {"event_type", "location"} <= set(r["spans"])
        for key, span in r["spans"].items():
            assert text[span["start"] : span["end"]] == span["text"], key
            assert span["rule"]
        assert r["spans"]["location"]["text"] in r["location"]["mention"] + text


def test_a_field_with_no_words_in_the_text_has_no_span() -> None:
    text = "قصفت قوات النظام بلدة كفرنبل."
    (record,) = [
        public(r) for r in extract_article(Article(id="n", text=text, published=dt.date(2024, 3, 5)))
    ]
    assert record["date"]["mention"] is None and "date" not in record["spans"]
    assert record["claim"]["source_mention"] is None and "claim" not in record["spans"]


def test_roles_record_the_rule_of_the_mention_they_hold() -> None:
    a, b = Mention(0, 4, "قوات", "actor"), Mention(5, 8, "قسد", "actor")
    roles = Roles()
    roles.give("actor1", a, "subject_before")
    assert roles.rule_of("actor1") == "subject_before"
    roles.actor1 = b  # set by a step that names no rule (merging): no rule is claimed for it
    assert roles.rule_of("actor1") is None
    roles.give("actor2", None, "object_after")
    assert roles.actor2 is None and roles.rule_of("actor2") is None
