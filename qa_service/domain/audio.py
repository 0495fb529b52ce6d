"""Decoded audio."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

#: Every stage after decode works at this rate (Whisper, pyannote and CAM++ all expect 16 kHz).
SAMPLE_RATE = 16_000


def to_pcm16(samples: npt.NDArray[np.floating]) -> npt.NDArray[np.int16]:
    """Float samples → 16-bit little-endian samples (same shape), the exact inverse of decoding by
    ``/ 32768``: what was decoded from PCM16 comes back sample for sample; out-of-range values clip."""
    return np.clip(np.rint(samples.astype(np.float64) * 32768.0), -32768, 32767).astype("<i2")


@dataclass(frozen=True, eq=False)
class Audio:
    """Float32 samples in [-1, 1], shape ``(channels, frames)``, at :data:`SAMPLE_RATE` after decode.

    ``source`` is a display name (file name), never used to re-open the file.
    ``original_sample_rate``/``original_format`` describe what was decoded (telephony 8 kHz μ-law, …).
    """

    samples: npt.NDArray[np.float32]
    sample_rate: int = SAMPLE_RATE
    source: str = ""
    original_sample_rate: int | None = None
    original_format: str = ""

    def __post_init__(self) -> None:
        if self.samples.ndim != 2:
            raise ValueError("Audio.samples must be 2-D (channels, frames)")

    @property
    def channels(self) -> int:
        return int(self.samples.shape[0])

    @property
    def frames(self) -> int:
        return int(self.samples.shape[1])

    @property
    def duration(self) -> float:
        return self.frames / self.sample_rate

    def channel(self, index: int) -> Audio:
        """One channel as mono audio (a view, not a copy)."""
        return Audio(
            self.samples[index : index + 1],
            self.sample_rate,
            self.source,
            self.original_sample_rate,
            self.original_format,
        )

    def mono(self) -> Audio:
        """The mix of all channels."""
        if self.channels == 1:
            return self
        mixed = self.samples.mean(axis=0, keepdims=True).astype(np.float32)
        return Audio(mixed, self.sample_rate, self.source, self.original_sample_rate, self.original_format)
