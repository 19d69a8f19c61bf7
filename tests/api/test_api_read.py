"""Reading the store through the API: filters, paging, sorting, one event, incidents, meta, timeline,
exports, and the safety of every response (CSP, JSON errors, escaping)."""

from __future__ import annotations

import csv
import io
import json

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient

CSP_PARTS = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
)


def ids(resp_json: dict) -> list[str]:
    return [it["id"] for it in resp_json["items"]]


def test_events_lists_every_event_with_its_article_and_review(reader: TestClient) -> None:
    r = reader.get("/api/events")
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == 5 and body["limit"] == 100 and body["offset"] == 0
    first = body["items"][0]
    assert first["id"] == first["event_id"]
    assert {"incident_id", "outlet", "article_title", "review", "evidence", "claim", "notes"} <= set(first)
    assert first["review"] is None


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"event_type": "battles"}, {"api_a3"}),
        ({"admin1": "idlib"}, {"api_a1", "api_a2", "api_a5"}),
        ({"actor": "RUS_MIL"}, {"api_a2"}),
        ({"outlet": "شبكة الاختبار"}, {"api_a1", "api_a3"}),
        ({"since": "2025-03-01"}, {"api_a3", "api_a4"}),
        ({"until": "2025-02-11"}, {"api_a1", "api_a5"}),
        ({"sub_event_type": "peaceful_protest"}, {"api_a4"}),
        ({"q": "سراقب"}, {"api_a2"}),
        ({"bbox": "36.5,35.5,37.0,36.0"}, {"api_a1", "api_a2", "api_a5"}),
        ({"event_type": "explosions_remote_violence", "admin1": "Idlib", "since": "2025-02-11"}, {"api_a2"}),
        ({"reviewed": "true"}, set()),
    ],
)
def test_events_filters(reader: TestClient, params: dict[str, str], expected: set[str]) -> None:
    r = reader.get("/api/events", params=params)
    assert r.status_code == 200, r.text
    assert {it["article_id"] for it in r.json()["items"]} == expected
    assert r.json()["total"] == len(r.json()["items"])


def test_events_paging_and_sorting(reader: TestClient) -> None:
    by_date = reader.get("/api/events", params={"sort": "date"}).json()
    dates = [it["date"]["start"] for it in by_date["items"]]
    assert dates == sorted(dates)
    newest = reader.get("/api/events", params={"sort": "-date"}).json()
    assert [it["date"]["start"] for it in newest["items"]] == sorted(dates, reverse=True)
    killed = reader.get("/api/events", params={"sort": "-killed"}).json()["items"]
    assert [it["fatalities"]["killed"] for it in killed] == [12, 4, 3, 2, None]  # unknown tolls last
    page1 = reader.get("/api/events", params={"limit": 2, "offset": 0}).json()
    page2 = reader.get("/api/events", params={"limit": 2, "offset": 2}).json()
    page3 = reader.get("/api/events", params={"limit": 2, "offset": 4}).json()
    assert page1["total"] == page3["total"] == 5
    assert ids(page1) + ids(page2) + ids(page3) == ids(by_date)


@pytest.mark.parametrize(
    ("params", "where"),
    [
        ({"since": "10/02/2025"}, "since"),
        ({"limit": "0"}, "limit"),
        ({"limit": "5000"}, "limit"),
        ({"sort": "name"}, "sort"),
        ({"bbox": "1,2,3"}, "bbox"),
        ({"reviewed": "perhaps"}, "reviewed"),
    ],
)
def test_bad_parameters_are_a_clear_422(reader: TestClient, params: dict[str, str], where: str) -> None:
    r = reader.get("/api/events", params=params)
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/json")
    assert where in r.json()["error"]


def test_one_event_has_its_article_text_evidence_and_incident(reader: TestClient) -> None:
    item = reader.get("/api/events", params={"outlet": "شبكة الاختبار", "admin1": "Idlib"}).json()["items"][0]
    r = reader.get(f"/api/events/{item['id']}")
    assert r.status_code == 200
    ev = r.json()
    text = ev["article"]["text"]
    for span in ev["evidence"]:
        assert text[span["start"] : span["end"]] == span["text"]
    assert ev["article"]["id"] == "api_a1" and ev["article"]["url"] == "https://example.org/a1"
    incident = ev["incident"]
    assert incident["n_outlets"] == 2
    assert [o["article_id"] for o in incident["events"]] == ["api_a5"]
    assert incident["contradictions"] and incident["contradictions"][0]["kind"] == "fatalities"


