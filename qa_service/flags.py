"""Why a call goes to the supervisors' queue. Pure: from a call's assessment and the configured
rules to the reasons it is flagged, each with a line a supervisor can read. The random calibration
sample is stable per call (a hash of the call id), so re-assessing a call keeps it in or out."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from qa_service.analysis import Assessment
from qa_service.domain.labels import ContactReason
from qa_service.domain.scoring import Outcome
from qa_service.settings import Settings
from qa_service.store.states import FlagReason


@dataclass(frozen=True)
class FlagRules:
    score_below: float | None = 80.0  # None: off
    critical_failed: bool = True
    complaint: bool = True
    escalation_score: float | None = 0.5
    silence_s: float | None = 15.0
    needs_review: bool = True
    calibration_rate: float = 0.05  # 0..1

    @classmethod
    def from_settings(cls, settings: Settings) -> FlagRules:
        return cls(score_below=settings.flag_score_below, complaint=settings.flag_on_complaint,
                   escalation_score=settings.flag_escalation_score, silence_s=settings.flag_silence_s,
                   needs_review=settings.flag_on_needs_review, calibration_rate=settings.calibration_sample_rate)


@dataclass(frozen=True)
class Flag:
    reason: FlagReason
    detail: str


def in_calibration_sample(call_id: str, rate: float) -> bool:
    """The same answer for the same call every time; about ``rate`` of all calls."""
    digest = hashlib.sha256(f"calibration:{call_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < rate


def flags_for(call_id: str, assessment: Assessment, rules: FlagRules) -> tuple[Flag, ...]:
    found: list[Flag] = []
    r = assessment.rubric
    if r is not None:
        if rules.score_below is not None and r.score < rules.score_below:
            found.append(Flag(FlagReason.LOW_SCORE, f"score {r.score:.1f} < {rules.score_below:g}"))
        failed = [f.item_id for f in r.findings if f.critical and f.outcome is Outcome.FAIL]
        if rules.critical_failed and failed:
            found.append(Flag(FlagReason.CRITICAL_FAILED, "critical item failed: " + ", ".join(failed)))
        review = [f.item_id for f in r.findings if f.outcome is Outcome.NEEDS_REVIEW]
        if rules.needs_review and review:
            found.append(Flag(FlagReason.NEEDS_REVIEW, "needs review: " + ", ".join(review)))
    c = assessment.classification
    if c is not None:
        if rules.complaint and ContactReason.COMPLAINT in c.contact_reasons:
            found.append(Flag(FlagReason.COMPLAINT, "classified as a complaint"))
        if rules.escalation_score is not None and (c.escalation_risk or c.escalation_score >= rules.escalation_score):
            found.append(Flag(FlagReason.ESCALATION_RISK, f"escalation risk {c.escalation_score:.2f}"))
    if rules.silence_s is not None:
        longest = max((s.end - s.start for s in assessment.metrics.silences), default=0.0)
        if longest >= rules.silence_s:
            found.append(Flag(FlagReason.LONG_SILENCE, f"silence of {longest:.0f} s"))
    if rules.calibration_rate > 0 and in_calibration_sample(call_id, rules.calibration_rate):
        found.append(Flag(FlagReason.CALIBRATION_SAMPLE, "random calibration sample"))
    return tuple(found)
