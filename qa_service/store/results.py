"""Transcripts and assessment results of a call: replaced as a whole, read back as domain objects.

Functions take a Session and never commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from qa_service.domain import (
    CallMetrics,
    CallTranscript,
    Classification,
    Evidence,
    Finding,
    Interval,
    Outcome,
    RubricResult,
)
from qa_service.errors import NotFound
from qa_service.search.terms import search_doc
from qa_service.store.codec import transcript_from_json, transcript_to_json
from qa_service.store.models import (
    CallFlag,
    CallLabel,
    ClassificationRow,
    FindingRow,
    MetricsRow,
    Scorecard,
    Transcript,
    UtteranceRow,
)
from qa_service.store.states import LabelKind

if TYPE_CHECKING:
    from qa_service.analysis import Assessment
    from qa_service.flags import Flag

_RESULT_TABLES = (CallFlag, CallLabel, ClassificationRow, FindingRow, Scorecard, MetricsRow)


# --------------------------------------------------------------------------- transcripts
def save_transcript(session: Session, call_pk: int, transcript: CallTranscript, *, pipeline_version: str,
                    redacted: bool) -> None:
    """Replace the call's transcript (document + utterance rows)."""
    session.execute(delete(UtteranceRow).where(UtteranceRow.call_pk == call_pk))
    session.execute(delete(Transcript).where(Transcript.call_pk == call_pk))
    roles = transcript.roles
    session.add(Transcript(
        call_pk=call_pk, pipeline_version=pipeline_version, language=transcript.language,
        duration_s=transcript.duration, diarization_method=transcript.diarization_method,
        role_method=roles.method if roles else None, role_confidence=roles.confidence if roles else None,
        role_low_confidence=roles.low_confidence if roles else False, redacted=redacted,
        body=transcript_to_json(transcript)))
    session.add_all(
        UtteranceRow(call_pk=call_pk, idx=i, role=u.role.value, speaker=u.speaker[:64], channel=u.channel,
                     start_s=u.start, end_s=u.end, text=u.text, search_doc=search_doc(u.text))
        for i, u in enumerate(transcript.utterances))


def transcript_row(session: Session, call_pk: int) -> Transcript | None:
    return session.get(Transcript, call_pk)


def load_transcript(session: Session, call_pk: int) -> CallTranscript:
    row = session.get(Transcript, call_pk)
    if row is None:
        raise NotFound(f"call {call_pk} has no stored transcript", call_pk=call_pk)
    return transcript_from_json(row.body)


# --------------------------------------------------------------------------- assessment
def clear_results(session: Session, call_pk: int) -> None:
    for table in _RESULT_TABLES:
        session.execute(delete(table).where(table.call_pk == call_pk))


def save_assessment(session: Session, call_pk: int, assessment: Assessment) -> None:
    """Replace metrics, scorecard + findings and classification + labels."""
    clear_results(session, call_pk)
    session.add(_metrics_row(call_pk, assessment.metrics))
    if assessment.rubric is not None:
        _add_scorecard(session, call_pk, assessment.rubric)
    if assessment.classification is not None:
        _add_classification(session, call_pk, assessment.classification)


def save_flags(session: Session, call_pk: int, found: Sequence[Flag]) -> None:
    """Replace the call's queue flags."""
    session.execute(delete(CallFlag).where(CallFlag.call_pk == call_pk))
    session.add_all(CallFlag(call_pk=call_pk, reason=f.reason.value, detail=f.detail) for f in found)


def _metrics_row(call_pk: int, m: CallMetrics) -> MetricsRow:
    return MetricsRow(
        call_pk=call_pk, duration_s=m.duration, agent_talk_s=m.agent_talk_time,
        customer_talk_s=m.customer_talk_time, talk_to_listen=m.talk_to_listen_ratio,
        total_silence_s=m.total_silence, total_overtalk_s=m.total_overtalk,
        agent_interruptions=m.agent_interruptions, agent_rate=m.agent_speaking_rate,
        customer_rate=m.customer_speaking_rate, rate_unit=m.rate_unit,
        first_response_s=m.time_to_first_agent_response,
        detail={"silences": [[i.start, i.end] for i in m.silences],
                "overtalk": [[i.start, i.end] for i in m.overtalk]})


