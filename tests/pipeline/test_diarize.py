"""Mono diarization: the adapter's edges on fakes, then the real pipeline on a synthetic two-voice call."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from pyannote.core import Annotation, Segment

from qa_service.domain import Audio, Diarization
from qa_service.errors import AudioError
from qa_service.pipeline.diarize import (
    PyannoteDiarizer,
    annotation_to_diarization,
    pyannote_hook,
    split_runs,
)
from qa_service.settings import Settings

SR = 16_000


# --- edges (no model) ------------------------------------------------------------------------------
def test_annotation_becomes_turns_named_by_first_appearance() -> None:
    annotation = Annotation()
    annotation[Segment(5.0, 7.5)] = "SPEAKER_00"
    annotation[Segment(0.5, 4.0)] = "SPEAKER_01"
    annotation[Segment(3.5, 4.5)] = "SPEAKER_00"  # overlaps the end of the first turn
    annotation[Segment(8.0, 9.123456)] = "SPEAKER_02"
    result = annotation_to_diarization(annotation)
    assert result.speakers == ("SPEAKER_00", "SPEAKER_01", "SPEAKER_02")
    assert [(t.speaker, t.start, t.end) for t in result.turns] == [
        ("SPEAKER_00", 0.5, 4.0),
        ("SPEAKER_01", 3.5, 4.5),
        ("SPEAKER_01", 5.0, 7.5),
        ("SPEAKER_02", 8.0, 9.123),
    ]
    assert result.method == "pyannote"
    assert annotation_to_diarization(Annotation()) == Diarization((), (), "pyannote")


def test_pyannote_progress_reaches_our_hook() -> None:
    seen: list[tuple[str, float, float]] = []
    forward = pyannote_hook(lambda stage, done, total: seen.append((stage, done, total)))
    forward("segmentation", None, file={"uri": "x"}, total=4, completed=2)
    forward("segmentation", np.zeros(3))  # an artefact without progress
    forward("embeddings", None, total=3, completed=5)
    assert seen == [("diarize:segmentation", 2.0, 4.0), ("diarize:embeddings", 3.0, 3.0)]


def test_split_runs_gives_each_run_of_a_speaker_its_own_slot() -> None:
    seg = np.zeros((2, 20, 3), dtype=np.float32)
    seg[0, 2:5, 0] = 1  # run 1 of speaker 0
    seg[0, 8:12, 0] = seg[0, 13:15, 0] = 1  # run 2: a 1-frame pause does not split it
    seg[0, :, 2] = 1
    seg[1, 5, 1] = 1
    out = split_runs(seg, min_gap=3)
    assert out.shape == (2, 20, 3)
    assert np.array_equal(out[0, :, 0], seg[0, :, 0] * (np.arange(20) < 5))
    assert np.array_equal(out[0, :, 1], seg[0, :, 0] * (np.arange(20) >= 8))
    assert np.array_equal(out[0, :, 2], seg[0, :, 2])
    assert np.array_equal(out[1].sum(axis=1), seg[1].sum(axis=1))  # runs partition the activity
    assert split_runs(seg, min_gap=0) is seg


@dataclass
class _Output:
    speaker_diarization: Annotation


class _FakePipeline:
    """Stands in for pyannote's pipeline: records what it is given, answers one fixed annotation."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def __call__(self, file: dict[str, Any], **kwargs: Any) -> _Output:
        self.calls.append({**file, **kwargs})
        annotation = Annotation()
        annotation[Segment(0.2, 0.8)] = "B"
        annotation[Segment(1.0, 1.9)] = "A"
        return _Output(annotation)


def test_diarizer_feeds_pyannote_in_memory_with_the_right_speaker_count() -> None:
    fake = _FakePipeline()
    diarizer = PyannoteDiarizer(fake, default_num_speakers=2)  # type: ignore[arg-type]
    stereo = Audio(np.full((2, 2 * SR), 0.1, dtype=np.float32), source="call.wav")
    result = diarizer.diarize(stereo)
    assert [(t.speaker, t.start) for t in result.turns] == [("SPEAKER_00", 0.2), ("SPEAKER_01", 1.0)]
    diarizer.diarize(stereo, num_speakers=3)
    diarizer.diarize(stereo, num_speakers=0)
    assert [c["num_speakers"] for c in fake.calls] == [2, 3, None]
    first = fake.calls[0]
    assert first["sample_rate"] == SR and tuple(first["waveform"].shape) == (1, 2 * SR)  # mixed to mono
    assert PyannoteDiarizer(fake, None).diarize(stereo) is not None and fake.calls[-1]["num_speakers"] is None


