"""The domain error tree mapped once to RFC 9457 problem responses (``application/problem+json``).
Nothing but the error's own message goes to the client: never a traceback, never a path."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from qa_service import errors as e

log = logging.getLogger(__name__)

PROBLEM = "application/problem+json"

#: Most specific first: the first class an error is an instance of gives its status.
STATUS: tuple[tuple[type[e.QAError], int], ...] = (
    (e.NotAuthenticated, 401),
    (e.PermissionDenied, 403),
    (e.LoginThrottled, 429),
    (e.NotFound, 404),
    (e.PayloadTooLarge, 413),
    (e.UnsupportedMediaType, 415),
    (e.RangeNotSatisfiable, 416),
    (e.DuplicateCall, 409),
    (e.Conflict, 409),
    (e.InvalidRequest, 422),
    (e.IngestError, 422),
    (e.AudioError, 422),
    (e.TranscriptFormatError, 422),
    (e.StorageUnavailable, 503),
    (e.TransientError, 503),
)
_TITLES = {401: "Not signed in", 403: "Not allowed", 404: "Not found", 409: "Conflict", 413: "Too large",
           415: "Unsupported media type", 416: "Range not satisfiable", 422: "Invalid request",
           429: "Too many attempts", 500: "Internal error", 503: "Service unavailable"}
#: Details safe to show (others may hold internals).
_PUBLIC_DETAILS = {"field", "size", "limit_bytes", "retry_after_s", "call_id", "permission", "role", "username",
                   "item_id", "kind"}


def status_of(exc: e.QAError) -> int:
    return next((code for cls, code in STATUS if isinstance(exc, cls)), 500)


def problem(status: int, detail: str, *, type_: str = "about:blank", extra: dict[str, Any] | None = None,
            headers: dict[str, str] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"type": type_, "title": _TITLES.get(status, "Error"), "status": status, "detail": detail}
    body.update(extra or {})
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


async def _qa_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, e.QAError)
    status = status_of(exc)
    if status == 500:
        log.error("%s %s: %s: %s", request.method, request.url.path, type(exc).__name__, exc.reason)
        return problem(500, "the server could not complete the request")
    headers: dict[str, str] = {}
    if isinstance(exc, e.NotAuthenticated):
        headers["WWW-Authenticate"] = "Bearer"
    if isinstance(exc, e.LoginThrottled):
        headers["Retry-After"] = str(exc.details.get("retry_after_s", 60))
    if isinstance(exc, e.RangeNotSatisfiable):
        headers["Content-Range"] = f"bytes */{exc.details.get('size', 0)}"
    extra = {k: v for k, v in exc.details.items() if k in _PUBLIC_DETAILS}
    return problem(status, exc.reason, type_=f"urn:qa-service:error:{type(exc).__name__}", extra=extra,
                   headers=headers)


async def _validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [{"loc": [str(p) for p in err.get("loc", ())], "msg": str(err.get("msg", ""))} for err in exc.errors()]
    where = "; ".join(f"{'.'.join(x['loc'])}: {x['msg']}" for x in errors[:5])
    return problem(422, f"invalid request: {where}", extra={"errors": errors})


async def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    return problem(exc.status_code, str(exc.detail), headers=dict(exc.headers or {}))


async def _data_error(request: Request, exc: Exception) -> JSONResponse:
    """The database refused a value (a NUL character, a number out of its range): the input's fault."""
    log.info("%s %s: input refused by the database: %s", request.method, request.url.path, type(exc).__name__)
    return problem(422, "the request holds a value the database cannot store (e.g. a NUL character)")


async def _unhandled(request: Request, exc: Exception) -> JSONResponse:
    log.exception("%s %s failed", request.method, request.url.path)
    return problem(500, "the server could not complete the request")


def install(app: FastAPI) -> None:
    app.add_exception_handler(e.QAError, _qa_error)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(DataError, _data_error)
    app.add_exception_handler(Exception, _unhandled)
