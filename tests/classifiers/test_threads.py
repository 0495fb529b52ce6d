"""The classifier runs at a fixed torch thread count, so a call classified by a one-thread worker and
by the embedded path on every core gets the same scores."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
import torch

from qa_service.classifiers import load_call_classifier
from qa_service.classifiers.model import NeuralCallClassifier
from qa_service.classifiers.threads import CLASSIFIER_THREADS, fixed_torch_threads
from qa_service.domain import CallMetadata, CallTranscript, Direction, Role, Utterance
from qa_service.settings import Settings


@pytest.fixture
def process_threads() -> Any:
    """Put torch's process-wide thread count back after the test."""
    before = torch.get_num_threads()
    yield
    torch.set_num_threads(before)


def _call() -> CallTranscript:
    return CallTranscript("en", (
        Utterance("agent", 0.0, 2.0, "Hello, this is the bank calling about your card repayment.", role=Role.AGENT),
        Utterance("customer", 2.5, 6.0, "I already paid it last week, why do you keep calling me?", role=Role.CUSTOMER),
        Utterance("agent", 6.5, 9.0, "Sorry for the trouble, I will note that the payment was made.", role=Role.AGENT),
    ), duration=9.0)


def test_the_block_runs_at_the_fixed_count_and_the_process_count_comes_back(process_threads: Any) -> None:
    torch.set_num_threads(3)
    with fixed_torch_threads(1):
        assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == 3
    with pytest.raises(RuntimeError), fixed_torch_threads(2):
        raise RuntimeError("a failed classification")
    assert torch.get_num_threads() == 3


@pytest.mark.models
def test_the_encoder_runs_at_the_fixed_count_whatever_the_process_has(settings: Settings,
                                                                     process_threads: Any) -> None:
    clf = load_call_classifier(settings)
    assert isinstance(clf, NeuralCallClassifier) and clf.threads == CLASSIFIER_THREADS
    seen: list[int] = []

    def embed(texts: Sequence[str]) -> Any:
        seen.append(torch.get_num_threads())
        return clf._embed(texts)

    meta = CallMetadata(call_id="c1", direction=Direction.OUTBOUND)
    results = []
    for threads in (1, 2, 4):
        torch.set_num_threads(threads)
        results.append(clf.classify_many([(_call(), meta)], embed=embed)[0])
        assert torch.get_num_threads() == threads
    assert seen == [CLASSIFIER_THREADS] * 3
    assert results[0] == results[1] == results[2]
    assert results[0].outcome_score is not None
