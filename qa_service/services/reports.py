"""The service manager's statistics over a period (统计指标体系): call volume, calls per agent per
day / month / shift, average talk time, monitored calls, contact reasons, business (transaction)
types, outbound marketing and return-visit results, and call quality. Quality, scores, failed items
and labels are the human result where a supervisor reviewed the call (see :mod:`qa_service.store.stats`)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from qa_service.services.context import ServiceContext
from qa_service.store import stats
from qa_service.store.models import Call, Scorecard
from qa_service.store.states import LabelKind, ReviewState


@dataclass(frozen=True)
class AgentLine:
    agent_id: str
    calls: int
    days: int
    per_day: float
    per_month: dict[str, int]
    per_shift: dict[str, int]
    avg_duration_s: float | None
    avg_score: float | None


@dataclass(frozen=True)
class ServiceReport:
    start: date | None
    end: date | None
    teams: tuple[str, ...]
    total_calls: int
    by_state: dict[str, int]
    by_direction: dict[str, int]
    by_campaign: dict[str, int]
    by_day: dict[str, int]
    by_shift: dict[str, int]
    agents: tuple[AgentLine, ...]
    talk: dict[str, float | int | None]
    monitored_calls: int
    contact_reasons: dict[str, int]
    business_types: dict[str, int]
    outbound: dict[str, dict[str, int]]
    quality: dict[str, float | int | None]
    item_failures: dict[str, int]
    failed: list[tuple[str, str | None]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        out = asdict(self)
        out["start"] = self.start.isoformat() if self.start else None
        out["end"] = self.end.isoformat() if self.end else None
        return out


def _name(key: Any, missing: str = "(unknown)") -> str:
    return missing if key is None else str(key)


def _agents(rows: list[tuple[str | None, date | None, str | None, int]], durations: dict[str | None, float],
            scores: dict[str | None, float]) -> tuple[AgentLine, ...]:
    calls: dict[str | None, int] = defaultdict(int)
    days: dict[str | None, set[date]] = defaultdict(set)
    months: dict[str | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    shifts: dict[str | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for agent, day, shift, n in rows:
        calls[agent] += n
        if day is not None:
            days[agent].add(day)
            months[agent][day.strftime("%Y-%m")] += n
        shifts[agent][_name(shift)] += n
    lines = []
    for agent in sorted(calls, key=lambda a: (a is None, a or "")):
        n_days = len(days[agent])
        lines.append(AgentLine(
            agent_id=_name(agent), calls=calls[agent], days=n_days,
            per_day=calls[agent] / n_days if n_days else float(calls[agent]),
            per_month=dict(sorted(months[agent].items())), per_shift=dict(sorted(shifts[agent].items())),
            avg_duration_s=durations.get(agent), avg_score=scores.get(agent)))
    return tuple(lines)


def service_report(ctx: ServiceContext, *, start: date | None = None, end: date | None = None,
                   teams: tuple[str, ...] = ()) -> ServiceReport:
    scope = stats.Scope(start, end, teams, ctx.settings.timezone)
    with ctx.session() as s:
        by_state = {_name(k): v for k, v in stats.volume_by(s, scope, Call.state).items()}
        return ServiceReport(
            start=start, end=end, teams=teams,
            total_calls=sum(by_state.values()),
            by_state=by_state,
            by_direction={_name(k): v for k, v in stats.volume_by(s, scope, Call.direction).items()},
            by_campaign={_name(k, "(none)"): v for k, v in stats.volume_by(s, scope, Call.campaign).items()},
            by_day={_name(k): v for k, v in stats.volume_by(s, scope, Call.local_date).items()},
            by_shift={_name(k): v for k, v in stats.volume_by(s, scope, Call.shift).items()},
            agents=_agents(stats.agent_day_counts(s, scope), stats.agent_talk_time(s, scope),
                           stats.agent_scores(s, scope)),
            talk=stats.talk_time(s, scope),
            monitored_calls=stats.monitored_calls(s, scope),
            contact_reasons=stats.label_counts(s, scope, LabelKind.CONTACT_REASON),
            business_types=stats.label_counts(s, scope, LabelKind.BUSINESS_TYPE),
            outbound=stats.outcomes_by_campaign(s, scope),
            quality=stats.quality(s, scope),
            item_failures=stats.item_failures(s, scope),
            failed=stats.failed_calls(s, scope),
        )


def call_table(ctx: ServiceContext, *, limit: int = 500) -> list[dict[str, str]]:
    """One row per call (newest first): state, final score, labels and failed items, for the HTML report
    (the score shows the automatic one beside it where a review changed it)."""
    from qa_service.store import calls as call_store
    from qa_service.store import results
    from qa_service.store.reviews import findings_of

    rows: list[dict[str, str]] = []
    with ctx.session() as s:
        for call in call_store.listing(s, limit=limit):
            card = s.get(Scorecard, call.id)
            labels = results.labels_of(s, call.id)
            failed_items = [f.item_id for f in findings_of(s, call.id) if f.final_outcome == "fail"]
            rows.append({
                "call": call.call_id, "agent": call.agent_id or "-",
                "direction": call.campaign or call.direction,
                "state": call.state if call.state != "failed" else f"failed: {call.failure_reason or ''}",
                "score": _score_cell(card),
                "passed": ("yes" if card.final_passed else "no") if card else "-",
                "reviewed": "yes" if call.review_state == ReviewState.REVIEWED.value else "no",
                "contact reasons": ", ".join(labels.get(LabelKind.CONTACT_REASON.value, [])) or "-",
                "business type": ", ".join(labels.get(LabelKind.BUSINESS_TYPE.value, [])) or "-",
                "outcome": ", ".join(labels.get(LabelKind.OUTCOME.value, [])) or "-",
                "failed items": ", ".join(failed_items) or "-",
            })
    return rows


def _score_cell(card: Scorecard | None) -> str:
    if card is None:
        return "-"
    final = f"{card.final_score:.0f}"
    automatic = f"{card.score:.0f}"
    return final if final == automatic else f"{final} (automatic {automatic})"
