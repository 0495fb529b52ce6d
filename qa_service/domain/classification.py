"""Classifier outputs for a call."""

from __future__ import annotations

from dataclasses import dataclass

from qa_service.domain.labels import BusinessType, ContactReason, OutboundOutcome, Sentiment


@dataclass(frozen=True)
class LabelScore:
    label: str
    score: float


@dataclass(frozen=True)
class TurnSentiment:
    utterance_index: int
    sentiment: Sentiment
    score: float


@dataclass(frozen=True)
class Classification:
    """Contact reasons (multi-label), business type, per-turn sentiment, escalation and outcome.

    ``complaint_evidence`` holds the indices of the customer utterances that carry a complaint.
    """

    contact_reasons: tuple[ContactReason, ...]
    contact_reason_scores: tuple[LabelScore, ...]
    business_type: BusinessType
    business_type_scores: tuple[LabelScore, ...]
    sentiment: tuple[TurnSentiment, ...] = ()
    escalation_risk: bool = False
    escalation_score: float = 0.0
    escalation_evidence: tuple[int, ...] = ()
    complaint_evidence: tuple[int, ...] = ()
    outcome: OutboundOutcome | None = None
    outcome_score: float | None = None
    model: str = ""
