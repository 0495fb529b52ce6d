"""Every sample call's reference transcript gets the rubric outcomes its sidecar expects."""

from __future__ import annotations

import pytest

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
