"""The FastAPI application: routers, problem responses, and (without a broker) the embedded worker
that processes uploads and re-assessments."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from fastapi.telemetry import TelemetryConfig

from api import console, problems
from api.limits import RefuseControlCharacters, UploadSizeLimit
from api.routes import (
    audio,
    audit,
    auth,
    calibration,
    calls,
    coaching,
    disputes,
    live,
    reports,
    reviews,
    search,
    statistics,
    uploads,
    users,
)
from qa_service import __version__
from qa_service.services.auth import TokenCache
from qa_service.services.background import BackgroundWorker
from qa_service.services.context import ServiceContext
from qa_service.services.dispatch import Dispatcher, dispatcher_for
from qa_service.services.live import LiveHub
from qa_service.settings import Settings, get_settings

log = logging.getLogger(__name__)

DESCRIPTION = """Supervisor API of the QA speech-analytics service: sign in (OAuth2 password flow:
`POST /auth/token`, then `Authorization: Bearer <token>`), the flagged-call queue, call detail, recorded
audio (HTTP Range; PII bleeped unless you hold the PII permission), reviews and corrections, transcript
search, uploads, statistics and the audit log. Errors are RFC 9457 problem documents."""


#: FastAPI's native OpenTelemetry, every part off: request spans, metrics and logs would carry call
#: ids, request bodies and error text, and ``auto_configure`` would add OTLP exporters from the
#: environment. The service sends nothing anywhere (see qa_service/runtime.py).
NO_TELEMETRY: TelemetryConfig = {"tracing": False, "metrics": False, "logs": False, "operation_spans": False,
                                 "auto_configure": False}


def create_app(settings: Settings | None = None, *, start_worker: bool | None = None) -> FastAPI:
    """The app for ``settings`` (default: the process settings). ``start_worker`` (default: no broker
    and ``embedded_worker``) runs the embedded worker thread while the app runs."""
    settings = settings or get_settings()
    embedded = (not settings.broker_url and settings.embedded_worker) if start_worker is None else start_worker
    worker = BackgroundWorker(ServiceContext(settings)) if embedded else None
    dispatcher: Dispatcher = worker if worker is not None else dispatcher_for(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if worker is not None:
            worker.start()
        try:
            yield
        finally:
            if worker is not None:
                worker.stop()
            app.state.live_hub.close()

    app = FastAPI(title="QA service — supervisor API", version=__version__, description=DESCRIPTION,
                  lifespan=lifespan, telemetry=NO_TELEMETRY)
    app.state.settings = settings
    app.state.dispatcher = dispatcher
    app.state.tokens = TokenCache(settings.auth_cache_s)
    app.state.live_hub = LiveHub(ServiceContext(settings), workers=settings.live_asr_workers)
    problems.install(app)
    app.add_middleware(UploadSizeLimit, settings=settings)
    app.add_middleware(RefuseControlCharacters)  # added last: runs first
    for module in (auth, calls, audio, reviews, disputes, calibration, coaching, search, uploads, reports,
                   statistics, live, audit, users):
        app.include_router(module.router)

    console.mount(app)

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse(f"{console.PATH}/")

    @app.get("/health", tags=["service"], summary="Liveness (no sign-in)")
    def health() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    return app


def app_from_environment() -> FastAPI:
    """The app of one API process of ``qa-service serve --workers N`` (settings from the environment)."""
    return create_app()
