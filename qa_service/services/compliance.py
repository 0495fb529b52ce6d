"""Compliance audit of the service language: adherence to each rubric item (with the rubric version)
by agent, team or period, and every forbidden phrase spoken, with its evidence and a link to the
moment in the call; both as CSV. Final outcomes count (reviews and accepted disputes applied).

Adherence of an item = passed ÷ (passed + failed); items not applicable to a call do not count, and
findings still needing review are shown apart (they are neither met nor missed until someone decides)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from qa_service.domain import Outcome
from qa_service.services.access import Permission, Principal
from qa_service.services.stats_cache import CacheSpec, memoized
from qa_service.services.tables import CsvFile, to_csv
from qa_service.store import audit
from qa_service.store import compliance as store
from qa_service.store.periods import GroupBy, key_of
from qa_service.store.states import AuditAction
from qa_service.store.stats import Scope


@dataclass(frozen=True)
class AdherenceRow:
    rubric_id: str
    rubric_version: str
    item_id: str
    kind: str
    group: str
    evaluated: int
    passed: int
    failed: int
    not_applicable: int
    needs_review: int
    adherence: float | None  # passed / (passed + failed)


@dataclass(frozen=True)
class AdherenceReport:
    start: date | None
    end: date | None
    teams: tuple[str, ...]
    group_by: str
    rows: tuple[AdherenceRow, ...]


@dataclass(frozen=True)
class EvidenceView:
    text: str
    matched_text: str
    start_s: float | None
    end_s: float | None
    confidence: float
    link: str  # the recorded audio from this moment (API); the console opens the call there


@dataclass(frozen=True)
class Occurrence:
    call_id: str
    agent_id: str | None
    team: str | None
    started_at: datetime | None
    local_date: date | None
    rubric_id: str
    rubric_version: str
    item_id: str
    reviewed: bool  # the final outcome differs from the machine's or was confirmed by a review
    evidence: tuple[EvidenceView, ...]


@dataclass(frozen=True)
class OccurrencePage:
    total: int
    limit: int
    offset: int
    items: tuple[Occurrence, ...]


def adherence(session: Session, principal: Principal, scope: Scope, group: GroupBy, *,
              agent_id: str | None = None, item_id: str | None = None,
              cache: CacheSpec | None = None) -> AdherenceReport:
    principal.require(Permission.COMPLIANCE_READ)
    return memoized(session, cache, "adherence", (scope, group, agent_id, item_id),
                    lambda: _adherence(session, scope, group, agent_id, item_id))


def _adherence(session: Session, scope: Scope, group: GroupBy, agent_id: str | None,
               item_id: str | None) -> AdherenceReport:
    tally: dict[tuple[str, str, str, str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for rubric, version, item, kind, value, outcome, n in store.outcome_counts(session, scope, group,
                                                                             agent_id=agent_id, item_id=item_id):
        tally[(rubric, version, item, kind, key_of(group, value))][outcome] += n
    rows = []
    for (rubric, version, item, kind, key), counts in sorted(tally.items()):
        passed, failed = counts[Outcome.PASS.value], counts[Outcome.FAIL.value]
        rows.append(AdherenceRow(rubric, version, item, kind, key, sum(counts.values()), passed, failed,
                                 counts[Outcome.NOT_APPLICABLE.value], counts[Outcome.NEEDS_REVIEW.value],
                                 passed / (passed + failed) if passed + failed else None))
    return AdherenceReport(scope.start, scope.end, scope.teams, group.value, tuple(rows))


ADHERENCE_COLUMNS = ("rubric_id", "rubric_version", "item_id", "kind", "group", "evaluated", "passed", "failed",
                     "not_applicable", "needs_review", "adherence")


def adherence_csv(session: Session, principal: Principal, scope: Scope, group: GroupBy, *,
                  agent_id: str | None = None, item_id: str | None = None, cache: CacheSpec | None = None,
                  client: str = "") -> CsvFile:
    report = adherence(session, principal, scope, group, agent_id=agent_id, item_id=item_id, cache=cache)
    text = to_csv(ADHERENCE_COLUMNS, ([getattr(r, c) for c in ADHERENCE_COLUMNS] for r in report.rows))
    audit.record(session, AuditAction.EXPORT, user_id=principal.user_id, client=client,
                 detail={"what": "compliance_adherence", "group_by": group.value, "rows": len(report.rows),
                         **_scope_detail(scope)})
    return CsvFile(f"adherence_{group.value}_{_period_name(scope)}.csv", text)


def _evidence(call_id: str, e: dict[str, Any]) -> EvidenceView:
    start, end = e.get("start"), e.get("end")
    link = f"/calls/{call_id}/audio" + (f"?start={max(0.0, float(start) - 2.0):.1f}" if start is not None else "")
    return EvidenceView(text=str(e.get("text", "")), matched_text=str(e.get("matched_text", "")),
                        start_s=start, end_s=end, confidence=float(e.get("confidence", 1.0)), link=link)


def forbidden_phrases(session: Session, principal: Principal, scope: Scope, *, agent_id: str | None = None,
                      limit: int = 100, offset: int = 0, cache: CacheSpec | None = None) -> OccurrencePage:
    principal.require(Permission.COMPLIANCE_READ)
    return memoized(session, cache, "forbidden", (scope, agent_id, limit, offset),
                    lambda: _forbidden_phrases(session, scope, agent_id, limit, offset))


def _forbidden_phrases(session: Session, scope: Scope, agent_id: str | None, limit: int,
                       offset: int) -> OccurrencePage:
    total, rows = store.forbidden_occurrences(session, scope, agent_id=agent_id, limit=limit, offset=offset)
    items = tuple(Occurrence(r.call_id, r.agent_id, r.team, r.started_at, r.local_date, r.rubric_id,
                             r.rubric_version, r.item_id, r.automatic_outcome != Outcome.FAIL.value,
                             tuple(_evidence(r.call_id, e) for e in r.evidence)) for r in rows)
    return OccurrencePage(total, limit, offset, items)


OCCURRENCE_COLUMNS = ("call_id", "agent_id", "team", "local_date", "started_at", "rubric_id", "rubric_version",
                      "item_id", "phrase", "said", "start_s", "end_s", "confidence", "link")
CSV_MAX_ROWS = 100_000


def forbidden_csv(session: Session, principal: Principal, scope: Scope, *, agent_id: str | None = None,
                  cache: CacheSpec | None = None, client: str = "") -> CsvFile:
    page = forbidden_phrases(session, principal, scope, agent_id=agent_id, limit=CSV_MAX_ROWS, cache=cache)
    lines = []
    for o in page.items:
        for e in o.evidence or (EvidenceView("", "", None, None, 1.0, f"/calls/{o.call_id}/audio"),):
            lines.append((o.call_id, o.agent_id, o.team, o.local_date, o.started_at, o.rubric_id, o.rubric_version,
                          o.item_id, e.matched_text, e.text, e.start_s, e.end_s, e.confidence, e.link))
    audit.record(session, AuditAction.EXPORT, user_id=principal.user_id, client=client,
                 detail={"what": "compliance_forbidden", "rows": len(lines), **_scope_detail(scope)})
    return CsvFile(f"forbidden_phrases_{_period_name(scope)}.csv", to_csv(OCCURRENCE_COLUMNS, lines))


def _scope_detail(scope: Scope) -> dict[str, Any]:
    return {"start": scope.start.isoformat() if scope.start else None,
            "end": scope.end.isoformat() if scope.end else None, "teams": list(scope.teams)}


def _period_name(scope: Scope) -> str:
    return f"{scope.start.isoformat() if scope.start else 'all'}_{scope.end.isoformat() if scope.end else 'all'}"