def test_diarizer_rejects_bad_audio_and_skips_tiny_clips() -> None:
    fake = _FakePipeline()
    diarizer = PyannoteDiarizer(fake)  # type: ignore[arg-type]
    with pytest.raises(AudioError, match="16000 Hz"):
        diarizer.diarize(Audio(np.zeros((1, 8000), dtype=np.float32), sample_rate=8000))
    with pytest.raises(AudioError, match="NaN"):
        diarizer.diarize(Audio(np.full((1, SR), np.nan, dtype=np.float32)))
    empty = diarizer.diarize(Audio(np.zeros((1, 800), dtype=np.float32)))
    assert empty == Diarization((), (), "pyannote") and fake.calls == []


# --- the real pipeline -------------------------------------------------------------------------------
needs_espeak = pytest.mark.skipif(
    not (shutil.which("espeak-ng") and shutil.which("sox")), reason="espeak-ng and sox synthesise the call"
)
VOICES = {
    "agent": ("-v", "en-us+f2", "-p", "70", "-s", "165"),
    "customer": ("-v", "en-us+m3", "-p", "30", "-s", "150"),
}
SCRIPT = (
    ("agent", "Thank you for calling Construction Bank, this is agent one zero two three. How can I help?"),
    ("customer", "Hi, I would like to check the balance of my savings account."),
    ("agent", "Of course. May I have your full name and the last four digits of your ID?"),
    ("customer", "John Smith, and the last four digits are four five six seven."),
    ("agent", "Thank you. Your current balance is twelve thousand three hundred yuan."),
    ("customer", "Great, that is all I needed. Thanks."),
    ("agent", "Is there anything else I can help you with? Thank you for calling, goodbye."),
)
GAPS = (0.6, 0.4, 0.8, 0.5, 0.7, 0.45)


def _speak(text: str, voice: tuple[str, ...]) -> np.ndarray:
    wav = subprocess.run(["espeak-ng", *voice, "--stdout", text], check=True, capture_output=True).stdout
    to_raw = ["-t", "raw", "-r", str(SR), "-c", "1", "-e", "floating-point", "-b", "32", "-"]
    raw = subprocess.run(["sox", "-t", "wav", "-", *to_raw], input=wav, check=True, capture_output=True)
    clip = np.frombuffer(raw.stdout, dtype=np.float32)
    voiced = np.flatnonzero(np.abs(clip) > 0.02 * np.abs(clip).max())
    return clip[voiced[0] : voiced[-1] + 1]


@dataclass(frozen=True)
class _Call:
    audio: Audio
    reference: Annotation


