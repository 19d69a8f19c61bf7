"""Records name the article they came from (url, outlet, published), as the store and exports need."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from rasid.cli import main
from rasid.document import Article
from rasid.pipeline import extract_article

TEXT = "قصفت طائرات حربية روسية بلدة كفرنبل في ريف إدلب الجنوبي صباح اليوم، ما أدى إلى مقتل مدنيين اثنين."


def test_record_carries_article_source() -> None:
    article = Article(
        id="src-1",
        text=TEXT,
        url="https://example.org/a/1",
        outlet="مثال نيوز",
        published=dt.date(2023, 3, 2),
    )
    records = extract_article(article)
    assert records
    for r in records:
        assert (r["url"], r["outlet"], r["published"]) == (
            "https://example.org/a/1",
            "مثال نيوز",
            "2023-03-02",
        )


def test_jsonl_source_fields_reach_the_output(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    line = {
        "id": "j1",
        "text": TEXT,
        "url": "https://example.org/j1",
        "outlet": "Example",
        "published": "2023-03-02",
    }
    src.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(src), "--out", str(out)]) == 0
    rec = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert (
        rec["url"] == "https://example.org/j1"
        and rec["outlet"] == "Example"
        and rec["published"] == "2023-03-02"
    )


def test_txt_without_metadata_gives_nulls() -> None:
    (r, *_) = extract_article(Article(id="plain", text=TEXT))
    assert r["url"] is None and r["outlet"] is None and r["published"] is None
