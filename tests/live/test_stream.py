"""One live channel cut into chunks, partial snapshots of the chunk being spoken, and the recording kept
sample for sample as it arrived (no models: hand-made audio)."""

from __future__ import annotations

import wave
from itertools import pairwise
from pathlib import Path

import numpy as np

from qa_service.domain import CallMetadata, Direction, Role, to_pcm16
from qa_service.live.call import LiveCall
from qa_service.live.checks import LiveChecks
from qa_service.live.codec import decode_frame, ulaw_encode
from qa_service.live.stream import ChannelStream, VadConfig


def tone(seconds: float, rate: int = 8000, freq: float = 300.0) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (0.3 * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def feed_in_frames(stream: ChannelStream, audio: np.ndarray, rate: int = 8000) -> tuple[list, list]:
    """200 ms frames as a PBX sends them; the final chunks and the partial snapshots, in order."""
    finals, partials = [], []
    for i in range(0, audio.size, rate // 5):
        finals += stream.feed(audio[i:i + rate // 5], rate, now=0.0)
        if (p := stream.partial(now=0.0)) is not None:
            partials.append(p)
    return finals, partials


def test_partial_snapshots_every_interval_then_one_final_chunk() -> None:
    stream = ChannelStream(0, VadConfig(partial_s=1.0))
    audio = np.concatenate([np.zeros(4000, np.float32), tone(3.5), np.zeros(8000, np.float32)])
    finals, partials = feed_in_frames(stream, audio)
    assert len(finals) == 1
    final = finals[0]
    assert not final.partial and 0.3 < final.start_s < 0.5 and 4.0 < final.end_s < 4.8
    assert [p.partial for p in partials] == [True] * 3  # at 1, 2 and 3 s into the utterance
    assert all(p.start_s == final.start_s for p in partials)
    ends = [p.end_s for p in partials]
    assert ends == sorted(ends) and all(b - a >= 1.0 for a, b in pairwise(ends))
    assert partials[-1].samples.size < final.samples.size
    np.testing.assert_array_equal(partials[0].samples, final.samples[:partials[0].samples.size])  # a prefix
    assert stream.open_start_s is None  # nothing open after the quiet


def test_no_partials_when_switched_off_or_for_clicks() -> None:
    finals, partials = feed_in_frames(ChannelStream(0, VadConfig(partial_s=0)), tone(3.0))
    assert partials == []
    finals, partials = feed_in_frames(ChannelStream(0, VadConfig(partial_s=0.1)),
                                      np.concatenate([tone(0.09), np.zeros(8000, np.float32)]))
    assert finals == [] and partials == []  # a click is not speech


def _call(rate: int = 8000) -> LiveCall:
    meta = CallMetadata("L1", Direction.INBOUND, "zh", "A1", "A")
    return LiveCall("L1", meta, rate, (Role.CUSTOMER, Role.AGENT), "zh", LiveChecks(None),
                    vad=VadConfig(partial_s=1.0))


def test_a_partial_that_comes_back_after_its_final_is_dropped() -> None:
    call = _call()
    audio = np.stack([np.zeros(16000, np.float32), tone(2.0)], axis=1)
    call.feed(audio[:12000])
    [snapshot] = call.partials()
    assert snapshot.channel == 1
    early = call.partial_transcribed(snapshot, [("您好，", 0.0, 0.5), ("建设银行", 0.5, 1.0)])
    assert early is not None and early.text == "您好，建设银行" and early.role == "agent"
    finals = call.feed(np.concatenate([audio[12000:], np.zeros((8000, 2), np.float32)]))
    assert [c.channel for _, c in finals] == [1]
    assert call.partial_transcribed(snapshot, [("您好", 0.0, 0.5)]) is None  # its utterance is final now
    assert call.partial_transcribed(snapshot, []) is None


def test_the_recording_is_what_arrived_sample_for_sample(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    sent = rng.integers(-20000, 20000, size=(8000 * 3, 2), dtype=np.int16)
    call = _call()
    for i in range(0, sent.shape[0], 1600):
        call.feed(decode_frame(sent[i:i + 1600].astype("<i2").tobytes(), "L16", 2))
    path = call.write_recording(tmp_path / "l1.wav")
    with wave.open(str(path)) as w:
        assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (8000, 2, 2)
        stored = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").reshape(-1, 2)
    np.testing.assert_array_equal(stored[:, 0], sent[:, 1])  # the agent's channel first
    np.testing.assert_array_equal(stored[:, 1], sent[:, 0])
    ulaw = ulaw_encode(rng.uniform(-0.5, 0.5, 800).astype(np.float32))
    decoded = decode_frame(ulaw, "PCMU", 1)
    np.testing.assert_array_equal(decode_frame(to_pcm16(decoded).tobytes(), "L16", 1), decoded)  # exact inverse
