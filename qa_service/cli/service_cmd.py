"""Service commands: ``db upgrade``, ``ingest``, ``process``, ``sweep``, ``rescore``,
``status``, ``calls``, ``report`` and ``demo``. Everything is configured by settings (``QA_*``):
no ``QA_BROKER_URL`` = the embedded default (SQLite + the local worker); with one, the scale path.
``qa-service worker`` (Celery) comes from ``workers/cli.py`` through an entry point."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from qa_service.ingest import Rejection
    from qa_service.services.context import ServiceContext

db_app = typer.Typer(help="Database schema (Alembic migrations).", no_args_is_help=True)


def _ctx() -> ServiceContext:
    from qa_service.services.context import ServiceContext
    from qa_service.settings import get_settings

    return ServiceContext(get_settings())


def _ready(ctx: ServiceContext) -> None:
    from qa_service.store.migrate import ensure_schema

    ensure_schema(ctx.settings)


@db_app.command("upgrade")
def db_upgrade(revision: str = typer.Argument("head")) -> None:
    """Create or migrate the schema (SQLite or PostgreSQL, from settings)."""
    from qa_service.store.migrate import current_revision, upgrade

    ctx = _ctx()
    upgrade(ctx.settings, revision)
    typer.echo(f"database at revision {current_revision(ctx.settings)}")


@db_app.command("current")
def db_current() -> None:
    """Show the schema revision."""
    from qa_service.store.migrate import current_revision, head_revision

    typer.echo(f"current {current_revision(_ctx().settings) or '(empty)'}, head {head_revision()}")


def _file_line(done: int, total: int, name: str, call_id: str | None, rejection: Rejection | None) -> None:
    what = (f"accepted as {call_id}" if rejection is None
            else f"rejected ({rejection.kind}): {rejection.reason}")
    typer.echo(f"[{done}/{total}] {name}: {what}")


def ingest(
    paths: list[Path] = typer.Argument(..., help="Audio files and/or folders."),
    sidecar: Path | None = typer.Option(None, help="CSV or JSON with one row of metadata per file."),
    pattern: str | None = typer.Option(None, help="Regex for metadata in file names (named groups)."),
    variant: str = typer.Option("stereo", help="Sample calls: which rendering (stereo, mono, telephony)."),
) -> None:
    """Store recordings and queue them for processing; duplicates and bad files are rejected with a reason."""
    from qa_service.ingest import IngestOptions, ingest_paths
    from qa_service.services.dispatch import dispatcher_for
    from qa_service.store.states import Stage

    ctx = _ctx()
    _ready(ctx)
    dispatcher = dispatcher_for(ctx.settings)

    def on_file(done: int, total: int, name: str, call_id: str | None, rejection: Rejection | None) -> None:
        if call_id is not None:  # queued at once: workers start while the rest is ingested
            dispatcher.send(call_id, Stage.TRANSCRIBE)
        _file_line(done, total, name, call_id, rejection)

    report = ingest_paths(ctx.settings, paths, IngestOptions(sidecar, pattern, variant), on_file)
    typer.echo(f"batch {report.batch_id}: {len(report.accepted)} accepted, {len(report.rejected)} rejected"
               + (f", {len(report.skipped)} other renderings skipped" if report.skipped else ""))


def process(
    max_stages: int | None = typer.Option(None, "--max", help="Stop after this many stage runs."),
) -> None:
    """Run the embedded local worker until no call is queued (no broker needed)."""
    from qa_service.services.local_worker import run_local

    ctx = _ctx()
    _ready(ctx)
    summary = run_local(ctx, observer=_progress_line(), on_outcome=_outcome_line, max_stages=max_stages)
    _end_progress()
    typer.echo(f"{len(summary.done)} calls done, {len(summary.failed)} failed in {summary.seconds:.1f} s")


_last = {"width": 0}


def _progress_line() -> Any:
    def show(call_id: str, percent: float, step: str) -> None:
        if not sys.stderr.isatty():
            return
        text = f"\r{call_id}: {percent:5.1f}% {step}"
        _last["width"] = max(_last["width"], len(text))
        sys.stderr.write(text.ljust(_last["width"]))
        sys.stderr.flush()

    return show


def _end_progress() -> None:
    if _last["width"] and sys.stderr.isatty():
        sys.stderr.write("\r" + " " * _last["width"] + "\r")
        _last["width"] = 0


def _outcome_line(outcome: Any) -> None:
    _end_progress()
    detail = f": {outcome.detail}" if outcome.detail else ""
    typer.echo(f"{outcome.call_id} {outcome.stage.value} {outcome.status.value}{detail}")


def sweep() -> None:
    """Re-queue calls stuck after a worker died, and re-send queued calls whose message was lost."""
    from qa_service.services.dispatch import dispatcher_for
    from qa_service.services.sweep import sweep as run_sweep

    ctx = _ctx()
    _ready(ctx)
    report = run_sweep(ctx, dispatcher_for(ctx.settings))
    typer.echo(f"{len(report.requeued)} re-queued, {len(report.failed)} failed, {len(report.resent)} re-sent")


def rescore(force: bool = typer.Option(False, help="Re-assess every finished call.")) -> None:
    """After a rubric change: run only the scoring stage for calls scored with another rubric version."""
    from qa_service.services.dispatch import dispatcher_for
    from qa_service.services.rescore import rescore as run_rescore

    ctx = _ctx()
    _ready(ctx)
    report = run_rescore(ctx, dispatcher_for(ctx.settings), force=force)
    typer.echo(f"{len(report.queued)} calls queued for re-scoring, {report.unchanged} unchanged"
               + ("" if ctx.settings.broker_url else "; run `qa-service process`"))


def status() -> None:
    """Calls by state."""
    from qa_service.store import calls

    ctx = _ctx()
    _ready(ctx)
    with ctx.session() as s:
        counts = calls.count_by_state(s)
    typer.echo(", ".join(f"{k}: {v}" for k, v in sorted(counts.items())) or "no calls")


def list_calls(
    state: list[str] = typer.Option([], help="Only these states (queued, processing, done, failed)."),
    limit: int = typer.Option(50, help="How many (newest first)."),
) -> None:
    """Calls with their state, stage, progress and failure reason."""
    from qa_service.store import calls

    ctx = _ctx()
    _ready(ctx)
    with ctx.session() as s:
        for c in calls.listing(s, states=state, limit=limit):
            extra = f" — {c.failure_reason}" if c.failure_reason else (f" [{c.step}]" if c.step else "")
            typer.echo(f"{c.call_id:40} {c.state:10} {c.stage:10} {c.progress:5.1f}%{extra}")


def report(
    start: str | None = typer.Option(None, "--from", help="First day (YYYY-MM-DD, call-centre time)."),
    end: str | None = typer.Option(None, "--to", help="Last day (inclusive)."),
    team: list[str] = typer.Option([], help="Only these teams."),
    html: Path | None = typer.Option(None, help="Also write an HTML report here."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
) -> None:
    """The service manager's statistics over a period."""
    from qa_service.services.demo import write_html
    from qa_service.services.report_render import render_text
    from qa_service.services.reports import service_report

    ctx = _ctx()
    _ready(ctx)
    try:
        first = date.fromisoformat(start) if start else None
        last = date.fromisoformat(end) if end else None
    except ValueError as exc:
        raise typer.BadParameter(f"dates are YYYY-MM-DD ({exc})") from exc
    result = service_report(ctx, start=first, end=last, teams=tuple(team))
    typer.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=1, default=str) if as_json
               else render_text(result))
    if html is not None:
        typer.echo(f"wrote {write_html(ctx, result, html)}")


def demo() -> None:
    """The main job on the embedded default: sample calls → SQLite → local worker → report.html."""
    from qa_service.services.demo import run_demo
    from qa_service.services.report_render import render_text

    ctx = _ctx()
    typer.echo(f"data in {ctx.settings.data_dir} (database {ctx.settings.resolved_database_url})")
    result = run_demo(ctx, on_file=_file_line, observer=_progress_line())
    _end_progress()
    typer.echo(render_text(result.report))
    typer.echo(f"{len(result.run.done)} calls processed now, {len(result.run.failed)} failed; "
               f"report: {result.html_path}")


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
    app.command()(ingest)
    app.command()(process)
    app.command()(sweep)
    app.command()(rescore)
    app.command()(status)
    app.command("calls")(list_calls)
    app.command()(report)
    app.command()(demo)
