"""``rasid sources``: per outlet, the names it uses for each actor and the loaded words it uses.

Source framing is evidence an analyst weighs: an outlet that says "ميليشيا
قسد" or "الاحتلال التركي" reports the same incident as one that says "قوات
سوريا الديمقراطية" or "الجيش التركي", from a side. The terms are collected at
ingest (schema.terms), so this is one grouped query.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

from sqlalchemy import Engine, func, select

from rasid.store.export import write_table
from rasid.store.schema import articles, terms

COLUMNS = ("outlet", "kind", "actor_id", "term", "articles", "mentions")


def source_framing(engine: Engine, outlet: str | None = None) -> list[dict[str, Any]]:
    """Rows of :data:`COLUMNS`: by outlet, then names before loaded words, then actor, most used first."""
    outlet_col = func.coalesce(articles.c.outlet, "")
    query = (
        select(
            outlet_col.label("outlet"),
            terms.c.kind,
            terms.c.actor_id,
            terms.c.term,
            func.count(func.distinct(terms.c.article_id)).label("articles"),
            func.sum(terms.c.n).label("mentions"),
        )
        .join(articles, articles.c.id == terms.c.article_id)
        .group_by(outlet_col, terms.c.kind, terms.c.actor_id, terms.c.term)
    )
    if outlet:
        query = query.where(func.lower(articles.c.outlet) == outlet.lower())
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(query)]
    for r in rows:
        r["articles"], r["mentions"] = int(r["articles"]), int(r["mentions"])
        r["actor_id"] = r["actor_id"] or ""
    rows.sort(
        key=lambda r: (
            r["outlet"],
            r["kind"] != "name",
            r["actor_id"],
            -r["articles"],
            -r["mentions"],
            r["term"],
        )
    )
    return rows


def write_csv(rows: Iterable[dict[str, Any]], fh: IO[str]) -> int:
    return write_table(rows, COLUMNS, fh)
