"""Why a call is flagged: each rule on hand-built assessments, and the stable calibration sample."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "api"))

from seed import CALLS, assessment

from qa_service.domain import Interval
from qa_service.flags import FlagRules, flags_for, in_calibration_sample
from qa_service.store.states import FlagReason

OFF = FlagRules(calibration_rate=0.0)


def _reasons(call_id: str, a: object, rules: FlagRules = OFF) -> set[FlagReason]:
    return {f.reason for f in flags_for(call_id, a, rules)}  # type: ignore[arg-type]


def test_each_rule() -> None:
    bad, good = assessment(CALLS[0]), assessment(CALLS[1])
    assert _reasons("A-1", bad) == {FlagReason.LOW_SCORE, FlagReason.CRITICAL_FAILED, FlagReason.COMPLAINT,
                                    FlagReason.ESCALATION_RISK, FlagReason.NEEDS_REVIEW}
    assert _reasons("A-2", good) == {FlagReason.NEEDS_REVIEW}
    quiet = replace(good, metrics=replace(good.metrics, silences=(Interval(10.0, 31.0),)))
    assert FlagReason.LONG_SILENCE in _reasons("A-2", quiet)
    details = {f.reason: f.detail for f in flags_for("A-1", bad, OFF)}
    assert "verification" in details[FlagReason.CRITICAL_FAILED] and "55.0" in details[FlagReason.LOW_SCORE]


def test_rules_can_be_switched_off() -> None:
    rules = FlagRules(score_below=None, critical_failed=False, complaint=False, escalation_score=None, silence_s=None,
                      needs_review=False, calibration_rate=0.0)
    assert _reasons("A-1", assessment(CALLS[0]), rules) == set()


def test_calibration_sample_is_stable_and_about_the_rate() -> None:
    ids = [f"call-{i}" for i in range(4000)]
    picked = [i for i in ids if in_calibration_sample(i, 0.05)]
    assert 150 < len(picked) < 250
    assert picked == [i for i in ids if in_calibration_sample(i, 0.05)]
    assert FlagReason.CALIBRATION_SAMPLE in _reasons(picked[0], assessment(CALLS[1]), FlagRules(calibration_rate=0.05))
