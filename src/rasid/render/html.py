"""One self-contained HTML page showing what rasid saw in each article.

The page is built from annotation objects (:func:`rasid.annotate.annotation`):
the article text is cut into segments at mention boundaries and every segment
goes through :func:`html.escape`; text never reaches the page any other way,
because article text (and therefore mention data and event notes) is untrusted.
Nothing is fetched: CSS and the small click-to-highlight script are inline,
there are no fonts, images or CDNs, and a Content-Security-Policy forbids any
request should something slip through. The policy allows the one ``<style>``
and the one ``<script>`` by their SHA-256 hashes (computed here from the blocks
as rendered), not ``'unsafe-inline'``: an element that escaping let through
would not run, and the page has no ``style=`` or ``on…=`` attributes.

Each event lists the rule that chose each of its fields (the record's
``"spans"``); hovering or clicking one highlights its words in the text.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html import escape
from typing import Any

# Kinds in legend order, with background colours chosen to stay readable under black text.
KIND_COLOURS: dict[str, str] = {
    "place": "#9ad0f5",
    "region": "#c9e4f7",
    "actor": "#f7b58a",
    "claim_source": "#d7c1f0",
    "trigger": "#f59a9a",
    "number": "#b9e8a8",
    "casualty": "#f4d36b",
    "date": "#8fded2",
    "negation": "#c8c8c8",
    "denial": "#e0a5cf",
    "hypothetical": "#e8e3b0",
    "background": "#dcdcdc",
}
OTHER_COLOUR = "#eeeeee"

# Data keys shown first in a tooltip, per kind; the rest follow alphabetically.
# A region (countryside, governorate...) is located like a place and shown the same way.
_PLACE_FIRST = (
    "name",
    "name_ar",
    "admin2",
    "admin1",
    "country",
    "lat",
    "lon",
    "geo_precision",
    "gazetteer_id",
)
_TOOLTIP_FIRST: dict[str, tuple[str, ...]] = {
    "place": _PLACE_FIRST,
    "region": _PLACE_FIRST,
    "actor": ("actor_id", "name", "actor_kind", "loaded", "adjective"),
    "claim_source": ("source_id", "name", "source_kind"),
    "trigger": ("event_type", "sub_event_type", "lemma", "pos", "passive"),
    "number": ("value", "value_high", "qualifier"),
    "casualty": ("casualty", "value", "value_high", "who"),
    "date": ("date_start", "date_end", "precision"),
}
_SPAN_KEYS = frozenset({"start", "end", "text", "kind", "id"})
# The record's "spans" in the order the events panel lists them, with their labels.
FIELD_LABELS: dict[str, str] = {
    "event_type": "event type",
    "actor1": "actor 1",
    "actor2": "actor 2",
    "location": "place",
    "date": "date",
    "fatalities": "casualties",
    "claim": "claim",
}
_CLASS_SAFE = re.compile(r"[^a-z0-9_-]")


def render_html(annotations: Iterable[Mapping[str, Any]], title: str = "rasid annotate") -> str:
    """The whole page for any number of articles (one ``<section>`` each)."""
    sections = [_article_section(n, ann) for n, ann in enumerate(annotations)]
    body = "\n".join(sections) if sections else '<p class="empty">No articles.</p>'
    css = _css()
    return _PAGE.format(
        title=escape(title),
        csp=content_security_policy(css, _SCRIPT),
        css=css,
        legend=_legend(),
        body=body,
        script=_SCRIPT,
    )


def csp_hash(block: str) -> str:
    """The CSP source that allows one inline block: ``'sha256-…'`` of its text as UTF-8."""
    digest = hashlib.sha256(block.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def content_security_policy(css: str, script: str) -> str:
    """No requests at all; only the page's own ``<style>`` and ``<script>``, by hash."""
    return (
        f"default-src 'none'; style-src {csp_hash(css)}; script-src {csp_hash(script)}; "
        "img-src data:; form-action 'none'; base-uri 'none'"
    )


