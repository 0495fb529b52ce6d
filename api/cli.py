"""``qa-service serve``: the supervisor API (uvicorn). It joins the ``qa-service`` command through
the ``qa_service.commands`` entry point, as ``workers`` does, so the library never imports FastAPI."""

from __future__ import annotations

import logging

import typer

log = logging.getLogger(__name__)


def serve(
    host: str | None = typer.Option(None, help="Address to listen on (default: QA_API_HOST, 127.0.0.1)."),
    port: int | None = typer.Option(None, help="Port (default: QA_API_PORT, 8000)."),
    worker: bool | None = typer.Option(None, "--worker/--no-worker",
                                       help="Run the embedded worker (default: when no broker is set)."),
) -> None:
    """Serve the supervisor API (OpenAPI docs at /docs)."""
    import uvicorn

    from api.app import create_app
    from qa_service.settings import get_settings
    from qa_service.store.migrate import ensure_schema

    settings = get_settings()
    ensure_schema(settings)
    app = create_app(settings, start_worker=worker)
    h, p = host or settings.api_host, port or settings.api_port
    log.info("supervisor API on http://%s:%d (docs: /docs)", h, p)
    uvicorn.run(app, host=h, port=p, log_level="info", proxy_headers=False, server_header=False)


def register(app: typer.Typer) -> None:
    app.command()(serve)
