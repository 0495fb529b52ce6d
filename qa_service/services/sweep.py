"""The sweeper: gives calls stuck after a worker died back to the queue, and re-sends queued calls
whose broker message was lost (a broker restarted without persistence). Safe to run from every
worker at once: each change is a compare-and-set on the row. ``qa-service sweep`` runs it once;
workers run it every ``sweep_interval_s``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from qa_service.services.context import ServiceContext, owner_is_dead
from qa_service.services.dispatch import Dispatcher
from qa_service.store import leases
from qa_service.store.states import Stage
from qa_service.store.types import utcnow

log = logging.getLogger(__name__)


@dataclass
class SweepReport:
    requeued: list[str] = field(default_factory=list)  # stuck in processing, given back
    failed: list[str] = field(default_factory=list)  # lost too many workers
    resent: list[str] = field(default_factory=list)  # queued, message presumed lost


def sweep(ctx: ServiceContext, dispatcher: Dispatcher, now: datetime | None = None) -> SweepReport:
    now = now or utcnow()
    report = SweepReport()
    to_send: list[tuple[str, Stage]] = []
    with ctx.session() as session:
        for call in leases.processing(session):
            expired = call.lease_expires_at is None or call.lease_expires_at < now
            if not (expired or owner_is_dead(call.lease_owner)):
                continue
            stage = Stage(call.stage)
            owner = call.lease_owner
            lost = leases.abandoned_attempts(session, call.id, stage) + 1
            if not leases.requeue(session, call.id, stage, now=now, expect_owner=owner):
                continue  # it moved on meanwhile
            if lost >= ctx.settings.max_attempts:
                reason = (f"gave up after {lost} attempts at {stage.value}: the worker was lost each time "
                          "(crash or out of memory?)")
                leases.fail(session, call.id, reason=reason, kind="WorkerLost", now=now)
                report.failed.append(call.call_id)
                continue
            report.requeued.append(call.call_id)
            to_send.append((call.call_id, stage))
        for stage in Stage:
            backlog = dispatcher.backlog(stage)
            grace = ctx.settings.queue_grace_s if backlog == 0 else ctx.settings.requeue_after_s
            for call in leases.queued_before(session, now - timedelta(seconds=grace), stage):
                if call.call_id in report.requeued:
                    continue
                leases.touch_queued(session, call.id, now)
                report.resent.append(call.call_id)
                to_send.append((call.call_id, stage))
    for call_id, stage in to_send:
        dispatcher.send(call_id, stage)
    if report.requeued or report.failed or report.resent:
        log.info("sweep: %d re-queued, %d failed, %d re-sent", len(report.requeued), len(report.failed),
                 len(report.resent))
    return report
