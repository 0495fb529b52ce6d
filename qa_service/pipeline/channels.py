"""What a two-channel recording really holds, decided before anything is transcribed:

- ``stereo``: one speaker per channel (agent and customer recorded apart) — speakers come from channels;
- ``dual_mono``: the same signal on both channels (a mono recording saved as stereo, common in call
  recorders; also with a small delay, a gain difference, inverted phase or lossy coding between the
  channels) — transcribed once, as mono, and diarized;
- ``one_silent``: one channel carries (next to) nothing — the live channel is transcribed as mono;
- ``mono``: a one-channel recording.

Taking a dual-mono file as stereo transcribes every word twice (a WER above 100%), so the decision
and its reason go into the transcript's metadata (``channel_layout``, ``channel_layout_reason``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from qa_service.domain import Audio

FRAME_S = 0.02


class Layout(StrEnum):
    STEREO = "stereo"
    DUAL_MONO = "dual_mono"
    ONE_SILENT = "one_silent"
    MONO = "mono"


@dataclass(frozen=True)
class LayoutOptions:
    silent_dbfs: float = -55.0  # a channel whose loud frames stay under this is silent
    silent_gap_db: float = 35.0  # ... or that is this much quieter than the other channel
    same_correlation: float = 0.8  # |normalised cross-correlation| at the best lag
    same_level_spread_db: float = 3.0  # the channels' level difference barely moves (std over speech frames)
    max_lag_s: float = 0.02  # delays between the channels searched
    analysis_s: float = 120.0  # how much of the call is analysed


@dataclass(frozen=True)
class ChannelLayout:
    layout: Layout
    reason: str
    channel: int | None = None  # one_silent: the live channel

    def as_meta(self) -> tuple[tuple[str, str], ...]:
        return (("channel_layout", self.layout.value), ("channel_layout_reason", self.reason))


def _frame_db(x: npt.NDArray[np.float32], hop: int) -> npt.NDArray[np.float64]:
    n = x.size // hop
    frames = x[: n * hop].reshape(n, hop).astype(np.float64)
    return 10.0 * np.log10(np.maximum(np.mean(frames**2, axis=1), 1e-12))


def _loud_level(db: npt.NDArray[np.float64]) -> float:
    """The level of a channel's loud frames (95th percentile), in dBFS."""
    return float(np.percentile(db, 95)) if db.size else -120.0


def _best_correlation(a: npt.NDArray[np.float32], b: npt.NDArray[np.float32], max_lag: int) -> float:
    """max |normalised cross-correlation| of a and b over lags within ±max_lag samples (via FFT)."""
    a0 = a.astype(np.float64) - a.mean()
    b0 = b.astype(np.float64) - b.mean()
    denom = float(np.sqrt(np.dot(a0, a0) * np.dot(b0, b0)))
    if denom <= 0:
        return 0.0
    n = 1 << int(np.ceil(np.log2(a0.size + b0.size)))
    xc = np.fft.irfft(np.fft.rfft(a0, n) * np.conj(np.fft.rfft(b0, n)), n)
    window = np.concatenate([xc[: max_lag + 1], xc[-max_lag:]]) if max_lag else xc[:1]
    return float(np.max(np.abs(window)) / denom)


def channel_layout(audio: Audio, options: LayoutOptions = LayoutOptions()) -> ChannelLayout:
    if audio.channels == 1:
        return ChannelLayout(Layout.MONO, "one channel")
    if audio.channels != 2:
        return ChannelLayout(Layout.STEREO, f"{audio.channels} channels")
    span = min(audio.frames, int(options.analysis_s * audio.sample_rate))
    left, right = audio.samples[0, :span], audio.samples[1, :span]
    hop = max(1, round(FRAME_S * audio.sample_rate))
    db = (_frame_db(left, hop), _frame_db(right, hop))
    loud = (_loud_level(db[0]), _loud_level(db[1]))
    for ch in (0, 1):
        other = 1 - ch
        if loud[ch] < options.silent_dbfs or loud[other] - loud[ch] > options.silent_gap_db:
            if loud[other] < options.silent_dbfs:
                return ChannelLayout(Layout.MONO, f"both channels silent ({loud[0]:.0f}/{loud[1]:.0f} dBFS)", 0)
            return ChannelLayout(Layout.ONE_SILENT, f"channel {ch} is silent ({loud[ch]:.0f} dBFS against "
                                 f"{loud[other]:.0f} dBFS): transcribed channel {other} as mono", other)
    corr = _best_correlation(left, right, round(options.max_lag_s * audio.sample_rate))
    if corr >= options.same_correlation:
        return ChannelLayout(Layout.DUAL_MONO, f"both channels carry the same signal (correlation {corr:.2f}): "
                             "transcribed once as mono")
    # the same signal through different coding keeps a steady level difference; two speakers (even with
    # echo of one in the other's channel) swing it by tens of dB as the turns change
    active = (db[0] > loud[0] - 25) | (db[1] > loud[1] - 25)
    spread = float(np.std(db[0][active] - db[1][active])) if active.sum() > 10 else float("inf")
    if spread <= options.same_level_spread_db:
        return ChannelLayout(Layout.DUAL_MONO, f"both channels rise and fall together (level difference varies "
                             f"by {spread:.1f} dB): transcribed once as mono")
    return ChannelLayout(Layout.STEREO, f"separate signals (correlation {corr:.2f}, level difference varies by "
                         f"{spread:.1f} dB): one speaker per channel")
