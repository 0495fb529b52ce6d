"""``qa-service worker``: the Celery worker command. It lives with the workers (the library never
imports them) and joins the ``qa-service`` command through the ``qa_service.commands`` entry point."""

from __future__ import annotations

import os

import typer

QUEUES = ("gpu", "cpu")


def worker(
    queues: str = typer.Option("gpu,cpu", help="Queues to consume: gpu (transcribe), cpu (assess)."),
    concurrency: int | None = typer.Option(None, help="Processes (default: 1 with gpu, else CPU count)."),
    pool: str | None = typer.Option(None, help="Celery pool (default: solo for one process, else prefork)."),
    name: str = typer.Option("qa", help="Worker name (the host name is appended)."),
) -> None:
    """Run a Celery worker (scale path: needs QA_BROKER_URL and a migrated server database)."""
    from qa_service.settings import get_settings
    from qa_service.store.migrate import require_current
    from workers.app import create_app

    wanted = [q.strip() for q in queues.split(",") if q.strip()]
    if not wanted or any(q not in QUEUES for q in wanted):
        raise typer.BadParameter("queues: gpu, cpu or gpu,cpu")
    settings = get_settings()
    app = create_app(settings)
    require_current(settings)
    n = concurrency or (1 if "gpu" in wanted else (os.cpu_count() or 1))
    argv = ["worker", f"--queues={','.join(wanted)}", f"--concurrency={n}",
            f"--pool={pool or ('solo' if n == 1 else 'prefork')}", f"--hostname={name}-{os.getpid()}@%h",
            "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"]
    app.worker_main(argv)


def register(app: typer.Typer) -> None:
    app.command()(worker)
