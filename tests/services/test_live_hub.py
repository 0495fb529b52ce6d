"""What the live hub hands the recogniser: the chunk (its incoming rate kept, so an 8 kHz line is
decoded as a telephone call) and the phrases of the rubric the call is scored by, chosen from the
call's direction and campaign as for a recorded call."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from qa_service.domain import Campaign, Direction, Role
from qa_service.live.stream import Chunk
from qa_service.rubrics import load_rubrics
from qa_service.rubrics.hints import rubric_hints
from qa_service.services.context import ServiceContext
from qa_service.services.live import LiveHub, LiveStart
from qa_service.settings import Settings
from qa_service.store.db import dispose_engines
from qa_service.store.migrate import upgrade

RUBRICS = Path(__file__).resolve().parents[2] / "rubrics"


class Heard:
    """A recogniser that writes down what it was given and says one word."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, str, tuple[str, ...]]] = []

    def __call__(self, chunk: Chunk, language: str, hints: Sequence[str]) -> list[tuple[str, float, float]]:
        self.calls.append((chunk.source_rate, language, tuple(hints)))
        return [("hello", 0.0, chunk.end_s - chunk.start_s)]


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[tuple[LiveHub, Heard]]:
    settings = Settings(data_dir=tmp_path / "data", rubric_dir=RUBRICS)
    upgrade(settings)
    heard = Heard()
    yield LiveHub(ServiceContext(settings), recogniser=heard, workers=1), heard
    dispose_engines()


def _speech(rate: int) -> np.ndarray:
    t = np.arange(int(1.5 * rate)) / rate
    tone = (0.3 * np.sin(2 * np.pi * 300 * t)).astype(np.float32)
    return np.concatenate([tone, np.zeros(rate, np.float32)])[:, None]


def _follow(hub: LiveHub, start: LiveStart) -> None:
    call = hub.start(start)
    audio = _speech(start.rate)
    for chunk_id, chunk in call.feed(audio):
        hub.transcribe(call, chunk_id, chunk)
    for chunk_id, chunk in call.end():
        hub.transcribe(call, chunk_id, chunk)


def test_the_recogniser_gets_the_rubrics_phrases_and_the_lines_rate(hub: tuple[LiveHub, Heard]) -> None:
    live, heard = hub
    rubrics = load_rubrics(RUBRICS)
    inbound = next(r for r in rubrics if r.id == "inbound_service_en")
    _follow(live, LiveStart("L-1", "A1", "A", Direction.INBOUND, "en", 8000, (Role.AGENT,), "test"))
    assert heard.calls == [(8000, "en", rubric_hints(inbound))]
    assert "Thank you for calling, Construction Bank, agent." in heard.calls[0][2]


def test_an_outbound_campaign_call_gets_its_campaigns_rubric(hub: tuple[LiveHub, Heard]) -> None:
    live, heard = hub
    marketing = next(r for r in load_rubrics(RUBRICS) if r.id == "outbound_marketing_en")
    _follow(live, LiveStart("L-2", "A1", "A", Direction.OUTBOUND, "en", 16000, (Role.AGENT,), "test",
                            campaign=Campaign.MARKETING))
    assert heard.calls == [(16000, "en", rubric_hints(marketing))]
    rubric = live._entry("L-2").call.checks.rubric
    assert rubric is not None and rubric.id == "outbound_marketing_en"


def test_the_customers_channel_gets_no_hints(hub: tuple[LiveHub, Heard]) -> None:
    """The rubric's phrases are the agent's: on the customer's line they would only be echoed."""
    live, heard = hub
    call = live.start(LiveStart("L-3", "A1", "A", Direction.INBOUND, "en", 8000, (Role.CUSTOMER, Role.AGENT), "test"))
    tone = _speech(8000)
    for chunk_id, chunk in call.feed(np.hstack([tone, tone])):
        live.transcribe(call, chunk_id, chunk)
    for chunk_id, chunk in call.end():
        live.transcribe(call, chunk_id, chunk)
    assert len(heard.calls) == 2
    assert heard.calls[0][2] == () and heard.calls[1][2] and heard.calls[1][2] == call.hints
