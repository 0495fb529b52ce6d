"""Centre statistics grouped by period, team, agent or shift (the 统计指标体系), one query per family of
figures, every one grouped in the database by the same group expression
(:func:`qa_service.store.periods.group_expression`). Labels, scores and outcomes are the final ones
(reviews and accepted disputes applied). Functions take a Session and never commit."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, case, distinct, func, literal_column, select
from sqlalchemy.orm import Session

from qa_service.domain import Campaign, Direction
from qa_service.errors import InvalidRequest
from qa_service.store.models import AuditEvent, Call, CallLabel, Scorecard
from qa_service.store.periods import PERIODS, UNKNOWN, GroupBy, group_expression, periods_between
from qa_service.store.states import AuditAction, LabelKind
from qa_service.store.stats import Scope, count_if


@dataclass
class GroupTally:
    """The raw counts of one group (filled by :func:`tally`)."""

    calls: int = 0
    inbound: int = 0
    outbound: int = 0
    agents: int = 0
    agent_days: int = 0
    agent_months: int = 0
    agent_shifts: int = 0
    timed_calls: int = 0  # calls whose length is known
    talk_s: float = 0.0
    customers: int = 0  # distinct customers who called
    customer_base: int = 0  # distinct customers known by the end of the group's period
    monitored: int = 0
    scored: int = 0
    score_sum: float = 0.0
    campaigns: dict[str, int] = field(default_factory=dict)
    labels: dict[str, dict[str, int]] = field(default_factory=dict)  # kind → label → calls
    outcomes: dict[str, dict[str, int]] = field(default_factory=dict)  # campaign → outcome → calls


def _grouped(stmt: Any, group: GroupBy, *others: Any) -> Any:
    """``stmt`` grouped by the group (by its alias ``g``: a CASE with bound dates would not match itself
    on PostgreSQL if repeated) and ``others``; the total is not grouped at all."""
    keys = others if group is GroupBy.TOTAL else (literal_column("g"), *others)
    return stmt.group_by(*keys) if keys else stmt


#: Most periods one request may group by (a CASE branch each): ~2.7 years of days.
MAX_PERIODS = 1000


def data_days(session: Session, scope: Scope) -> tuple[date, date] | None:
    """The days the figures can fall on: from the first call in scope to the last call or today (listens
    of older calls happen later), never outside the scope's own bounds."""
    lo, hi = session.execute(select(func.min(Call.local_date), func.max(Call.local_date))
                             .where(*scope.conditions())).one()
    if lo is None or hi is None:
        return None
    today = datetime.now(ZoneInfo(scope.tz)).date()
    last = max(hi, today)
    if scope.end is not None:
        last = min(last, scope.end)
    return lo, max(lo, last)


def _periods(group: GroupBy, days: tuple[date, date] | None) -> list[tuple[str, date, date]]:
    if days is None:
        return []
    periods = periods_between(group, *days)
    if len(periods) > MAX_PERIODS:
        raise InvalidRequest(f"{len(periods)} {group.value}s from {days[0]} to {days[1]}: at most {MAX_PERIODS} "
                             "periods per request (group by a longer period or ask for a shorter range)",
                             field="group_by")
    return periods


def _instant(day: date, tz: str) -> datetime:
    return datetime.combine(day, time(0), ZoneInfo(tz)).astimezone(UTC)


