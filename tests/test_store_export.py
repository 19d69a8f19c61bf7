"""The ACLED CSV columns the store fills beyond the record: admin3, source_scale and the inter codes."""

from __future__ import annotations

import datetime as dt

import pytest

from rasid.document import Article
from rasid.knowledge.actors import actor_by_id
from rasid.store import ingest, open_store, query_events
from rasid.store.export import _inter, _interaction, acled_row
from rasid.store.outlets import source_scale
from store_db import *  # noqa: F403  (the db_url and pg_server fixtures)


@pytest.mark.parametrize(
    ("actor", "country", "code"),
    [
        ("SYR_MIL", "SY", 1),  # a state's forces at home: state forces
        ("SYR_MIL", "LB", 8),  # the same forces abroad: external forces
        ("ISR_MIL", "SY", 8),
        ("ISR_MIL", "IL", 1),  # filed as foreign in the inventory, yet at home
        ("TUR_GOV", "SY", 8),
        ("WAGNER", "SY", 8),  # a private military company is external wherever it is
        ("UNIDENTIFIED", "SY", 3),  # unidentified armed groups: political militias
        ("CIV", "SY", 7),
        ("PROTESTERS", "SY", 6),
        ("SYR_MIL", None, 1),  # no country known: the inventory's kind
    ],
)
def test_inter_codes_follow_acleds_codebook(actor: str, country: str | None, code: int) -> None:
    assert _inter(actor_by_id(actor), country) == code


def test_interaction_joins_both_codes_lower_first_or_ends_in_zero() -> None:
    assert _interaction(8, 1) == 18 and _interaction(1, 8) == 18 and _interaction(2, 7) == 27
    assert _interaction(6, None) == 60 and _interaction(1, 1) == 11
    assert _interaction(None, 7) is None


def test_source_scale_from_outlet_name_or_site() -> None:
    assert source_scale("عنب بلدي") == "National"
    assert source_scale(None, "https://www.npasyria.com/ar/123") == "Subnational"
    assert source_scale("", "https://www.bbc.com/arabic/articles/x") == "International"
    assert source_scale(None, "https://www.bbc.com/news/x") is None  # only BBC Arabic is in the table
    assert source_scale("Al Jazeera") == "Regional"
    assert source_scale("نشرة محلية لا يعرفها الجدول", "https://unknown.example/a") is None


def test_csv_rows_carry_admin3_source_scale_and_codes(db_url: str) -> None:
    engine = open_store(db_url)
    text = (
        "شنت طائرات حربية روسية غارات جوية على مدينة الأتارب في ريف حلب الغربي صباح اليوم، "
        "ما أدى إلى مقتل ثلاثة مدنيين."
    )
    day = dt.date(2023, 5, 16)
    ingest(
        engine,
        [
            Article(id="e1", text=text, outlet="عنب بلدي", url="https://www.enabbaladi.net/1", published=day),
            Article(id="e2", text=text + " ", outlet="صفحة محلية", url="https://x.example/2", published=day),
        ],
    )
    rows = {r["article_id"]: acled_row(r) for r in query_events(engine)}
    first = rows["e1"]
    assert first["admin2"] == "Jebel Saman" and first["admin3"] == "Atareb"
    assert first["source_scale"] == "National"
    assert (first["inter1"], first["inter2"], first["interaction"]) == (
        8,
        7,
        78,
    )  # Russian air force, civilians
    assert rows["e2"]["source_scale"] is None and rows["e2"]["admin3"] == "Atareb"
