"""Every sample call's reference transcript gets the rubric outcomes its sidecar expects."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from qa_service.domain import CallTranscript
from qa_service.rubrics import load_rubrics, score_call, select_rubric
from qa_service.samples import SampleCall, iter_samples
from qa_service.settings import PROJECT_ROOT

SAMPLES = iter_samples(PROJECT_ROOT / "sample_audio")
RUBRICS = load_rubrics(PROJECT_ROOT / "rubrics")


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.call_id for s in SAMPLES])
def test_sample_rubric_outcomes(sample: SampleCall) -> None:
    rubric = select_rubric(RUBRICS, sample.metadata, sample.language)
    assert rubric is not None and rubric.id == sample.expected.rubric_id
    result = score_call(sample.reference_transcript(), rubric, sample.metadata)
    got = {f.item_id: f.outcome for f in result.findings}
    assert got == dict(sample.expected.rubric), {f.item_id: f.message for f in result.findings}
    assert result.passed == sample.expected.rubric_passed


def test_there_are_samples() -> None:
    assert len(SAMPLES) >= 10


def test_amounts_written_with_a_currency_symbol_count_as_stated(call: Callable[..., CallTranscript]) -> None:
    # the recogniser writes "$1,180" where the agent said "one thousand one hundred eighty dollars"
    rubric = next(r for r in RUBRICS if r.id == "repayment_reminder_en")
    said = call([("agent", 0, 4, "This is a reminder that your car loan payment of $1,180 is due on November 25th.")],
                language="en")
    finding = next(f for f in score_call(said, rubric).findings if f.item_id == "amount_and_due_date")
    assert finding.outcome.value == "pass", finding.message
