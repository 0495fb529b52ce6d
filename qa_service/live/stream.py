"""One live channel's audio cut into utterance-sized chunks by an energy voice-activity detector, ready
for the recogniser: a chunk ends after :attr:`VadConfig.end_silence_s` of quiet following speech, or
when it reaches :attr:`VadConfig.max_chunk_s`. Input at 8 or 16 kHz; chunks at 16 kHz (the rate every
recogniser here expects). While a chunk is still open, :meth:`ChannelStream.partial` hands out a snapshot of
it every :attr:`VadConfig.partial_s` for a partial (interim) transcript. The channel also keeps the whole
recording as it arrived (the incoming rate, samples unchanged) and when speech was last heard."""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from qa_service.domain.audio import SAMPLE_RATE

FRAME_S = 0.03


@dataclass(frozen=True)
class VadConfig:
    threshold: float = 0.012  # RMS of a speech frame, at least (raised to 3× the noise floor when higher)
    end_silence_s: float = 0.6
    max_chunk_s: float = 12.0
    min_speech_s: float = 0.25  # shorter bursts (clicks, breaths) are dropped
    partial_s: float = 1.5  # a partial transcript of the open chunk at most this often (0: none)


@dataclass(frozen=True)
class Chunk:
    channel: int
    start_s: float  # from the start of the call
    end_s: float
    samples: npt.NDArray[np.float32]  # 16 kHz mono
    arrived: float  # time.monotonic() when its last audio arrived
    partial: bool = False  # a snapshot of a chunk still open (its final chunk comes later)
    source_rate: int = SAMPLE_RATE  # of the audio as it arrived (8000: telephone band, upsampled here)


def to_16k(samples: npt.NDArray[np.float32], rate: int) -> npt.NDArray[np.float32]:
    if rate == SAMPLE_RATE:
        return samples.astype(np.float32, copy=False)
    if rate * 2 == SAMPLE_RATE:  # 8 kHz telephone audio: linear interpolation to 16 kHz
        out = np.empty(samples.size * 2, dtype=np.float32)
        out[0::2] = samples
        out[1:-1:2] = (samples[:-1] + samples[1:]) / 2
        if samples.size:
            out[-1] = samples[-1]
        return out
    raise ValueError(f"unsupported sample rate {rate}")


@dataclass
class ChannelStream:
    channel: int
    config: VadConfig = field(default_factory=VadConfig)
    _pending: list[npt.NDArray[np.float32]] = field(default_factory=list)  # audio not yet framed
    _chunk: list[npt.NDArray[np.float32]] = field(default_factory=list)
    _chunk_start_s: float | None = None
    _speech_s: float = 0.0
    _quiet_s: float = 0.0
    _noise: float = 0.005
    _history: deque[npt.NDArray[np.float32]] = field(default_factory=lambda: deque(maxlen=5))
    _partial_at_s: float = 0.0  # where the open chunk's last partial snapshot ended
    position_s: float = 0.0  # audio received, seconds
    last_speech_s: float = 0.0
    rate: int | None = None  # of the incoming audio (fixed by the first frame)
    recording: list[npt.NDArray[np.float32]] = field(default_factory=list)  # as received, whole call

    def feed(self, samples: npt.NDArray[np.float32], rate: int, *, now: float | None = None) -> list[Chunk]:
        """Add audio; the chunks it completes."""
        arrived = time.monotonic() if now is None else now
        if self.rate is None:
            self.rate = rate
        elif rate != self.rate:
            raise ValueError(f"audio at {rate} Hz on a channel that started at {self.rate} Hz")
        audio = to_16k(samples, rate)
        self.recording.append(samples.astype(np.float32, copy=True))
        self._pending.append(audio)
        buffered = np.concatenate(self._pending) if len(self._pending) > 1 else self._pending[0]
        step = int(FRAME_S * SAMPLE_RATE)
        usable = (buffered.size // step) * step
        self._pending = [buffered[usable:]] if usable < buffered.size else []
        out = []
        for i in range(0, usable, step):
            chunk = self._frame(buffered[i:i + step], arrived)
            if chunk is not None:
                out.append(chunk)
        return out

    def _frame(self, frame: npt.NDArray[np.float32], arrived: float) -> Chunk | None:
        cfg = self.config
        start = self.position_s
        self.position_s += FRAME_S
        rms = float(np.sqrt(np.mean(frame * frame)))
        speech = rms >= max(cfg.threshold, 3 * self._noise)
        if not speech:
            self._noise = 0.98 * self._noise + 0.02 * rms
        if speech:
            self.last_speech_s = self.position_s
            if self._chunk_start_s is None:
                self._chunk = list(self._history)  # a little audio before the speech began
                self._chunk_start_s = max(0.0, start - FRAME_S * len(self._chunk))
            self._speech_s += FRAME_S
            self._quiet_s = 0.0
        elif self._chunk_start_s is not None:
            self._quiet_s += FRAME_S
        if self._chunk_start_s is None:
            self._history.append(frame)
            return None
        self._chunk.append(frame)
        length = self.position_s - self._chunk_start_s
        if self._quiet_s >= cfg.end_silence_s or length >= cfg.max_chunk_s:
            return self._close(arrived)
        return None

    def _close(self, arrived: float) -> Chunk | None:
        start, speech = self._chunk_start_s, self._speech_s
        samples = np.concatenate(self._chunk) if self._chunk else np.zeros(0, np.float32)
        self._chunk, self._chunk_start_s, self._speech_s, self._quiet_s = [], None, 0.0, 0.0
        if start is None or speech < self.config.min_speech_s:
            return None
        return Chunk(self.channel, start, self.position_s, samples, arrived, source_rate=self.rate or SAMPLE_RATE)

    @property
    def open_start_s(self) -> float | None:
        """Where the chunk in progress began (None between chunks)."""
        return self._chunk_start_s

    def partial(self, *, now: float | None = None) -> Chunk | None:
        """A snapshot of the open chunk, when it has speech enough and :attr:`VadConfig.partial_s` has
        passed since the last one (or since it opened)."""
        cfg, start = self.config, self._chunk_start_s
        if cfg.partial_s <= 0 or start is None or self._speech_s < cfg.min_speech_s:
            return None
        if self.position_s - max(start, self._partial_at_s) < cfg.partial_s:
            return None
        self._partial_at_s = self.position_s
        return Chunk(self.channel, start, self.position_s, np.concatenate(self._chunk),
                     time.monotonic() if now is None else now, partial=True, source_rate=self.rate or SAMPLE_RATE)

    def flush(self, *, now: float | None = None) -> Chunk | None:
        """The chunk in progress at the end of the call."""
        if self._chunk_start_s is None:
            return None
        return self._close(time.monotonic() if now is None else now)

    def whole(self) -> npt.NDArray[np.float32]:
        """The channel's audio as received (at :attr:`rate`)."""
        return np.concatenate(self.recording) if self.recording else np.zeros(0, np.float32)
