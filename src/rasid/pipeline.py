"""The ordered list of components that turn an Article into events.

Each component is ``component(doc: Document) -> None`` in its own module and
can be run and tested alone. :func:`annotate_article` runs them all and
returns the Document (mentions and events); :func:`extract_article` returns
the SPEC records. The CLI, the annotate page and the benchmarks all call these
two functions, so they see exactly the same analysis.
"""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable
from functools import lru_cache
from importlib import import_module
from typing import Any

from rasid.budget import DEFAULT_BUDGET_S as DEFAULT_BUDGET_S
from rasid.budget import ArticleTimeout
from rasid.document import Article, Document
from rasid.knowledge.matcher import build_scan, index_tokens, scan_built

Component = Callable[[Document], None]

# module:function, in order. Mentions first (text layer, knowledge, values), then events.
COMPONENTS: tuple[str, ...] = (
    "rasid.text.boilerplate:mark_boilerplate",
    "rasid.text.segment:segment",
    "rasid.knowledge.actors:find_actors",
    "rasid.geo.places:find_places",
    "rasid.knowledge.coref:resolve_short_forms",
    "rasid.extract.numbers:find_numbers",
    "rasid.extract.dates:find_dates",
    "rasid.extract.casualties:find_casualties",
    "rasid.extract.triggers:find_triggers",
    "rasid.extract.events:build_events",
)


def compiled() -> bool:
    """Whether this is the compiled build (setup.py): its pipeline modules are extensions, not .py files."""
    return not __file__.endswith(".py")


@lru_cache(maxsize=1)
def components() -> tuple[Component, ...]:
    out = []
    for spec in COMPONENTS:
        module, name = spec.split(":")
        out.append(getattr(import_module(module), name))
    return tuple(out)


# One short text that reaches every component's lexicons (its content is ours).
_WARM_UP = (
    "قصفت قوات النظام السوري بلدة كفرنبل في ريف إدلب الجنوبي مساء أمس الاثنين، "
    "ما أدى إلى مقتل ثلاثة مدنيين وإصابة آخرين، بحسب المرصد السوري لحقوق الإنسان."
)


def load_knowledge() -> None:
    """Load every lexicon, gazetteer and matcher now, and take them out of the garbage collector's walks.

    The loaders are cached and otherwise run inside the first article. Once
    loaded, the knowledge base is hundreds of thousands of long-lived objects
    that every full collection would walk again while articles allocate and
    free their mentions; ``gc.freeze`` moves what exists now to the permanent
    generation (it is still freed by reference counting). Call it once before
    a batch; the CLI and the benchmark do.

    The built knowledge comes from the disk cache when there is one for this
    version (:mod:`rasid.knowledge.cache`), and is written there after a build.
    """
    from rasid.knowledge import cache

    restored = cache.restore()
    extract_article(Article(id="warm-up", text=_WARM_UP, published=None))
    _load_cold_lexicons()
    if not (restored and scan_built()):
        build_scan()  # one automaton over every lexicon, now that all are loaded (knowledge/scan.py)
    if not restored:
        cache.save()
    gc.collect()
    gc.freeze()


# The packages whose cached loaders load_knowledge runs (not the store, readers or renderers).
_KNOWLEDGE_PACKAGES = ("rasid.text.", "rasid.knowledge.", "rasid.geo.", "rasid.extract.")


def _load_cold_lexicons() -> None:
    """Run the argument-less cached loaders (``lru_cache(maxsize=1)``) the warm-up text did not reach.

    Lexicons that only some constructions need (the event nouns of a place slot,
    the common words of near spellings...) would otherwise be read and compiled
    inside the first article that has one. Loaders are pure, so this changes no output.
    """
    for name in sorted(sys.modules):
        if not name.startswith(_KNOWLEDGE_PACKAGES):
            continue
        for value in list(vars(sys.modules[name]).values()):
            info = getattr(value, "cache_info", None)
            if info is None or getattr(value, "__module__", None) != name or info().maxsize != 1:
                continue
            try:
                value()
            except TypeError:
                continue  # a cache of one entry for a function that takes arguments


# The timeout is rasid.budget's, so that one except clause catches a timer's and a check's.
# The budget of the article being extracted: its deadline (time.monotonic), id and seconds.
# One article at a time per process, so module state is enough; None: no budget.
_deadline: float | None = None
_budget_article = ""
_budget_s = 0.0


def check_budget(where: str) -> None:
    """Raise :class:`ArticleTimeout` when the current article is past its budget.

    Called between components and inside the loops whose length grows with the
    article (sentences, tokens, frames); costs one comparison when no budget is set.
    """
    if _deadline is not None and time.monotonic() > _deadline:
        raise ArticleTimeout(_budget_s, _budget_article, where)


def annotate_article(article: Article, budget_s: float | None = None) -> Document:
    """Run every component over one article; the Document holds mentions and events.

    With ``budget_s``, an article still running after that many seconds raises
    :class:`ArticleTimeout` (checked between components and inside their long loops).
    """
    global _deadline, _budget_article, _budget_s
    doc = Document(article)
    if budget_s is not None:
        _deadline, _budget_article, _budget_s = time.monotonic() + budget_s, article.id, budget_s
    try:
        index_tokens(doc.tokens)  # where each phrase matcher may begin, for all of them in one pass
        for name, component in zip(COMPONENTS, components(), strict=True):
            component(doc)
            check_budget(name)
    finally:
        _deadline = None
    return doc


def extract_article(article: Article, budget_s: float | None = None) -> list[dict[str, Any]]:
    """SPEC section 4 records for one article (``budget_s``: see :func:`annotate_article`)."""
    return list(annotate_article(article, budget_s).events)
