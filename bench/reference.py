"""The fold+scan reference of issue #19: what reading the text costs, with nothing else.

It folds each article with rasid's own :func:`rasid.text.fold.fold` and runs one
Aho-Corasick automaton (pyahocorasick) over the folded text, holding every
folded name of the gazetteer and the actor inventory (about 18,000 keys;
the issue's reference had ~30k), counting the hits that fall on word boundaries. That is the floor of any
extractor that reads every article: bench/RESULTS.md gives rasid's throughput
as a ratio to it, measured in the same run on the same articles.

    (pyahocorasick is a runtime dependency: rasid.knowledge.scan uses it too)
    .venv/bin/python bench/reference.py --n 2000
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402  (bench/ is not a package)


def _names() -> list[str]:
    """Every folded name of the gazetteer's and the actor inventory's phrase matchers."""
    from rasid.geo.gazetteer import gazetteer
    from rasid.knowledge.actors import _alias_matcher

    names = set()
    for matcher in (gazetteer().matcher, _alias_matcher()):
        names.update(" ".join(key) for key in matcher._phrases)
    return sorted(names)


def build(names: list[str]) -> object:
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for k, name in enumerate(names):
        automaton.add_word(name, k)
    automaton.make_automaton()
    return automaton


def scan(automaton: object, text: str) -> int:
    """Fold ``text`` and count the names that begin and end on word boundaries."""
    from rasid.text.fold import fold

    folded = fold(text).text
    n = len(folded)
    hits = 0
    for end, _k in automaton.iter(folded):  # type: ignore[attr-defined]
        if end + 1 == n or not folded[end + 1].isalnum():
            hits += 1
    return hits


def measure(texts: list[str]) -> dict[str, float]:
    """Articles per second of the reference over ``texts`` (the automaton is built before the clock)."""
    t0 = time.perf_counter()
    names = _names()
    automaton = build(names)
    t_build = time.perf_counter() - t0
    scan(automaton, texts[0])  # warm-up
    t0 = time.perf_counter()
    hits = sum(scan(automaton, t) for t in texts)
    wall = time.perf_counter() - t0
    return {
        "names": len(names),
        "build_s": round(t_build, 3),
        "articles_per_s": round(len(texts) / wall, 1),
        "hits_per_article": round(hits / len(texts), 1),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="fold + one Aho-Corasick scan per article (issue #19 reference)")
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    try:
        import ahocorasick  # noqa: F401
    except ImportError:
        sys.exit("bench/reference.py needs pyahocorasick: .venv/bin/pip install pyahocorasick")
    texts = [a.text for a in corpus.generate(args.n, args.seed, corpus.TARGET_BYTES)]
    r = measure(texts)
    print(
        f"reference (fold + Aho-Corasick over {r['names']} names, built in {r['build_s']} s):"
        f" {r['articles_per_s']} articles/s, {r['hits_per_article']} hits per article"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