def test_unknown_things_are_json_404s(reader: TestClient) -> None:
    for path in ("/api/events/no-such-event", "/api/incidents/999", "/api/nothing-here"):
        r = reader.get(path)
        assert r.status_code == 404
        assert r.headers["content-type"].startswith("application/json")
        assert "error" in r.json()


def test_incidents_with_every_source(reader: TestClient) -> None:
    r = reader.get("/api/incidents", params={"min_outlets": 2})
    assert r.status_code == 200
    (inc,) = r.json()["items"]
    assert inc["n_outlets"] == 2 and inc["killed"] == 3
    assert {s["article_id"] for s in inc["sources"]} == {"api_a1", "api_a5"}
    one = reader.get(f"/api/incidents/{inc['incident_id']}").json()
    assert one["sources"] == inc["sources"]
    assert len(reader.get("/api/incidents").json()["items"]) == 4


def test_meta_config_and_lists(reader: TestClient) -> None:
    meta = reader.get("/api/meta").json()
    assert meta["events"] == 5 and meta["articles"] == 5
    assert "battles" in meta["event_types"] and "Idlib" in meta["admin1"]
    assert sorted(meta["outlets"]) == sorted(["شبكة الاختبار", "وكالة التجربة"])
    assert {"id": "RUS_MIL", "name": "Military Forces of Russia"} in meta["actors"] or any(
        a["id"] == "RUS_MIL" for a in meta["actors"]
    )
    assert meta["date_min"] == "2025-02-10" and meta["date_max"] == "2025-03-20"
    config = reader.get("/api/config").json()
    assert config["tile_url"] is None and config["write_needs_token"] is False and config["version"]
    actors = {a["id"]: a for a in reader.get("/api/actors").json()}
    assert actors["SYR_MIL"]["events"]["actor1"] == 2
    places = reader.get("/api/places", params={"admin1": "Idlib"}).json()
    assert {p["admin1"] for p in places} == {"Idlib"} and sum(p["events"] for p in places) == 3
    sources = reader.get("/api/sources").json()
    assert {"outlet", "kind", "actor_id", "term", "articles", "mentions"} <= set(sources[0])
    stats = reader.get("/api/stats", params={"by": "admin1", "per": "month"}).json()
    idlib = [row for row in stats if row["area"] == "Idlib"]
    assert sum(row["events"] for row in idlib) == 2  # the shelling told twice counts once


def test_timeline_by_day_and_week(reader: TestClient) -> None:
    days = reader.get("/api/timeline", params={"bucket": "day"}).json()["buckets"]
    assert days[0] == {"start": "2025-02-10", "n": 2, "by_type": {"explosions_remote_violence": 2}}
    weeks = reader.get("/api/timeline", params={"bucket": "week", "admin1": "Idlib"}).json()["buckets"]
    assert weeks == [{"start": "2025-02-10", "n": 3, "by_type": {"explosions_remote_violence": 3}}]


def test_every_export_format_streams_and_parses(reader: TestClient) -> None:
    params = {"admin1": "Idlib"}
    r = reader.get("/api/export", params={**params, "format": "jsonl"})
    assert r.status_code == 200 and 'filename="rasid-events.jsonl"' in r.headers["content-disposition"]
    lines = [json.loads(line) for line in r.text.splitlines()]
    assert len(lines) == 3 and all(x["url"] and x["incident_id"] for x in lines)
    geo = reader.get("/api/export", params={**params, "format": "geojson"}).json()
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == 3
    assert geo["features"][0]["geometry"]["type"] == "Point"
    rows = list(
        csv.DictReader(io.StringIO(reader.get("/api/export", params={**params, "format": "csv"}).text))
    )
    assert len(rows) == 3 and rows[0]["admin1"] == "Idlib" and "event_id_cnty" in rows[0]
    r = reader.get("/api/export", params={**params, "format": "parquet"})
    table = pq.read_table(io.BytesIO(r.content))
    assert table.num_rows == 3 and "record" in table.column_names
    assert reader.get("/api/export", params={"format": "xml"}).status_code == 422