def tally(session: Session, scope: Scope, group: GroupBy, *, agent_id: str | None = None) -> dict[str, GroupTally]:
    """Every group's counts over ``scope`` (calls by their local day; listens by when they happened)."""
    days = data_days(session, scope)
    periods = _periods(group, days) if group in PERIODS else []
    g = group_expression(group, periods).label("g")
    cond = [*scope.conditions(), *([Call.agent_id == agent_id] if agent_id is not None else [])]
    out: dict[str, GroupTally] = defaultdict(GroupTally)

    stmt = (select(g, func.count(), count_if(Call.direction == Direction.INBOUND.value),
                   count_if(Call.direction == Direction.OUTBOUND.value), func.count(distinct(Call.agent_id)),
                   func.count(Call.duration_s), func.sum(Call.duration_s), func.count(distinct(Call.customer_ref_hash)),
                   *(count_if(Call.campaign == c.value) for c in Campaign))
            .select_from(Call).where(*cond))
    stmt = _grouped(stmt, group)
    for key, n, inbound, outbound, agents, timed, talk, customers, *campaigns in session.execute(stmt):
        t = out[str(key)]
        t.calls, t.inbound, t.outbound, t.agents = int(n), int(inbound or 0), int(outbound or 0), int(agents)
        t.timed_calls, t.talk_s, t.customers = int(timed), float(talk or 0.0), int(customers)
        t.campaigns = {c.value: int(v or 0) for c, v in zip(Campaign, campaigns, strict=True)}

    month_periods = _periods(GroupBy.MONTH, days)
    worked = {"agent_days": (Call.local_date,), "agent_shifts": (Call.local_date, Call.shift),
              "agent_months": (group_expression(GroupBy.MONTH, month_periods).label("m"),)}
    for name, extra in worked.items():
        inner = (select(g, Call.agent_id, *extra).select_from(Call).where(*cond, Call.agent_id.is_not(None))
                 .distinct().subquery())
        for key, n in session.execute(select(inner.c.g, func.count()).group_by(inner.c.g)):
            setattr(out[str(key)], name, int(n))

    labels = _grouped(select(g, CallLabel.kind, CallLabel.label, Call.campaign, func.count()).select_from(Call)
                      .join(CallLabel, CallLabel.call_pk == Call.id).where(*cond),
                      group, CallLabel.kind, CallLabel.label, Call.campaign)
    for key, kind, label, campaign, n in session.execute(labels):
        t = out[str(key)]
        by_label = t.labels.setdefault(str(kind), {})
        by_label[str(label)] = by_label.get(str(label), 0) + int(n)
        if kind == LabelKind.OUTCOME.value and campaign is not None:
            per = t.outcomes.setdefault(str(campaign), {})
            per[str(label)] = per.get(str(label), 0) + int(n)

    scores = (select(g, func.count(), func.sum(Scorecard.final_score)).select_from(Call)
              .join(Scorecard, Scorecard.call_pk == Call.id))
    for key, n, total in session.execute(_grouped(scores.where(*cond), group)):
        out[str(key)].scored, out[str(key)].score_sum = int(n), float(total or 0.0)

    for key, n in _monitored(session, scope, group, periods, agent_id):
        out[key].monitored = n
    for key, n in _customer_base(session, scope, group, periods, agent_id):
        if key in out:
            out[key].customer_base = n
    return dict(out)


def _monitored(session: Session, scope: Scope, group: GroupBy, periods: list[tuple[str, date, date]],
               agent_id: str | None) -> list[tuple[str, int]]:
    """Distinct calls listened to (recorded or live) during the period, by when the listen happened
    (periods) or by the call's team, agent or shift."""
    lo, hi = scope.instant_bounds()
    cond: list[ColumnElement[bool]] = [AuditEvent.action.in_((AuditAction.LISTEN.value,
                                                              AuditAction.LIVE_LISTEN.value))]
    if lo is not None:
        cond.append(AuditEvent.at >= lo)
    if hi is not None:
        cond.append(AuditEvent.at < hi)
    if scope.teams:
        cond.append(Call.team.in_(scope.teams))
    if agent_id is not None:
        cond.append(Call.agent_id == agent_id)
    if group in PERIODS:
        if not periods:
            return []
        g: Any = case(*((and_(AuditEvent.at >= _instant(a, scope.tz),
                              AuditEvent.at < _instant(b + timedelta(days=1), scope.tz)), literal_column(f"'{name}'"))
                        for name, a, b in periods), else_=literal_column(f"'{UNKNOWN}'"))
    else:
        g = group_expression(group, [])
    g = g.label("g")
    stmt = _grouped(select(g, func.count(distinct(AuditEvent.call_pk))).select_from(AuditEvent)
                    .join(Call, Call.id == AuditEvent.call_pk).where(*cond), group)
    return [(str(k), int(n)) for k, n in session.execute(stmt) if str(k) != UNKNOWN or group not in PERIODS]


def _customer_base(session: Session, scope: Scope, group: GroupBy, periods: list[tuple[str, date, date]],
                   agent_id: str | None) -> list[tuple[str, int]]:
    """Distinct customers on record (a call in the teams in scope, or with the agent) up to the end of
    each group's period: the denominator of the customer activity rate."""
    cond: list[ColumnElement[bool]] = [Call.customer_ref_hash.is_not(None)]
    if scope.teams:
        cond.append(Call.team.in_(scope.teams))
    if agent_id is not None:
        cond.append(Call.agent_id == agent_id)
    if group in PERIODS:
        first = (select(func.min(Call.local_date).label("d")).where(*cond)
                 .group_by(Call.customer_ref_hash).subquery())
        by_day = sorted((d, int(n)) for d, n in session.execute(select(first.c.d, func.count()).group_by(first.c.d))
                        if d is not None)
        out = []
        for name, _, last in periods:
            out.append((name, sum(n for d, n in by_day if d <= last)))
        return out
    if scope.end is not None:
        cond.append(Call.local_date <= scope.end)
    g = group_expression(group, []).label("g")
    stmt = _grouped(select(g, func.count(distinct(Call.customer_ref_hash))).select_from(Call).where(*cond), group)
    return [(str(k), int(n)) for k, n in session.execute(stmt)]
