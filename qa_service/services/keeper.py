"""Keeps a worker's lease alive while a stage runs, and records its progress on the call row.

A thread renews the lease every few seconds (a stage may run long without reporting); the pipeline's
progress hook feeds percent and step, written with the next renewal. If the worker dies, renewals
stop, the lease expires and the sweeper gives the call to another worker.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from types import TracebackType

from qa_service.errors import StorageUnavailable
from qa_service.services.context import ServiceContext
from qa_service.store import leases
from qa_service.store.types import utcnow

log = logging.getLogger(__name__)

#: Share of a transcription each pipeline step takes (for one percent figure per call).
STEP_SPAN: dict[str, tuple[float, float]] = {
    "decode": (0.0, 0.05),
    "transcribe": (0.05, 0.75),
    "diarize": (0.75, 0.9),
    "align": (0.9, 0.95),
    "roles": (0.95, 1.0),
    "assess": (0.0, 1.0),  # the whole CPU stage
}

#: ``observer(call_id, percent, step)`` (the CLI's progress display).
ProgressObserver = Callable[[str, float, str], None]


class LeaseKeeper:
    """Context manager around one stage run. ``base``/``span``: the stage's share of the call's percent."""

    def __init__(self, ctx: ServiceContext, lease: leases.Lease, *, base: float, span: float,
                 observer: ProgressObserver | None = None) -> None:
        self._ctx = ctx
        self._lease = lease
        self._base = base
        self._span = span
        self._observer = observer
        self._lease_s = ctx.settings.lease_timeout_s
        self._interval = max(0.2, min(2.0, self._lease_s / 3))
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._percent = base
        self._step = ""
        self._dirty = False
        self._thread = threading.Thread(target=self._run, name=f"lease-{lease.call_id}", daemon=True)
        self.lost = False

    def hook(self, stage: str, completed: float, total: float) -> None:
        """The :class:`~qa_service.progress.ProgressHook` handed to the pipeline."""
        lo, hi = STEP_SPAN.get(stage, (None, None))
        fraction = max(0.0, min(1.0, completed / total)) if total > 0 else 0.0
        with self._lock:
            if lo is not None and hi is not None:
                self._percent = max(self._percent, self._base + self._span * (lo + (hi - lo) * fraction))
            self._step = stage
            self._dirty = True
            percent, step = self._percent, self._step
        if self._observer is not None:
            self._observer(self._lease.call_id, percent, step)

    def __enter__(self) -> LeaseKeeper:
        self._thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        last_renew = time.monotonic()
        while not self._stop.wait(self._interval):
            with self._lock:
                dirty, percent, step = self._dirty, self._percent, self._step
                self._dirty = False
            if not dirty and time.monotonic() - last_renew < self._lease_s / 3:
                continue
            try:
                with self._ctx.session() as session:
                    ok = leases.renew(session, self._lease, lease_s=self._lease_s, now=utcnow(),
                                      progress=round(percent, 1), step=step)
                last_renew = time.monotonic()
                if not ok and not self.lost:
                    self.lost = True
                    log.warning("call %s: lease lost to another worker", self._lease.call_id)
            except StorageUnavailable as exc:  # keep working; the final write will retry if needed
                log.warning("call %s: cannot renew lease (%s)", self._lease.call_id, exc.reason)
