"""The two Celery tasks, thin: each runs a stage body from :mod:`qa_service.services.processing` and
maps a transient error to a retry with exponential backoff. A task takes a call id (and, on a retry,
the lease token of its own previous try), never audio or transcripts."""

from __future__ import annotations

import logging
from typing import Any

from celery import Celery, Task

from qa_service.errors import TransientError
from qa_service.services.context import ServiceContext, new_owner
from qa_service.services.processing import give_up, retry_delay, run_stage
from qa_service.settings import Settings
from qa_service.store.states import Stage
from workers.dispatch import TASK_NAMES, CeleryDispatcher

log = logging.getLogger(__name__)


def run_task(task: Task, ctx: ServiceContext, dispatcher: CeleryDispatcher, call_id: str, stage: Stage,
             reclaim: str | None) -> dict[str, Any]:
    owner = new_owner()
    try:
        outcome = run_stage(ctx, call_id, stage, dispatcher=dispatcher, owner=owner, reclaim=reclaim)
    except TransientError as exc:
        retries = int(task.request.retries or 0)
        if retries >= ctx.settings.task_max_retries:
            reason = f"gave up after {retries} retries: {exc.reason}"
            give_up(ctx, call_id, stage, reason)
            return {"call_id": call_id, "stage": stage.value, "status": "failed", "detail": reason}
        delay = retry_delay(ctx.settings, retries)
        log.warning("call %s: %s; retry %d in %.1f s", call_id, exc.reason, retries + 1, delay)
        raise task.retry(args=(call_id,), kwargs={"lease_owner": owner}, exc=exc, countdown=delay) from exc
    return {"call_id": call_id, "stage": stage.value, "status": outcome.status.value,
            "detail": outcome.detail}


def register_tasks(app: Celery, settings: Settings) -> None:
    """Tasks bound to this app and its settings only (``shared=False``: Celery would otherwise add
    them to every app finalized later in the process, and the first app's settings would win)."""
    ctx = ServiceContext(settings)
    dispatcher = CeleryDispatcher(app)

    @app.task(bind=True, shared=False, name=TASK_NAMES[Stage.TRANSCRIBE], acks_late=True, reject_on_worker_lost=True,
              max_retries=None)  # the limit is settings.task_max_retries, applied in run_task
    def transcribe(self: Task, call_id: str, lease_owner: str | None = None) -> dict[str, Any]:
        return run_task(self, ctx, dispatcher, call_id, Stage.TRANSCRIBE, lease_owner)

    @app.task(bind=True, shared=False, name=TASK_NAMES[Stage.ASSESS], acks_late=True, reject_on_worker_lost=True,
              max_retries=None)  # the limit is settings.task_max_retries, applied in run_task
    def assess(self: Task, call_id: str, lease_owner: str | None = None) -> dict[str, Any]:
        return run_task(self, ctx, dispatcher, call_id, Stage.ASSESS, lease_owner)
