"""The on-disk knowledge cache (rasid.knowledge.cache): a second start reads it, the events are the same
byte for byte, and a cache that is corrupt, unwritable or turned off is never an error."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rasid.pipeline import compiled

pytestmark = pytest.mark.skipif(
    compiled(), reason="the compiled build does not use the cache (native loaders)"
)

ARTICLE = (
    '{"id": "c1", "published": "2024-03-04", "text": "قصفت طائرات حربية بلدة كفرنبل في ريف إدلب الجنوبي '
    'صباح اليوم، ما أدى إلى مقتل أربعة مدنيين بينهم طفلان، وفق الدفاع المدني السوري."}\n'
    '{"id": "c2", "published": "2024-03-05", "text": "قتل ثلاثة عناصر من قوات النظام في هجوم لمسلحين '
    'على حاجز قرب مدينة درعا، بحسب المرصد السوري لحقوق الإنسان."}\n'
)

# Runs load_knowledge, extracts the articles, and says whether the cache was read.
SCRIPT = """
import json, sys
from rasid.knowledge import cache
restored = []
real = cache.restore
cache.restore = lambda: restored.append(real()) or restored[-1]
from rasid.extract.record import public
from rasid.pipeline import extract_article, load_knowledge
from rasid.readers import iter_articles
load_knowledge()
out = [[public(r) for r in extract_article(a)] for a in iter_articles([sys.argv[1]])]
print(json.dumps({"restored": restored[0], "events": out}, ensure_ascii=False, sort_keys=True))
"""


def _run(tmp_path: Path, cache_dir: Path, **env: str) -> tuple[bool, str]:
    src = tmp_path / "in.jsonl"
    src.write_text(ARTICLE, encoding="utf-8")
    full = {**os.environ, "RASID_CACHE_DIR": str(cache_dir), **env}
    proc = subprocess.run([sys.executable, "-c", SCRIPT, str(src)], env=full, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout)
    return got["restored"], json.dumps(got["events"], ensure_ascii=False, sort_keys=True)


def test_second_start_reads_the_cache_and_extracts_the_same(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first, built = _run(tmp_path, cache)
    assert not first
    files = list(cache.glob("knowledge-*.pickle"))
    assert len(files) == 1
    second, restored = _run(tmp_path, cache)
    assert second
    assert restored == built
    assert '"event_type"' in built  # the articles do give events, so the comparison means something
    _, without = _run(tmp_path, tmp_path / "unused", RASID_CACHE="0")
    assert without == built
    assert not (tmp_path / "unused").exists()  # turned off: nothing written


def test_corrupt_cache_is_rebuilt(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _, built = _run(tmp_path, cache)
    (file,) = cache.glob("knowledge-*.pickle")
    file.write_bytes(b"not a pickle at all")
    again, events = _run(tmp_path, cache)
    assert not again
    assert events == built


def test_truncated_cache_is_rebuilt(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _, built = _run(tmp_path, cache)
    (file,) = cache.glob("knowledge-*.pickle")
    file.write_bytes(file.read_bytes()[: file.stat().st_size // 2])
    again, events = _run(tmp_path, cache)
    assert not again
    assert events == built


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes anywhere")
def test_unwritable_cache_dir_is_no_error(tmp_path: Path) -> None:
    cache = tmp_path / "ro"
    cache.mkdir(mode=0o500)
    restored, events = _run(tmp_path, cache / "rasid")
    assert not restored
    assert '"event_type"' in events


def test_cache_dir_others_can_write_is_not_read(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _, built = _run(tmp_path, cache)
    cache.chmod(0o777)
    again, events = _run(tmp_path, cache)
    assert not again
    assert events == built


def test_cache_dir_under_a_file_is_no_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    restored, events = _run(tmp_path, blocker / "rasid")
    assert not restored
    assert '"event_type"' in events


def test_only_the_newest_files_are_kept(tmp_path: Path) -> None:
    from rasid.knowledge import cache

    for i in range(6):
        f = tmp_path / f"knowledge-old{i}.pickle"
        f.write_bytes(b"x")
        os.utime(f, (1000 + i, 1000 + i))
    current = tmp_path / "knowledge-new.pickle"
    current.write_bytes(b"y")
    cache._remove_stale(current)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == [
        "knowledge-new.pickle",
        "knowledge-old3.pickle",
        "knowledge-old4.pickle",
        "knowledge-old5.pickle",
    ]
