"""What a request may carry, checked before routing (pure ASGI middleware: no per-request task or
body wrapping).

- :class:`RefuseControlCharacters`: NUL and other control characters in the path or query are a 422
  (PostgreSQL refuses NUL in text; no route has a use for them).
- :class:`UploadSizeLimit`: the request-size limit of uploads, enforced before the body is parsed: a
  declared Content-Length over the limit is refused at once, and a body that grows past it
  (chunked, or lying about its length) is cut off as soon as it does — the multipart parser never
  spools more than the limit to disk."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from api.problems import problem
from qa_service.errors import PayloadTooLarge
from qa_service.settings import Settings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

UPLOAD_PATHS = ("/uploads",)
#: A percent-encoded control character (%00-%1F) in a query string (the path arrives decoded).
_ENCODED_CONTROL = re.compile(rb"%[01][0-9a-f]", re.IGNORECASE)
MULTIPART_OVERHEAD = 64 * 1024


def request_limit(settings: Settings) -> int:
    return settings.upload_max_bytes * settings.upload_max_files + MULTIPART_OVERHEAD


class RefuseControlCharacters:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path: str = scope.get("path", "")
            query: bytes = scope.get("query_string", b"")
            if any(ord(c) < 0x20 for c in path) or any(c < 0x20 for c in query) or _ENCODED_CONTROL.search(query):
                response = problem(422, "control characters (such as NUL) are not allowed in the path or query")
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


class UploadSizeLimit:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.limit = request_limit(settings)
        self.per_file = settings.upload_max_bytes

    def _too_large(self) -> PayloadTooLarge:
        return PayloadTooLarge(f"the upload is larger than the limit ({self.per_file} bytes per file)",
                               limit_bytes=self.per_file)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") not in UPLOAD_PATHS:
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.limit:
            await self._refuse(scope, receive, send)
            return
        seen = 0
        refused = False  # the body outgrew the limit: a 413 went out, the app gets a disconnect
        started = False

        async def counted() -> Message:
            nonlocal seen, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message.get("type") == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    refused = True
                    if not started:
                        await self._refuse(scope, receive, send)
                    return {"type": "http.disconnect"}
            return message

        async def guarded(message: Message) -> None:
            nonlocal started
            if refused:  # the app's answer to the disconnect; the client already has its 413
                return
            started = started or message.get("type") == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, guarded)
        except Exception:
            if not refused:
                raise  # the app's own failure; a cut-off body's aftermath is not one

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        err = self._too_large()
        response = problem(413, err.reason, type_="urn:qa-service:error:PayloadTooLarge",
                           extra={"limit_bytes": self.per_file}, headers={"Connection": "close"})
        await response(scope, receive, send)
