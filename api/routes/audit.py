"""The audit log, for auditors (reading it is itself audited)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from api.deps import Client, Context, Require
from qa_service.services import audit_view
from qa_service.services.access import Permission, Principal
from qa_service.store.audit import AuditEntry, AuditQuery
from qa_service.store.states import AuditAction

router = APIRouter(tags=["audit"])


class AuditPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[AuditEntry]


@router.get("/audit", response_model=AuditPage, summary="Audit events, newest first")
def audit_log(principal: Annotated[Principal, Depends(Require(Permission.AUDIT_READ))], ctx: Context, client: Client,
              action: Annotated[list[AuditAction] | None, Query()] = None,
              username: Annotated[str | None, Query(max_length=64)] = None,
              call_id: Annotated[str | None, Query(max_length=128)] = None,
              since: datetime | None = None, until: datetime | None = None,
              limit: Annotated[int, Query(ge=1, le=500)] = 100,
              offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> AuditPage:
    q = AuditQuery(actions=tuple(a.value for a in action or ()), username=username, call_id=call_id,
                   since=since, until=until, limit=limit, offset=offset)
    with ctx.session() as session:
        total, items = audit_view.read_audit(session, principal, q, client=client)
    return AuditPage(total=total, limit=limit, offset=offset, items=list(items))
