"""Centre statistics for the service manager (统计指标体系) by period, team, agent or shift, as JSON rows
and CSV. Built on :func:`qa_service.store.centre.tally`; the definitions are in ``docs/statistics.md``:

- calls per agent per day = calls ÷ agent-days worked (an agent with at least one call that day);
  per month and per shift likewise (agent-months, agent-shifts worked);
- average talk time = mean recorded length of the calls whose length is known;
- monitored calls (监听电话量) = distinct calls someone listened to, recorded or live, during the period
  (from the audit log);
- customer activity rate (客户活动率) = customers who called in the period ÷ customers on record by the
  end of the period (a customer is a salted hash of the recorder's customer reference; calls without
  one are not counted in either);
- contact reasons, business types and outbound outcomes as counted after review.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from qa_service.classifiers.heads import CAMPAIGN_OUTCOMES
from qa_service.domain import BusinessType, Campaign, ContactReason
from qa_service.services.access import Permission, Principal
from qa_service.services.stats_cache import CacheSpec, memoized
from qa_service.services.tables import CsvFile, to_csv
from qa_service.store import audit
from qa_service.store.centre import GroupTally, tally
from qa_service.store.periods import GroupBy
from qa_service.store.states import AuditAction, LabelKind
from qa_service.store.stats import Scope


@dataclass(frozen=True)
class CentreRow:
    group: str
    calls: int
    inbound: int
    outbound: int
    agents: int
    calls_per_agent_day: float | None
    calls_per_agent_month: float | None
    calls_per_agent_shift: float | None
    avg_talk_s: float | None
    total_talk_s: float
    monitored_calls: int
    customers: int
    customer_base: int
    customer_activity_rate: float | None
    avg_score: float | None
    scored: int
    contact_reasons: dict[str, int]
    business_types: dict[str, int]
    campaigns: dict[str, int]  # outbound calls per programme (marketing, return_visit, ...)
    outbound_outcomes: dict[str, dict[str, int]]  # programme → outcome → calls


@dataclass(frozen=True)
class CentreStats:
    start: str | None
    end: str | None
    teams: tuple[str, ...]
    agent_id: str | None
    group_by: str
    rows: tuple[CentreRow, ...]


def _ratio(a: float, b: float) -> float | None:
    return a / b if b else None


def _row(key: str, t: GroupTally) -> CentreRow:
    reasons = t.labels.get(LabelKind.CONTACT_REASON.value, {})
    types = t.labels.get(LabelKind.BUSINESS_TYPE.value, {})
    return CentreRow(
        group=key, calls=t.calls, inbound=t.inbound, outbound=t.outbound, agents=t.agents,
        calls_per_agent_day=_ratio(t.calls, t.agent_days), calls_per_agent_month=_ratio(t.calls, t.agent_months),
        calls_per_agent_shift=_ratio(t.calls, t.agent_shifts), avg_talk_s=_ratio(t.talk_s, t.timed_calls),
        total_talk_s=t.talk_s, monitored_calls=t.monitored, customers=t.customers, customer_base=t.customer_base,
        customer_activity_rate=_ratio(t.customers, t.customer_base), avg_score=_ratio(t.score_sum, t.scored),
        scored=t.scored,
        contact_reasons={r.value: reasons.get(r.value, 0) for r in ContactReason},
        business_types={b.value: types.get(b.value, 0) for b in BusinessType},
        campaigns=dict(t.campaigns),
        outbound_outcomes={c.value: {o.value: t.outcomes.get(c.value, {}).get(o.value, 0) for o in outs}
                           for c, outs in CAMPAIGN_OUTCOMES.items()})


def centre_stats(session: Session, principal: Principal, scope: Scope, group: GroupBy, *,
                 agent_id: str | None = None, cache: CacheSpec | None = None) -> CentreStats:
    principal.require(Permission.REPORTS_READ)
    return memoized(session, cache, "centre", (scope, group, agent_id),
                    lambda: _centre_stats(session, scope, group, agent_id))


def _centre_stats(session: Session, scope: Scope, group: GroupBy, agent_id: str | None) -> CentreStats:
    tallies = tally(session, scope, group, agent_id=agent_id)
    rows = tuple(_row(k, tallies[k]) for k in sorted(tallies) if tallies[k].calls or tallies[k].monitored)
    return CentreStats(scope.start.isoformat() if scope.start else None, scope.end.isoformat() if scope.end else None,
                       scope.teams, agent_id, group.value, rows)


_SCALARS = ("group", "calls", "inbound", "outbound", "agents", "calls_per_agent_day", "calls_per_agent_month",
            "calls_per_agent_shift", "avg_talk_s", "total_talk_s", "monitored_calls", "customers", "customer_base",
            "customer_activity_rate", "avg_score", "scored")


def csv_columns() -> tuple[str, ...]:
    return (*_SCALARS, *(f"reason_{r.value}" for r in ContactReason), *(f"business_{b.value}" for b in BusinessType),
            *(f"calls_{c.value}" for c in Campaign),
            *(f"{c.value}_{o.value}" for c, outs in CAMPAIGN_OUTCOMES.items() for o in outs))


def centre_csv(session: Session, principal: Principal, scope: Scope, group: GroupBy, *, agent_id: str | None = None,
               cache: CacheSpec | None = None, client: str = "") -> CsvFile:
    stats = centre_stats(session, principal, scope, group, agent_id=agent_id, cache=cache)
    lines = []
    for r in stats.rows:
        lines.append([*(getattr(r, c) for c in _SCALARS), *r.contact_reasons.values(), *r.business_types.values(),
                      *(r.campaigns.get(c.value, 0) for c in Campaign),
                      *(r.outbound_outcomes[c.value][o.value] for c, outs in CAMPAIGN_OUTCOMES.items() for o in outs)])
    audit.record(session, AuditAction.EXPORT, user_id=principal.user_id, client=client,
                 detail={"what": "centre_statistics", "group_by": group.value, "rows": len(lines),
                         "start": stats.start, "end": stats.end, "teams": list(scope.teams)})
    return CsvFile(f"centre_statistics_{group.value}_{stats.start or 'all'}_{stats.end or 'all'}.csv",
                   to_csv(csv_columns(), lines))
