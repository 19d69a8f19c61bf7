"""``rasid annotate`` streams: the page is written article by article, so memory does not grow with the
batch (issue #20: 945 MB for 10k articles). Measured with tracemalloc on N and 4N articles, never timed."""

from __future__ import annotations

import io
import json
import tracemalloc
from pathlib import Path

import pytest

from rasid.annotate import annotation, write_html
from rasid.cli import main
from rasid.document import Article
from rasid.pipeline import annotate_article
from rasid.render.html import render_html

PLACES = ["كفرنبل", "سراقب", "أريحا", "بنش", "سرمدا", "منبج", "الأتارب", "تل رفعت"]
TOLLS = ["ثلاثة", "أربعة", "خمسة", "ستة", "سبعة"]


def _text(i: int) -> str:
    return (
        f"قصفت قوات النظام السوري بالمدفعية الثقيلة صباح اليوم بلدة {PLACES[i % len(PLACES)]}، "
        f"ما أدى إلى مقتل {TOLLS[i % len(TOLLS)]} مدنيين وإصابة آخرين (تقرير رقم {i}).\n"
        "وذكرت مصادر محلية أن الحصيلة مرشحة للارتفاع بسبب وجود جرحى في حالات خطرة."
    )


def _batch(path: Path, n: int) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": f"a{i}", "text": _text(i)}, ensure_ascii=False) + "\n")
    return path


def test_streamed_page_is_the_same_page() -> None:
    anns = [annotation(annotate_article(Article(id=f"a{i}", text=_text(i)))) for i in range(3)]
    for items in (anns, anns[:1], []):
        fh = io.StringIO()
        assert write_html(iter(items), fh) == len(items)
        assert fh.getvalue() == render_html(items)


def _peak(tmp_path: Path, n: int, fmt: str) -> int:
    batch = _batch(tmp_path / f"b{n}.jsonl", n)
    out = tmp_path / f"page{n}.{fmt}"
    tracemalloc.start()
    try:
        assert main(["annotate", str(batch), "--format", fmt, "--out", str(out)]) == 0
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("fmt", ["html", "jsonl"])
def test_memory_does_not_grow_with_the_batch(tmp_path: Path, fmt: str) -> None:
    main(
        ["annotate", str(_batch(tmp_path / "warm.jsonl", 4)), "--out", str(tmp_path / "warm.out")]
    )  # lexicons
    small = _peak(tmp_path, 8, fmt)
    large = _peak(tmp_path, 32, fmt)
    # whole-batch rendering grew about 4x here; streamed, the peak is one article's work
    assert large < 1.5 * small, (small, large)
