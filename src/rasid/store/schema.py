"""The store's tables (SQLAlchemy Core), the one description that code and migrations share.

Normalised but simple: an article row per article id (its text is kept so that
``rasid reextract`` can run again without the input files), its events with the
SPEC record's fields as columns for filtering plus the whole record as JSON
(what exports give back, byte for byte), each event's evidence spans, and the
incidents that fuse events of different articles (SPEC section 5).

Dates are ISO strings (``YYYY-MM-DD``) rather than DATE columns: they sort and
compare the same way in SQLite and PostgreSQL, and a record's date is a
string already. Times are UTC ISO strings for the same reason.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

# Constraint names fixed by convention, so migrations can name them on both backends.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

articles = Table(
    "articles",
    metadata,
    Column("id", Text, primary_key=True),
    Column("content_hash", String(64), nullable=False),
    Column("url", Text),
    Column("outlet", Text),
    Column("published", String(10), index=True),
    Column("title", Text),
    Column("text", Text, nullable=False),
    Column("source", Text),  # file (and line) it was read from
    Column("fetched_at", String(32)),  # when a fetcher got the page; null for local files
    Column("ingested_at", String(32), nullable=False),
    Column("extractor_version", String(64), nullable=False, index=True),
)

incidents = Table(
    "incidents",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_type", String(64), nullable=False),
    Column("date_start", String(10), index=True),
    Column("date_end", String(10)),
    Column("admin1", Text),
    Column("location_name", Text),
    Column("lat", Float),
    Column("lon", Float),
    Column("actor1_id", String(64)),  # the most reported actor1 (migration 0002)
    Column("killed", Integer),  # consensus: the lowest figure any source gives, as ACLED does (0002)
    Column("n_events", Integer, nullable=False, default=0),
    Column("n_outlets", Integer, nullable=False, default=0),
    Column("contradictions", Text),  # JSON list of {"kind", "detail"}
    Column("updated_at", String(32)),
)

events = Table(
    "events",
    metadata,
    Column("event_id", Text, primary_key=True),
    Column("article_id", Text, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("seq", Integer, nullable=False),  # order within the article, as extraction gave it
    Column("event_type", String(64), nullable=False, index=True),
    Column("sub_event_type", String(64), nullable=False),
    Column("actor1_id", String(64), index=True),
    Column("actor1_name", Text),
    Column("actor2_id", String(64), index=True),
    Column("actor2_name", Text),
    Column("location_name", Text),
    Column("location_name_ar", Text),
    Column("location_mention", Text),
    Column("admin1", Text, index=True),
    Column("admin2", Text),
    Column("country", String(2)),
    Column("lat", Float),
    Column("lon", Float),
    Column("geo_precision", Integer),
    Column("date_start", String(10), index=True),
    Column("date_end", String(10)),
    Column("date_precision", String(16)),
    Column("killed", Integer),
    Column("killed_high", Integer),
    Column("injured", Integer),
    Column("injured_high", Integer),
    Column("claim_source", Text),
    Column("contested", Boolean, nullable=False, default=False),
    Column("notes", Text),
    Column("confidence", Float),
    Column("record", Text, nullable=False),  # the SPEC record as JSON
    Column("incident_id", Integer, ForeignKey("incidents.id", ondelete="SET NULL"), index=True),
)

evidence = Table(
    "evidence",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", Text, ForeignKey("events.event_id", ondelete="CASCADE"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("start_offset", Integer, nullable=False),
    Column("end_offset", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Index("ix_evidence_event", "event_id", "seq"),
)

# The blocking key of fusion: candidates share event type and a date window.
Index("ix_events_block", events.c.event_type, events.c.date_start)
# The few events that span several days (a week, a month): fusion asks for the ones of them that
# began up to a year before a new event and overlap it, a range the index above would read whole.
Index(
    "ix_events_spans",
    events.c.event_type,
    events.c.date_start,
    sqlite_where=events.c.date_end > events.c.date_start,
    postgresql_where=events.c.date_end > events.c.date_start,
)

feeds = Table(
    "feeds",
    metadata,
    Column("url", Text, primary_key=True),
    Column("title", Text),
    Column("etag", Text),  # for conditional GET: an unchanged feed is not downloaded again
    Column("last_modified", Text),
    Column("checked_at", String(32)),
)

# How each article names the parties (source framing): every actor mention's surface form, and every
# loaded word (ميليشيا، الاحتلال، المرتزقة...) with the actor it frames when it is part of its name.
terms = Table(
    "terms",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", Text, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("kind", String(16), nullable=False),  # name | loaded
    Column("actor_id", String(64)),
    Column("term", Text, nullable=False),
    Column("n", Integer, nullable=False),
)

# Every actor an event references, in its role: the filter by actor looks here (associated actors too).
event_actors = Table(
    "event_actors",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", Text, ForeignKey("events.event_id", ondelete="CASCADE"), nullable=False, index=True),
    Column("role", String(8), nullable=False),  # actor1 | actor2 | assoc
    Column("actor_id", String(64), nullable=False, index=True),
    Column("name", Text),
    Column("mention", Text),
)

# Every place events happen at, once (keyed by its gazetteer id, or by its name where the gazetteer has
# none): the filter by place searches these few rows, not every event's columns. admin3 (sub-district)
# comes from the store's own table of the gazetteer's places (rasid.store.places), where it has one.
places = Table(
    "places",
    metadata,
    Column("id", Text, primary_key=True),  # gazetteer_id, or "name:<name>" for a place not in it
    Column("name", Text),
    Column("name_ar", Text),
    Column("admin1", Text),
    Column("admin2", Text),
    Column("admin3", Text),
    Column("country", String(2)),
    Column("lat", Float),
    Column("lon", Float),
)

# Which place an event references, with the words the article used for it and how precisely.
event_places = Table(
    "event_places",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", Text, ForeignKey("events.event_id", ondelete="CASCADE"), nullable=False, index=True),
    Column("place_id", Text, ForeignKey("places.id"), nullable=False, index=True),
    Column("role", String(16), nullable=False),  # location (the one the SPEC record has today)
    Column("mention", Text),
    Column("geo_precision", Integer),
)

# Who an event's account comes from: the claim source the article cites, its words, and whether the
# article itself says the account is denied or disputed. One row per event that cites a source or is
# contested; the question "which events rest on X's word" is one indexed lookup.
claims = Table(
    "claims",
    metadata,
    Column("event_id", Text, ForeignKey("events.event_id", ondelete="CASCADE"), primary_key=True),
    Column("source", Text, index=True),
    Column("source_mention", Text),
    Column("contested", Boolean, nullable=False, default=False),
)

# What an article denies (rasid.store.denials): the extractor drops an incident told only to be denied,
# so the store keeps its type, place and date here, for fusion to flag the incident other outlets report.
denials = Table(
    "denials",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", Text, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("event_type", String(64), nullable=False),
    Column("sub_event_type", String(64)),
    Column("place_id", Text),
    Column("place_name", Text),
    Column("admin1", Text),
    Column("admin2", Text),
    Column("lat", Float),
    Column("lon", Float),
    Column("geo_precision", Integer),
    Column("date_start", String(10)),
    Column("date_end", String(10)),
    Column("date_precision", String(16)),
    Column("denier", Text),  # who denies it, as the article names them
    Column("start_offset", Integer, nullable=False),  # the sentence that denies it
    Column("end_offset", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Index("ix_denials_block", "event_type", "date_start"),
)

# What analysts say about events (rasid.store.reviews), one row per review action, kept apart from the
# extractor's rows: `ingest` and `reextract` replace an article's events, never these. Keyed by event id
# without a foreign key for that reason; the article and the evidence span let a review find its event
# again should re-extraction give it another id. An event the extractor missed is added by an analyst
# with its whole record here (origin "analyst"), and written back to the events table after each
# re-extraction of its article.
reviews = Table(
    "reviews",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", Text, nullable=False, index=True),
    Column("article_id", Text, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("origin", String(16), nullable=False),  # extractor | analyst
    Column("verdict", String(8)),  # right | wrong | null (corrections only)
    Column("corrections", Text),  # JSON {field: value}
    Column("record", Text),  # JSON: the record as it was reviewed (an analyst's event: the record itself)
    Column("evidence_start", Integer),
    Column("evidence_end", Integer),
    Column("reviewer", Text, nullable=False),
    Column("reviewed_at", String(32), nullable=False),
)

# The web API's common filter (type + governorate + date range; rasid.api.queries matches admin1 by its
# stored spellings); date_end rides along so the date test reads the index alone.
Index(
    "ix_events_type_admin1_date", events.c.event_type, events.c.admin1, events.c.date_start, events.c.date_end
)

# Source health (rasid.store.health): one row per ingest run (``rasid ingest``, each round of ``rasid
# watch``), and per run one row per source (an outlet, else the file or folder it was read from) with
# what the run did with its articles. The history says when a source stopped giving events, which a
# count over the stored articles cannot (their events stay when the source's new articles give none).
ingest_runs = Table(
    "ingest_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("command", String(16), nullable=False),  # ingest | watch
    Column("started_at", String(32), nullable=False),
    Column("finished_at", String(32), nullable=False),
)

source_runs = Table(
    "source_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("ingest_runs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("source", Text, nullable=False),
    Column("n_read", Integer, nullable=False),  # articles read (rejected ones included)
    Column("n_rejected", Integer, nullable=False),  # bad inputs and failed extractions
    Column("n_extracted", Integer, nullable=False),  # new or changed, so extracted in this run
    Column("n_with_events", Integer, nullable=False),  # of those, how many gave events
    Column("n_events", Integer, nullable=False),  # and how many events they gave
    Index("ix_source_runs_source", "source", "run_id"),
)
