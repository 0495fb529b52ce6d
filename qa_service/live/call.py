"""One live call: audio frames in, per channel cut into chunks (:mod:`qa_service.live.stream`), each
chunk transcribed (by the caller, off the event loop: :meth:`LiveCall.transcribed` takes the result),
the transcript growing utterance by utterance (partial transcripts of an utterance still being spoken
in between), live checks raising alerts, and at the end the whole recording as a stereo WAV at the
incoming rate, samples as received (agent on channel 0), for the batch pipeline.

Every final utterance records its latency: from the arrival of the chunk's last audio to its text.
Alerts record their delay after the end of the words that set them off (in call time, how far the
call had got when the alert was raised)."""

from __future__ import annotations

import threading
import time
import wave
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from qa_service.domain import CallMetadata, CallTranscript, Role, Utterance, Word, to_pcm16
from qa_service.live.checks import AlertSpec, LiveChecks
from qa_service.live.stream import ChannelStream, Chunk, VadConfig


@dataclass(frozen=True)
class LiveUtterance:
    index: int
    channel: int
    role: str
    start_s: float
    end_s: float
    text: str
    latency_s: float  # audio arrival → final text


@dataclass(frozen=True)
class LivePartial:
    """The text so far of an utterance still being spoken (replaced by its final utterance)."""

    channel: int
    role: str
    start_s: float
    end_s: float
    text: str
    latency_s: float  # audio arrival → this text


@dataclass(frozen=True)
class Alert:
    kind: str
    at_s: float
    message: str
    evidence: str
    raised_at_call_s: float  # how far the call had got when it was raised
    delay_s: float | None  # raised_at_call_s − end of the triggering words


@dataclass
class LiveCall:
    call_id: str
    metadata: CallMetadata
    rate: int
    roles: tuple[Role, ...]  # per channel of the incoming frames
    language: str
    checks: LiveChecks
    vad: VadConfig = field(default_factory=VadConfig)
    hints: tuple[str, ...] = ()  # the phrases of the call's rubric, for the recogniser (rubrics.hints)
    started: float = field(default_factory=time.monotonic)
    utterances: list[LiveUtterance] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)
    frames: int = 0
    ended: bool = False
    _streams: list[ChannelStream] = field(default_factory=list)
    _pending: dict[int, float] = field(default_factory=dict)  # chunk id → start_s, being transcribed
    _next_chunk: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._streams = [ChannelStream(i, self.vad) for i in range(len(self.roles))]

    @property
    def position_s(self) -> float:
        return max((s.position_s for s in self._streams), default=0.0)

    def feed(self, samples: npt.NDArray[np.float32]) -> list[tuple[int, Chunk]]:
        """One decoded frame (samples × channels); the chunks to transcribe, with their ids."""
        if samples.ndim != 2 or samples.shape[1] != len(self._streams):
            raise ValueError(f"a frame of shape {samples.shape} for {len(self._streams)} channel(s)")
        self.frames += 1
        out = []
        for s in self._streams:
            for chunk in s.feed(samples[:, s.channel], self.rate):
                out.append(self._track(chunk))
        return out

    def _track(self, chunk: Chunk) -> tuple[int, Chunk]:
        with self._lock:
            cid = self._next_chunk
            self._next_chunk += 1
            self._pending[cid] = chunk.start_s
        return cid, chunk

    def partials(self) -> list[Chunk]:
        """Snapshots of the utterances being spoken, for partial transcripts (see ChannelStream.partial)."""
        return [c for s in self._streams if (c := s.partial()) is not None]

    def end(self) -> list[tuple[int, Chunk]]:
        """The call is over: the chunks still in progress."""
        self.ended = True
        return [self._track(c) for s in self._streams if (c := s.flush()) is not None]

    # ------------------------------------------------------------------ transcripts and alerts
    def transcript(self) -> CallTranscript:
        with self._lock:
            utts = sorted(self.utterances, key=lambda u: (u.start_s, u.channel))
        return CallTranscript(language=self.language, utterances=tuple(
            Utterance(u.role, u.start_s, u.end_s, u.text, (Word(u.text, u.start_s, u.end_s),), Role(u.role), u.channel)
            for u in utts), duration=self.position_s)

    def transcribed(self, chunk_id: int, chunk: Chunk, segments: Sequence[tuple[str, float, float]]) -> list[Alert]:
        """The recogniser's text for a chunk (segments with times from the chunk's start)."""
        done = time.monotonic()
        role = self.roles[chunk.channel]
        new = []
        with self._lock:
            self._pending.pop(chunk_id, None)
            for text, start, end in segments:
                if not text.strip():
                    continue
                u = LiveUtterance(len(self.utterances), chunk.channel, role.value, round(chunk.start_s + start, 3),
                                  round(min(chunk.end_s, chunk.start_s + end), 3), text.strip(), done - chunk.arrived)
                self.utterances.append(u)
                new.append(u)
        alerts: list[Alert] = []
        for u in new:
            t = self.transcript()
            utt = Utterance(u.role, u.start_s, u.end_s, u.text, (), Role(u.role), u.channel)
            alerts += self._raise(self.checks.after_utterance(t, utt))
        return alerts + self.tick()

    def partial_transcribed(self, chunk: Chunk, segments: Sequence[tuple[str, float, float]]) -> LivePartial | None:
        """The recogniser's text for a partial snapshot; None when it came too late (its utterance is
        final already) or is empty."""
        text = " ".join(t.strip() for t, _, _ in segments if t.strip()) if self.language != "zh" else \
            "".join(t.strip() for t, _, _ in segments)
        if not text or self._streams[chunk.channel].open_start_s != chunk.start_s:
            return None
        return LivePartial(chunk.channel, self.roles[chunk.channel].value, chunk.start_s, chunk.end_s, text,
                           time.monotonic() - chunk.arrived)

    def tick(self) -> list[Alert]:
        """Time-based checks (call it as audio arrives)."""
        with self._lock:
            until = min(self._pending.values(), default=self.position_s)
        last = max((s.last_speech_s for s in self._streams), default=0.0)
        return self._raise(self.checks.at_time(self.transcript(), self.position_s, last, until))

    def _raise(self, specs: list[AlertSpec]) -> list[Alert]:
        now = self.position_s
        out = [Alert(a.kind, a.at_s, a.message, a.evidence, now,
                     None if a.trigger_end_s is None else max(0.0, now - a.trigger_end_s)) for a in specs]
        with self._lock:
            self.alerts += out
        return out

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._pending)

    # ------------------------------------------------------------------ the recording
    def write_recording(self, path: Path) -> Path:
        """PCM16 WAV at the incoming rate, the samples as they came in, the agent's channel first (stereo;
        a single channel is written mono)."""
        chans = [s.whole() for s in self._streams]
        n = max((c.size for c in chans), default=0)
        chans = [np.pad(c, (0, n - c.size)) for c in chans]
        order = sorted(range(len(chans)), key=lambda i: 0 if self.roles[i] is Role.AGENT else 1)
        pcm = to_pcm16(np.stack([chans[i] for i in order], axis=1))
        with wave.open(str(path), "wb") as w:
            w.setnchannels(len(chans))
            w.setsampwidth(2)
            w.setframerate(self.rate)
            w.writeframes(pcm.tobytes())
        return path
