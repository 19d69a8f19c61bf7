"""rasid's public APIs: the Python functions below, and the HTTP API of ``rasid serve``.

The HTTP API (issue #18) is :func:`rasid.api.app.create_app`, in the modules of this package;
it is imported only by ``rasid serve`` and the tests (``rasid extract`` must start without
FastAPI), so nothing here imports it.

The Python functions are what the README documents for use from Python.

``rasid.pipeline`` is the internal pipeline: its records still carry the
private ``_mentions`` key (the Mention objects an event used, for the annotate
page and the store's denials), which ``json.dumps`` cannot write and the
schema does not allow. The functions here return what ``rasid extract``
writes: SPEC records that validate against ``rasid/schema/event.schema.json``.
They accept an :class:`~rasid.document.Article` or a plain mapping with the
same keys (``{"id", "text", "published"?...}``), and take an optional time
budget, as the command line does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rasid.budget import ArticleTimeout, time_limit
from rasid.document import Article, Document

__all__ = ["Article", "ArticleTimeout", "Document", "annotate_article", "annotation", "extract_article"]

_FIELDS = ("id", "text", "title", "url", "outlet", "published", "source")


def _article(article: Article | Mapping[str, Any]) -> Article:
    if isinstance(article, Article):
        return article
    if isinstance(article, Mapping):
        unknown = sorted(set(article) - set(_FIELDS))
        if unknown:
            raise TypeError(f"unknown article key(s): {', '.join(map(str, unknown))}")
        return Article(**{str(k): v for k, v in article.items()})
    raise TypeError(f"expected an Article or a mapping, got {type(article).__name__}")


def annotate_article(article: Article | Mapping[str, Any], *, budget_s: float | None = None) -> Document:
    """The analysed Document (``doc.mentions``, ``doc.events``); ArticleTimeout past ``budget_s`` seconds."""
    from rasid.pipeline import annotate_article as run

    art = _article(article)
    with time_limit(budget_s):
        return run(art)


def extract_article(
    article: Article | Mapping[str, Any], *, budget_s: float | None = None
) -> list[dict[str, Any]]:
    """SPEC section 4 records for one article, exactly as ``rasid extract`` writes them (JSON-ready)."""
    from rasid.extract.record import public

    return [public(r) for r in annotate_article(article, budget_s=budget_s).events]


def annotation(article: Article | Mapping[str, Any], *, budget_s: float | None = None) -> dict[str, Any]:
    """Every mention and event of one article as one JSON-ready object (what ``rasid annotate`` writes)."""
    from rasid.annotate import annotation as build

    return build(annotate_article(article, budget_s=budget_s))
