"""Built-in evaluation of the speech pipeline: WER/CER, DER, role accuracy and real-time factor."""

from qa_service.evaluation.metrics import (
    DerCounts,
    ErrorCounts,
    RoleCounts,
    diarization_errors,
    role_errors,
    transcript_errors,
)
from qa_service.evaluation.report import format_table, to_json, totals
from qa_service.evaluation.runner import EvalItem, EvalRow, EvalSummary, discover, evaluate

__all__ = [
    "DerCounts",
    "ErrorCounts",
    "EvalItem",
    "EvalRow",
    "EvalSummary",
    "RoleCounts",
    "diarization_errors",
    "discover",
    "evaluate",
    "format_table",
    "role_errors",
    "to_json",
    "totals",
    "transcript_errors",
]
