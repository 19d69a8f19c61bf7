"""``GET /api/export``: the filtered events as GeoJSON, ACLED-column CSV, JSONL or Parquet, streamed.

Rows come from a server-side cursor a chunk at a time (:func:`rasid.api.queries.iter_items`) and go out
as they are written, so an export of a million events never sits in memory. Parquet, whose footer is
written last, goes through a temporary file in row groups (rasid.store.export.write_parquet) and is
then streamed from it. The columns and shapes are those of ``rasid events --format ...``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from typing import Any, Literal

from fastapi import FastAPI, Request
from fastapi.responses import StreamingResponse
from starlette.background import BackgroundTask

from rasid.api.app import FilterArgs
from rasid.api.queries import iter_items
from rasid.store.export import ACLED_COLUMNS, EXTRA_COLUMNS, acled_row, geojson_pieces, write_parquet

CHUNK = 64 * 1024  # characters gathered before a piece of the body goes out

MEDIA = {
    "jsonl": "application/x-ndjson; charset=utf-8",
    "geojson": "application/geo+json; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "parquet": "application/vnd.apache.parquet",
}

# What an export carries of an ITEM: the record with where it came from (as rasid events gives it),
# its review; the API's own keys (id, article_title) are left out.
_DROP = ("id", "article_title")


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def _records(items: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for it in items:
        for key in _DROP:
            it.pop(key, None)
        yield it


def _gathered(pieces: Iterable[str]) -> Iterator[bytes]:
    buf: list[str] = []
    size = 0
    for piece in pieces:
        buf.append(piece)
        size += len(piece)
        if size >= CHUNK:
            yield "".join(buf).encode("utf-8")
            buf, size = [], 0
    if buf:
        yield "".join(buf).encode("utf-8")


def jsonl_pieces(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    for r in records:
        yield _dumps(r) + "\n"


def csv_pieces(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    """ACLED's columns then rasid's, as ``rasid events --format csv``."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=ACLED_COLUMNS + EXTRA_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for r in records:
        writer.writerow(acled_row(r))
        if out.tell() >= CHUNK:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def _file_pieces(path: str) -> Iterator[bytes]:
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            yield block


def add_routes(app: FastAPI) -> None:
    @app.get("/api/export", tags=["events"])
    def export(
        request: Request, filters: FilterArgs, format: Literal["geojson", "csv", "jsonl", "parquet"] = "jsonl"
    ) -> StreamingResponse:
        """The filtered events as a file (streamed; the name says the format)."""
        engine = request.app.state.engine
        records = _records(iter_items(engine, filters.filter, filters.reviewed))
        headers = {"Content-Disposition": f'attachment; filename="rasid-events.{format}"'}
        if format == "parquet":
            fd, path = tempfile.mkstemp(prefix="rasid-export-", suffix=".parquet")
            os.close(fd)
            try:
                write_parquet(records, path)
            except BaseException:
                os.unlink(path)
                raise
            headers["Content-Length"] = str(os.path.getsize(path))
            task = BackgroundTask(os.unlink, path)
            return StreamingResponse(
                _file_pieces(path), media_type=MEDIA[format], headers=headers, background=task
            )
        pieces = {"jsonl": jsonl_pieces, "geojson": geojson_pieces, "csv": csv_pieces}[format](records)
        return StreamingResponse(_gathered(pieces), media_type=MEDIA[format], headers=headers)
