"""The speech pipeline with the real models on a short synthetic call (marked ``models``).

A two-voice English call is synthesised with espeak-ng; the stereo version leaks each side into the
other channel at -26 dB (echo), which the pipeline must not transcribe twice.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

from qa_service.domain import SAMPLE_RATE, Audio, CallMetadata, Role
from qa_service.evaluation.metrics import transcript_errors
from qa_service.pipeline import SpeechOptions, analyze_speech, load_speech_models
from qa_service.pipeline.decode import decode_audio
from qa_service.settings import Settings

pytestmark = pytest.mark.models

LINES = [  # role, voice, text
    ("agent", ["-v", "en-us+f2", "-p", "60", "-s", "165"],
     "Thank you for calling Construction Bank, this is agent 1023, how may I help you?"),
    ("customer", ["-v", "en-us+m3", "-p", "36", "-s", "155"], "Hi, I would like to check my card balance."),
    ("agent", ["-v", "en-us+f2", "-p", "60", "-s", "165"], "Thank you for calling, goodbye."),
]


def _speak(voice: list[str], text: str) -> np.ndarray:
    wav = subprocess.run(["espeak-ng", *voice, "--stdout", text], check=True, capture_output=True).stdout
    with wave.open(io.BytesIO(wav)) as w:
        rate = w.getframerate()
        x = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32) / 32768.0
    loud = np.flatnonzero(np.abs(x) > 0.01 * np.abs(x).max())
    x = x[loud[0] : loud[-1] + 1]  # the reference turn is where the speech is
    t = np.arange(int(len(x) * SAMPLE_RATE / rate)) / SAMPLE_RATE
    return np.interp(t, np.arange(len(x)) / rate, x).astype(np.float32)


def synth_call(bleed: float = 0.05) -> tuple[np.ndarray, list[tuple[str, float, float, str]]]:
    """(stereo samples (2, n) with the agent on channel 0, reference turns)."""
    if shutil.which("espeak-ng") is None:
        pytest.fail("espeak-ng is required for the model tests")
    clips = [(role, _speak(voice, text), text) for role, voice, text in LINES]
    cursor, turns, placed = 0.4, [], []
    for role, clip, text in clips:
        placed.append((role, int(cursor * SAMPLE_RATE), clip))
        turns.append((role, cursor, cursor + clip.size / SAMPLE_RATE, text))
        cursor += clip.size / SAMPLE_RATE + 0.6
    n = int((cursor + 0.4) * SAMPLE_RATE)
    rng = np.random.default_rng(1)
    own = np.zeros((2, n), np.float32)
    for role, start, clip in placed:
        own[0 if role == "agent" else 1, start : start + clip.size] += clip
    stereo = own + bleed * own[::-1] + rng.normal(0, 0.0005, (2, n)).astype(np.float32)
    return stereo.astype(np.float32), turns


Call = tuple[np.ndarray, list[tuple[str, float, float, str]]]


@pytest.fixture(scope="module")
def call() -> Call:
    return synth_call()


def test_stereo_call_with_echo_real_models(call: Call) -> None:
    samples, turns = call
    settings = Settings(cpu_threads=2)
    options = SpeechOptions.from_settings(settings, CallMetadata("t", language="en", agent_channel=0))
    result = analyze_speech(Audio(samples, source="synthetic"), None, load_speech_models(settings), options)
    t = result.transcript
    assert t.language == "en" and t.roles is not None and t.roles.method == "channel"
    assert [u.role for u in t.utterances] == [Role.AGENT, Role.CUSTOMER, Role.AGENT]  # no echoed duplicates
    reference = " ".join(text for _, _, _, text in turns)
    wer = transcript_errors(reference, " ".join(u.text for u in t.utterances), "en").rate
    assert wer < 0.25, [u.text for u in t.utterances]
    for u, (role, start, end, _) in zip(t.utterances, turns, strict=True):
        assert u.start == pytest.approx(start, abs=0.3) and u.end == pytest.approx(end, abs=0.3)
        assert all(u.start <= w.start <= w.end <= u.end for w in u.words)
        assert u.role.value == role
    # channel turns hug the speech: no echo turn, boundaries within 0.15 s
    assert len(result.diarization.turns) == 3
    for turn, (_, start, end, _) in zip(result.diarization.turns, turns, strict=True):
        assert turn.start == pytest.approx(start, abs=0.15) and turn.end == pytest.approx(end, abs=0.15)


def test_silence_gives_an_empty_transcript_with_real_models(tmp_path: Path) -> None:
    path = tmp_path / "silence.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(8000)
        noise = np.random.default_rng(0).normal(0, 30, 2 * 8000 * 4).astype("<i2")
        w.writeframes(noise.tobytes())
    settings = Settings(cpu_threads=2)
    options = SpeechOptions.from_settings(settings, None, language="en")
    result = analyze_speech(decode_audio(path), None, load_speech_models(settings), options)
    assert result.transcript.utterances == ()  # nothing invented
