"""Domain types: small frozen dataclasses passed between pipeline stages."""

from qa_service.domain.analysis import CallAnalysis
from qa_service.domain.audio import SAMPLE_RATE, Audio, to_pcm16
from qa_service.domain.call import CallMetadata, Campaign, Direction
from qa_service.domain.classification import Classification, LabelScore, TurnSentiment
from qa_service.domain.hints import RecognitionHints
from qa_service.domain.labels import BusinessType, ContactReason, OutboundOutcome, Sentiment
from qa_service.domain.metrics import CallMetrics, Interval
from qa_service.domain.scoring import Evidence, Finding, Outcome, RubricResult
from qa_service.domain.transcript import (
    AsrResult,
    AsrSegment,
    CallTranscript,
    Diarization,
    Role,
    RoleAssignment,
    SpeakerTurn,
    Utterance,
    Word,
)

__all__ = [
    "SAMPLE_RATE",
    "AsrResult",
    "AsrSegment",
    "Audio",
    "BusinessType",
    "CallAnalysis",
    "CallMetadata",
    "CallMetrics",
    "CallTranscript",
    "Campaign",
    "Classification",
    "ContactReason",
    "Diarization",
    "Direction",
    "Evidence",
    "Finding",
    "Interval",
    "LabelScore",
    "OutboundOutcome",
    "Outcome",
    "RecognitionHints",
    "Role",
    "RoleAssignment",
    "RubricResult",
    "Sentiment",
    "SpeakerTurn",
    "TurnSentiment",
    "Utterance",
    "Word",
    "to_pcm16",
]