def kind_class(kind: Any) -> str:
    """CSS class for a mention kind; unknown or odd kinds fall back to ``k-other``."""
    name = _CLASS_SAFE.sub("", str(kind).lower())
    return f"k-{name}" if name in KIND_COLOURS else "k-other"


# --- article section -----------------------------------------------------------------


def _article_section(n: int, ann: Mapping[str, Any]) -> str:
    text = str(ann.get("text") or "")
    mentions = [m for m in ann.get("mentions") or [] if isinstance(m, Mapping)]
    events = [e for e in ann.get("events") or [] if isinstance(e, Mapping)]
    mention_ids = {_mention_id(m, i) for i, m in enumerate(mentions)}
    uses = _events_using(events, mention_ids)
    header = _article_header(ann)
    body = _render_text(n, text, mentions, events, ann.get("boilerplate") or [], uses)
    aside = _events_panel(n, events, mentions, mention_ids)
    return (
        f'<section class="article" id="a{n}">\n{header}\n<div class="cols">\n'
        f'<div class="text" dir="rtl" lang="ar">{body}</div>\n{aside}\n</div>\n</section>'
    )


def _article_header(ann: Mapping[str, Any]) -> str:
    title = ann.get("title")
    parts = [f"<h2>{escape(str(title))}</h2>" if title else ""]
    meta = [("id", ann.get("article_id")), ("published", ann.get("published")), ("outlet", ann.get("outlet"))]
    items = "".join(
        f'<span class="meta-item">{escape(label)}: <bdi>{escape(str(value))}</bdi></span>'
        for label, value in meta
        if value not in (None, "")
    )
    url = ann.get("url")
    if url:
        # Shown as text, never as a link: the page makes no requests and offers none.
        items += f'<span class="meta-item">url: <bdi dir="ltr">{escape(str(url))}</bdi></span>'
    parts.append(f'<div class="meta" dir="ltr">{items}</div>')
    return "\n".join(p for p in parts if p)


def _mention_id(m: Mapping[str, Any], position: int) -> int:
    raw = m.get("id", position)
    return raw if isinstance(raw, int) and not isinstance(raw, bool) else position


def _events_using(events: list[Mapping[str, Any]], mention_ids: set[int]) -> dict[int, list[int]]:
    """For each mention id, the events (by index) that used it."""
    uses: dict[int, list[int]] = {}
    for j, event in enumerate(events):
        for i in _event_mentions(event):
            if i in mention_ids:
                uses.setdefault(i, []).append(j)
    return uses


def _event_mentions(event: Mapping[str, Any]) -> list[int]:
    return [i for i in event.get("mention_ids") or [] if isinstance(i, int) and not isinstance(i, bool)]


# --- text with nested highlights ----------------------------------------------------------


@dataclass
class _Layer:
    """Something drawn over a range of the text: a mention, an evidence span, boilerplate."""

    start: int
    end: int
    open_first: str  # opening tag the first time (carries the id)
    open_again: str  # opening tag after a forced close (no id: ids stay unique)
    close: str
    order: int  # ties: lower opens first (outer)


def _render_text(
    n: int,
    text: str,
    mentions: list[Mapping[str, Any]],
    events: list[Mapping[str, Any]],
    boilerplate: Iterable[Any],
    uses: dict[int, list[int]],
) -> str:
    layers = _boilerplate_layers(text, boilerplate)
    layers += _evidence_layers(n, text, events)
    layers += _field_layers(n, text, events)
    layers += [_mention_layer(n, text, m, i, uses) for i, m in enumerate(mentions)]
    return _nest(text, layers)


def _clamp(text: str, start: Any, end: Any) -> tuple[int, int] | None:
    try:
        s, e = int(start), int(end)
    except (TypeError, ValueError):
        return None
    s = max(0, min(s, len(text)))
    return s, max(s, min(e, len(text)))


def _boilerplate_layers(text: str, ranges: Iterable[Any]) -> list[_Layer]:
    out = []
    for r in ranges:
        if not isinstance(r, list | tuple) or len(r) != 2:
            continue
        span = _clamp(text, r[0], r[1])
        if span and span[1] > span[0]:
            tag = '<span class="bp" title="boilerplate">'
            out.append(_Layer(span[0], span[1], tag, tag, "</span>", 0))
    return out


