"""The browser UI in a real headless Chromium against the real server (see conftest.py).

Screenshots go to build/web/ for a person to look at; the assertions are on the DOM.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from web_fixtures import Server, Watched

pytest.importorskip("playwright")
from playwright.sync_api import expect  # noqa: E402


def marker_counts(page: Any) -> list[int]:
    """The number every marker and cluster on the map stands for (a lone event's marker is 1)."""
    counts = page.eval_on_selector_all(
        "#map .leaflet-marker-icon.mk, #map .leaflet-marker-icon.cl",
        "els => els.map(e => Number(e.querySelector('[data-n]')?.dataset.n || 1))",
    )
    return [int(c) for c in counts]


def open_event_by_outlet(page: Any, outlet: str) -> None:
    """Filter the map to one outlet's events and open the first one from its marker."""
    page.select_option("#f-outlet", outlet)
    expect(page.locator("body")).to_have_attribute("data-state", "ready")
    marker = page.locator("#map .leaflet-marker-icon.mk").first
    marker.click()
    if "mk-n" in (marker.get_attribute("class") or ""):
        page.locator("#placelist button.linklike").first.click()
    page.wait_for_selector("#drawer .evidence")


def test_page_loads_without_console_errors(web_server: Server, ui: Watched) -> None:
    page = ui.goto(web_server.url)
    expect(page.locator("#map .leaflet-overlay-pane path").first).to_be_attached()
    assert page.locator("#map .lbl1").count() == 14  # every governorate is labelled
    assert "OCHA" in page.text_content("#map .attribution")
    ui.shot("map-en")
    assert ui.errors == []


def test_markers_appear_for_the_sample_data(web_server: Server, ui: Watched) -> None:
    page = ui.goto(web_server.url)
    shown = int(page.get_attribute("#count", "data-shown"))
    total = int(page.get_attribute("#count", "data-total"))
    assert total >= 70 and shown > 60  # examples/articles + ours; a few events have no point
    counts = marker_counts(page)
    assert len(counts) >= 3
    assert sum(counts) == shown  # every event with a point is on the map, none hidden under another
    assert ui.errors == []


def test_many_events_at_one_place_get_a_count_badge_that_opens_the_list(
    web_server: Server, ui: Watched
) -> None:
    page = ui.goto(web_server.url)
    page.select_option("#f-admin1", "Idlib")
    expect(page.locator("body")).to_have_attribute("data-state", "ready")
    page.locator("#map .leaflet-control-zoom-in").click()
    page.locator("#map .leaflet-control-zoom-in").click()
    page.locator("#map .leaflet-control-zoom-in").click()
    badge = page.locator("#map .leaflet-marker-icon.mk-n").first
    expect(badge).to_be_visible()
    n = int(badge.locator("[data-n]").get_attribute("data-n"))
    badge.click()
    expect(page.locator("#placelist")).to_be_visible()
    assert page.locator("#placelist li.event").count() == n >= 2
    ui.shot("place-list")
    assert ui.errors == []


def test_filtering_by_type_changes_the_count(web_server: Server, ui: Watched) -> None:
    page = ui.goto(web_server.url)
    total = page.get_attribute("#count", "data-total")
    page.select_option("#f-type", "battles")
    expect(page.locator("#count")).not_to_have_attribute("data-total", total)
    battles = int(page.get_attribute("#count", "data-total"))
    api = httpx.get(f"{web_server.url}/api/events", params={"event_type": "battles", "limit": 1}).json()
    assert battles == api["total"] < int(total)
    assert sum(marker_counts(page)) == int(page.get_attribute("#count", "data-shown"))
    page.select_option("#f-type", "")
    expect(page.locator("#count")).to_have_attribute("data-total", total)
    assert ui.errors == []


def test_event_drawer_shows_highlighted_arabic_evidence_and_other_outlets(
    web_server: Server, ui: Watched
) -> None:
    page = ui.goto(web_server.url)
    open_event_by_outlet(page, "Syria TV")
    drawer = page.locator("#drawer")
    evidence = drawer.locator("blockquote.evidence").last
    assert evidence.get_attribute("dir") == "rtl" and evidence.get_attribute("lang") == "ar"
    # every field's words, in whichever evidence sentence they were read (here the place is in the title)
    marks = drawer.locator("blockquote.evidence mark.hl").all_text_contents()
    assert "سراقب" in marks  # the place the location field was read from
    assert any("النظام" in m for m in marks)  # the actor
    rules = drawer.locator("ul.rules").text_content()
    assert "agent_marker" in rules  # the rule that chose actor1, from the record's spans
    assert "Saraqib" in drawer.locator("table.fields").text_content()
    assert drawer.locator(".notes").first.text_content().strip()  # English notes
    assert "Syrian Observatory" in drawer.locator(".claim").text_content()
    others = drawer.locator("ul.others").text_content()
    assert "Enab Baladi" in others  # the other outlet of the incident
    contradictions = drawer.locator("ul.contradictions li.contradiction").all_text_contents()
    assert any("4 / 12" in c for c in contradictions)
    assert drawer.locator("tr.contra[data-field=killed]").count() == 1
    ui.shot("drawer")
    assert ui.errors == []


def test_review_correction_survives_a_reload(web_server: Server, ui: Watched) -> None:
    page = ui.goto(web_server.url)
    open_event_by_outlet(page, "Horan Free League")
    drawer = page.locator("#drawer")
    event_id = drawer.get_attribute("data-event")
    drawer.locator("input[name=reviewer]").fill("analyst-web")
    drawer.locator("input[name=reviewer]").dispatch_event("change")
    drawer.locator("details.correct-box summary").click()
    drawer.locator("form.correct input[name=killed]").fill("3")
    drawer.locator("form.correct button[type=submit]").click()
    expect(drawer.locator(".reviewed-line")).to_contain_text("analyst-web")
    expect(drawer.locator("tr.corrected[data-field=killed] td > bdi").first).to_have_text("3")

    page.reload()
    page.wait_for_selector("body[data-state=ready]")
    open_event_by_outlet(page, "Horan Free League")
    assert drawer.get_attribute("data-event") == event_id
    expect(drawer.locator("tr.corrected[data-field=killed] td > bdi").first).to_have_text("3")
    expect(drawer.locator(".reviewed-line")).to_contain_text("analyst-web")
    assert drawer.locator(".drawer-head .rv-badge").count() == 1
    stored = httpx.get(f"{web_server.url}/api/events/{event_id}").json()
    assert stored["fatalities"]["killed"] == 3 and stored["review"]["reviewer"] == "analyst-web"
    assert ui.errors == []


def test_verdict_marks_the_event_reviewed(web_server: Server, ui: Watched) -> None:
    page = ui.goto(web_server.url)
    open_event_by_outlet(page, "Test Outlet")
    drawer = page.locator("#drawer")
    drawer.locator("input[name=reviewer]").fill("analyst-web")
    drawer.locator("input[name=reviewer]").dispatch_event("change")
    drawer.locator(".verdict button.bad").click()
    expect(drawer.locator(".verdict button.bad.on")).to_be_visible()
    page.select_option("#f-reviewed", "true")
    expect(page.locator("#map .leaflet-marker-icon.rv").first).to_be_attached()
    assert ui.errors == []


def test_hostile_article_text_renders_as_text(web_server: Server, ui: Watched) -> None:
    page = ui.goto(web_server.url)
    open_event_by_outlet(page, "Test Outlet")
    drawer = page.locator("#drawer")
    drawer.locator("details.full-article summary").click()
    text = drawer.locator(".article-text").text_content()
    assert "<script>alert(1)</script>" in text and "<img src=x onerror=alert(1)>" in text
    assert "<img src=x onerror=alert(1)>" in drawer.locator("blockquote.evidence").text_content()
    assert page.locator("#drawer script, #drawer img, #drawer [onerror]").count() == 0
    ui.shot("hostile")
    page.wait_for_timeout(300)  # an injected onerror would have fired by now
    assert ui.dialogs == [] and ui.errors == []


def test_paste_box_shows_events_and_mentions_live(web_server: Server, ui: Watched) -> None:
    page = ui.goto(web_server.url)
    page.click("#nav-paste")
    text = (
        "قصفت قوات النظام السوري بالمدفعية، يوم الأربعاء، بلدة معرة النعمان في ريف إدلب الجنوبي، "
        "ما أدى إلى مقتل طفلين <script>alert(2)</script>"
    )
    page.fill("#paste-text", text)
    expect(page.locator("#view-paste")).to_have_attribute("data-events", "1")
    assert page.locator("#paste-events li.event").count() == 1
    assert page.locator("#paste-marked mark.m").count() >= 2
    assert page.locator("#paste-marked").text_content() == text  # every character kept, as text
    assert page.locator("#view-paste script").count() == 0
    ui.shot("paste")
    assert ui.dialogs == [] and ui.errors == []


def test_sources_page_shows_the_framing_table(web_server: Server, ui: Watched) -> None:
    page = ui.goto(web_server.url)
    page.click("#nav-sources")
    expect(page.locator("table.sources tbody tr").first).to_be_visible()
    assert "Enab Baladi" in page.locator("table.sources").text_content()
    assert ui.errors == []


def test_timeline_brush_filters_the_map(web_server: Server, ui: Watched) -> None:
    page = ui.goto(web_server.url)
    total = int(page.get_attribute("#count", "data-total"))
    box = page.locator("#tl-chart svg").bounding_box()
    assert box is not None
    y = box["y"] + 40
    page.mouse.move(box["x"] + box["width"] * 0.70, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.99, y, steps=5)
    page.mouse.up()
    expect(page.locator("#count")).not_to_have_attribute("data-total", str(total))
    since = page.input_value("#f-since")
    until = page.input_value("#f-until")
    assert since and until and since <= until
    dated = httpx.get(
        f"{web_server.url}/api/events", params={"since": since, "until": until, "limit": 1}
    ).json()["total"]
    assert int(page.get_attribute("#count", "data-total")) == dated < total
    page.locator("#tl-chart svg").dblclick()
    expect(page.locator("#count")).to_have_attribute("data-total", str(total))
    assert ui.errors == []


def test_arabic_interface_and_its_markers_match_the_english(web_server: Server, browser: Any) -> None:
    from web_fixtures import open_page

    def positions(lang: str) -> tuple[list[tuple[float, float, int]], Watched]:
        w = open_page(browser)
        page = w.goto(web_server.url, lang=lang)
        page.wait_for_timeout(400)  # clusters settle after the chunked load
        where = page.eval_on_selector_all(
            "#map .leaflet-marker-icon.mk, #map .leaflet-marker-icon.cl",
            """(els) => {
              const m = document.querySelector('#map').getBoundingClientRect();
              return els.map(e => { const r = e.getBoundingClientRect();
                return [r.left + r.width / 2 - m.left, r.top + r.height / 2 - m.top,
                        Number(e.querySelector('[data-n]')?.dataset.n || 1)]; });
            }""",
        )
        return sorted((round(x, 1), round(y, 1), int(n)) for x, y, n in where), w

    en, w_en = positions("en")
    ar, w_ar = positions("ar")
    page = w_ar.page
    assert page.get_attribute("html", "dir") == "rtl" and page.get_attribute("html", "lang") == "ar"
    assert page.text_content("#nav-map") == "الخريطة"
    assert "دمشق" in page.locator("#map .lbl1").all_text_contents()
    w_ar.shot("map-ar")
    assert len(en) == len(ar) > 0
    for a, b in zip(en, ar, strict=True):
        assert abs(a[0] - b[0]) <= 1 and abs(a[1] - b[1]) <= 1 and a[2] == b[2]
    assert w_en.errors == [] and w_ar.errors == []
    for w in (w_en, w_ar):
        w.page.context.close()


def test_language_toggle_is_remembered(web_server: Server, ui: Watched) -> None:
    page = ui.goto(web_server.url)
    page.click("#lang")
    page.wait_for_selector("html[dir=rtl]")
    page.wait_for_selector("body[data-state=ready]")
    page.reload()
    page.wait_for_selector("body[data-state=ready]")
    assert page.get_attribute("html", "lang") == "ar"
    page.click("#lang")
    page.wait_for_selector("html[dir=ltr]")
    assert ui.errors == []


def test_phone_width_reaches_map_filters_and_drawer(web_server: Server, phone: Watched) -> None:
    page = phone.goto(web_server.url)
    map_box = page.locator("#map").bounding_box()
    assert map_box and map_box["width"] >= 380 and map_box["height"] >= 200
    assert not page.locator("#f-type").is_visible()
    page.click("#filters-toggle")
    expect(page.locator("#f-type")).to_be_visible()
    page.select_option("#f-outlet", "Syria TV")
    expect(page.locator("body")).to_have_attribute("data-state", "ready")
    page.click("#filters-toggle")
    page.locator("#map .leaflet-marker-icon.mk").first.click()
    if page.locator("#placelist").is_visible():
        page.locator("#placelist button.linklike").first.click()
    drawer = page.locator("#drawer")
    expect(drawer.locator(".evidence").first).to_be_visible()
    box = drawer.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 391
    assert page.evaluate("document.documentElement.scrollWidth") <= 391  # nothing pushes off to the side
    phone.shot("phone-drawer")
    assert phone.errors == []


# a 1x1 transparent PNG, served for the tile requests the test intercepts
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def test_a_configured_tile_url_is_used(web_server: Server, browser: Any) -> None:
    from web_fixtures import open_page, serve

    tiles = "http://tiles.example.test/{z}/{x}/{y}.png"
    server = serve(web_server.db, tile_url=tiles)
    url = next(server).url
    w = open_page(browser)
    asked: list[str] = []

    def tile(route: Any) -> None:
        asked.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=PNG)

    w.page.route("http://tiles.example.test/**", tile)
    page = w.goto(url)
    expect(page.locator("#map img.leaflet-tile").first).to_be_attached()
    assert asked and all(u.startswith("http://tiles.example.test/") for u in asked)
    assert not page.locator("#map").get_attribute("class").count("offline")
    assert w.errors == []  # the server's CSP lets the tile host's images in
    w.page.context.close()
    server.close()


