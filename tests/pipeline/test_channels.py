"""What a two-channel recording holds: stereo, the same signal twice, or one silent channel."""

from __future__ import annotations

import numpy as np
import pytest

from qa_service.domain import SAMPLE_RATE, Audio
from qa_service.pipeline.channels import Layout, channel_layout


def _speech(seed: int, seconds: float = 8.0) -> np.ndarray:
    """Noise bursts shaped like syllables, with pauses."""
    rng = np.random.default_rng(seed)
    n = int(seconds * SAMPLE_RATE)
    envelope = np.repeat(rng.random(n // 1600 + 1) > 0.5, 1600)[:n].astype(np.float32)
    return (0.2 * envelope * rng.standard_normal(n)).astype(np.float32)


def _turns(seconds: float = 8.0) -> tuple[np.ndarray, np.ndarray]:
    """Two speakers taking turns, the agent leaking into the customer's channel at -20 dB."""
    a, b = _speech(1, seconds), _speech(2, seconds)
    half = a.size // 2
    a[half:] = 0
    b[:half] = 0
    return a, b + 0.1 * a


@pytest.mark.parametrize("make", [
    lambda m: m,
    lambda m: np.roll(m, 7),  # a few samples' delay
    lambda m: -0.4 * m,  # inverted and quieter
    lambda m: m + 0.01 * np.random.default_rng(3).standard_normal(m.size).astype(np.float32),  # lossy coding
], ids=["same", "delayed", "inverted", "noisy"])
def test_the_same_signal_twice_is_dual_mono(make: object) -> None:
    m = _speech(0)
    layout = channel_layout(Audio(np.stack([m, make(m)]).astype(np.float32)))  # type: ignore[operator]
    assert layout.layout is Layout.DUAL_MONO, layout.reason


def test_two_speakers_with_echo_are_stereo() -> None:
    a, b = _turns()
    layout = channel_layout(Audio(np.stack([a, b])))
    assert layout.layout is Layout.STEREO, layout.reason


def test_one_silent_channel() -> None:
    m = _speech(0)
    hiss = (1e-4 * np.random.default_rng(5).standard_normal(m.size)).astype(np.float32)
    layout = channel_layout(Audio(np.stack([hiss, m])))
    assert layout.layout is Layout.ONE_SILENT and layout.channel == 1 and "channel 0 is silent" in layout.reason


def test_mono_and_all_silent() -> None:
    assert channel_layout(Audio(_speech(0)[None, :])).layout is Layout.MONO
    assert channel_layout(Audio(np.zeros((2, SAMPLE_RATE), np.float32))).layout is Layout.MONO
