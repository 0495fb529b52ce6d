"""How a stage of a call is handed to a worker. ``qa_service`` knows no Celery: the Celery dispatcher
lives in ``workers/dispatch.py`` and is chosen by :func:`dispatcher_for` when a broker is configured."""

from __future__ import annotations

import importlib
from typing import Protocol

from qa_service.settings import Settings
from qa_service.store.states import Stage


class Dispatcher(Protocol):
    def send(self, call_id: str, stage: Stage) -> None:
        """Ask a worker to run ``stage`` for the call (must not raise: the sweeper re-sends)."""
        ...

    def backlog(self, stage: Stage) -> int | None:
        """Messages waiting for ``stage`` in the broker; None when unknown."""
        ...


class LocalDispatcher:
    """The embedded default: nothing to send; the local worker takes queued calls from the database."""

    def send(self, call_id: str, stage: Stage) -> None:
        return None

    def backlog(self, stage: Stage) -> int | None:
        return None


def dispatcher_for(settings: Settings) -> Dispatcher:
    """Celery when ``broker_url`` is set (imported by name: the library never imports ``workers``)."""
    if not settings.broker_url:
        return LocalDispatcher()
    module = importlib.import_module("workers.dispatch")
    dispatcher: Dispatcher = module.CeleryDispatcher.from_settings(settings)
    return dispatcher
