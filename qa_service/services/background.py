"""The embedded worker of ``qa-service serve`` without a broker: one thread that runs the local
worker whenever work is sent (an upload, a role swap) and every few seconds anyway."""

from __future__ import annotations

import logging
import threading

from qa_service.errors import QAError
from qa_service.services.context import ServiceContext
from qa_service.services.local_worker import run_local
from qa_service.store.states import Stage

log = logging.getLogger(__name__)


class BackgroundWorker:
    """A :class:`~qa_service.services.dispatch.Dispatcher` whose ``send`` wakes the thread."""

    def __init__(self, ctx: ServiceContext, *, idle_s: float = 5.0) -> None:
        self._ctx = ctx
        self._idle_s = idle_s
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def send(self, call_id: str, stage: Stage) -> None:
        self._wake.set()

    def backlog(self, stage: Stage) -> int | None:
        return None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="qa-embedded-worker", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 30.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout_s)

    def _sleep(self, seconds: float) -> None:
        self._stop.wait(seconds)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            try:
                summary = run_local(self._ctx, sleep=self._sleep)
                if summary.stages:
                    log.info("embedded worker: %d stage(s), %d call(s) done, %d failed", summary.stages,
                             len(summary.done), len(summary.failed))
            except QAError as exc:
                log.error("embedded worker: %s", exc.reason)
            except Exception:  # keep serving; the sweeper re-sends what this run left
                log.exception("embedded worker crashed in a run; continuing")
            self._wake.wait(self._idle_s)
