"""Aggregate queries for the service manager's statistics (the same SQL on SQLite and PostgreSQL).

Every query takes a :class:`Scope`: a period of call-centre local days and optionally some teams.
Quality figures count the human result where a call was reviewed: ``scorecards.final_score`` and
``final_passed``, ``findings.final_outcome`` and the ``call_labels`` a review corrected (they equal
the automatic values until someone reviews). Functions take a Session and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Integer, and_, case, cast, distinct, exists, func, select
from sqlalchemy.orm import Session

from qa_service.domain import Outcome
from qa_service.store.models import AuditEvent, Call, CallLabel, FindingRow, MetricsRow, Scorecard
from qa_service.store.states import AuditAction, CallState, LabelKind, ReviewState


@dataclass(frozen=True)
class Scope:
    start: date | None = None  # first local day (inclusive)
    end: date | None = None  # last local day (inclusive)
    teams: tuple[str, ...] = ()
    tz: str = "Asia/Shanghai"

    def conditions(self) -> list[ColumnElement[bool]]:
        cond: list[ColumnElement[bool]] = []
        if self.start is not None:
            cond.append(Call.local_date >= self.start)
        if self.end is not None:
            cond.append(Call.local_date <= self.end)
        if self.teams:
            cond.append(Call.team.in_(self.teams))
        return cond

    def instant_bounds(self) -> tuple[datetime | None, datetime | None]:
        zone = ZoneInfo(self.tz)
        lo = datetime.combine(self.start, time(0), zone).astimezone(UTC) if self.start else None
        hi = (datetime.combine(self.end + timedelta(days=1), time(0), zone).astimezone(UTC)
              if self.end else None)
        return lo, hi


def _rows(session: Session, stmt: Any) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in session.execute(stmt).all()]


def volume_by(session: Session, scope: Scope, column: Any) -> dict[Any, int]:
    stmt = select(column, func.count()).where(*scope.conditions()).group_by(column).order_by(column)
    return {key: int(n) for key, n in _rows(session, stmt)}


def agent_day_counts(session: Session, scope: Scope) -> list[tuple[str | None, date | None, str | None, int]]:
    """(agent, local day, shift, calls) — the base of calls per agent per day, month and shift."""
    stmt = (select(Call.agent_id, Call.local_date, Call.shift, func.count())
            .where(*scope.conditions()).group_by(Call.agent_id, Call.local_date, Call.shift))
    return [(a, d, s, int(n)) for a, d, s, n in _rows(session, stmt)]


def talk_time(session: Session, scope: Scope) -> dict[str, float | int | None]:
    stmt = (select(func.count(), func.avg(MetricsRow.duration_s), func.avg(MetricsRow.agent_talk_s),
                   func.avg(MetricsRow.customer_talk_s), func.avg(MetricsRow.total_silence_s),
                   func.sum(MetricsRow.duration_s))
            .join(Call, Call.id == MetricsRow.call_pk).where(*scope.conditions()))
    n, dur, agent, cust, silence, total = session.execute(stmt).one()
    return {"calls": int(n or 0), "avg_duration_s": dur, "avg_agent_talk_s": agent,
            "avg_customer_talk_s": cust, "avg_silence_s": silence, "total_duration_s": total}


def agent_talk_time(session: Session, scope: Scope) -> dict[str | None, float]:
    stmt = (select(Call.agent_id, func.avg(MetricsRow.duration_s))
            .join(Call, Call.id == MetricsRow.call_pk).where(*scope.conditions()).group_by(Call.agent_id))
    return {a: float(v) for a, v in _rows(session, stmt) if v is not None}


def monitored_calls(session: Session, scope: Scope) -> int:
    """Distinct calls a person listened to (recorded or live) during the period."""
    lo, hi = scope.instant_bounds()
    cond: list[ColumnElement[bool]] = [
        AuditEvent.action.in_((AuditAction.LISTEN.value, AuditAction.LIVE_LISTEN.value))]
    if lo is not None:
        cond.append(AuditEvent.at >= lo)
    if hi is not None:
        cond.append(AuditEvent.at < hi)
    stmt = select(func.count(distinct(AuditEvent.call_pk))).where(*cond)
    if scope.teams:
        stmt = stmt.join(Call, Call.id == AuditEvent.call_pk).where(Call.team.in_(scope.teams))
    return int(session.scalar(stmt) or 0)


def label_counts(session: Session, scope: Scope, kind: LabelKind) -> dict[str, int]:
    """Calls per label of one kind (a review's corrected labels replace the classifier's rows)."""
    stmt = (select(CallLabel.label, func.count()).join(Call, Call.id == CallLabel.call_pk)
            .where(CallLabel.kind == kind.value, *scope.conditions())
            .group_by(CallLabel.label).order_by(func.count().desc(), CallLabel.label))
    return {str(label): int(n) for label, n in _rows(session, stmt)}


def outcomes_by_campaign(session: Session, scope: Scope) -> dict[str, dict[str, int]]:
    stmt = (select(Call.campaign, CallLabel.label, func.count())
            .join(CallLabel, and_(CallLabel.call_pk == Call.id, CallLabel.kind == LabelKind.OUTCOME.value))
            .where(Call.campaign.is_not(None), *scope.conditions())
            .group_by(Call.campaign, CallLabel.label))
    out: dict[str, dict[str, int]] = {}
    for campaign, label, n in _rows(session, stmt):
        out.setdefault(str(campaign), {})[str(label)] = int(n)
    return out


def count_if(condition: ColumnElement[bool]) -> Any:
    """SUM(CASE WHEN condition THEN 1 ELSE 0 END): rows meeting a condition, in an aggregate query."""
    return func.sum(case((condition, 1), else_=0))


def quality(session: Session, scope: Scope) -> dict[str, float | int | None]:
    """Scored calls, average final score, passed, still needing review (a finding no one settled),
    failed on a critical item, reviewed by a person; ``avg_automatic_score`` is the machine's."""
    unsettled = exists().where(FindingRow.call_pk == Scorecard.call_pk,
                               FindingRow.final_outcome == Outcome.NEEDS_REVIEW.value)
    critical = exists().where(FindingRow.call_pk == Scorecard.call_pk, FindingRow.critical.is_(True),
                              FindingRow.final_outcome == Outcome.FAIL.value)
    stmt = (select(func.count(), func.avg(Scorecard.final_score),
                   func.sum(cast(Scorecard.final_passed, Integer)),
                   count_if(unsettled), count_if(critical),
                   count_if(Call.review_state == ReviewState.REVIEWED.value),
                   func.avg(Scorecard.score))
            .join(Call, Call.id == Scorecard.call_pk).where(*scope.conditions()))
    n, avg, passed, review, auto_failed, reviewed, auto_avg = session.execute(stmt).one()
    return {"scored": int(n or 0), "avg_score": avg, "passed": int(passed or 0),
            "needs_review": int(review or 0), "auto_failed": int(auto_failed or 0),
            "reviewed": int(reviewed or 0), "avg_automatic_score": auto_avg}


def agent_scores(session: Session, scope: Scope) -> dict[str | None, float]:
    """Average final score per agent."""
    stmt = (select(Call.agent_id, func.avg(Scorecard.final_score)).join(Call, Call.id == Scorecard.call_pk)
            .where(*scope.conditions()).group_by(Call.agent_id))
    return {a: float(v) for a, v in _rows(session, stmt) if v is not None}


def item_failures(session: Session, scope: Scope) -> dict[str, int]:
    """Calls failing each rubric item (after review)."""
    stmt = (select(FindingRow.item_id, func.count()).join(Call, Call.id == FindingRow.call_pk)
            .where(FindingRow.final_outcome == Outcome.FAIL.value, *scope.conditions())
            .group_by(FindingRow.item_id).order_by(func.count().desc(), FindingRow.item_id))
    return {str(i): int(n) for i, n in _rows(session, stmt)}


def failed_calls(session: Session, scope: Scope, limit: int = 20) -> list[tuple[str, str | None]]:
    stmt = (select(Call.call_id, Call.failure_reason).where(Call.state == CallState.FAILED.value,
                                                            *scope.conditions())
            .order_by(Call.id).limit(limit))
    return [(str(c), r) for c, r in _rows(session, stmt)]

