"""Entry point of the ``qa-service`` console command.

Commands live in small modules, each with ``register(app)``; heavy imports (torch, models) happen
inside the command functions so ``qa-service --help`` stays fast.
"""

from __future__ import annotations

import importlib
import logging
from importlib.metadata import entry_points

import typer

from qa_service.errors import QAError
from qa_service.logging_setup import configure_logging

log = logging.getLogger(__name__)

#: Command modules under ``qa_service.cli``, each exposing ``register(app: typer.Typer)``.
COMMAND_MODULES = (
    "models_cmd",  # qa-service models
    "live_cmd",  # qa-service simulate-live
    "analyze_cmd",  # qa-service analyze, eval
    "score_cmd",  # qa-service score
    "classify_cmd",  # qa-service classify, train-classifier, eval-classifier
    "service_cmd",  # qa-service ingest, process, demo, ...
    "users_cmd",  # qa-service users add|disable|enable|passwd|list
)

#: Entry-point group of ``register(app)`` functions from other installed packages (``workers`` adds
#: ``qa-service worker``); the library finds them by group and never imports those packages by name.
COMMAND_GROUP = "qa_service.commands"

app = typer.Typer(
    name="qa-service",
    help="Offline QA speech analytics for bank contact centers.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root(verbose: bool = typer.Option(False, "--verbose", "-v", help="Debug logging.")) -> None:
    configure_logging(verbose)


def build_app() -> typer.Typer:
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"qa_service.cli.{name}")
        module.register(app)
    for entry in entry_points(group=COMMAND_GROUP):
        entry.load()(app)
    return app


def main() -> None:
    build_app()
    try:
        app()
    except QAError as exc:
        typer.secho(f"error: {exc.reason}", err=True, fg=typer.colors.RED)
        raise SystemExit(2) from exc
