"""Audio recognised by content, not by name; non-audio described in a few words; probing decodes the start."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import av
import numpy as np
import pytest

from qa_service.errors import AudioDecodeError
from qa_service.ingest.sniff import AudioKind, describe_content, probe_audio, sniff_audio


def _encode(fmt: str, codec: str, rate: int = 16000) -> bytes:
    """One second of tone in ``fmt``/``codec``, encoded with PyAV (the decoder's own FFmpeg)."""
    buf = io.BytesIO()
    with av.open(buf, mode="w", format=fmt) as out:
        stream = out.add_stream(codec, rate=rate, layout="mono")
        samples = (0.2 * np.sin(2 * np.pi * 300 * np.arange(rate) / rate)).astype(np.float32)
        formats = stream.codec_context.codec.audio_formats
        fmt_name = formats[0].name if formats else "flt"
        # mono: packed and planar layouts are both one row of samples
        frame = av.AudioFrame.from_ndarray(_as(samples, fmt_name)[None, :], format=fmt_name, layout="mono")
        frame.sample_rate = rate
        for packet in stream.encode(frame):
            out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return buf.getvalue()


def _as(samples: np.ndarray, fmt: str) -> np.ndarray:
    if fmt.startswith("s16"):
        return (samples * 32767).astype(np.int16)
    if fmt.startswith("s32"):
        return (samples * 2**31 * 0.99).astype(np.int32)
    return samples


@pytest.mark.parametrize(("fmt", "codec", "kind"), [
    ("wav", "pcm_s16le", AudioKind.WAV),
    ("flac", "flac", AudioKind.FLAC),
    ("ogg", "libopus", AudioKind.OPUS),
    ("mp3", "libmp3lame", AudioKind.MP3),
    ("adts", "aac", AudioKind.AAC),
    ("ipod", "aac", AudioKind.MP4),
    ("au", "pcm_mulaw", AudioKind.AU),
])
def test_encoded_audio_is_recognised_by_content(fmt: str, codec: str, kind: AudioKind, tmp_path: Path) -> None:
    rate = 48000 if codec == "libopus" else 16000
    data = _encode(fmt, codec, rate)  # the pinned PyAV wheel's FFmpeg carries every one of these encoders
    assert sniff_audio(data[:4096]) is kind
    path = tmp_path / "recording.bin"  # the name says nothing
    path.write_bytes(data)
    probe_audio(path)


@pytest.mark.parametrize(("head", "said"), [
    (b"%PDF-1.7\n%...", "a PDF document"),
    (b"PK\x03\x04" + b"\x00" * 40, "a ZIP archive (or an Office document)"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "a PNG image"),
    (b"<!DOCTYPE html><html>", "an HTML page"),
    (b'{"call_id": "x"}', "JSON or other text"),
    (b"hello, this is not audio", "text"),
    (b"RIFF\x10\x00\x00\x00AVI LIST", "a RIFF file of type 'AVI ', not WAVE"),
    (b"\x00\x01\xfe\xff\x80\x81" * 10, "binary data of an unknown kind"),
])
def test_non_audio_is_refused_and_described(head: bytes, said: str) -> None:
    assert sniff_audio(head) is None
    assert describe_content(head) == said


def test_lookalikes_are_not_audio() -> None:
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00"
    assert sniff_audio(heic) is None  # an iPhone photo shares MP4's box layout
    assert sniff_audio(b"\xff\xd8\xff\xe0\x00\x10JFIF") is None  # a JPEG starts with 0xFF too
    assert sniff_audio(b"") is None
    assert sniff_audio(b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"fLaC") is AudioKind.FLAC  # tag before FLAC


def test_probe_refuses_headers_without_audio(tmp_path: Path, wav: Callable[..., Path]) -> None:
    good = wav(tmp_path / "good.wav", 3)
    truncated = tmp_path / "truncated.wav"
    truncated.write_bytes(good.read_bytes()[:44])  # header only: no samples
    with pytest.raises(AudioDecodeError, match=r"no audio samples|cannot decode"):
        probe_audio(truncated, name="truncated.wav")
    garbage = tmp_path / "garbage.wav"
    garbage.write_bytes(b"RIFF\x00\x00\x00\x00WAVEfmt garbage " + bytes(range(200)))
    with pytest.raises(AudioDecodeError, match=r"garbage\.wav"):
        probe_audio(garbage, name="garbage.wav")
