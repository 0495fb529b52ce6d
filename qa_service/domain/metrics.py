"""Call metrics computed from the role-labelled transcript."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Interval:
    start: float
    end: float

    @property
    def duration(self) -> float:
        return max(0.0, self.end - self.start)


@dataclass(frozen=True)
class CallMetrics:
    duration: float
    agent_talk_time: float
    customer_talk_time: float
    talk_to_listen_ratio: float | None  # agent talk / customer talk
    silences: tuple[Interval, ...]  # gaps over the configured threshold
    total_silence: float
    overtalk: tuple[Interval, ...]
    total_overtalk: float
    agent_interruptions: int
    agent_speaking_rate: float | None  # characters/min (zh) or words/min (en)
    customer_speaking_rate: float | None
    rate_unit: str  # "chars/min" or "words/min"
    time_to_first_agent_response: float | None