def test_add_a_missed_event_on_selected_text(web_server: Server, ui: Watched) -> None:
    page = ui.goto(web_server.url)
    before = httpx.get(f"{web_server.url}/api/events", params={"event_type": "protests", "limit": 1}).json()
    open_event_by_outlet(page, "Enab Baladi")
    drawer = page.locator("#drawer")
    drawer.locator("input[name=reviewer]").fill("analyst-web")
    drawer.locator("input[name=reviewer]").dispatch_event("change")
    drawer.locator("details.full-article summary").click()
    picked = page.evaluate(
        """() => {
          const seg = document.querySelector('#drawer .article-text mark.ev, #drawer .article-text span');
          const text = seg.firstChild, range = document.createRange();
          range.setStart(text, 0);
          range.setEnd(text, Math.min(12, text.length));
          getSelection().removeAllRanges();
          getSelection().addRange(range);
          return range.toString();
        }"""
    )
    drawer.locator("button.add").click()
    form = drawer.locator("form.add-missed")
    expect(form).to_be_visible()
    assert picked in drawer.locator(".add-box .status").text_content()
    form.locator("select[name=event_type]").select_option("protests")
    form.locator("select[name=sub_event_type]").select_option("peaceful_protest")
    form.locator("button[type=submit]").click()
    expect(drawer.locator(".drawer-head h2")).to_contain_text("Protests")
    expect(drawer.locator(".drawer-head .rv-badge")).to_be_visible()
    created = drawer.get_attribute("data-event")
    stored = httpx.get(f"{web_server.url}/api/events/{created}").json()
    assert stored["event_type"] == "protests"
    assert stored["article"]["text"][stored["evidence"][0]["start"] : stored["evidence"][0]["end"]] == picked
    after = httpx.get(f"{web_server.url}/api/events", params={"event_type": "protests", "limit": 1}).json()
    assert after["total"] == before["total"] + 1
    assert ui.errors == []
