"""Agent grading (座席员等级管理): each agent's scorecard over a period — quality score, volume, talk time,
complaint rate, disputes raised and upheld — their rank, and the grade the admin's bands give.

Bands are tried best first (``rank`` 1, 2, ...); an agent gets the first whose every condition holds
(quality ≥ ``min_quality``, calls ≥ ``min_calls``, complaint rate ≤ ``max_complaint_rate``, disputes
upheld ≤ ``max_disputes_upheld`` when set). Quality is the mean final score (reviews and accepted
disputes applied); the ranking is by quality, then volume. With no bands configured, ``grade`` is None."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import case, delete, distinct, func, select
from sqlalchemy.orm import Session

from qa_service.domain import ContactReason
from qa_service.errors import InvalidRequest
from qa_service.services.access import Permission, Principal
from qa_service.services.stats_cache import CacheSpec, memoized
from qa_service.services.tables import CsvFile, to_csv
from qa_service.store import audit
from qa_service.store.models import Call, CallLabel, Dispute, GradeBand, Scorecard
from qa_service.store.states import AuditAction, DisputeState, LabelKind
from qa_service.store.stats import Scope


@dataclass(frozen=True)
class Band:
    grade: str
    rank: int
    min_quality: float = 0.0
    min_calls: int = 0
    max_complaint_rate: float = 1.0
    max_disputes_upheld: int | None = None

    def admits(self, line: AgentScorecard) -> bool:
        return ((line.quality or 0.0) >= self.min_quality and line.calls >= self.min_calls
                and line.complaint_rate <= self.max_complaint_rate + 1e-12
                and (self.max_disputes_upheld is None or line.disputes_upheld <= self.max_disputes_upheld))


@dataclass(frozen=True)
class AgentScorecard:
    agent_id: str
    team: str | None
    calls: int
    scored: int
    quality: float | None  # mean final score
    avg_talk_s: float | None
    complaints: int
    complaint_rate: float  # calls with a complaint ÷ calls
    disputes_raised: int
    disputes_upheld: int  # accepted disputes
    rank: int
    grade: str | None


@dataclass(frozen=True)
class Grading:
    start: str | None
    end: str | None
    teams: tuple[str, ...]
    bands: tuple[Band, ...]
    agents: tuple[AgentScorecard, ...]


def bands(session: Session) -> tuple[Band, ...]:
    rows = session.scalars(select(GradeBand).order_by(GradeBand.rank))
    return tuple(Band(r.grade, r.rank, r.min_quality, r.min_calls, r.max_complaint_rate, r.max_disputes_upheld)
                 for r in rows)


def read_bands(session: Session, principal: Principal) -> tuple[Band, ...]:
    principal.require(Permission.GRADES_READ)
    return bands(session)


def _check(new: Sequence[Band]) -> None:
    grades, ranks = [b.grade for b in new], [b.rank for b in new]
    if len(set(grades)) != len(grades):
        raise InvalidRequest("a grade is named twice", field="bands")
    if len(set(ranks)) != len(ranks):
        raise InvalidRequest("two bands have the same rank", field="bands")
    for i, b in enumerate(new):
        where = f"bands[{i}]"
        if not b.grade.strip() or len(b.grade) > 32:
            raise InvalidRequest("a grade's name is 1 to 32 characters", field=f"{where}.grade")
        if not (math.isfinite(b.min_quality) and 0 <= b.min_quality <= 100):
            raise InvalidRequest("min_quality is a score from 0 to 100", field=f"{where}.min_quality")
        if not (math.isfinite(b.max_complaint_rate) and 0 <= b.max_complaint_rate <= 1):
            raise InvalidRequest("max_complaint_rate is a share from 0 to 1", field=f"{where}.max_complaint_rate")
        if b.min_calls < 0 or (b.max_disputes_upheld is not None and b.max_disputes_upheld < 0):
            raise InvalidRequest("counts cannot be negative", field=where)


def set_bands(session: Session, principal: Principal, new: Sequence[Band], *, client: str = "") -> tuple[Band, ...]:
    """Replace the grade bands (all at once: a partial set would leave the grades undefined)."""
    principal.require(Permission.GRADES_MANAGE)
    _check(new)
    before = bands(session)
    session.execute(delete(GradeBand))
    session.flush()
    session.add_all(GradeBand(grade=b.grade.strip(), rank=b.rank, min_quality=b.min_quality, min_calls=b.min_calls,
                              max_complaint_rate=b.max_complaint_rate, max_disputes_upheld=b.max_disputes_upheld)
                    for b in new)
    session.flush()
    audit.record(session, AuditAction.GRADES_CHANGE, user_id=principal.user_id, client=client,
                 detail={"before": [b.__dict__ for b in before], "after": [b.__dict__ for b in new]})
    return bands(session)


def grading(session: Session, principal: Principal, scope: Scope, *, cache: CacheSpec | None = None) -> Grading:
    principal.require(Permission.GRADES_READ)
    return memoized(session, cache, "grades", (scope,), lambda: _grading(session, scope))


def _grading(session: Session, scope: Scope) -> Grading:
    cond = [*scope.conditions(), Call.agent_id.is_not(None)]
    volume = session.execute(select(Call.agent_id, func.min(Call.team), func.count(), func.avg(Call.duration_s))
                             .where(*cond).group_by(Call.agent_id)).all()
    quality = dict((a, (int(n), float(q) if q is not None else None)) for a, n, q in session.execute(
        select(Call.agent_id, func.count(), func.avg(Scorecard.final_score))
        .join(Scorecard, Scorecard.call_pk == Call.id).where(*cond).group_by(Call.agent_id)))
    complaints = dict(session.execute(
        select(Call.agent_id, func.count(distinct(Call.id))).join(CallLabel, CallLabel.call_pk == Call.id)
        .where(*cond, CallLabel.kind == LabelKind.CONTACT_REASON.value,
               CallLabel.label == ContactReason.COMPLAINT.value).group_by(Call.agent_id)).all())
    upheld = case((Dispute.state == DisputeState.ACCEPTED.value, 1), else_=0)
    disputes = {a: (int(n), int(u or 0)) for a, n, u in session.execute(
        select(Call.agent_id, func.count(), func.sum(upheld)).join(Dispute, Dispute.call_pk == Call.id)
        .where(*cond).group_by(Call.agent_id))}
    configured = bands(session)
    lines = []
    for agent, team, n, talk in volume:
        scored, q = quality.get(agent, (0, None))
        c = int(complaints.get(agent, 0))
        raised, up = disputes.get(agent, (0, 0))
        lines.append(AgentScorecard(str(agent), team, int(n), scored, q, float(talk) if talk is not None else None,
                                    c, c / n if n else 0.0, raised, up, 0, None))
    lines.sort(key=lambda x: (-(x.quality if x.quality is not None else -1.0), -x.calls, x.agent_id))
    ranked = []
    for i, line in enumerate(lines, start=1):
        grade = next((b.grade for b in configured if b.admits(line)), None)
        ranked.append(AgentScorecard(**{**line.__dict__, "rank": i, "grade": grade}))
    return Grading(scope.start.isoformat() if scope.start else None, scope.end.isoformat() if scope.end else None,
                   scope.teams, configured, tuple(ranked))


COLUMNS = ("rank", "agent_id", "team", "grade", "quality", "calls", "scored", "avg_talk_s", "complaints",
           "complaint_rate", "disputes_raised", "disputes_upheld")


def grading_csv(session: Session, principal: Principal, scope: Scope, *, cache: CacheSpec | None = None,
                client: str = "") -> CsvFile:
    g = grading(session, principal, scope, cache=cache)
    audit.record(session, AuditAction.EXPORT, user_id=principal.user_id, client=client,
                 detail={"what": "agent_grades", "rows": len(g.agents), "start": g.start, "end": g.end})
    return CsvFile(f"agent_grades_{g.start or 'all'}_{g.end or 'all'}.csv",
                   to_csv(COLUMNS, ([getattr(a, c) for c in COLUMNS] for a in g.agents)))
