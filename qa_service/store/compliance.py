"""Compliance queries: how often each rubric item was met, by a grouping, and every forbidden phrase
spoken. They read the final outcomes (a review's or an accepted dispute's decision where there is one).
Functions take a Session and never commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qa_service.domain import Outcome
from qa_service.store.models import Call, FindingRow, Scorecard
from qa_service.store.periods import GroupBy, group_column
from qa_service.store.stats import Scope

FORBIDDEN_KIND = "forbidden_phrase"


def outcome_counts(session: Session, scope: Scope, group: GroupBy, *, agent_id: str | None = None,
                   item_id: str | None = None) -> list[tuple[str, str, str, str, Any, str, int]]:
    """(rubric id, rubric version, item id, item kind, grouped value, final outcome, findings)."""
    column = group_column(group)
    cond = [*scope.conditions()]
    if agent_id is not None:
        cond.append(Call.agent_id == agent_id)
    if item_id is not None:
        cond.append(FindingRow.item_id == item_id)
    keys = (Scorecard.rubric_id, Scorecard.rubric_version, FindingRow.item_id, FindingRow.kind, column,
            FindingRow.final_outcome)
    stmt = (select(*keys, func.count()).select_from(FindingRow)
            .join(Scorecard, Scorecard.call_pk == FindingRow.call_pk).join(Call, Call.id == FindingRow.call_pk)
            .where(*cond).group_by(*keys))
    return [(str(r), str(v), str(i), str(k), g, str(o), int(n)) for r, v, i, k, g, o, n in session.execute(stmt)]


@dataclass(frozen=True)
class ForbiddenRow:
    call_id: str
    agent_id: str | None
    team: str | None
    started_at: datetime | None
    local_date: date | None
    rubric_id: str
    rubric_version: str
    item_id: str
    automatic_outcome: str
    evidence: list[dict[str, Any]]


def forbidden_occurrences(session: Session, scope: Scope, *, agent_id: str | None = None, limit: int = 100,
                          offset: int = 0) -> tuple[int, list[ForbiddenRow]]:
    """Findings of forbidden-phrase items that (finally) failed, newest call first, and their count."""
    cond = [FindingRow.kind == FORBIDDEN_KIND, FindingRow.final_outcome == Outcome.FAIL.value, *scope.conditions()]
    if agent_id is not None:
        cond.append(Call.agent_id == agent_id)
    base = select(FindingRow.id).join(Call, Call.id == FindingRow.call_pk).where(*cond)
    total = int(session.scalar(select(func.count()).select_from(base.subquery())) or 0)
    stmt = (select(Call.call_id, Call.agent_id, Call.team, Call.started_at, Call.local_date, Scorecard.rubric_id,
                   Scorecard.rubric_version, FindingRow.item_id, FindingRow.outcome, FindingRow.evidence)
            .select_from(FindingRow).join(Call, Call.id == FindingRow.call_pk)
            .join(Scorecard, Scorecard.call_pk == FindingRow.call_pk).where(*cond)
            .order_by(Call.started_at.desc(), Call.id.desc(), FindingRow.id).limit(limit).offset(offset))
    rows = [ForbiddenRow(c, a, t, s, d, r, v, i, o, list(e or [])) for c, a, t, s, d, r, v, i, o, e in
            session.execute(stmt)]
    return total, rows