@pytest.fixture(scope="module")
def call() -> _Call:
    """A ~25 s two-voice call with known turn times (espeak-ng + sox)."""
    pieces = [np.zeros(SR // 2, dtype=np.float32)]
    reference = Annotation(uri="call")
    t = 0.5
    for i, (role, text) in enumerate(SCRIPT):
        clip = _speak(text, VOICES[role])
        reference[Segment(t, t + len(clip) / SR)] = role
        gap = np.zeros(int(GAPS[i % len(GAPS)] * SR), dtype=np.float32)
        pieces += [clip, gap]
        t += (len(clip) + len(gap)) / SR
    samples = np.concatenate(pieces)[None]
    return _Call(Audio(samples, source="synthetic.wav"), reference)


@pytest.fixture(scope="module")
def model_settings() -> Settings:
    return Settings(device="cpu", cpu_threads=1)


@pytest.fixture(autouse=True, scope="module")
def _restore_torch_threads() -> Iterator[None]:
    import torch

    threads = torch.get_num_threads()
    yield
    torch.set_num_threads(threads)


def _der(reference: Annotation, result: Diarization) -> float:
    from pyannote.metrics.diarization import DiarizationErrorRate

    hypothesis = Annotation(uri="call")
    for turn in result.turns:
        hypothesis[Segment(turn.start, turn.end)] = turn.speaker
    return float(DiarizationErrorRate(collar=0.25)(reference, hypothesis))


class _NetworkAttempts:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.attempts: list[str] = []

        def refuse(what: str) -> Any:
            def blocked(*args: Any, **kwargs: Any) -> Any:
                self.attempts.append(f"{what}{args[1:2] or args[:1]}")
                raise OSError(f"network access attempted in a test: {what}")

            return blocked

        monkeypatch.setattr(socket.socket, "connect", refuse("connect"))
        monkeypatch.setattr(socket.socket, "connect_ex", refuse("connect_ex"))
        monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
        monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
        import huggingface_hub
        import pyannote.audio.pipelines.speaker_verification as verification
        import pyannote.audio.utils.hf_hub as pyannote_hub

        for module in (huggingface_hub, pyannote_hub, verification):
            for name in ("hf_hub_download", "snapshot_download"):
                if hasattr(module, name):
                    monkeypatch.setattr(module, name, refuse(f"{module.__name__}.{name}"))


@pytest.mark.models
@needs_espeak
def test_building_and_running_diarizers_never_touches_the_network(
    call: _Call, model_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qa_service.pipeline.diarize import _cached_pipeline, build_stock_pyannote_pipeline, load_diarizer

    network = _NetworkAttempts(monkeypatch)
    _cached_pipeline.cache_clear()  # build here, under the block
    clip = Audio(call.audio.samples[:, : 12 * SR])
    ours = load_diarizer(model_settings).diarize(clip)
    assert len(ours.speakers) == 2
    import torch

    stock = build_stock_pyannote_pipeline(model_settings)
    with torch.inference_mode():
        output = stock({"waveform": torch.from_numpy(clip.samples), "sample_rate": SR}, num_speakers=2)
    assert len(output.speaker_diarization.labels()) == 2
    assert network.attempts == []


@pytest.mark.models
@needs_espeak
def test_two_voice_call_is_diarized_with_der_under_10_percent(call: _Call, model_settings: Settings) -> None:
    from qa_service.pipeline.diarize import load_diarizer

    progress: list[tuple[str, float, float]] = []
    diarizer = load_diarizer(model_settings)
    assert load_diarizer(model_settings)._pipeline is diarizer._pipeline  # type: ignore[attr-defined]
    result = diarizer.diarize(call.audio, hook=lambda *p: progress.append(p))
    assert result.speakers == ("SPEAKER_00", "SPEAKER_01")
    assert result.turns[0].speaker == "SPEAKER_00" and result.turns[0].start < 1.0
    assert _der(call.reference, result) < 0.10
    assert {stage for stage, _, _ in progress} == {"diarize:segmentation", "diarize:embeddings"}
    assert all(done == total for stage, done, total in progress[-1:])


@pytest.mark.models
def test_pyannote_telemetry_stays_off_in_a_diarizing_process() -> None:
    """The user exported PYANNOTE_METRICS_ENABLED=1 (and HF_HUB_OFFLINE=0) before starting Python."""
    code = textwrap.dedent(
        """
        import socket
        attempts = []
        def blocked(*args, **kwargs):
            attempts.append(args)
            raise OSError("blocked")
        socket.socket.connect = blocked
        socket.getaddrinfo = blocked
        import numpy as np
        from qa_service.domain import Audio
        from qa_service.pipeline.diarize import load_diarizer
        from qa_service.runtime import pyannote_telemetry_enabled
        from qa_service.settings import Settings
        noise = (np.random.default_rng(0).normal(0, 0.05, (1, 32000))).astype(np.float32)
        load_diarizer(Settings(device="cpu", cpu_threads=1)).diarize(Audio(noise))
        import os
        env = os.environ
        print(pyannote_telemetry_enabled(), env["PYANNOTE_METRICS_ENABLED"], env["HF_HUB_OFFLINE"])
        print(len(attempts))
        """
    )
    env = dict(os.environ, PYANNOTE_METRICS_ENABLED="1", HF_HUB_OFFLINE="0")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["False", "0", "1", "0"]