def _evidence_layers(n: int, text: str, events: list[Mapping[str, Any]]) -> list[_Layer]:
    out = []
    for j, event in enumerate(events):
        for k, ev in enumerate(_evidence(event)):
            span = _clamp(text, ev.get("start"), ev.get("end"))
            if span is None:
                continue
            cls = f'class="ev" data-ev="a{n}-e{j}"'
            out.append(_Layer(*span, f'<span id="a{n}-e{j}-v{k}" {cls}>', f"<span {cls}>", "</span>", 1))
    return out


def _field_spans(event: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    """The event's field spans (``"spans"``) known to the page, in :data:`FIELD_LABELS` order."""
    spans = event.get("spans")
    if not isinstance(spans, Mapping):
        return []
    return [(key, spans[key]) for key in FIELD_LABELS if isinstance(spans.get(key), Mapping)]


def _field_layers(n: int, text: str, events: list[Mapping[str, Any]]) -> list[_Layer]:
    """An invisible span over each field's words, lit when the event lists that field."""
    out = []
    for j, event in enumerate(events):
        for key, sp in _field_spans(event):
            span = _clamp(text, sp.get("start"), sp.get("end"))
            if span is None:
                continue
            tag = f'<span class="sp" data-sp="a{n}-e{j}-{key}">'
            out.append(_Layer(*span, tag, tag, "</span>", 3))
    return out


def _evidence(event: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [e for e in event.get("evidence") or [] if isinstance(e, Mapping)]


def _mention_layer(
    n: int, text: str, m: Mapping[str, Any], position: int, uses: dict[int, list[int]]
) -> _Layer:
    i = _mention_id(m, position)
    span = _clamp(text, m.get("start"), m.get("end")) or (0, 0)
    events = " ".join(f"a{n}-e{j}" for j in uses.get(i, []))
    attrs = (
        f'class="m {kind_class(m.get("kind"))}" data-m="a{n}-m{i}" '
        f'data-events="{escape(events)}" title="{escape(tooltip(m))}"'
    )
    return _Layer(*span, f'<mark id="a{n}-m{i}" {attrs}>', f"<mark {attrs}>", "</mark>", 2)


def _nest(text: str, layers: list[_Layer]) -> str:
    """Interleave escaped text and tags so that every element nests properly.

    Spans that merely overlap (neither contains the other) cannot nest; at the
    point where an inner element has to end while an outer one goes on, the
    elements above it are closed and reopened, so a mention may become several
    ``<mark>`` pieces but only the first carries its id.
    """
    # Outer first: earlier start, then longer span, then boilerplate < evidence < mention.
    layers = sorted(layers, key=lambda L: (L.start, -L.end, L.order))
    points = sorted({0, len(text)} | {L.start for L in layers} | {L.end for L in layers})
    starting: dict[int, list[_Layer]] = {}
    for layer in layers:
        starting.setdefault(layer.start, []).append(layer)
    out: list[str] = []
    stack: list[_Layer] = []
    for a, b in zip(points, points[1:] + [None], strict=True):
        _close_ending(stack, a, out)
        for layer in starting.get(a, []):
            if layer.end == a:  # empty span: still an anchor to link to
                out.append(layer.open_first + layer.close)
            else:
                out.append(layer.open_first)
                stack.append(layer)
        if b is not None:
            out.append(escape(text[a:b], quote=False))
    _close_ending(stack, len(text) + 1, out)
    return "".join(out)


def _close_ending(stack: list[_Layer], at: int, out: list[str]) -> None:
    if not any(layer.end <= at for layer in stack):
        return
    reopen: list[_Layer] = []
    while any(layer.end <= at for layer in stack):
        layer = stack.pop()
        out.append(layer.close)
        if layer.end > at:
            reopen.append(layer)
    for layer in reversed(reopen):
        out.append(layer.open_again)
        stack.append(layer)


# --- tooltips ------------------------------------------------------------------------


def tooltip(m: Mapping[str, Any]) -> str:
    """Plain-text description of what a mention resolved to (escaped by the caller)."""
    kind = str(m.get("kind", ""))
    first = _TOOLTIP_FIRST.get(kind, ())
    keys = [k for k in first if k in m] + sorted(k for k in m if k not in first and k not in _SPAN_KEYS)
    lines = [f"{kind} [{m.get('start')}–{m.get('end')}] «{m.get('text', '')}»"]
    lines += [f"{k}: {_value(m[k])}" for k in keys if m[k] not in (None, "", [], {})]
    return "\n".join(lines)


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:.5g}"
    if isinstance(v, list | tuple):
        return ", ".join(_value(x) for x in v)
    if isinstance(v, Mapping):
        return "; ".join(f"{k}={_value(x)}" for k, x in v.items())
    return str(v)


# --- events panel ----------------------------------------------------------------------


def _events_panel(
    n: int, events: list[Mapping[str, Any]], mentions: list[Mapping[str, Any]], mention_ids: set[int]
) -> str:
    by_id = {_mention_id(m, i): m for i, m in enumerate(mentions)}
    if not events:
        return (
            '<aside class="events" dir="ltr" lang="en"><h3>Events</h3><p class="empty">No events.</p></aside>'
        )
    items = [_event_item(n, j, e, by_id, mention_ids) for j, e in enumerate(events)]
    return (
        f'<aside class="events" dir="ltr" lang="en"><h3>Events ({len(events)})</h3>\n'
        f"<ol>\n{''.join(items)}</ol></aside>"
    )


def _event_item(
    n: int, j: int, event: Mapping[str, Any], by_id: dict[int, Mapping[str, Any]], mention_ids: set[int]
) -> str:
    used = [i for i in _event_mentions(event) if i in mention_ids]
    data_m = " ".join(f"a{n}-m{i}" for i in used)
    rows = [
        f'<div class="etype">{escape(_event_type(event))}</div>',
        _row("notes", event.get("notes")),
        _row("actor 1", _actor(event.get("actor1"))),
        _row("actor 2", _actor(event.get("actor2"))),
        _row("place", _place(event.get("location"))),
        _row("date", _date(event.get("date"))),
        _row("casualties", _fatalities(event.get("fatalities"))),
        _row("claim", _claim(event.get("claim"))),
        _row("confidence", event.get("confidence")),
        _row("event id", event.get("event_id")),
    ]
    links = [
        f'<a href="#a{n}-m{i}" class="{kind_class(by_id[i].get("kind"))}" dir="rtl">'
        f"{escape(str(by_id[i].get('text', '')))}</a>"
        for i in used
    ]
    evidence = [f'<a href="#a{n}-e{j}-v{k}">evidence {k + 1}</a>' for k in range(len(_evidence(event)))]
    rows.append(_why(n, j, event))
    if links:
        rows.append(f'<div class="links">mentions: {" ".join(links)}</div>')
    if evidence:
        rows.append(f'<div class="links">{" ".join(evidence)}</div>')
    body = "".join(r for r in rows if r)
    return f'<li id="a{n}-e{j}" class="event" data-mentions="{escape(data_m)}">{body}</li>\n'


def _why(n: int, j: int, event: Mapping[str, Any]) -> str:
    """Each field with the rule that chose it; hover or click one to light its words."""
    rows = [
        f'<div class="row" data-sp="a{n}-e{j}-{key}"><span class="lbl">{escape(FIELD_LABELS[key])}</span> '
        f"<code>{escape(str(sp.get('rule') or '?'))}</code> <bdi>«{escape(str(sp.get('text') or ''))}»</bdi></div>"
        for key, sp in _field_spans(event)
    ]
    if not rows:
        return ""
    return f'<details class="why" open><summary>why: the rule behind each field</summary>{"".join(rows)}</details>'


def _row(label: str, value: Any) -> str:
    if value in (None, "", [], {}):
        return ""
    return f'<div class="row"><span class="lbl">{escape(label)}</span> <bdi>{escape(str(value))}</bdi></div>'


def _event_type(event: Mapping[str, Any]) -> str:
    kind = str(event.get("event_type") or "?")
    sub = event.get("sub_event_type")
    return f"{kind} / {sub}" if sub else kind


def _actor(actor: Any) -> str | None:
    if not isinstance(actor, Mapping):
        return None
    name = actor.get("name") or actor.get("id") or ""
    ident = actor.get("id")
    mention = actor.get("mention")
    out = f"{name} ({ident})" if ident and ident != name else str(name)
    return f"{out} «{mention}»" if mention else out


def _place(loc: Any) -> str | None:
    if not isinstance(loc, Mapping):
        return None
    where = ", ".join(str(loc[k]) for k in ("name", "admin1", "country") if loc.get(k))
    extra = []
    if loc.get("geo_precision") is not None:
        extra.append(f"precision {loc['geo_precision']}")
    if loc.get("lat") is not None and loc.get("lon") is not None:
        extra.append(f"{_value(loc['lat'])}, {_value(loc['lon'])}")
    text = where or str(loc.get("mention") or "")
    if loc.get("mention") and where:
        text += f" «{loc['mention']}»"
    return f"{text} ({'; '.join(extra)})" if extra else text


def _date(date: Any) -> str | None:
    if not isinstance(date, Mapping):
        return None if date is None else str(date)
    start, end = date.get("start"), date.get("end")
    span = str(start) if start == end or not end else f"{start} – {end}"
    text = f"{span if start else 'unknown'} ({date.get('precision') or 'unknown'})"
    return f"{text} «{date['mention']}»" if date.get("mention") else text


def _fatalities(f: Any) -> str | None:
    if not isinstance(f, Mapping):
        return None
    parts = []
    for key in ("killed", "injured"):
        low, high = f.get(key), f.get(f"{key}_high")
        if low is not None or high is not None:
            parts.append(f"{key} {low if low is not None else '?'}{f'–{high}' if high is not None else ''}")
    return "; ".join(parts) or None


def _claim(claim: Any) -> str | None:
    if not isinstance(claim, Mapping):
        return None
    source = claim.get("source") or claim.get("source_mention")
    if not source and not claim.get("contested"):
        return None
    text = f"according to {source}" if source else "source unknown"
    return text + (" (contested)" if claim.get("contested") else "")


# --- page chrome ---------------------------------------------------------------------------


def _legend() -> str:
    items = "".join(
        f'<li><mark class="m {kind_class(kind)}">{escape(kind.replace("_", " "))}</mark></li>'
        for kind in KIND_COLOURS
    )
    items += '<li><span class="bp">boilerplate</span></li><li><span class="ev ev-sample">evidence</span></li>'
    items += '<li><span class="sp-sample">a field\'s words</span></li>'
    return f'<ul class="legend" dir="ltr" lang="en">{items}</ul>'


def _css() -> str:
    colours = "\n".join(f".{kind_class(k)} {{ background: {c}; }}" for k, c in KIND_COLOURS.items())
    return _CSS + colours + f"\n.k-other {{ background: {OTHER_COLOUR}; }}\n"


_CSS = """
body { font-family: sans-serif; margin: 0 1.5rem 2rem; line-height: 1.6; color: #222; }
header { position: sticky; top: 0; background: #fff; border-bottom: 1px solid #ccc; padding: .4rem 0; z-index: 2; }
h1 { font-size: 1.2rem; margin: .2rem 0; }
.legend { list-style: none; padding: 0; margin: .2rem 0; display: flex; flex-wrap: wrap; gap: .3rem .6rem; }
.article { border-bottom: 2px solid #999; padding: 1rem 0; }
.meta { font-size: .85rem; color: #555; display: flex; flex-wrap: wrap; gap: 1rem; }
.cols { display: flex; gap: 1.5rem; align-items: flex-start; }
.text { flex: 3; white-space: pre-wrap; font-size: 1.15rem; line-height: 2.1; unicode-bidi: plaintext; }
.events { flex: 2; font-size: .9rem; position: sticky; top: 5rem; max-height: 85vh; overflow: auto; }
.events ol { padding-left: 1.4rem; }
.event { margin-bottom: .8rem; padding: .3rem; border-radius: 4px; cursor: pointer; }
.event.hl, .event:target { outline: 2px solid #d33; background: #fff4f4; }
.etype { font-weight: bold; }
.lbl { color: #666; font-size: .8rem; }
.links a { margin: 0 .15rem; padding: 0 .2rem; border-radius: 3px; color: #000; }
mark.m { color: inherit; border-radius: 3px; padding: 0 1px; cursor: pointer; }
mark.m mark.m { border-bottom: 2px solid #555; }
mark.m.hl, mark.m:target { outline: 2px solid #d33; }
.bp { color: #999; background: #f3f3f3; }
.bp mark.m { opacity: .6; }
.ev.hl, .ev:target { background: #fff3b0; }
.ev-sample { background: #fff3b0; }
.sp.hl { outline: 2px dashed #0a58ca; background: #d6e8ff; }
.sp-sample { outline: 2px dashed #0a58ca; background: #d6e8ff; }
.why summary { color: #666; font-size: .8rem; cursor: pointer; }
.why .row { cursor: pointer; border-radius: 3px; }
.why .row:hover, .why .row.hl { background: #d6e8ff; }
.why code { font-size: .8rem; }
#details { position: fixed; bottom: 0; left: 0; right: 0; background: #fffbe6; border-top: 1px solid #cc9;
  white-space: pre-wrap; font-size: .85rem; padding: .3rem 1rem; max-height: 30vh; overflow: auto;
  unicode-bidi: plaintext; }
#details:empty { display: none; }
.empty { color: #777; }
"""

# Click a mention: show its tooltip text below and outline the events that used it.
# Click an event: outline its mentions and evidence. Hover or click a field of an event's
# "why" list: light that field's words in the text. textContent only; no markup is built.
_SCRIPT = """
(function () {
  function clear() {
    document.querySelectorAll('.hl').forEach(function (el) { el.classList.remove('hl'); });
  }
  function mark(ids) {
    (ids || '').split(' ').forEach(function (id) {
      if (!id) { return; }
      var el = document.getElementById(id);
      if (el) { el.classList.add('hl'); }
      document.querySelectorAll('[data-m="' + id + '"], [data-ev="' + id + '"]').forEach(function (x) {
        x.classList.add('hl');
      });
    });
  }
  function field(row, on) {
    document.querySelectorAll('span.sp.hl').forEach(function (el) { el.classList.remove('hl'); });
    if (!on) { return null; }
    var found = document.querySelectorAll('span.sp[data-sp="' + row.getAttribute('data-sp') + '"]');
    found.forEach(function (x) { x.classList.add('hl'); });
    return found.length ? found[0] : null;
  }
  var details = document.getElementById('details');
  document.addEventListener('mouseover', function (e) {
    var row = e.target.closest('.why [data-sp]');
    if (row) { field(row, true); }
  });
  document.addEventListener('mouseout', function (e) {
    var row = e.target.closest('.why [data-sp]');
    if (!row) { return; }
    var kept = document.querySelector('.why [data-sp].hl');  // a clicked field stays lit
    field(kept || row, Boolean(kept));
  });
  document.addEventListener('click', function (e) {
    var m = e.target.closest('mark.m[data-m]');
    var ev = e.target.closest('li.event');
    var row = e.target.closest('.why [data-sp]');
    if (row) {
      clear(); row.classList.add('hl');
      var first = field(row, true);
      if (first) { first.scrollIntoView({block: 'center'}); }
    } else if (m) {
      clear(); mark(m.getAttribute('data-m')); mark(m.getAttribute('data-events'));
      details.textContent = m.getAttribute('title') || '';
    } else if (ev && !e.target.closest('a')) {
      clear(); mark(ev.id); mark(ev.getAttribute('data-mentions'));
    }
  });
})();
"""

_PAGE = """<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
<header><h1 dir="ltr">{title}</h1>{legend}</header>
<main>
{body}
</main>
<div id="details" dir="auto"></div>
<script>{script}</script>
</body>
</html>
"""
