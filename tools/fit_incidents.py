"""Cross-validate the incident model's threshold (data/incidents.yaml) with folds by article.

    python tools/fit_incidents.py ARTICLES.jsonl GOLD.jsonl --scorer ../shared/eval/score.py [--folds 5]

For each candidate threshold the whole set is extracted once; each article's tp/fp/fn are kept.
Then, fold by fold (articles dealt to folds in id order), the threshold with the best event F1
on the other folds is chosen and scored on the held-out fold. Printed: the F1 of every threshold
on the whole set, the threshold each fold chose, and the cross-validated F1 (micro-averaged over
the held-out folds). A threshold above every score (99) means "no region twin ever joins".
"""

from __future__ import annotations

import argparse
import copy
import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import rasid.extract.incidents as incidents
import rasid.extract.merge as merge
from rasid.document import Article
from rasid.pipeline import extract_article

CANDIDATES = (2.0, 3.0, 4.0, 5.0, 6.0, 99.0)
Counts = tuple[int, int, int]
# the model as loaded, before any threshold is patched in
_BASE: list[incidents.IncidentModel] = []


def _scorer(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("score", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load the scorer {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _with_threshold(threshold: float) -> None:
    base = _BASE[0] if _BASE else incidents.model()
    if not _BASE:
        _BASE.append(base)
    m = copy.copy(base)
    m.threshold = threshold

    def patched() -> incidents.IncidentModel:
        return m

    incidents.model = patched  # type: ignore[assignment]
    merge.incident_model = patched  # type: ignore[assignment]


def _per_article(
    articles: list[dict[str, Any]], gold: list[dict[str, Any]], score: ModuleType
) -> dict[str, Counts]:
    out: dict[str, Counts] = {}
    for a in articles:
        preds = extract_article(Article(id=a["id"], text=a["text"], published=None))
        result, _ = score.score([g for g in gold if g["article_id"] == a["id"]], preds)
        out[a["id"]] = (result["tp"], result["fp"], result["fn"])
    return out


def _f1(counts: list[Counts]) -> float:
    tp, fp, fn = (sum(c[i] for c in counts) for i in range(3))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("articles", type=Path)
    ap.add_argument("gold", type=Path)
    ap.add_argument("--scorer", type=Path, required=True)
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args()
    score = _scorer(args.scorer)
    articles = [
        json.loads(line) for line in args.articles.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    gold = [json.loads(line) for line in args.gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    articles.sort(key=lambda a: str(a["id"]))
    original = incidents.model
    runs: dict[float, dict[str, Counts]] = {}
    for t in CANDIDATES:
        _with_threshold(t)
        runs[t] = _per_article(articles, gold, score)
        print(f"threshold {t:5.1f}: event F1 on the whole set {_f1(list(runs[t].values())):.3f}")
    incidents.model = original  # type: ignore[assignment]
    fold_of = {a["id"]: i % args.folds for i, a in enumerate(articles)}
    held: list[Counts] = []
    for k in range(args.folds):
        train = [aid for aid, f in fold_of.items() if f != k]
        test = [aid for aid, f in fold_of.items() if f == k]
        best = max(CANDIDATES, key=lambda t: (_f1([runs[t][a] for a in train]), -abs(t - 4.0)))
        fold = [runs[best][a] for a in test]
        held += fold
        print(f"fold {k}: chose {best:.1f}, held-out F1 {_f1(fold):.3f} ({len(test)} articles)")
    print(f"cross-validated event F1 ({args.folds} folds by article): {_f1(held):.3f}")


if __name__ == "__main__":
    main()
