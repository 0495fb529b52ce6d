"""Re-scoring after a rubric change: only the CPU stage runs again, only for calls whose stored
rubric hash differs from the rubric that applies to them now."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from qa_service.services.context import ServiceContext
from qa_service.services.dispatch import Dispatcher
from qa_service.store import calls, leases, results
from qa_service.store.states import Stage
from qa_service.store.types import utcnow

log = logging.getLogger(__name__)


@dataclass
class RescoreReport:
    queued: list[str] = field(default_factory=list)
    unchanged: int = 0


def rescore(ctx: ServiceContext, dispatcher: Dispatcher, *, force: bool = False) -> RescoreReport:
    """Queue ``assess`` for every finished call whose rubric changed (all finished calls with ``force``)."""
    backend = ctx.backend
    report = RescoreReport()
    now = utcnow()
    with ctx.session() as session:
        for call in calls.done_calls(session):
            row = results.transcript_row(session, call.id)
            if row is None:
                continue
            current = backend.rubric_hash(calls.metadata_of(call), row.language)
            if not force and current == call.result_rubric_hash \
                    and call.result_pipeline_version == backend.pipeline_version:
                report.unchanged += 1
                continue
            if leases.requeue(session, call.id, Stage.ASSESS, now=now):
                report.queued.append(call.call_id)
    for call_id in report.queued:
        dispatcher.send(call_id, Stage.ASSESS)
    log.info("rescore: %d queued, %d unchanged", len(report.queued), report.unchanged)
    return report
