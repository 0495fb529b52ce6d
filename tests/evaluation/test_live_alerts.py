"""The live-alert evaluation: what the sample answers call for, how each call is followed, the tallies.
A stand-in recogniser here (the model is not the point); `qa-service eval --live` runs the real ones."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from qa_service.evaluation.live_alerts import LiveAlertCase, evaluate_live_alerts, expected_alerts, tally
from qa_service.live.stream import Chunk
from qa_service.rubrics import load_rubrics, select_rubric
from qa_service.samples import load_sample
from qa_service.services.context import ServiceContext
from qa_service.services.live import LiveHub
from qa_service.settings import Settings
from qa_service.store.db import dispose_engines
from qa_service.store.migrate import upgrade

ROOT = Path(__file__).resolve().parents[2]
SAMPLES, RUBRICS = ROOT / "sample_audio", ROOT / "rubrics"


def _expected(name: str) -> frozenset[str]:
    sample = load_sample(SAMPLES / f"{name}.json")
    return expected_alerts(sample, select_rubric(load_rubrics(RUBRICS), sample.metadata, sample.language))


def test_the_answers_call_for_the_alerts_of_their_failed_items_and_reasons() -> None:
    assert _expected("zh_inbound_card_loss_no_greeting") == {"greeting_missing"}
    assert _expected("en_inbound_bill_payment_forbidden") == {"forbidden_phrase"}
    assert _expected("en_inbound_complaint_no_apology") == {"complaint", "escalation"}
    assert _expected("en_inbound_card_loss_good") == frozenset()


def test_tallies_count_right_false_alarms_and_misses_per_kind_and_language() -> None:
    cases = [LiveAlertCase("a", "en", frozenset({"complaint"}), frozenset({"complaint", "greeting_missing"}), 10, 1),
             LiveAlertCase("b", "en", frozenset({"forbidden_phrase"}), frozenset(), 10, 1),
             LiveAlertCase("c", "zh", frozenset(), frozenset(), 10, 1)]
    by = {(t.kind, t.language): t for t in tally(cases)}
    greeting = by[("greeting_missing", "en")]
    counts = (greeting.calls, greeting.expected, greeting.right, greeting.false_alarms, greeting.missed)
    assert counts == (2, 0, 1, 1, 0)
    forbidden = by[("forbidden_phrase", "all")]
    assert (forbidden.calls, forbidden.right, forbidden.missed) == (3, 2, 1)
    everything = by[("all kinds", "all")]
    assert (everything.calls, everything.right, everything.false_alarms, everything.missed) == (12, 10, 1, 1)
    assert everything.agreement == pytest.approx(10 / 12)


class Greets:
    """Says the English greeting on the agent's first chunk, then "okay": no greeting alert may fire."""

    def __init__(self) -> None:
        self.seen: list[int] = []

    def __call__(self, chunk: Chunk, language: str, hints: Sequence[str]) -> list[tuple[str, float, float]]:
        self.seen.append(chunk.source_rate)
        first = chunk.channel == 0 and chunk.start_s < 3
        text = "Thank you for calling Construction Bank, agent 1023 speaking." if first else "okay"
        return [(text, 0.0, chunk.end_s - chunk.start_s)]


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[tuple[LiveHub, Greets]]:
    settings = Settings(data_dir=tmp_path / "data", rubric_dir=RUBRICS)
    upgrade(settings)
    greets = Greets()
    yield LiveHub(ServiceContext(settings), recogniser=greets, workers=1), greets
    dispose_engines()


def test_a_sample_call_is_followed_at_8_khz_to_its_end(hub: tuple[LiveHub, Greets]) -> None:
    live, greets = hub
    sample = load_sample(SAMPLES / "en_inbound_card_loss_good.json")
    seen: list[LiveAlertCase] = []
    [case] = evaluate_live_alerts(live, [sample], load_rubrics(RUBRICS), on_case=seen.append)
    assert seen == [case] and case.call_id == "en_inbound_card_loss_good"
    assert case.duration_s == pytest.approx(sample.duration, abs=0.3)
    assert set(greets.seen) == {8000} and len(greets.seen) > 5  # every chunk, as a telephone line sends it
    assert "greeting_missing" not in case.fired
    assert case.outcome("greeting_missing") == "right"
