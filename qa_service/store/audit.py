"""The audit trail: who listened to, viewed, exported or changed what, and when. Append-only: the
migrations add triggers that make both backends refuse UPDATE and DELETE on ``audit_log``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from qa_service.store.models import AuditEvent, Call, User
from qa_service.store.states import AuditAction


def record(session: Session, action: AuditAction, *, user_id: int | None, call_pk: int | None = None,
           detail: Mapping[str, Any] | None = None, client: str = "") -> None:
    """Append one event (in the caller's unit of work: it commits with the change it records)."""
    session.add(AuditEvent(action=action.value, user_id=user_id, call_pk=call_pk,
                           detail=dict(detail or {}), client=client[:64]))


@dataclass(frozen=True)
class AuditQuery:
    actions: tuple[str, ...] = ()
    username: str | None = None
    call_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 100
    offset: int = 0


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    action: str
    username: str | None
    call_id: str | None
    detail: dict[str, Any]
    client: str


def _conditions(q: AuditQuery) -> list[ColumnElement[bool]]:
    cond: list[ColumnElement[bool]] = []
    if q.actions:
        cond.append(AuditEvent.action.in_(q.actions))
    if q.username is not None:
        cond.append(User.username == q.username)
    if q.call_id is not None:
        cond.append(Call.call_id == q.call_id)
    if q.since is not None:
        cond.append(AuditEvent.at >= q.since)
    if q.until is not None:
        cond.append(AuditEvent.at < q.until)
    return cond


def entries(session: Session, q: AuditQuery) -> tuple[int, Sequence[AuditEntry]]:
    """The events matching ``q``, newest first, with the total count."""
    base = (select(AuditEvent.id).outerjoin(User, User.id == AuditEvent.user_id)
            .outerjoin(Call, Call.id == AuditEvent.call_pk).where(*_conditions(q)))
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    stmt = (select(AuditEvent, User.username, Call.call_id)
            .outerjoin(User, User.id == AuditEvent.user_id).outerjoin(Call, Call.id == AuditEvent.call_pk)
            .where(*_conditions(q)).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .limit(q.limit).offset(q.offset))
    rows = [AuditEntry(id=e.id, at=e.at, action=e.action, username=u, call_id=c, detail=dict(e.detail or {}),
                       client=e.client) for e, u, c in session.execute(stmt)]
    return total, rows
