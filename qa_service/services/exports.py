"""Exports of one call for people outside the tool (a plain-text transcript a trainer can print).
Stored text is redacted already; every export is written to the audit log."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_service.services.access import Permission, Principal
from qa_service.services.calls_view import visible_call
from qa_service.store import audit
from qa_service.store.models import UtteranceRow
from qa_service.store.states import AuditAction

_ROLE_NAMES = {"agent": "Agent 坐席", "customer": "Customer 客户"}


@dataclass(frozen=True)
class TextExport:
    file_name: str
    text: str


def _clock(seconds: float) -> str:
    m, s = divmod(max(0.0, seconds), 60)
    return f"{int(m):02d}:{s:04.1f}"


def transcript_text(session: Session, principal: Principal, call_id: str, *, client: str = "") -> TextExport:
    principal.require(Permission.CALLS_READ)
    call = visible_call(session, principal, call_id)
    rows = session.scalars(select(UtteranceRow).where(UtteranceRow.call_pk == call.id).order_by(UtteranceRow.idx))
    lines = [f"# call {call.call_id}  agent {call.agent_id or '-'}  team {call.team or '-'}  "
             f"started {call.started_at.isoformat() if call.started_at else '-'}"]
    lines += [f"[{_clock(u.start_s)}–{_clock(u.end_s)}] {_ROLE_NAMES.get(u.role, u.role)}: {u.text}" for u in rows]
    audit.record(session, AuditAction.EXPORT, user_id=principal.user_id, call_pk=call.id, client=client,
                 detail={"what": "transcript", "format": "text"})
    return TextExport(file_name=f"{call.call_id}.txt", text="\n".join(lines) + "\n")
