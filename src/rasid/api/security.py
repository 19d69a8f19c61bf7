"""Web safety (issue #20) as one ASGI middleware around the whole app, plus the token check.

It also refuses a write (POST) whose ``Origin`` is another site: a page elsewhere could otherwise make
the browser of someone running ``rasid serve`` post to it (CSRF), token or no token.

Why a hand-written ASGI middleware: it must see every response, a 404 of the router and a crash
included, so the security headers are on all of them; it must count the bytes of a chunked body,
which has no Content-Length, to refuse an oversized request with 413 before it is read into memory;
and it must turn an unexpected exception into a generic JSON 500 that names an error id, with the
traceback going to the log only.
"""

from __future__ import annotations

import hmac
import json
import logging
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

log = logging.getLogger("rasid.api")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_BODY = 5 * 1024 * 1024  # bytes of one request body: a JSONL batch of a few hundred articles


def tile_origin(tile_url: str | None) -> str | None:
    """``https://tile.example.org`` of a tile URL template, for the CSP; None without one."""
    if not tile_url:
        return None
    parts = urlsplit(tile_url.replace("{", "").replace("}", ""))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"tile URL must be http(s)://host/...: {tile_url!r}")
    host = parts.hostname + (f":{parts.port}" if parts.port else "")
    return f"{parts.scheme}://{host}"


def content_security_policy(tile_url: str | None) -> str:
    """The strict policy of issue #20: nothing inline, nothing from elsewhere but the map tiles."""
    tiles = tile_origin(tile_url)
    extra = f" {tiles}" if tiles else ""
    return (
        f"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:{extra}; "
        f"connect-src 'self'{extra}; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    )


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def same_origin(headers: dict[bytes, bytes]) -> bool:
    """Whether a request may write: a browser names the page's origin in ``Origin`` on a POST, and a page
    of another site (which could post a text/plain form to a server on 127.0.0.1 without the user's
    knowledge) names its own. No Origin (curl, scripts, the tests' client) is not a browser page's."""
    origin = headers.get(b"origin")
    if origin is None:
        return True
    host = headers.get(b"host", b"").decode("latin-1").lower()
    parts = urlsplit(origin.decode("latin-1").lower())
    return bool(parts.netloc) and parts.netloc == host


class _TooLarge(Exception):
    pass


def _json_body(status: int, payload: dict[str, Any]) -> tuple[int, bytes]:
    return status, json.dumps(payload, ensure_ascii=False).encode("utf-8")


class SafetyMiddleware:
    """Security headers on every response, a body size limit (413) and a generic 500."""

    def __init__(self, app: ASGIApp, *, csp: str, max_body: int = MAX_BODY) -> None:
        self.app = app
        self.max_body = max_body
        self.headers = [
            (b"content-security-policy", csp.encode("ascii")),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
            (b"x-frame-options", b"DENY"),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = [
                    (k, v) for k, v in message.get("headers", []) if k.lower() not in dict(self.headers)
                ] + self.headers
            await send(message)

        headers = dict(scope.get("headers") or [])
        if scope.get("method") not in SAFE_METHODS and not same_origin(headers):
            await self._error(
                send_with_headers,
                *_json_body(
                    403, {"error": "cross-origin write refused: send it from this server's own pages"}
                ),
            )
            return
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body:
            await self._error(send_with_headers, *self._too_large())
            return
        seen = 0

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, counting_receive, send_with_headers)
        except _TooLarge:
            if not started:
                await self._error(send_with_headers, *self._too_large())
        except Exception:
            error_id = uuid.uuid4().hex[:12]
            log.exception("error %s on %s %s", error_id, scope.get("method"), scope.get("path"))
            if not started:
                await self._error(
                    send_with_headers,
                    *_json_body(500, {"error": "internal server error", "error_id": error_id}),
                )

    def _too_large(self) -> tuple[int, bytes]:
        limit = (
            f"{self.max_body // (1024 * 1024)} MiB"
            if self.max_body >= 1024 * 1024
            else f"{self.max_body} bytes"
        )
        return _json_body(413, {"error": f"request body too large: the limit is {limit}"})

    @staticmethod
    async def _error(send: Send, status: int, body: bytes) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def token_ok(expected: str | None, authorization: str | None, header_token: str | None) -> bool:
    """Whether a write request carries the API token (``Authorization: Bearer T`` or ``X-API-Token: T``);
    always true when no token is configured. Compared in constant time."""
    if not expected:
        return True
    given = header_token or ""
    if authorization and authorization.lower().startswith("bearer "):
        given = authorization[7:].strip()
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))
