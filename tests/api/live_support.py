"""A stand-in recogniser and synthetic call audio for the live tests (the model is not the point there):
the agent speaks in a 300 Hz tone, the customer in a 500 Hz tone, and each "says" a fixed line."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from qa_service.live.stream import Chunk

AGENT_SAYS, CUSTOMER_SAYS = "您好，建设银行，工号1023为您服务。这个我不知道", "我要投诉你们的服务"


def fake_recogniser(chunk: Chunk, language: str, hints: Sequence[str] = ()) -> list[tuple[str, float, float]]:
    """The agent's tone is 300 Hz, the customer's 500 Hz: each 'says' their line."""
    spectrum = np.abs(np.fft.rfft(chunk.samples))
    peak = np.argmax(spectrum) * 16000 / chunk.samples.size
    return [(AGENT_SAYS if peak < 400 else CUSTOMER_SAYS, 0.0, chunk.end_s - chunk.start_s)]


def speech(seconds: float, freq: float, rate: int = 8000) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (0.3 * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def call_audio() -> np.ndarray:
    """external (customer) and internal (agent), 8 kHz: the agent speaks, then the customer, then quiet."""
    quiet = np.zeros(int(0.8 * 8000), np.float32)
    agent = np.concatenate([speech(1.5, 300), quiet, np.zeros(12000, np.float32), quiet, np.zeros(32000, np.float32)])
    customer = np.concatenate([np.zeros(12000 + quiet.size, np.float32), speech(1.5, 500), quiet,
                               np.zeros(32000, np.float32)])
    n = min(agent.size, customer.size)
    return np.stack([customer[:n], agent[:n]], axis=1)  # external, internal



#: The API key the console tests configure for live audio in.
LIVE_KEY = "console-test-pbx"
