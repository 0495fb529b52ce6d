"""Reading the audit log (auditors and admins); each read is itself an audit event."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from qa_service.errors import InvalidRequest
from qa_service.services.access import Permission, Principal
from qa_service.store import audit
from qa_service.store.audit import AuditEntry, AuditQuery
from qa_service.store.states import AuditAction


def read_audit(session: Session, principal: Principal, q: AuditQuery, *,
               client: str = "") -> tuple[int, Sequence[AuditEntry]]:
    principal.require(Permission.AUDIT_READ)
    if q.since is not None and q.until is not None and q.until <= q.since:
        raise InvalidRequest("'until' must be after 'since'", field="until")
    for moment in (q.since, q.until):
        if moment is not None and moment.tzinfo is None:
            raise InvalidRequest("give times with a time zone (e.g. 2026-12-01T00:00:00+08:00)", field="since")
    total, rows = audit.entries(session, q)
    audit.record(session, AuditAction.AUDIT_READ, user_id=principal.user_id, client=client,
                 detail={"actions": list(q.actions), "username": q.username, "call_id": q.call_id,
                         "offset": q.offset})
    return total, rows
