"""Worker lifecycle: the periodic sweeper runs in each worker's main process (no celery beat)."""

from __future__ import annotations

import logging
import threading
from typing import Any

from celery import Celery
from celery.signals import worker_process_init, worker_ready, worker_shutdown

from qa_service.errors import QAError
from qa_service.services.context import ServiceContext
from qa_service.services.sweep import sweep
from qa_service.settings import Settings
from qa_service.store.db import dispose_engines

log = logging.getLogger(__name__)


class Sweeper(threading.Thread):
    def __init__(self, ctx: ServiceContext, app: Celery) -> None:
        super().__init__(name="qa-sweeper", daemon=True)
        self._ctx = ctx
        self._app = app
        self.stopped = threading.Event()

    def run(self) -> None:
        from workers.dispatch import CeleryDispatcher

        dispatcher = CeleryDispatcher(self._app)
        log.info("sweeper: every %.0f s", self._ctx.settings.sweep_interval_s)
        while not self.stopped.wait(self._ctx.settings.sweep_interval_s):
            try:
                sweep(self._ctx, dispatcher)
            except QAError as exc:
                log.warning("sweep skipped: %s", exc.reason)
            except Exception:
                log.exception("sweep failed")


def connect_signals(app: Celery, settings: Settings) -> None:
    state: dict[str, Sweeper] = {}

    def _ready(sender: Any = None, **_: Any) -> None:
        if getattr(sender, "app", None) is not app or "sweeper" in state:
            return
        state["sweeper"] = Sweeper(ServiceContext(settings), app)
        state["sweeper"].start()

    def _shutdown(**_: Any) -> None:
        sweeper = state.pop("sweeper", None)
        if sweeper is not None:
            sweeper.stopped.set()

    def _child_init(**_: Any) -> None:
        dispose_engines(close=False)  # never use (nor close) the parent's pooled connections

    worker_ready.connect(_ready, weak=False)
    worker_shutdown.connect(_shutdown, weak=False)
    worker_process_init.connect(_child_init, weak=False)
