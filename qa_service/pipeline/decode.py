"""Decode any recorder format to 16 kHz float32, keeping the channels (PyAV's bundled FFmpeg).

WAV (PCM 8/16/24/32-bit, float, μ-law, A-law), MP3, FLAC, OGG/Opus, M4A, at any sample rate.
Empty, truncated-header and non-audio input raise :class:`AudioDecodeError` with a readable reason.
A file cut off mid-stream keeps what decoded before the cut (recorders crash; the audio they wrote is
still the call), with a warning. Silence decodes fine: it becomes an empty transcript later.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import numpy.typing as npt

from qa_service.domain import SAMPLE_RATE, Audio
from qa_service.errors import AudioDecodeError

log = logging.getLogger(__name__)

#: Fewer samples than this (10 ms) after decoding is "no audio at all".
_MIN_FRAMES = SAMPLE_RATE // 100


def decode_audio(source: Path | bytes, *, name: str = "") -> Audio:
    """Decode a file or in-memory bytes to :class:`Audio` at :data:`SAMPLE_RATE`, channels kept."""
    display = name or (source.name if isinstance(source, Path) else "<bytes>")
    fh = _open_source(source, display)
    import av  # PyAV; imported here so the CLI starts fast

    try:
        with av.open(fh, mode="r", metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise AudioDecodeError(f"{display}: no audio stream in the file (not an audio recording?)",
                                       source=display)
            stream = container.streams.audio[0]
            samples, truncated = _decode_stream(container, stream, display)
            fmt = f"{container.format.name}/{stream.codec_context.name}"
            rate = int(stream.codec_context.sample_rate or 0) or None
    except AudioDecodeError:
        raise
    except (av.error.FFmpegError, ValueError, OSError) as exc:
        raise AudioDecodeError(f"{display}: cannot decode audio ({_short(exc)}); "
                               "the file is not audio, is corrupt, or its header is truncated",
                               source=display) from exc
    finally:
        fh.close()
    if samples.shape[1] < _MIN_FRAMES:
        raise AudioDecodeError(f"{display}: the file holds no audio samples (empty or truncated)",
                               source=display)
    if truncated:
        log.warning("%s: decoding stopped early (file truncated?); kept %.2f s", display,
                    samples.shape[1] / SAMPLE_RATE)
    return Audio(samples, SAMPLE_RATE, display, rate, fmt)


def _open_source(source: Path | bytes, display: str) -> BinaryIO:
    if isinstance(source, bytes | bytearray | memoryview):
        if len(source) == 0:
            raise AudioDecodeError(f"{display}: empty input (0 bytes)", source=display)
        return io.BytesIO(bytes(source))
    path = Path(source)
    if not path.is_file():
        raise AudioDecodeError(f"{display}: no such file", source=display)
    if path.stat().st_size == 0:
        raise AudioDecodeError(f"{display}: empty file (0 bytes)", source=display)
    return open(path, "rb")  # closed by decode_audio


def _decode_stream(container: Any, stream: Any, display: str) -> tuple[npt.NDArray[np.float32], bool]:
    """All frames resampled to planar float at 16 kHz: (channels, frames), and whether it was cut short."""
    import av

    channels = int(stream.codec_context.channels or 0)
    if channels < 1:
        raise AudioDecodeError(f"{display}: audio stream has no channels", source=display)
    layout = {1: "mono", 2: "stereo"}.get(channels) or stream.codec_context.layout.name
    resampler = av.AudioResampler(format="fltp", layout=layout, rate=SAMPLE_RATE)
    chunks: list[npt.NDArray[Any]] = []
    bad_frames = 0
    truncated = False
    try:
        for packet in container.demux(stream):
            try:
                frames = packet.decode()
            except av.error.InvalidDataError:
                bad_frames += 1  # one corrupt packet: skip it, keep the rest of the call
                continue
            for frame in frames:
                chunks.extend(out.to_ndarray() for out in resampler.resample(frame))
        chunks.extend(out.to_ndarray() for out in resampler.resample(None))
    except (av.error.FFmpegError, EOFError) as exc:
        if not chunks:
            raise
        log.debug("%s: stopped at %s", display, exc)
        truncated = True
    if bad_frames:
        log.warning("%s: skipped %d undecodable packet(s)", display, bad_frames)
    if not chunks:
        return np.zeros((channels, 0), dtype=np.float32), truncated
    samples = np.concatenate(chunks, axis=1).astype(np.float32, copy=False)
    samples = np.clip(np.nan_to_num(samples, nan=0.0, posinf=1.0, neginf=-1.0), -1.0, 1.0)
    return np.ascontiguousarray(samples), truncated


def _short(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) < 160 else text[:157] + "..."