def _add_scorecard(session: Session, call_pk: int, r: RubricResult) -> None:
    session.add(Scorecard(call_pk=call_pk, rubric_id=r.rubric_id, rubric_version=r.rubric_version,
                          rubric_hash=r.rubric_hash, score=r.score, passed=r.passed,
                          auto_failed=r.auto_failed, needs_review=r.needs_review,
                          final_score=r.score, final_passed=r.passed))
    session.add_all(
        FindingRow(call_pk=call_pk, position=i, item_id=f.item_id, kind=f.kind, outcome=f.outcome.value,
                   final_outcome=f.outcome.value,
                   weight=f.weight, score=f.score, critical=f.critical, message=f.message,
                   evidence=[asdict(e) for e in f.evidence])
        for i, f in enumerate(r.findings))


def _add_classification(session: Session, call_pk: int, c: Classification) -> None:
    session.add(ClassificationRow(
        call_pk=call_pk, business_type=c.business_type.value,
        outcome=c.outcome.value if c.outcome else None, outcome_score=c.outcome_score,
        escalation_risk=c.escalation_risk, escalation_score=c.escalation_score, model=c.model[:128],
        detail={
            "contact_reasons": [r.value for r in c.contact_reasons],
            "contact_reason_scores": [[s.label, s.score] for s in c.contact_reason_scores],
            "business_type_scores": [[s.label, s.score] for s in c.business_type_scores],
            "sentiment": [[s.utterance_index, s.sentiment.value, s.score] for s in c.sentiment],
            "escalation_evidence": list(c.escalation_evidence),
            "complaint_evidence": list(c.complaint_evidence),
        }))
    labels = {(LabelKind.CONTACT_REASON.value, r.value) for r in c.contact_reasons}
    labels.add((LabelKind.BUSINESS_TYPE.value, c.business_type.value))
    if c.outcome is not None:
        labels.add((LabelKind.OUTCOME.value, c.outcome.value))
    session.add_all(CallLabel(call_pk=call_pk, kind=k, label=v) for k, v in sorted(labels))


# --------------------------------------------------------------------------- reading back
def load_metrics(session: Session, call_pk: int) -> CallMetrics | None:
    row = session.get(MetricsRow, call_pk)
    if row is None:
        return None
    return CallMetrics(
        duration=row.duration_s, agent_talk_time=row.agent_talk_s, customer_talk_time=row.customer_talk_s,
        talk_to_listen_ratio=row.talk_to_listen,
        silences=tuple(Interval(float(a), float(b)) for a, b in row.detail.get("silences", ())),
        total_silence=row.total_silence_s,
        overtalk=tuple(Interval(float(a), float(b)) for a, b in row.detail.get("overtalk", ())),
        total_overtalk=row.total_overtalk_s, agent_interruptions=row.agent_interruptions,
        agent_speaking_rate=row.agent_rate, customer_speaking_rate=row.customer_rate,
        rate_unit=row.rate_unit, time_to_first_agent_response=row.first_response_s)


def load_rubric_result(session: Session, call_pk: int) -> RubricResult | None:
    card = session.get(Scorecard, call_pk)
    if card is None:
        return None
    rows = session.scalars(select(FindingRow).where(FindingRow.call_pk == call_pk)
                           .order_by(FindingRow.position))
    findings = tuple(
        Finding(item_id=f.item_id, kind=f.kind, outcome=Outcome(f.outcome), weight=f.weight, score=f.score,
                critical=f.critical, evidence=tuple(Evidence(**e) for e in f.evidence), message=f.message)
        for f in rows)
    return RubricResult(rubric_id=card.rubric_id, rubric_version=card.rubric_version,
                        rubric_hash=card.rubric_hash, findings=findings, score=card.score,
                        passed=card.passed, auto_failed=card.auto_failed)


def labels_of(session: Session, call_pk: int) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for row in session.scalars(select(CallLabel).where(CallLabel.call_pk == call_pk)
                               .order_by(CallLabel.kind, CallLabel.label)):
        out.setdefault(row.kind, []).append(row.label)
    return out


def snapshot(session: Session, call_pk: int) -> dict[str, Any]:
    """Everything stored about a call's results, as plain data (compares two runs, feeds exports)."""
    transcript = session.get(Transcript, call_pk)
    metrics = load_metrics(session, call_pk)
    rubric = load_rubric_result(session, call_pk)
    cls = session.get(ClassificationRow, call_pk)
    return {
        "transcript": transcript.body if transcript else None,
        "metrics": asdict(metrics) if metrics else None,
        "rubric": asdict(rubric) if rubric else None,
        "classification": None if cls is None else {
            "business_type": cls.business_type, "outcome": cls.outcome, "outcome_score": cls.outcome_score,
            "escalation_risk": cls.escalation_risk, "escalation_score": cls.escalation_score,
            "model": cls.model, **cls.detail},
        "labels": labels_of(session, call_pk),
    }
