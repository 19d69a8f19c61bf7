"""The public Python API (README "From Python"): schema-valid, JSON-ready records; Article checks its fields."""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources

import jsonschema
import pytest

from rasid.api import ArticleTimeout, annotate_article, annotation, extract_article
from rasid.document import Article

TEXT = (
    "قصفت قوات النظام السوري بالمدفعية الثقيلة صباح اليوم بلدة كفرنبل في ريف إدلب الجنوبي، "
    "ما أدى إلى مقتل ثلاثة مدنيين وإصابة خمسة آخرين.\n"
    "وشنت طائرات حربية روسية غارات على مدينة سراقب مساء أمس."
)


@pytest.fixture(scope="module")
def schema() -> dict:
    return json.loads((resources.files("rasid") / "schema" / "event.schema.json").read_text(encoding="utf-8"))


def test_records_are_json_and_schema_valid(schema: dict) -> None:
    records = extract_article(Article(id="a1", text=TEXT, published="2024-12-10"))
    assert len(records) >= 2
    for r in records:
        assert not any(k.startswith("_") for k in r)
        jsonschema.validate(r, schema)
        assert json.loads(json.dumps(r, ensure_ascii=False)) == r
        assert r["published"] == "2024-12-10"


def test_a_mapping_is_an_article(schema: dict) -> None:
    records = extract_article({"id": "m1", "text": TEXT, "published": "2024-12-10T08:30:00Z"})
    assert records and all(r["article_id"] == "m1" for r in records)
    with pytest.raises(TypeError, match="unknown article key"):
        extract_article({"id": "m2", "body": TEXT})


def test_annotation_is_json() -> None:
    ann = annotation({"id": "n1", "text": TEXT})
    json.dumps(ann, ensure_ascii=False)
    assert ann["events"] and ann["mentions"]


def test_budget_stops_an_article(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    import rasid.pipeline

    def forever(article: Article) -> None:
        while True:
            time.sleep(0.01)

    monkeypatch.setattr(rasid.pipeline, "annotate_article", forever)
    with pytest.raises(ArticleTimeout, match="time budget"):
        annotate_article(Article(id="s", text=TEXT), budget_s=0.2)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-12-10", dt.date(2024, 12, 10)),
        (" 2024-12-10T08:30:00+03:00 ", dt.date(2024, 12, 10)),
        (dt.datetime(2024, 12, 10, 23, 59), dt.date(2024, 12, 10)),
        (dt.date(2024, 1, 2), dt.date(2024, 1, 2)),
        (None, None),
    ],
)
def test_published_is_parsed(value: object, expected: dt.date | None) -> None:
    assert Article(id="a", text=TEXT, published=value).published == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"published": "10/12/2024"}, ValueError, "Article.published: not an ISO date"),
        ({"published": "2024-13-45"}, ValueError, "Article.published"),
        ({"published": 20241210}, TypeError, "Article.published must be a date"),
        ({"id": ""}, ValueError, "Article.id"),
        ({"id": 7}, TypeError, "Article.id must be a non-empty string, got int"),
        ({"text": b"bytes"}, TypeError, "Article.text must be a string"),
        ({"url": 5}, TypeError, "Article.url must be a string or None"),
    ],
)
def test_bad_fields_are_clear_errors(kwargs: dict, error: type[Exception], words: str) -> None:
    fields = {"id": "a", "text": TEXT, **kwargs}
    with pytest.raises(error, match=words.replace("(", r"\(")):
        Article(**fields)


def test_positional_fields_and_replace_still_work() -> None:
    import dataclasses

    a = Article("p", TEXT, "title", "https://example.org/x", "outlet", "2024-12-10", "file.txt")
    assert a.published == dt.date(2024, 12, 10) and a.source == "file.txt"
    assert dataclasses.replace(a, text="x").text == "x"
    assert hash(a) == hash(
        Article("p", TEXT, "title", "https://example.org/x", "outlet", dt.date(2024, 12, 10), "file.txt")
    )
