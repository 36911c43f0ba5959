"""What every request and answer passes through before the routes: bounded bodies, the token
checked before a body is read, and the headers that keep answers out of caches and frames.

A JSON body is parsed whole in memory by the framework, so an unauthenticated 300 MB body would
be held before anyone asked who sent it. Here the token (or session) is checked from the headers
first (401 without reading a byte), then the body is read up to the route's limit (413 beyond it,
``limits.*_body_kb``) and handed on.
"""

from __future__ import annotations

import json

from starlette.concurrency import run_in_threadpool
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..config import LimitSettings
from .auth import COOKIE, presented_token
from .services import Services

_SAFE = {"GET", "HEAD", "OPTIONS"}
_UNSIGNED = {"/login", "/logout"}  # the only routes that take a body without a token
# The page's own script and styles only; the field boxes drawn over page images use style attributes.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
_SCHEMA_VIEWERS = ("/docs", "/redoc")  # FastAPI's viewers load their script from a CDN: no CSP there


class Guard:
    def __init__(self, app: ASGIApp, services: Services, limits: LimitSettings):
        self.app = app
        self.services = services
        self.limits = limits

    def limit(self, method: str, path: str) -> int:
        if path in _UNSIGNED:
            return self.limits.login_body_kb * 1024
        if path.startswith("/api/documents/"):
            return self.limits.correction_body_kb * 1024
        return self.limits.body_kb * 1024

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path, method = scope["path"], scope["method"]
        send = _with_headers(send, path)
        if method in _SAFE:
            await self.app(scope, receive, send)
            return
        limit = self.limit(method, path)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if path not in _UNSIGNED:
            cookie = cookie_parser(headers.get("cookie", "")).get(COOKIE)
            token, _ = await run_in_threadpool(presented_token, self.services, headers.get("authorization"), cookie)
            if token is None:
                await _answer(send, 401, "sign in: send an API token as 'Authorization: Bearer <token>'",
                              {"www-authenticate": "Bearer"})
                return
        try:
            declared = int(headers.get("content-length", "0"))
        except ValueError:
            declared = 0
        if declared > limit:
            await _answer(send, 413, f"the request body is larger than {limit // 1024} KB, the limit of this route")
            return
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            if len(body) > limit:  # no Content-Length (chunked), or a false one
                await _answer(send, 413, f"the request body is larger than {limit // 1024} KB, the limit of this route")
                return
            more = message.get("more_body", False)
        await self.app(scope, _replay(bytes(body), receive), send)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _with_headers(send: Send, path: str) -> Send:
    extra = [(b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
             (b"referrer-policy", b"no-referrer")]
    if not path.startswith(_SCHEMA_VIEWERS):
        extra.append((b"content-security-policy", CSP.encode()))
    if not path.startswith("/static/"):
        # Documents, their images and JSON never stay in a browser's or a proxy's cache.
        extra.append((b"cache-control", b"no-store"))

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = message.get("headers", [])
            added = extra
            if any(name.lower() == b"content-security-policy" for name, _ in headers):
                # A route with a policy of its own (an e-invoice's rendering, sandboxed in an
                # iframe of the document page) keeps it, and may be framed by our own pages only.
                added = [(name, b"SAMEORIGIN" if name == b"x-frame-options" else value)
                         for name, value in extra if name != b"content-security-policy"]
            names = {name for name, _ in added}
            message["headers"] = [h for h in headers if h[0].lower() not in names] + added
        await send(message)

    return sending


async def _answer(send: Send, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"), *((k.encode(), v.encode()) for k, v in (headers or {}).items())]})
    await send({"type": "http.response.body", "body": body})
