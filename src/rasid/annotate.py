"""Every mention and event of an article, as one JSON-ready object.

Analysts and lexicon maintainers need to see *why* rasid coded what it coded.
The extractor itself works through :func:`rasid.pipeline.annotate_article`, so
the annotation built here from the very same :class:`~rasid.document.Document`
shows exactly what extraction saw: each mention as offsets into the original
text with what it resolved to, and each event pointing back at the mentions it
used (``mention_ids``). ``rasid annotate`` writes these objects as JSONL or
renders them with :func:`rasid.render.html.render_html`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any

from rasid.document import Article, Document, Mention
from rasid.geo.places import actor_country_places


def annotation(doc: Document) -> dict[str, Any]:
    """The annotation object of one processed document (pure JSON types only).

    Mentions are sorted by ``(start, -end)`` so an enclosing span comes before
    the spans inside it; each gets ``id`` = its index in that order, which is
    what events refer to in ``mention_ids``. A country or capital that only an actor
    mention covers is shown as a place too (role ``actor``; see
    :func:`rasid.geo.places.actor_country_places`).
    """
    ordered = sorted([*doc.mentions, *actor_country_places(doc)], key=_mention_order)
    mentions = []
    for index, mention in enumerate(ordered):
        item = mention_json(mention)
        item["id"] = index
        mentions.append(item)
    index_of = _MentionIndex(ordered)
    article = doc.article
    return {
        "article_id": article.id,
        "title": article.title,
        "published": _iso(article.published),
        "url": article.url,
        "outlet": article.outlet,
        "text": doc.text,
        "boilerplate": [[int(s), int(e)] for s, e in sorted(doc.boilerplate)],
        "mentions": mentions,
        "events": [_event_json(event, index_of) for event in doc.events],
    }


def mention_json(mention: Mention) -> dict[str, Any]:
    """One mention as JSON: span keys from the Mention, then what it resolved to.

    A data key that collides with a span key (a date's resolved ``start``/``end``)
    must not overwrite the offsets, so it is renamed ``<kind>_<key>``
    (``date_start``, ``date_end``). Other keys are copied unchanged.
    """
    out: dict[str, Any] = {
        "start": mention.start,
        "end": mention.end,
        "text": mention.text,
        "kind": mention.kind,
    }
    for key, value in mention.data.items():
        name = f"{mention.kind}_{key}" if key in _SPAN_KEYS else str(key)
        out[name] = _jsonable(value)
    return out


def annotate_articles(articles: Iterable[Article]) -> Iterator[dict[str, Any]]:
    """Run the full pipeline over each article and yield its annotation.

    The pipeline is imported here, not at module load, so the renderer and the
    JSON helpers stay usable while a component is missing or broken.
    """
    from rasid.pipeline import annotate_article

    for article in articles:
        yield annotation(annotate_article(article))


def write_jsonl(annotations: Iterable[Mapping[str, Any]], fh: IO[str]) -> int:
    """Write one annotation per line; same input, byte-identical output. Returns the count."""
    count = 0
    for item in annotations:
        fh.write(json.dumps(item, sort_keys=True, ensure_ascii=False, default=_json_default))
        fh.write("\n")
        count += 1
    return count


_EMPTY_BODY = '<p class="empty">No articles.</p>'


def write_html(annotations: Iterable[Mapping[str, Any]], fh: IO[str], title: str = "rasid annotate") -> int:
    """Write the annotate page article by article; byte-identical to ``render_html(list(annotations))``.

    ``render_html`` builds the whole page as one string, so a batch of 10k
    articles held every annotation and every section in memory at once (about
    1 GB). Here the page's head and tail come from the empty page and each
    article's ``<section>`` is written as soon as it is analysed: memory stays
    that of one article. Returns the number of articles.
    """
    from rasid.render import html as page

    empty = page.render_html([], title=title)
    section = getattr(page, "_article_section", None)
    if empty.count(_EMPTY_BODY) != 1 or section is None:  # the renderer changed shape: whole page at once
        items = list(annotations)
        fh.write(page.render_html(items, title=title))
        return len(items)
    head, tail = empty.split(_EMPTY_BODY)
    fh.write(head)
    count = 0
    for ann in annotations:
        if count:
            fh.write("\n")
        fh.write(section(count, ann))
        count += 1
    fh.write(tail if count else _EMPTY_BODY + tail)
    return count


_SPAN_KEYS = frozenset({"start", "end", "text", "kind", "id"})


def _mention_order(m: Mention) -> tuple[int, int, str, str]:
    # kind and text break ties so that two components adding the same span in a
    # different order still produce the same ids.
    return (m.start, -m.end, m.kind, m.text)


class _MentionIndex:
    """Find the id of a Mention an event used.

    Events hold the very Mention objects of ``doc.mentions`` (identity lookup).
    A component that rebuilt an equal Mention still resolves through its span
    and kind, so a link is never silently dropped.
    """

    def __init__(self, ordered: list[Mention]) -> None:
        self._by_identity = {id(m): i for i, m in enumerate(ordered)}
        self._by_span: dict[tuple[int, int, str], int] = {}
        for i, m in enumerate(ordered):
            self._by_span.setdefault((m.start, m.end, m.kind), i)

    def lookup(self, mention: Any) -> int | None:
        found = self._by_identity.get(id(mention))
        if found is not None:
            return found
        if isinstance(mention, Mention):
            return self._by_span.get((mention.start, mention.end, mention.kind))
        return None


def _event_json(event: Any, index_of: _MentionIndex) -> dict[str, Any]:
    """The SPEC record without internal ``_`` keys, plus ``mention_ids``."""
    record = dict(event) if isinstance(event, Mapping) else dict(_jsonable(event))
    used = record.get("_mentions") or []
    ids = sorted({i for i in (index_of.lookup(m) for m in used) if i is not None})
    out = {key: _jsonable(value) for key, value in record.items() if not str(key).startswith("_")}
    out["mention_ids"] = ids
    return out


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)


def _jsonable(value: Any) -> Any:
    """Copy ``value`` into plain JSON types (dates as ISO, tuples/sets as lists).

    Components may store dates, tuples or small dataclasses in mention data;
    the annotation must still serialise, and must not alias the live Document.
    """
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Mention):
        return mention_json(value)
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted((_jsonable(v) for v in value), key=repr)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _jsonable(dataclasses.asdict(value))
    return str(value)


def _json_default(value: Any) -> Any:
    return _jsonable(value)