def test_security_headers_on_every_response(reader: TestClient) -> None:
    for path in ("/api/config", "/api/events", "/api/nothing-here", "/api/events?limit=0", "/openapi.json"):
        r = reader.get(path)
        csp = r.headers["content-security-policy"]
        for part in CSP_PARTS:
            assert part in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "no-referrer"


def test_a_tile_host_is_added_to_the_policy(sample_db: str) -> None:
    from api_store import client_for

    with client_for(sample_db, tile_url="https://tiles.example.org/{z}/{x}/{y}.png") as c:
        csp = c.get("/api/config").headers["content-security-policy"]
        assert "img-src 'self' data: https://tiles.example.org;" in csp
        assert c.get("/api/config").json()["tile_url"] == "https://tiles.example.org/{z}/{x}/{y}.png"


def test_script_in_article_text_comes_back_as_json_string_data(reader: TestClient) -> None:
    item = reader.get("/api/events", params={"actor": "RUS_MIL"}).json()["items"][0]
    r = reader.get(f"/api/events/{item['id']}")
    assert r.headers["content-type"].startswith("application/json")
    assert "<script>alert(1)</script>" in r.json()["article"]["text"]  # data, as written
    assert "text/html" not in r.headers["content-type"]


def test_a_crash_is_a_generic_500_with_an_error_id(
    reader: TestClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from rasid.api import queries

    def broken(*_: object) -> None:
        raise RuntimeError("secret detail of the crash")

    monkeypatch.setattr(queries, "actor_rows", broken)
    r = reader.get("/api/actors")
    assert r.status_code == 500
    body = r.json()
    assert body["error"] == "internal server error" and len(body["error_id"]) == 12
    assert "secret" not in r.text and "Traceback" not in r.text
    assert "unsafe-inline" not in r.headers["content-security-policy"]
    assert body["error_id"] in caplog.text and "secret detail" in caplog.text


def test_docs_are_a_plain_page_and_the_openapi_lists_the_endpoints(reader: TestClient) -> None:
    r = reader.get("/docs")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "<script" not in r.text and "GET /api/events" in r.text
    paths = reader.get("/openapi.json").json()["paths"]
    for path in (
        "/api/events",
        "/api/events/{event_id}",
        "/api/export",
        "/api/articles",
        "/api/reviews/export",
    ):
        assert path in paths


def test_the_ui_is_served_from_the_same_origin_when_it_is_there(reader: TestClient) -> None:
    from rasid.api.app import _static_dir

    if _static_dir() is None or not (_static_dir() / "index.html").exists():
        pytest.skip("no rasid/web/static/index.html in this checkout")
    r = reader.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "unsafe-inline" not in r.headers["content-security-policy"]


def test_filters_sorting_timeline_and_exports_agree_on_both_backends(api: TestClient) -> None:
    """The read side on SQLite and PostgreSQL alike (``api`` runs on both)."""
    r = api.get(
        "/api/events", params={"event_type": "explosions_remote_violence", "admin1": "IDLIB", "sort": "-date"}
    )
    assert [it["article_id"] for it in r.json()["items"]] in (
        ["api_a2", "api_a1", "api_a5"],
        ["api_a2", "api_a5", "api_a1"],
    )
    killed = api.get("/api/events", params={"sort": "killed"}).json()["items"]
    assert [it["fatalities"]["killed"] for it in killed] == [2, 3, 4, 12, None]
    assert api.get("/api/events", params={"q": "منبج"}).json()["total"] == 1
    assert api.get("/api/timeline", params={"bucket": "week"}).json()["buckets"][0]["n"] == 3
    geo = api.get("/api/export", params={"format": "geojson"}).json()
    assert len(geo["features"]) == 5
    rows = list(csv.DictReader(io.StringIO(api.get("/api/export", params={"format": "csv"}).text)))
    assert len(rows) == 5
    meta = api.get("/api/meta").json()
    assert meta["events"] == 5 and meta["date_max"] == "2025-03-20"
