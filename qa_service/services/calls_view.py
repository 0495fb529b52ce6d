"""What a person sees of calls: the flagged-call queue and one call's detail (role-labelled
transcript, findings with evidence, metrics, classification, processing state, rubric version).
Only calls inside the person's visibility exist for them: any other call id is :class:`NotFound`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from qa_service.errors import NotFound
from qa_service.services.access import Permission, Principal
from qa_service.store import audit, queue
from qa_service.store.models import (
    Call,
    CallFlag,
    ClassificationRow,
    FindingRow,
    MetricsRow,
    ProcessingAttempt,
    Scorecard,
    Transcript,
    UtteranceRow,
)
from qa_service.store.queue import QueueFilter
from qa_service.store.results import labels_of
from qa_service.store.states import AuditAction, LabelKind


def _in_scope(principal: Principal, call_id: str) -> list[ColumnElement[bool]]:
    """The call ``call_id``, if it lies inside this person's visibility."""
    return [Call.call_id == call_id, *principal.visibility.conditions()]


def _not_found(call_id: str) -> NotFound:
    return NotFound(f"no call {call_id!r}", call_id=call_id)


def visible_call(session: Session, principal: Principal, call_id: str) -> Call:
    """The call, if this person may see it; :class:`NotFound` whether it is missing or out of scope."""
    call = session.scalar(select(Call).where(*_in_scope(principal, call_id)))
    if call is None:
        raise _not_found(call_id)
    return call


# --------------------------------------------------------------------------- queue
@dataclass(frozen=True)
class FlagView:
    reason: str
    detail: str


@dataclass(frozen=True)
class QueueItem:
    call_id: str
    started_at: datetime | None
    local_date: date | None
    agent_id: str | None
    team: str | None
    direction: str
    campaign: str | None
    duration_s: float | None
    state: str
    review_state: str
    score: float | None  # automatic
    final_score: float | None  # after review
    passed: bool | None
    needs_review: bool | None
    business_type: str | None
    contact_reasons: tuple[str, ...]
    flags: tuple[FlagView, ...]


@dataclass(frozen=True)
class QueuePage:
    total: int  # matching calls, counted up to store.queue.COUNT_CAP
    total_capped: bool  # more match than ``total`` (page on while a page comes back full)
    limit: int
    offset: int
    items: tuple[QueueItem, ...]


def flagged_queue(session: Session, principal: Principal, f: QueueFilter) -> QueuePage:
    principal.require(Permission.CALLS_READ)
    found = queue.page(session, f, principal.visibility)
    rows = found.rows
    pks = [r.call_pk for r in rows]
    flags = queue.flags_of(session, pks)
    reasons = queue.labels_of(session, pks, LabelKind.CONTACT_REASON)
    items = tuple(QueueItem(
        call_id=r.call_id, started_at=r.started_at, local_date=r.local_date, agent_id=r.agent_id, team=r.team,
        direction=r.direction, campaign=r.campaign, duration_s=r.duration_s, state=r.state,
        review_state=r.review_state, score=r.score, final_score=r.final_score, passed=r.final_passed,
        needs_review=r.needs_review, business_type=r.business_type, contact_reasons=tuple(reasons[r.call_pk]),
        flags=tuple(FlagView(a, b) for a, b in flags[r.call_pk])) for r in rows)
    return QueuePage(total=found.total, total_capped=found.total_capped, limit=f.limit, offset=f.offset, items=items)


# --------------------------------------------------------------------------- detail
@dataclass(frozen=True)
class UtteranceView:
    index: int
    role: str
    speaker: str
    channel: int | None
    start_s: float
    end_s: float
    text: str  # redacted


@dataclass(frozen=True)
class EvidenceView:
    utterance_index: int | None
    text: str
    matched_text: str
    start_s: float | None
    end_s: float | None
    confidence: float


@dataclass(frozen=True)
class FindingView:
    item_id: str
    kind: str
    outcome: str  # automatic
    final_outcome: str  # after review
    weight: float
    score: float
    critical: bool
    message: str
    evidence: tuple[EvidenceView, ...]


@dataclass(frozen=True)
class ScorecardView:
    rubric_id: str
    rubric_version: str
    rubric_hash: str
    score: float
    passed: bool
    auto_failed: bool
    needs_review: bool
    final_score: float
    final_passed: bool
    findings: tuple[FindingView, ...]


@dataclass(frozen=True)
class AttemptView:
    stage: str
    outcome: str
    error: str | None
    started_at: datetime
    finished_at: datetime | None


@dataclass(frozen=True)
class CallDetail:
    call_id: str
    source_name: str
    agent_id: str | None
    team: str | None
    queue: str | None
    direction: str
    campaign: str | None
    started_at: datetime | None
    local_date: date | None
    shift: str | None
    duration_s: float | None
    state: str
    stage: str
    progress: float
    attempts: int
    failure_reason: str | None
    review_state: str
    language: str | None
    role_method: str | None
    role_confidence: float | None
    role_low_confidence: bool | None
    utterances: tuple[UtteranceView, ...]
    metrics: dict[str, Any] | None
    scorecard: ScorecardView | None
    classification: dict[str, Any] | None
    labels: dict[str, list[str]]
    flags: tuple[FlagView, ...]
    attempt_log: tuple[AttemptView, ...]


