"""``qa-service serve``: the supervisor API (uvicorn). It joins the ``qa-service`` command through
the ``qa_service.commands`` entry point, as ``workers`` does, so the library never imports FastAPI.

With ``--workers N`` (N > 1) uvicorn runs N API processes, each building its app from the
environment (:func:`api.app.app_from_environment`); the embedded worker, when it runs, runs once, in
this supervising process, and picks up what the API processes queue from the database."""

from __future__ import annotations

import functools
import logging
import os

import typer

log = logging.getLogger(__name__)


def serve(
    host: str | None = typer.Option(None, help="Address to listen on (default: QA_API_HOST, 127.0.0.1)."),
    port: int | None = typer.Option(None, help="Port (default: QA_API_PORT, 8000)."),
    workers: int = typer.Option(1, min=1, max=64, help="API processes (one per CPU core suits a busy floor)."),
    worker: bool | None = typer.Option(None, "--worker/--no-worker",
                                       help="Run the embedded worker (default: when no broker is set)."),
    access_log: bool = typer.Option(True, "--access-log/--no-access-log", help="Log one line per request."),
    demo: bool = typer.Option(False, "--demo", help="Add one demo sign-in per role (for trying the console on "
                                                    "the sample calls; never on real data) and print them."),
) -> None:
    """Serve the supervisor API (OpenAPI docs at /docs)."""
    import uvicorn

    from api.app import create_app
    from qa_service.services.background import BackgroundWorker
    from qa_service.services.context import ServiceContext
    from qa_service.settings import get_settings
    from qa_service.store.migrate import ensure_schema

    settings = get_settings()
    ensure_schema(settings)
    h, p = host or settings.api_host, port or settings.api_port
    if demo:
        from qa_service.services.demo import DEMO_PASSWORD, ensure_demo_users

        logins = ensure_demo_users(ServiceContext(settings))
        typer.echo(f"\nconsole: http://{h}:{p}/console/  (API docs: http://{h}:{p}/docs)")
        typer.echo(f"demo sign-ins, password {DEMO_PASSWORD}: " + ", ".join(f"{x.username} ({x.role})" for x in logins))
        typer.echo("stop with Ctrl-C\n")
    embedded = (not settings.broker_url and settings.embedded_worker) if worker is None else worker
    run = functools.partial(uvicorn.run, host=h, port=p, log_level="info", proxy_headers=False,
                            server_header=False, access_log=access_log)
    log.info("supervisor API on http://%s:%d (docs: /docs), %d process(es)", h, p, workers)
    if workers == 1:
        run(create_app(settings, start_worker=embedded))
        return
    os.environ["QA_EMBEDDED_WORKER"] = "false"  # the API processes read their settings from here
    background = BackgroundWorker(ServiceContext(settings)) if embedded else None
    if background is not None:
        background.start()
    try:
        run("api.app:app_from_environment", factory=True, workers=workers)
    finally:
        if background is not None:
            background.stop()


def register(app: typer.Typer) -> None:
    app.command()(serve)
