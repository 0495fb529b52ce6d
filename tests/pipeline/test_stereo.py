"""Stereo calls: channel turns and cross-talk/echo suppression, on synthetic signals with bleed."""

from __future__ import annotations

import numpy as np

from qa_service.domain import SAMPLE_RATE, AsrResult, AsrSegment, Audio, Word
from qa_service.pipeline.stereo import channel_turns, suppress_crosstalk

RNG = np.random.default_rng(7)


def _burst(duration: float, level: float) -> np.ndarray:
    """Speech-like energy: noise under a syllable-rate envelope."""
    n = int(duration * SAMPLE_RATE)
    env = 0.6 + 0.4 * np.sin(np.linspace(0, duration * 2 * np.pi * 4, n)) ** 2
    return (RNG.normal(0, level, n) * env).astype(np.float32)


def _stereo_call(bleed: float) -> tuple[Audio, np.ndarray]:
    """Agent (ch 0) talks 0.5-3.5 s, customer (ch 1) 4.0-6.0 s; each leaks into the other channel."""
    n = 7 * SAMPLE_RATE
    agent, customer = np.zeros(n, np.float32), np.zeros(n, np.float32)
    a = _burst(3.0, 0.1)
    c = _burst(2.0, 0.1)
    agent[8000 : 8000 + a.size] += a
    customer[64000 : 64000 + c.size] += c
    floor = RNG.normal(0, 0.0006, (2, n)).astype(np.float32)
    samples = np.stack([agent + bleed * customer, customer + bleed * agent]) + floor
    return Audio(samples.astype(np.float32), source="synthetic"), samples


def _words(text: str, start: float, end: float) -> tuple[Word, ...]:
    tokens = text.split()
    step = (end - start) / len(tokens)
    return tuple(Word(t, start + i * step, start + (i + 1) * step - 0.02) for i, t in enumerate(tokens))


def _result(channel: int, *segments: tuple[str, float, float]) -> AsrResult:
    segs = tuple(AsrSegment(text, s, e, _words(text, s, e), channel=channel) for text, s, e in segments)
    return AsrResult("en", segs, 7.0, channel=channel)


AGENT_TEXT = "thank you for calling construction bank how may I help you"
CUSTOMER_TEXT = "my card was charged twice"


def test_echoed_words_are_dropped_and_own_words_kept() -> None:
    audio, _ = _stereo_call(bleed=0.05)  # -26 dB echo
    agent = _result(0, (AGENT_TEXT, 0.5, 3.5))
    customer = _result(1, ("thank you for calling construction bank how may I", 0.55, 3.3),  # the echo
                       (CUSTOMER_TEXT, 4.0, 6.0))
    cleaned = suppress_crosstalk((agent, customer), audio)
    assert " ".join(w.text for w in cleaned[0].words) == AGENT_TEXT
    assert " ".join(w.text for w in cleaned[1].words) == CUSTOMER_TEXT
    assert customer.segments[0].text.startswith("thank you")  # the input is untouched


def test_garbled_echo_goes_with_its_segment_when_most_of_it_is_a_twin() -> None:
    audio, _ = _stereo_call(bleed=0.05)
    agent = _result(0, (AGENT_TEXT, 0.5, 3.5))
    customer = _result(1, ("thank you for colin construction bank hominy I help", 0.55, 3.4),
                       (CUSTOMER_TEXT, 4.0, 6.0))
    cleaned = suppress_crosstalk((agent, customer), audio)
    assert " ".join(w.text for w in cleaned[1].words) == CUSTOMER_TEXT


def test_same_words_said_by_both_sides_at_similar_level_are_kept() -> None:
    # Both talk at once at full level (real overtalk, not echo): nothing is dropped.
    n = 7 * SAMPLE_RATE
    samples = np.zeros((2, n), np.float32)
    samples[0, 8000:56000] = _burst(3.0, 0.1)
    samples[1, 8000:56000] = _burst(3.0, 0.1)
    audio = Audio(samples)
    agent = _result(0, ("okay thank you", 0.5, 3.5))
    customer = _result(1, ("okay thank you", 0.5, 3.5))
    cleaned = suppress_crosstalk((agent, customer), audio)
    assert len(cleaned[0].words) == 3 and len(cleaned[1].words) == 3


def test_a_loud_other_channel_alone_does_not_drop_different_words() -> None:
    audio, _ = _stereo_call(bleed=0.05)
    agent = _result(0, (AGENT_TEXT, 0.5, 3.5))
    customer = _result(1, ("yes", 1.0, 1.3), (CUSTOMER_TEXT, 4.0, 6.0))  # a faint "yes" under the agent
    cleaned = suppress_crosstalk((agent, customer), audio)
    assert cleaned[1].words[0].text == "yes"


def test_channel_turns_follow_each_channels_own_speech_not_its_echo() -> None:
    audio, _ = _stereo_call(bleed=0.05)
    agent = _result(0, (AGENT_TEXT, 0.5, 3.5))
    customer = _result(1, (CUSTOMER_TEXT, 4.0, 6.0))
    diar = channel_turns((agent, customer), audio)
    assert diar.method == "channels"
    assert diar.speakers == ("CHANNEL_0", "CHANNEL_1")
    spans = {t.speaker: (t.start, t.end) for t in diar.turns}
    assert len(diar.turns) == 2
    assert abs(spans["CHANNEL_0"][0] - 0.5) < 0.05 and abs(spans["CHANNEL_0"][1] - 3.5) < 0.05
    assert abs(spans["CHANNEL_1"][0] - 4.0) < 0.05 and abs(spans["CHANNEL_1"][1] - 6.0) < 0.05


def test_a_silent_channel_has_no_turns_but_keeps_its_speaker() -> None:
    n = 7 * SAMPLE_RATE
    samples = RNG.normal(0, 0.0006, (2, n)).astype(np.float32)
    samples[0, 8000:56000] += _burst(3.0, 0.1)
    diar = channel_turns((_result(0, (AGENT_TEXT, 0.5, 3.5)), AsrResult("en", (), 7.0, channel=1)),
                         Audio(samples))
    assert {t.speaker for t in diar.turns} == {"CHANNEL_0"}
    assert diar.speakers == ("CHANNEL_0", "CHANNEL_1")
