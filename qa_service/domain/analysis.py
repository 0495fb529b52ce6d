"""The full result of analysing one call."""

from __future__ import annotations

from dataclasses import dataclass

from qa_service.domain.call import CallMetadata
from qa_service.domain.classification import Classification
from qa_service.domain.metrics import CallMetrics
from qa_service.domain.scoring import RubricResult
from qa_service.domain.transcript import CallTranscript


@dataclass(frozen=True)
class CallAnalysis:
    metadata: CallMetadata
    transcript: CallTranscript  # redacted where redaction is on
    metrics: CallMetrics
    rubric: RubricResult | None
    classification: Classification | None
    pipeline_version: str
    timings: tuple[tuple[str, float], ...] = ()  # stage → seconds
