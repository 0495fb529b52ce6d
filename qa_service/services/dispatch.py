"""How a stage of a call is handed to a worker. ``qa_service`` knows no Celery and never imports
``workers``: the Celery dispatcher lives in ``workers/dispatch.py`` and is found through the
``qa_service.dispatchers`` entry point (declared in ``pyproject.toml``) when a broker is configured."""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import Protocol

from qa_service.errors import ConfigError
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


#: Entry-point group of dispatcher factories ``(Settings) -> Dispatcher``; ``celery`` is the scale path.
DISPATCHER_GROUP = "qa_service.dispatchers"


def dispatcher_for(settings: Settings) -> Dispatcher:
    """The local dispatcher without ``broker_url``; with one, the installed ``celery`` dispatcher."""
    if not settings.broker_url:
        return LocalDispatcher()
    found = entry_points(group=DISPATCHER_GROUP, name="celery")
    if not found:
        raise ConfigError(
            "QA_BROKER_URL is set but no Celery dispatcher is installed (entry point 'celery' in group "
            f"{DISPATCHER_GROUP!r}, provided by this project's workers package: run ./scripts/setup.sh)",
            setting="QA_BROKER_URL",
        )
    factory = next(iter(found)).load()
    dispatcher: Dispatcher = factory(settings)
    return dispatcher
