"""``GET /docs``: the API's OpenAPI description as a plain HTML page, rendered on the server.

FastAPI's own pages (Swagger UI, ReDoc) load their scripts from a CDN and start them with an inline
script: offline, and under a Content-Security-Policy without 'unsafe-inline', they would be blank. This
page needs neither: escaped HTML listing every endpoint, its parameters and body, with the full
description at ``/openapi.json``.
"""

from __future__ import annotations

from html import escape
from typing import Any

from fastapi import FastAPI
from fastapi.responses import HTMLResponse


def _params(op: dict[str, Any]) -> str:
    rows = []
    for p in op.get("parameters", []):
        schema = p.get("schema") or {}
        kind = schema.get("type") or " | ".join(str(s.get("type")) for s in schema.get("anyOf", []))
        rows.append(f"<li><code>{escape(p['name'])}</code> ({escape(p['in'])}, {escape(kind)})</li>")
    if "requestBody" in op:
        types = ", ".join(op["requestBody"].get("content", {}))
        rows.append(f"<li>body: {escape(types) or 'JSON'}</li>")
    return f"<ul>{''.join(rows)}</ul>" if rows else ""


def render(spec: dict[str, Any]) -> str:
    info = spec.get("info", {})
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{escape(info.get('title', 'API'))} API</title></head><body>",
        f"<h1>{escape(info.get('title', 'API'))} {escape(str(info.get('version', '')))} API</h1>",
        "<p>JSON over HTTP. The full OpenAPI description: <a href='/openapi.json'>/openapi.json</a>. "
        "Writes (POST) need the server's token, when it has one, as <code>Authorization: Bearer TOKEN</code>."
        "</p>",
    ]
    for path, ops in spec.get("paths", {}).items():
        for method, op in ops.items():
            summary = op.get("summary") or ""
            about = (op.get("description") or "").strip().splitlines()
            parts.append(f"<h2><code>{escape(method.upper())} {escape(path)}</code></h2>")
            parts.append(f"<p>{escape(summary)}{': ' + escape(about[0]) if about else ''}</p>")
            parts.append(_params(op))
    parts.append("</body></html>")
    return "\n".join(parts)


def add_routes(app: FastAPI) -> None:
    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(render(app.openapi()))
