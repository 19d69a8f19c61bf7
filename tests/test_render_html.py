"""The annotate page: escaping, nesting, self-containment, links that resolve."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from rasid.annotate import annotation
from rasid.document import Article, Document
from rasid.render import render_html
from rasid.render.html import KIND_COLOURS, kind_class, tooltip

VOID = {"meta", "br", "hr", "img", "input", "link"}
EVIL = '<script>alert(1)</script>" onmouseover="alert(2)'


@dataclass
class Node:
    tag: str
    attrs: dict[str, str | None]
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def walk(self):
        yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.walk()


class TreeBuilder(HTMLParser):
    """Strict enough to catch broken nesting: an end tag must close the open element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag):
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(page: str) -> Node:
    builder = TreeBuilder()
    builder.feed(page)
    builder.close()
    assert builder.stack == [builder.root], "unclosed elements"
    return builder.root


def nodes(root: Node, tag: str | None = None, cls: str | None = None) -> list[Node]:
    return [
        n
        for n in root.walk()
        if (tag is None or n.tag == tag) and (cls is None or cls in (n.attrs.get("class") or "").split())
    ]


def text_div(root: Node, n: int = 0) -> Node:
    return nodes(root, "div", "text")[n]


# --- fixtures --------------------------------------------------------------------------

TEXT = (
    "اشتباكات عنيفة في محيط مدينة الباب\n"
    "اندلعت اشتباكات عنيفة مساء أمس بين فصائل المعارضة وقوات النظام في محيط مدينة الباب شرقي حلب، "
    "ما أسفر عن مقتل أربعة عناصر، وفق ما أفاد مراسلنا.\n"
    "تابعونا على قناتنا"
)


