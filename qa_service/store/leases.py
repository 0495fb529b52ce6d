"""The processing state machine, by compare-and-set UPDATEs that are safe between processes and hosts.

queued(stage) ──claim──► processing(stage, lease_owner, lease_expires_at) ──finish──► queued(next) / done
      ▲                          │  lease expired, or the owner process is gone (sweeper)
      └──────── requeue ◄────────┘                         fail ──► failed(reason)

Every transition names the lease owner it expects, so a worker that lost its lease (the sweeper gave
the call to another worker) cannot overwrite the newer attempt. Functions take a Session and never
commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, Result, and_, func, or_, select, update
from sqlalchemy.orm import Session

from qa_service.store.models import Call, ProcessingAttempt
from qa_service.store.states import AttemptOutcome, CallState, Stage


class LeaseLost(Exception):
    """This worker no longer holds the call (the sweeper re-queued it and another worker took it)."""


def _rows(result: Result[Any]) -> int:
    return int(cast(CursorResult[Any], result).rowcount)


@dataclass(frozen=True)
class Lease:
    call_pk: int
    call_id: str
    stage: Stage
    owner: str


def claim(session: Session, call: Call, stage: Stage, owner: str, *, lease_s: float, now: datetime,
          pipeline_version: str, rubric_hash: str | None = None, reclaim: str | None = None) -> Lease | None:
    """Take the call for ``stage`` if it is queued for it, its lease expired, or ``reclaim`` names the
    current owner (our own retry). Records a running attempt. None if someone else holds it."""
    takeover: ColumnElement[bool] = Call.lease_expires_at < now
    if reclaim:
        takeover = or_(takeover, Call.lease_owner == reclaim)
    free = or_(Call.state == CallState.QUEUED.value,
               and_(Call.state == CallState.PROCESSING.value, takeover))
    previous_owner = call.lease_owner if call.state == CallState.PROCESSING.value else None
    result = session.execute(
        update(Call)
        .where(Call.id == call.id, Call.stage == stage.value, free)
        .values(state=CallState.PROCESSING.value, lease_owner=owner,
                lease_expires_at=now + timedelta(seconds=lease_s), attempts=Call.attempts + 1,
                step="", failure_reason=None, failure_kind=None, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return None
    if previous_owner:
        close_attempt(session, call.id, previous_owner, AttemptOutcome.ABANDONED
                      if previous_owner != reclaim else AttemptOutcome.RETRYING, now=now)
    session.add(ProcessingAttempt(call_pk=call.id, stage=stage.value, lease_owner=owner,
                                  outcome=AttemptOutcome.RUNNING.value, pipeline_version=pipeline_version,
                                  rubric_hash=rubric_hash, started_at=now))
    session.expire(call)
    return Lease(call.id, call.call_id, stage, owner)


def _owned(lease: Lease) -> list[ColumnElement[bool]]:
    return [Call.id == lease.call_pk, Call.lease_owner == lease.owner,
            Call.state == CallState.PROCESSING.value, Call.stage == lease.stage.value]


def renew(session: Session, lease: Lease, *, lease_s: float, now: datetime,
          progress: float | None = None, step: str | None = None) -> bool:
    """Extend the lease (and record progress). False if the lease was lost."""
    values: dict[str, object] = {"lease_expires_at": now + timedelta(seconds=lease_s)}
    if progress is not None:
        values["progress"] = progress
    if step is not None:
        values["step"] = step[:64]
    result = session.execute(update(Call).where(*_owned(lease)).values(**values)
                             .execution_options(synchronize_session=False))
    return _rows(result) == 1


def complete_stage(session: Session, lease: Lease, *, next_stage: Stage | None, now: datetime,
                   progress: float, pipeline_version: str | None = None,
                   rubric_hash: str | None = None) -> None:
    """Hand the call to ``next_stage`` (queued) or mark it done. Raises :class:`LeaseLost`."""
    values: dict[str, object] = {"lease_owner": None, "lease_expires_at": None, "progress": progress,
                                 "step": "", "updated_at": now}
    if next_stage is None:
        values.update(state=CallState.DONE.value, completed_at=now, result_pipeline_version=pipeline_version,
                      result_rubric_hash=rubric_hash)
    else:
        values.update(state=CallState.QUEUED.value, stage=next_stage.value, queued_at=now)
    result = session.execute(update(Call).where(*_owned(lease)).values(**values)
                             .execution_options(synchronize_session=False))
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise LeaseLost(lease.call_id)
    close_attempt(session, lease.call_pk, lease.owner, AttemptOutcome.SUCCEEDED, now=now)


def release(session: Session, lease: Lease, *, now: datetime, error: str) -> bool:
    """Give the call back to the queue after a transient error (the task will be retried)."""
    result = session.execute(
        update(Call).where(*_owned(lease))
        .values(state=CallState.QUEUED.value, lease_owner=None, lease_expires_at=None, queued_at=now,
                step="", updated_at=now)
        .execution_options(synchronize_session=False))
    close_attempt(session, lease.call_pk, lease.owner, AttemptOutcome.RETRYING, now=now, error=error)
    return _rows(result) == 1


def fail(session: Session, call_pk: int, *, reason: str, kind: str, now: datetime,
         owner: str | None = None) -> bool:
    """Mark the call failed with a reason a supervisor can read. With ``owner``, only if still held."""
    cond: list[ColumnElement[bool]] = [Call.id == call_pk]
    if owner is not None:
        cond += [Call.lease_owner == owner, Call.state == CallState.PROCESSING.value]
    result = session.execute(
        update(Call).where(*cond)
        .values(state=CallState.FAILED.value, failure_reason=reason, failure_kind=kind[:64],
                lease_owner=None, lease_expires_at=None, step="", updated_at=now, completed_at=now)
        .execution_options(synchronize_session=False))
    if owner is not None:
        close_attempt(session, call_pk, owner, AttemptOutcome.FAILED, now=now, error=reason)
    return _rows(result) == 1


def requeue(session: Session, call_pk: int, stage: Stage, *, now: datetime,
            expect_owner: str | None = None) -> bool:
    """Put a call back in the queue for ``stage`` (sweeper, rescore, retry-failed)."""
    cond: list[ColumnElement[bool]] = [Call.id == call_pk]
    if expect_owner is not None:
        cond += [Call.lease_owner == expect_owner, Call.state == CallState.PROCESSING.value]
    result = session.execute(
        update(Call).where(*cond)
        .values(state=CallState.QUEUED.value, stage=stage.value, lease_owner=None, lease_expires_at=None,
                queued_at=now, step="", failure_reason=None, failure_kind=None, updated_at=now)
        .execution_options(synchronize_session=False))
    if expect_owner is not None and _rows(result) == 1:
        close_attempt(session, call_pk, expect_owner, AttemptOutcome.ABANDONED, now=now,
                      error="worker lost (lease expired)")
    return _rows(result) == 1


def touch_queued(session: Session, call_pk: int, now: datetime) -> None:
    session.execute(update(Call).where(Call.id == call_pk, Call.state == CallState.QUEUED.value)
                    .values(queued_at=now).execution_options(synchronize_session=False))


def close_attempt(session: Session, call_pk: int, owner: str, outcome: AttemptOutcome, *, now: datetime,
                  error: str | None = None) -> None:
    session.execute(
        update(ProcessingAttempt)
        .where(ProcessingAttempt.call_pk == call_pk, ProcessingAttempt.lease_owner == owner,
               ProcessingAttempt.outcome == AttemptOutcome.RUNNING.value)
        .values(outcome=outcome.value, finished_at=now, error=error)
        .execution_options(synchronize_session=False))


def abandoned_attempts(session: Session, call_pk: int, stage: Stage) -> int:
    return int(session.scalar(
        select(func.count()).select_from(ProcessingAttempt)
        .where(ProcessingAttempt.call_pk == call_pk, ProcessingAttempt.stage == stage.value,
               ProcessingAttempt.outcome == AttemptOutcome.ABANDONED.value)) or 0)


def processing(session: Session) -> list[Call]:
    return list(session.scalars(select(Call).where(Call.state == CallState.PROCESSING.value)
                                .order_by(Call.id)))


def queued_before(session: Session, cutoff: datetime, stage: Stage, limit: int = 1000) -> list[Call]:
    return list(session.scalars(select(Call).where(Call.state == CallState.QUEUED.value,
                                                   Call.stage == stage.value, Call.queued_at < cutoff)
                                .order_by(Call.id).limit(limit)))


def next_queued(session: Session) -> Call | None:
    """The next call for the embedded worker: calls already transcribed first (finish what was begun)."""
    stmt = (select(Call).where(Call.state == CallState.QUEUED.value)
            .order_by((Call.stage == Stage.ASSESS.value).desc(), Call.id).limit(1))
    return session.scalars(stmt).first()
