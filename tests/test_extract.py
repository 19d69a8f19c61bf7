"""End to end: `rasid extract` on articles written for these tests.

Every record must validate against the shipped JSON Schema, its evidence must
slice the original text, and the same input must give the same bytes.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from rasid.cli import main
from rasid.document import Article
from rasid.extract.record import public
from rasid.pipeline import extract_article

ARTICLE = """اشترك مجانا بقناتنا على تلغرام
قصف مدفعي لقوات النظام على بلدة كفرنبل جنوبي إدلب

قصفت قوات النظام السوري بالمدفعية الثقيلة، مساء أمس الاثنين، بلدة كفرنبل في ريف إدلب الجنوبي، ما أسفر عن مقتل ثلاثة مدنيين وإصابة خمسة آخرين بجروح، بحسب المرصد السوري لحقوق الإنسان.
وفي سياق متصل، دارت اشـ.تباكات عنيفة بين فصائل المعارضة وقوات النظام على محور قرية قسطون في سهل الغاب.
إقرأ أيضاً: غارات روسية على ريف اللاذقية
"""


@pytest.fixture(scope="module")
def schema() -> dict:
    path = resources.files("rasid") / "schema" / "event.schema.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _check_records(records: list[dict], text: str, schema: dict) -> None:
    for r in records:
        jsonschema.validate(public(r), schema)
        for ev in r["evidence"]:
            assert text[ev["start"] : ev["end"]] == ev["text"]


def test_shelling_with_casualties_and_relative_date(schema: dict) -> None:
    article = Article(id="t1", text=ARTICLE, published=__import__("datetime").date(2019, 5, 14))
    records = extract_article(article)
    _check_records(records, ARTICLE, schema)
    shelling = [r for r in records if r["sub_event_type"] == "shelling_artillery_missile_attack"]
    assert len(shelling) == 1, [(r["sub_event_type"], r["location"]["mention"]) for r in records]
    ev = shelling[0]
    assert ev["actor1"]["id"] == "SYR_MIL"
    assert ev["location"]["admin1"] in ("Idlib", "Idleb")
    assert "كفرنبل" in ev["location"]["mention"]
    assert ev["fatalities"]["killed"] == 3
    assert ev["fatalities"]["injured"] == 5
    assert ev["date"]["start"] == "2019-05-13"
    assert ev["claim"]["source_mention"] and "المرصد" in ev["claim"]["source_mention"]
    # the headline tells the same strike: one event, two evidence spans
    assert len(ev["evidence"]) == 2
    # the read-also headline is not an event
    assert not any("اللاذقية" in (r["location"]["mention"] or "") for r in records)


def test_clash_is_found_despite_obfuscation(schema: dict) -> None:
    records = extract_article(Article(id="t2", text=ARTICLE))
    clashes = [r for r in records if r["event_type"] == "battles"]
    assert clashes and clashes[0]["location"]["admin1"] == "Hama"
    for r in records:
        assert r["date"]["precision"] == "unknown" or r["date"]["mention"] is None


def test_cli_extract_is_deterministic_and_reports_bad_input(tmp_path: Path, schema: dict) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 50)
    out1, out2 = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    assert main(["extract", str(folder), "--out", str(out1), "--published", "2019-05-14"]) == 1
    assert main(["extract", str(folder), "--out", str(out2), "--published", "2019-05-14"]) == 1
    assert out1.read_bytes() == out2.read_bytes()
    lines = out1.read_text(encoding="utf-8").splitlines()
    assert lines
    for line in lines:
        record = json.loads(line)
        jsonschema.validate(record, schema)
        assert record["article_id"] == "good"
        for ev in record["evidence"]:
            assert ARTICLE[ev["start"] : ev["end"]] == ev["text"]


def test_cli_bad_input_message_names_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"id": "ok", "text": "قصفت طائرات روسية بلدة كفرنبل جنوبي إدلب."}\n{not json\n', encoding="utf-8"
    )
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(bad), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:2" in err
    assert out.exists()


DEV = Path(__file__).resolve().parents[1] / ".." / "shared" / "dev"


@pytest.mark.skipif(not (DEV / "articles").is_dir(), reason="dev set not present")
def test_dev_articles_give_schema_valid_records(schema: dict) -> None:
    from rasid.readers import iter_articles

    n = 0
    for article in iter_articles([str(DEV / "articles")]):
        assert isinstance(article, Article)
        records = extract_article(article)
        _check_records(records, article.text, schema)
        n += len(records)
    assert n >= 10


@pytest.mark.skipif(not (DEV / "gold.jsonl").is_file(), reason="dev set not present")
def test_dev_set_quality_floor() -> None:
    """The dev set guides, it does not prove; this floor only catches regressions (measured 0.98)."""
    from rasid.evaluate import load_jsonl, score
    from rasid.readers import iter_articles

    preds = [r for a in iter_articles([str(DEV / "articles")]) for r in extract_article(a)]
    result = score(load_jsonl(DEV / "gold.jsonl"), [public(r) for r in preds])
    assert result.f1 >= 0.93
    for name in ("sub_event_type", "actor1", "actor2"):
        right, n = result.fields[name]
        assert right / n >= 0.85, name


def test_cli_annotate_html_escapes_article_text(tmp_path: Path) -> None:
    src = tmp_path / "hostile.txt"
    src.write_text(
        "قصفت طائرات روسية بلدة كفرنبل جنوبي إدلب <script>alert(1)</script> مساء الاثنين.\n", encoding="utf-8"
    )
    page = tmp_path / "page.html"
    assert main(["annotate", str(src), "--format", "html", "--out", str(page)]) == 0
    html = page.read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(" in html  # the digit inside is itself a number mention
    out = tmp_path / "ann.jsonl"
    assert main(["annotate", str(src), "--out", str(out)]) == 0
    ann = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    kinds = {m["kind"] for m in ann["mentions"]}
    assert {"place", "trigger", "actor"} <= kinds
    for m in ann["mentions"]:
        assert ann["text"][m["start"] : m["end"]] == m["text"]


def test_pronoun_suffixed_words_are_not_places_and_place_names_are_not_cues() -> None:
    text = (
        "وفي مدينة نوى بريف درعا الغربي، انفجرت عبوة ناسفة بسيارة عنصر من الأمن العام أمام منزله، "
        "ما أدى إلى مقتله على الفور."
    )
    records = extract_article(Article(id="t3", text=text))
    assert [(r["sub_event_type"], r["location"]["mention"]) for r in records] == [
        ("remote_explosive_landmine_ied", "نوى")
    ]
    assert records[0]["fatalities"]["killed"] is None or records[0]["fatalities"]["killed"] == 1


def test_river_takes_the_governorate_of_the_place_named_before_it() -> None:
    text = (
        "قصف الطيران المسير مواقع في بلدة هجين شرقي دير الزور.\n\n"
        "وفي وقت لاحق اندلعت اشتباكات بين قسد وقوات النظام عند نهر الفرات."
    )
    records = extract_article(Article(id="river", text=text))
    river = [r for r in records if r["location"]["mention"] == "نهر الفرات"]
    assert len(river) == 1
    assert river[0]["location"]["admin1"] == "Deir ez-Zor"
    assert river[0]["location"]["gazetteer_id"] == "hand:euphrates"


def test_river_alone_has_no_governorate() -> None:
    records = extract_article(
        Article(id="river", text="اندلعت اشتباكات بين قسد وقوات النظام عند نهر الفرات.")
    )
    assert [r["location"]["admin1"] for r in records] == [None]


def test_toll_told_later_joins_the_event_of_its_actor() -> None:
    text = (
        "قصفت طائرات التحالف الدولي مواقع لتنظيم داعش قرب بلدة الباغوز.\n\n"
        "وفي سياق آخر انفجرت عبوة ناسفة في مدينة الميادين.\n\n"
        "وقال مسؤول في التحالف إن الغارات أسفرت عن مقتل تسعة مسلحين."
    )
    records = {r["location"]["mention"]: r for r in extract_article(Article(id="toll", text=text))}
    assert records["الباغوز"]["fatalities"]["killed"] == 9
    assert records["الميادين"]["fatalities"]["killed"] is None
    spans = [(e["start"], e["end"]) for e in records["الباغوز"]["evidence"]]
    assert any(text[a:b].startswith("وقال مسؤول") for a, b in spans)


def test_load_knowledge_loads_once_and_freezes_the_knowledge_base() -> None:
    """The CLI calls it before a batch: afterwards the knowledge base is outside the GC's walks."""
    import gc

    from rasid.pipeline import _WARM_UP, load_knowledge

    gc.unfreeze()
    try:
        load_knowledge()
        # gazetteer, actors and lexicons: far more objects than a few articles leave behind
        assert gc.get_freeze_count() > 50_000
    finally:
        gc.unfreeze()
    # the warm-up text reaches the components it is meant to load: one located shelling with its toll
    (ev,) = extract_article(Article(id="w", text=_WARM_UP, published=None))
    assert ev["sub_event_type"] == "shelling_artillery_missile_attack"
    assert ev["actor1"]["id"] == "SYR_MIL"
    assert ev["location"]["admin1"] in ("Idlib", "Idleb")
    assert ev["fatalities"]["killed"] == 3
