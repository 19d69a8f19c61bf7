"""Score place recognition and resolution on the hand-written probes.

``tests/data/place_probes.tsv`` has one row per expected mention: the
sentence, the mention text, the expected gazetteer id (``NONE`` when the word
must not be taken as a place) and the expected ``admin1|country``. A row is
right when a place/region mention overlapping the first occurrence of the
mention text resolves to the expected id (or, for ``NONE``, when there is no
such mention). Prints accuracy, precision and recall, and the failures with
``-v``. Usage: ``python tools/place_accuracy.py [-v] [probes.tsv]``.
"""

from __future__ import annotations

import argparse
import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from rasid.document import Article, Document
from rasid.geo.places import find_places

_LETTER = re.compile("[\u0621-\u064a\u0640]")
PROBES = Path(__file__).resolve().parents[1] / "tests" / "data" / "place_probes.tsv"


@dataclass
class Score:
    tp: int = 0  # expected place, found with the right id
    tn: int = 0  # expected NONE, nothing found
    fp: int = 0  # expected NONE, something found
    fn: int = 0  # expected place, nothing found
    wrong: int = 0  # expected place, found with another id
    admin_ok: int = 0  # found places whose admin1/country is right (even if the id differs)
    failures: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.tp + self.tn + self.fp + self.fn + self.wrong

    @property
    def accuracy(self) -> float:
        return (self.tp + self.tn) / self.total if self.total else 0.0

    @property
    def precision(self) -> float:
        found = self.tp + self.fp + self.wrong
        return self.tp / found if found else 0.0

    @property
    def recall(self) -> float:
        expected = self.tp + self.fn + self.wrong
        return self.tp / expected if expected else 0.0


def read_probes(path: Path = PROBES) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        lines = (line for line in f if line.strip() and not line.startswith("#"))
        return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def mention_span(sentence: str, mention: str) -> tuple[int, int]:
    """First occurrence of ``mention`` that ends a word (so الإمارات is not found in الإماراتية)."""
    for m in re.finditer(re.escape(mention), sentence):
        if m.end() == len(sentence) or not _LETTER.match(sentence[m.end()]):
            return m.start(), m.end()
    raise ValueError(f"{mention!r} not in {sentence!r}")


def evaluate(rows: list[dict[str, str]]) -> Score:
    score = Score()
    docs: dict[str, Document] = {}
    for r in rows:
        sent = r["sentence"]
        if sent not in docs:
            docs[sent] = Document(Article(id="probe", text=sent))
            find_places(docs[sent])
        doc = docs[sent]
        a, b = mention_span(sent, r["mention"])
        hits = [m for m in doc.mentions if m.kind in ("place", "region") and m.start < b and a < m.end]
        expected = r["expected"]
        if expected == "NONE":
            if hits:
                score.fp += 1
                score.failures.append(f"FP  {r['mention']!r} -> {hits[0].data['gazetteer_id']} | {sent}")
            else:
                score.tn += 1
            continue
        if not hits:
            score.fn += 1
            score.failures.append(f"FN  {r['mention']!r} ({expected}) | {sent}")
            continue
        got = hits[0].data
        admin1, _, country = r["admin"].partition("|")
        if (got.get("admin1") or "") == admin1 and got.get("country") == country:
            score.admin_ok += 1
        if got["gazetteer_id"] == expected:
            score.tp += 1
        else:
            score.wrong += 1
            score.failures.append(
                f"BAD {r['mention']!r} -> {got['gazetteer_id']} {got.get('admin1')} {got.get('country')}"
                f" (want {expected} {r['admin']}) | {sent}"
            )
    return score


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Place recognition accuracy on the probes")
    ap.add_argument("probes", nargs="?", type=Path, default=PROBES)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    s = evaluate(read_probes(args.probes))
    found = s.tp + s.wrong
    print(
        f"probes: {s.total}  accuracy: {s.accuracy:.3f}  precision: {s.precision:.3f}  recall: {s.recall:.3f}"
    )
    print(
        f"tp={s.tp} tn={s.tn} fp={s.fp} fn={s.fn} wrong_id={s.wrong} admin1/country right on found: {s.admin_ok}/{found}"
    )
    if args.verbose:
        print("\n".join(s.failures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
