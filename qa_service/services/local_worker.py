"""The embedded worker: no broker, the same stage bodies the Celery tasks run, one call at a time in
this process, until nothing is queued. Transient errors are retried with the same backoff."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from qa_service.errors import TransientError
from qa_service.services.context import ServiceContext, new_owner
from qa_service.services.dispatch import LocalDispatcher
from qa_service.services.keeper import ProgressObserver
from qa_service.services.processing import StageOutcome, Status, give_up, retry_delay, run_stage
from qa_service.services.sweep import sweep
from qa_service.store import leases
from qa_service.store.states import Stage

log = logging.getLogger(__name__)


@dataclass
class LocalRunSummary:
    done: list[str] = field(default_factory=list)  # calls finished (assessed) in this run
    failed: list[tuple[str, str]] = field(default_factory=list)  # (call id, reason)
    stages: int = 0
    seconds: float = 0.0


def run_local(ctx: ServiceContext, *, observer: ProgressObserver | None = None,
              on_outcome: Callable[[StageOutcome], None] | None = None,
              max_stages: int | None = None, sleep: Callable[[float], None] = time.sleep) -> LocalRunSummary:
    """Process queued calls until none is left (or ``max_stages`` stage runs)."""
    began = time.perf_counter()
    dispatcher = LocalDispatcher()
    sweep(ctx, dispatcher)  # calls a crashed earlier run left in processing
    summary = LocalRunSummary()
    retries: dict[tuple[str, Stage], int] = {}
    tokens: dict[tuple[str, Stage], str] = {}
    while max_stages is None or summary.stages < max_stages:
        with ctx.session() as session:
            call = leases.next_queued(session)
            job = None if call is None else (call.call_id, Stage(call.stage))
        if job is None:
            break
        owner = new_owner()
        try:
            outcome = run_stage(ctx, job[0], job[1], dispatcher=dispatcher, owner=owner,
                                reclaim=tokens.pop(job, None), observer=observer)
        except TransientError as exc:
            n = retries.get(job, 0)
            if n >= ctx.settings.task_max_retries:
                reason = f"gave up after {n} retries: {exc.reason}"
                give_up(ctx, job[0], job[1], reason)
                summary.failed.append((job[0], reason))
                continue
            retries[job] = n + 1
            tokens[job] = owner
            delay = retry_delay(ctx.settings, n)
            log.warning("call %s: %s (retry %d in %.0f s)", job[0], exc.reason, n + 1, delay)
            sleep(delay)
            continue
        summary.stages += 1
        if outcome.status is Status.DONE and outcome.stage is Stage.ASSESS:
            summary.done.append(outcome.call_id)
        elif outcome.status is Status.FAILED:
            summary.failed.append((outcome.call_id, outcome.detail))
        if on_outcome is not None:
            on_outcome(outcome)
    summary.seconds = time.perf_counter() - began
    return summary
