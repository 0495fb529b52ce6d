"""decode_audio: every recorder format, any rate, mono/stereo; bad input gives a typed, readable error."""

from __future__ import annotations

import io
import shutil
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

from qa_service.domain import SAMPLE_RATE
from qa_service.errors import AudioDecodeError, QAError
from qa_service.pipeline import decode_audio

av = pytest.importorskip("av")


@pytest.fixture(scope="module")
def clip() -> tuple[np.ndarray, int]:
    """A short espeak-ng utterance: float32 samples and their rate (22.05 kHz)."""
    if shutil.which("espeak-ng") is None:
        pytest.fail("espeak-ng is required (apt-get install espeak-ng)")
    wav = subprocess.run(["espeak-ng", "-v", "en-us", "--stdout", "Thank you for calling, goodbye."],
                         check=True, capture_output=True).stdout
    with wave.open(io.BytesIO(wav)) as w:
        rate = w.getframerate()
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32) / 32768.0
    return data, rate


def _encode(path: Path, samples: np.ndarray, rate: int, fmt: str, codec: str) -> Path:
    """Write ``samples`` (channels, n) with PyAV's encoders."""
    layout = "mono" if samples.shape[0] == 1 else "stereo"
    with av.open(str(path), "w", format=fmt) as out:
        stream = out.add_stream(codec, rate=rate, layout=layout)
        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(samples, dtype=np.float32), format="fltp",
                                           layout=layout)
        frame.sample_rate = rate
        for packet in stream.encode(frame):
            out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path


FORMATS = [  # name, container, codec, rate, channels
    ("pcm16.wav", "wav", "pcm_s16le", 16000, 1),
    ("pcm8.wav", "wav", "pcm_u8", 22050, 1),
    ("pcm24.wav", "wav", "pcm_s24le", 44100, 1),
    ("pcm32.wav", "wav", "pcm_s32le", 48000, 1),
    ("float.wav", "wav", "pcm_f32le", 22050, 1),
    ("ulaw-8k.wav", "wav", "pcm_mulaw", 8000, 1),
    ("alaw-8k.wav", "wav", "pcm_alaw", 8000, 1),
    ("call.mp3", "mp3", "libmp3lame", 22050, 1),
    ("call.flac", "flac", "flac", 16000, 1),
    ("call.opus", "ogg", "libopus", 48000, 1),
    ("call.m4a", "ipod", "aac", 44100, 1),
    ("stereo.wav", "wav", "pcm_s16le", 44100, 2),
    ("stereo.flac", "flac", "flac", 8000, 2),
    ("stereo.m4a", "ipod", "aac", 16000, 2),
]


def _resample(x: np.ndarray, src: int, dst: int) -> np.ndarray:
    t = np.arange(int(len(x) * dst / src)) / dst
    return np.interp(t, np.arange(len(x)) / src, x).astype(np.float32)


@pytest.mark.parametrize(("name", "fmt", "codec", "rate", "channels"), FORMATS)
def test_every_recorder_format_decodes_to_16k_float_keeping_channels(
    tmp_path: Path, clip: tuple[np.ndarray, int], name: str, fmt: str, codec: str, rate: int, channels: int
) -> None:
    data, src_rate = clip
    mono = _resample(data, src_rate, rate)
    # stereo: the clip on the left, the same clip 6 dB quieter and delayed on the right
    right = np.concatenate([np.zeros(rate // 4, np.float32), 0.5 * mono])[: mono.size]
    samples = np.stack([mono, right])[:channels]
    path = _encode(tmp_path / name, samples, rate, fmt, codec)

    audio = decode_audio(path)

    assert audio.sample_rate == SAMPLE_RATE and audio.samples.dtype == np.float32
    assert audio.channels == channels
    assert audio.original_sample_rate == rate
    assert abs(audio.duration - mono.size / rate) < 0.1
    assert np.isfinite(audio.samples).all() and np.abs(audio.samples).max() <= 1.0
    reference = _resample(data, src_rate, SAMPLE_RATE)
    rms = float(np.sqrt(np.mean(reference**2)))
    got = float(np.sqrt(np.mean(audio.samples[0] ** 2)))
    assert 0.7 * rms < got < 1.4 * rms  # the speech is there at its level (lossy codecs included)
    if channels == 2:
        ratio = float(np.sqrt(np.mean(audio.samples[1] ** 2))) / got
        assert 0.4 < ratio < 0.6  # channels are kept apart, not mixed


def test_bytes_decode_like_files(tmp_path: Path, clip: tuple[np.ndarray, int]) -> None:
    data, rate = clip
    path = _encode(tmp_path / "c.flac", data[None, :], rate, "flac", "flac")
    from_file = decode_audio(path)
    from_bytes = decode_audio(path.read_bytes(), name="upload.flac")
    assert from_bytes.source == "upload.flac"
    assert np.array_equal(from_file.samples, from_bytes.samples)


def test_silence_decodes_fine(tmp_path: Path) -> None:
    path = _encode(tmp_path / "silence.wav", np.zeros((1, 3 * 8000), np.float32), 8000, "wav", "pcm_s16le")
    audio = decode_audio(path)
    assert audio.duration == pytest.approx(3.0, abs=0.01) and float(np.abs(audio.samples).max()) == 0.0


def test_a_file_cut_off_mid_stream_keeps_what_was_recorded(tmp_path: Path,
                                                           clip: tuple[np.ndarray, int]) -> None:
    data, rate = clip
    whole = _encode(tmp_path / "whole.wav", data[None, :], rate, "wav", "pcm_s16le").read_bytes()
    cut = tmp_path / "cut.wav"
    cut.write_bytes(whole[: len(whole) // 2])
    audio = decode_audio(cut)
    assert audio.duration == pytest.approx(data.size / rate / 2, abs=0.05)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.wav", b"", "empty"),
        ("header.wav", b"RIFF\x24\x08\x00\x00WAVEfmt ", "cannot decode"),
        ("random.mp3", np.random.default_rng(3).integers(0, 256, 8000, dtype=np.uint8).tobytes(),
         "cannot decode"),
        ("notes.txt", b"Customer called about a card.\n" * 20, "no audio stream"),
    ],
)
def test_bad_input_raises_a_typed_readable_error(tmp_path: Path, name: str, content: bytes,
                                                 reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(AudioDecodeError) as info:
        decode_audio(path)
    assert isinstance(info.value, QAError)
    assert name in info.value.reason and reason in info.value.reason


def test_missing_file_and_empty_bytes_are_decode_errors(tmp_path: Path) -> None:
    with pytest.raises(AudioDecodeError, match="no such file"):
        decode_audio(tmp_path / "nope.wav")
    with pytest.raises(AudioDecodeError, match="empty"):
        decode_audio(b"", name="upload.wav")


def test_a_header_with_no_samples_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "nothing.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(b"")
    with pytest.raises(AudioDecodeError, match="no audio"):
        decode_audio(path)