def _at(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def sample_annotation(text: str = TEXT, evil: bool = False) -> dict:
    doc = Document(
        Article(id="bab-7", text=text, title="الباب" + (EVIL if evil else ""), published=dt.date(2020, 1, 3))
    )
    doc.boilerplate.append(_at(text, "تابعونا على قناتنا"))
    trig = doc.add_mention(
        *_at(text, "اشتباكات", 1),
        "trigger",
        event_type="battles",
        sub_event_type="armed_clash",
        lemma="اشتباك",
    )
    place = doc.add_mention(
        *_at(text, "الباب", 1),
        "place",
        gazetteer_id="test:bab",
        name="Al-Bab" + (EVIL if evil else ""),
        admin1="Aleppo",
        country="SY",
        lat=36.37,
        lon=37.52,
        geo_precision=1,
    )
    cas = doc.add_mention(*_at(text, "مقتل أربعة عناصر"), "casualty", casualty="killed", value=4)
    doc.add_mention(*_at(text, "أربعة"), "number", value=4, qualifier="exact")
    a1 = doc.add_mention(*_at(text, "فصائل المعارضة"), "actor", actor_id="SYR_OPP", name="Syrian opposition")
    doc.add_mention(*_at(text, "مساء أمس"), "date", precision="day")
    sent_start = _at(text, "اندلعت")[0]
    sent = sent_start, text.index("\n", sent_start)
    doc.events.append(
        {
            "event_id": "bab-7:1",
            "event_type": "battles",
            "sub_event_type": "armed_clash",
            "actor1": {"id": "SYR_OPP", "name": "Syrian opposition", "mention": "فصائل المعارضة"},
            "actor2": {"id": "SYR_MIL", "name": "Military Forces of Syria", "mention": "قوات النظام"},
            "location": {
                "mention": "الباب",
                "name": "Al-Bab",
                "admin1": "Aleppo",
                "country": "SY",
                "geo_precision": 1,
            },
            "date": {"start": "2020-01-02", "end": "2020-01-02", "precision": "day", "mention": "مساء أمس"},
            "fatalities": {"killed": 4, "killed_high": None, "injured": None, "injured_high": None},
            "claim": None,
            "evidence": [{"text": text[sent[0] : sent[1]], "start": sent[0], "end": sent[1]}],
            "notes": "On 2 January 2020, opposition factions clashed with regime forces near Al-Bab (Aleppo)."
            + (EVIL if evil else ""),
            "confidence": 0.7,
            "_mentions": [trig, place, cas, a1],
        }
    )
    return annotation(doc)


# --- page structure --------------------------------------------------------------------


def test_page_is_rtl_arabic_with_one_section_per_article():
    page = render_html([sample_annotation(), sample_annotation()], title="تجربة")
    root = parse(page)
    [html_el] = nodes(root, "html")
    assert html_el.attrs["lang"] == "ar" and html_el.attrs["dir"] == "rtl"
    assert len(nodes(root, "section", "article")) == 2
    assert nodes(root, "title")[0].text() == "تجربة"
    assert "white-space: pre-wrap" in nodes(root, "style")[0].text()


def test_text_div_reproduces_the_original_text_exactly():
    root = parse(render_html([sample_annotation()]))
    assert text_div(root).text() == TEXT  # newlines included, nothing added or lost


def test_each_mention_is_a_mark_with_kind_class_and_resolved_tooltip():
    ann = sample_annotation()
    root = parse(render_html([ann]))
    by_id = {n.attrs.get("id"): n for n in nodes(root, "mark")}
    for m in ann["mentions"]:
        mark = by_id[f"a0-m{m['id']}"]
        assert kind_class(m["kind"]) in mark.attrs["class"].split()
        assert mark.text() == m["text"]  # these spans nest, so each mark is one piece
    place = next(m for m in ann["mentions"] if m["kind"] == "place")
    title = by_id[f"a0-m{place['id']}"].attrs["title"]
    assert "Al-Bab" in title and "Aleppo" in title and "test:bab" in title and "36.37" in title


def test_overlapping_mentions_nest_number_inside_casualty():
    ann = sample_annotation()
    root = parse(render_html([ann]))
    cas = next(m for m in ann["mentions"] if m["kind"] == "casualty")
    num = next(m for m in ann["mentions"] if m["kind"] == "number")
    outer = next(n for n in nodes(root, "mark") if n.attrs.get("id") == f"a0-m{cas['id']}")
    assert [n.attrs.get("id") for n in nodes(outer, "mark")[1:]] == [f"a0-m{num['id']}"]


def test_crossing_mentions_are_split_but_keep_one_id_and_all_text():
    text = "قصفت الطائرات الحربية مدينة سراقب"
    doc = Document(Article(id="x", text=text))
    doc.add_mention(*_at(text, "قصفت الطائرات"), "trigger")
    doc.add_mention(*_at(text, "الطائرات الحربية"), "actor")
    root = parse(render_html([annotation(doc)]))
    marks = nodes(root, "mark")
    actor_pieces = [n for n in marks if n.attrs.get("data-m") == "a0-m1"]
    assert [n.text() for n in actor_pieces] == ["الطائرات", " الحربية"]
    assert sum(1 for n in marks if n.attrs.get("id") == "a0-m1") == 1
    assert text_div(root).text() == text


def test_boilerplate_is_greyed():
    root = parse(render_html([sample_annotation()]))
    [bp] = [n for n in nodes(text_div(root), "span", "bp")]
    assert bp.text() == "تابعونا على قناتنا"


def test_legend_lists_every_kind():
    root = parse(render_html([]))
    [legend] = nodes(root, "ul", "legend")
    classes = {c for n in nodes(legend, "mark") for c in n.attrs["class"].split()}
    assert {kind_class(k) for k in KIND_COLOURS} <= classes
    style = nodes(root, "style")[0].text()
    for kind, colour in KIND_COLOURS.items():
        assert f".k-{kind} {{ background: {colour}; }}" in style


def test_odd_kind_falls_back_to_other_class():
    assert kind_class('place" onclick="x') == "k-other"
    assert kind_class("weapon") == "k-other"
    assert kind_class("claim_source") == "k-claim_source"


# --- events panel ------------------------------------------------------------------------


def test_events_panel_lists_event_with_links_that_resolve():
    ann = sample_annotation()
    root = parse(render_html([ann]))
    [aside] = nodes(root, "aside", "events")
    assert aside.attrs["dir"] == "ltr"
    [item] = nodes(aside, "li", "event")
    text = item.text()
    assert "battles / armed_clash" in text
    assert "opposition factions clashed" in text
    assert "Syrian opposition" in text and "Military Forces of Syria" in text
    assert "Al-Bab" in text and "killed 4" in text and "2020-01-02" in text
    hrefs = [a.attrs["href"] for a in nodes(item, "a")]
    ids = {n.attrs["id"] for n in root.walk() if n.attrs.get("id")}
    assert {f"#a0-m{i}" for i in ann["events"][0]["mention_ids"]} <= set(hrefs)
    assert "#a0-e0-v0" in hrefs
    for href in hrefs:
        assert href[1:] in ids


def test_every_internal_link_target_exists_and_ids_are_unique():
    root = parse(render_html([sample_annotation(), sample_annotation(evil=True)]))
    all_ids = [n.attrs["id"] for n in root.walk() if n.attrs.get("id")]
    assert len(all_ids) == len(set(all_ids))
    for a in nodes(root, "a"):
        assert a.attrs["href"].startswith("#") and a.attrs["href"][1:] in all_ids


def test_mark_knows_the_events_that_used_it():
    ann = sample_annotation()
    root = parse(render_html([ann]))
    used = set(ann["events"][0]["mention_ids"])
    for mark in nodes(text_div(root), "mark"):
        i = int(mark.attrs["data-m"].split("-m")[1])
        assert (mark.attrs["data-events"] == "a0-e0") == (i in used)


# --- untrusted text ------------------------------------------------------------------------


def _evil_text() -> str:
    return TEXT.replace("وفق ما أفاد مراسلنا", "وفق ما أفاد " + EVIL)


def test_script_and_attribute_injection_in_text_and_data_render_as_text():
    text = _evil_text()
    page = render_html([sample_annotation(text, evil=True)], title=EVIL)
    root = parse(page)
    scripts = nodes(root, "script")
    assert len(scripts) == 1 and "alert" not in scripts[0].text()
    for node in root.walk():
        assert not any(name.startswith("on") for name in node.attrs), (node.tag, node.attrs)
    assert text_div(root).text() == text  # the literal text is shown, untouched
    assert EVIL in nodes(root, "title")[0].text()
    assert EVIL in nodes(root, "h2")[0].text()
    place = next(n for n in nodes(root, "mark") if "k-place" in n.attrs["class"] and n.attrs.get("id"))
    assert EVIL in place.attrs["title"]  # data went into the tooltip as an attribute value, intact
    assert EVIL in nodes(root, "li", "event")[0].text()


def test_injected_kind_and_ids_cannot_break_out():
    ann = sample_annotation()
    ann["mentions"][0]["kind"] = '"><script>alert(3)</script>'
    ann["events"][0]["mention_ids"].append('"><b>')
    root = parse(render_html([ann]))
    assert len(nodes(root, "script")) == 1
    assert not nodes(root, "b")


def test_page_is_self_contained():
    page = render_html([sample_annotation(), sample_annotation(evil=True)])
    root = parse(page)
    assert not nodes(root, "link") and not nodes(root, "img") and not nodes(root, "iframe")
    for node in root.walk():
        assert "src" not in node.attrs
        href = node.attrs.get("href")
        if href is not None:
            assert href.startswith("#"), href
        for value in node.attrs.values():
            assert not (value or "").startswith(("http://", "https://", "//"))
    style = nodes(root, "style")[0].text()
    assert "url(" not in style and "@import" not in style and "@font-face" not in style
    csp = next(n for n in nodes(root, "meta") if n.attrs.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp.attrs["content"]


def test_url_is_shown_as_text_not_a_link():
    ann = sample_annotation()
    ann["url"] = "https://example.org/news/1"
    root = parse(render_html([ann]))
    assert "https://example.org/news/1" in root.text()
    assert all(a.attrs["href"].startswith("#") for a in nodes(root, "a"))


def test_tooltip_lists_resolved_values_in_order():
    tip = tooltip(
        {
            "start": 3,
            "end": 8,
            "text": "حلب",
            "kind": "place",
            "name": "Aleppo",
            "admin1": "Aleppo",
            "lat": 36.2,
        }
    )
    lines = tip.split("\n")
    assert lines[0] == "place [3–8] «حلب»"
    assert lines[1:] == ["name: Aleppo", "admin1: Aleppo", "lat: 36.2"]


# --- property: any spans, any text -------------------------------------------------------

_CHARS = st.sampled_from(list("قصف حلب\n<>&\"'=/ab؛،") + ["</mark>", "<script>"])


@st.composite
def annotated(draw):
    text = "".join(draw(st.lists(_CHARS, max_size=40)))
    n = len(text)
    span = st.tuples(st.integers(0, n), st.integers(0, n)).map(sorted)
    doc = Document(Article(id="p", text=text))
    for s, e in draw(st.lists(span, max_size=8)):
        doc.add_mention(
            s, e, draw(st.sampled_from(["place", "number", "casualty", "odd kind"])), note=text[s:e]
        )
    doc.boilerplate = [tuple(r) for r in draw(st.lists(span, max_size=2))]
    ev = [{"start": s, "end": e, "text": text[s:e]} for s, e in draw(st.lists(span, max_size=2))]
    doc.events.append(
        {"event_type": "battles", "evidence": ev, "notes": text, "_mentions": list(doc.mentions)}
    )
    return text, annotation(doc)


@settings(max_examples=150, deadline=None)
@given(annotated())
def test_any_spans_nest_properly_and_keep_the_text(case):
    text, ann = case
    root = parse(render_html([ann]))  # the parser asserts proper nesting
    assert text_div(root).text() == text
    assert len(nodes(root, "script")) == 1
    ids = [n.attrs["id"] for n in root.walk() if n.attrs.get("id")]
    assert len(ids) == len(set(ids))
    for m in ann["mentions"]:
        pieces = [x for x in nodes(text_div(root), "mark") if x.attrs.get("data-m") == f"a0-m{m['id']}"]
        assert sum(1 for x in pieces if x.attrs.get("id")) == 1
        if m["end"] > m["start"]:
            # pieces may nest inside each other after a split; count characters via the outermost ones
            assert "".join(_outermost_text(pieces)) == m["text"]
    for a in nodes(root, "a"):
        assert a.attrs["href"][1:] in ids


def _outermost_text(pieces: list[Node]) -> list[str]:
    inner = {id(d) for p in pieces for d in list(p.walk())[1:]}
    return [p.text() for p in pieces if id(p) not in inner]
