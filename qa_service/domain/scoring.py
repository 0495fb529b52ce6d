"""Rubric findings and scorecards."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Outcome(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    NOT_APPLICABLE = "n/a"
    NEEDS_REVIEW = "needs_review"


@dataclass(frozen=True)
class Evidence:
    """Where in the call a finding rests: the utterance, the matched text, its time and confidence."""

    utterance_index: int | None
    text: str
    matched_text: str = ""
    start: float | None = None
    end: float | None = None
    confidence: float = 1.0


@dataclass(frozen=True)
class Finding:
    """The result of one rubric item on one call."""

    item_id: str
    kind: str
    outcome: Outcome
    weight: float
    score: float  # points earned, 0..weight; 0 for N/A
    critical: bool = False
    evidence: tuple[Evidence, ...] = ()
    message: str = ""  # e.g. where a missing phrase was expected


@dataclass(frozen=True)
class RubricResult:
    """A scorecard: every item's finding plus the total. ``rubric_hash`` pins the exact rubric text."""

    rubric_id: str
    rubric_version: str
    rubric_hash: str
    findings: tuple[Finding, ...]
    score: float  # 0..100 over applicable items
    passed: bool
    auto_failed: bool = False

    def finding(self, item_id: str) -> Finding:
        for f in self.findings:
            if f.item_id == item_id:
                return f
        raise KeyError(item_id)

    @property
    def needs_review(self) -> bool:
        return any(f.outcome == Outcome.NEEDS_REVIEW for f in self.findings)