def _scorecard(session: Session, card: Scorecard | None) -> ScorecardView | None:
    if card is None:
        return None
    call_pk = card.call_pk
    rows = session.scalars(select(FindingRow).where(FindingRow.call_pk == call_pk).order_by(FindingRow.position))
    findings = tuple(FindingView(
        item_id=f.item_id, kind=f.kind, outcome=f.outcome, final_outcome=f.final_outcome, weight=f.weight,
        score=f.score, critical=f.critical, message=f.message,
        evidence=tuple(EvidenceView(utterance_index=e.get("utterance_index"), text=e.get("text", ""),
                                    matched_text=e.get("matched_text", ""), start_s=e.get("start"),
                                    end_s=e.get("end"), confidence=float(e.get("confidence", 1.0)))
                       for e in f.evidence)) for f in rows)
    return ScorecardView(rubric_id=card.rubric_id, rubric_version=card.rubric_version, rubric_hash=card.rubric_hash,
                         score=card.score, passed=card.passed, auto_failed=card.auto_failed,
                         needs_review=card.needs_review, final_score=card.final_score,
                         final_passed=card.final_passed, findings=findings)


def _metrics(row: MetricsRow | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {"duration_s": row.duration_s, "agent_talk_s": row.agent_talk_s, "customer_talk_s": row.customer_talk_s,
            "talk_to_listen": row.talk_to_listen, "total_silence_s": row.total_silence_s,
            "total_overtalk_s": row.total_overtalk_s, "agent_interruptions": row.agent_interruptions,
            "agent_rate": row.agent_rate, "customer_rate": row.customer_rate, "rate_unit": row.rate_unit,
            "first_response_s": row.first_response_s, "silences": row.detail.get("silences", []),
            "overtalk": row.detail.get("overtalk", [])}


def _classification(row: ClassificationRow | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {"business_type": row.business_type, "outcome": row.outcome, "outcome_score": row.outcome_score,
            "escalation_risk": row.escalation_risk, "escalation_score": row.escalation_score, "model": row.model,
            **{k: v for k, v in (row.detail or {}).items() if k != "sentiment"}}


def call_detail(session: Session, principal: Principal, call_id: str, *, client: str = "") -> CallDetail:
    """One call as a reviewer sees it; the view is written to the audit log."""
    principal.require(Permission.CALLS_READ)
    # the call and its one-to-one results in one round trip (the call page is the busiest read); not the
    # transcript's lossless body (word timings): the utterance rows carry what the page shows
    row = session.execute(
        select(Call, Transcript.language, Transcript.role_method, Transcript.role_confidence,
               Transcript.role_low_confidence, MetricsRow, Scorecard, ClassificationRow)
        .outerjoin(Transcript, Transcript.call_pk == Call.id)
        .outerjoin(MetricsRow, MetricsRow.call_pk == Call.id)
        .outerjoin(Scorecard, Scorecard.call_pk == Call.id)
        .outerjoin(ClassificationRow, ClassificationRow.call_pk == Call.id)
        .where(*_in_scope(principal, call_id))).first()
    if row is None:
        raise _not_found(call_id)
    call, language, role_method, role_confidence, role_low_confidence, metrics, card, classification = row
    utterances = tuple(UtteranceView(*u) for u in session.execute(
        select(UtteranceRow.idx, UtteranceRow.role, UtteranceRow.speaker, UtteranceRow.channel, UtteranceRow.start_s,
               UtteranceRow.end_s, UtteranceRow.text)
        .where(UtteranceRow.call_pk == call.id).order_by(UtteranceRow.idx)))
    flags = tuple(FlagView(reason, detail) for reason, detail in session.execute(
        select(CallFlag.reason, CallFlag.detail).where(CallFlag.call_pk == call.id).order_by(CallFlag.reason)))
    attempts = tuple(AttemptView(a.stage, a.outcome, a.error, a.started_at, a.finished_at) for a in session.scalars(
        select(ProcessingAttempt).where(ProcessingAttempt.call_pk == call.id).order_by(ProcessingAttempt.id)))
    audit.record(session, AuditAction.VIEW, user_id=principal.user_id, call_pk=call.id, client=client)
    return CallDetail(
        call_id=call.call_id, source_name=call.source_name, agent_id=call.agent_id, team=call.team, queue=call.queue,
        direction=call.direction, campaign=call.campaign, started_at=call.started_at, local_date=call.local_date,
        shift=call.shift, duration_s=call.duration_s, state=call.state, stage=call.stage, progress=call.progress,
        attempts=call.attempts, failure_reason=call.failure_reason, review_state=call.review_state,
        language=language or call.language, role_method=role_method, role_confidence=role_confidence,
        role_low_confidence=role_low_confidence,
        utterances=utterances, metrics=_metrics(metrics), scorecard=_scorecard(session, card),
        classification=_classification(classification), labels=labels_of(session, call.id), flags=flags,
        attempt_log=attempts)
