"""Transcription and diarization results, from raw ASR output to role-labelled utterances."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    AGENT = "agent"
    CUSTOMER = "customer"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Word:
    """One recognised word (English) or token run (Mandarin), times in seconds from call start.

    ``confidence`` is the recogniser's probability for the word (1.0 for reference text).
    """

    text: str
    start: float
    end: float
    confidence: float = 1.0


@dataclass(frozen=True)
class AsrSegment:
    """A stretch of recognised speech as the recogniser produced it (one channel)."""

    text: str
    start: float
    end: float
    words: tuple[Word, ...] = ()
    channel: int = 0
    avg_logprob: float = 0.0
    no_speech_prob: float = 0.0


@dataclass(frozen=True)
class AsrResult:
    """Everything the transcriber produced for one audio channel (or a mono mix)."""

    language: str
    segments: tuple[AsrSegment, ...]
    duration: float
    language_probability: float = 1.0
    channel: int = 0

    @property
    def words(self) -> tuple[Word, ...]:
        return tuple(w for s in self.segments for w in s.words)


@dataclass(frozen=True)
class SpeakerTurn:
    """A stretch of time one speaker talks (from diarization or a stereo channel)."""

    speaker: str
    start: float
    end: float


@dataclass(frozen=True)
class Diarization:
    """Who spoke when. ``speakers`` in order of first appearance."""

    turns: tuple[SpeakerTurn, ...]
    speakers: tuple[str, ...]
    method: str = "pyannote"  # or "channels"


@dataclass(frozen=True)
class RoleAssignment:
    """Speaker label → role, with how sure we are. ``method`` is "channel", "content" or "reference"."""

    roles: tuple[tuple[str, Role], ...]
    confidence: float
    method: str
    low_confidence: bool = False
    reasons: tuple[str, ...] = ()

    def role_of(self, speaker: str) -> Role:
        return dict(self.roles).get(speaker, Role.UNKNOWN)


@dataclass(frozen=True)
class Utterance:
    """What one speaker said in one stretch, with its role once roles are assigned."""

    speaker: str
    start: float
    end: float
    text: str
    words: tuple[Word, ...] = ()
    role: Role = Role.UNKNOWN
    channel: int | None = None

    @property
    def duration(self) -> float:
        return max(0.0, self.end - self.start)


@dataclass(frozen=True)
class CallTranscript:
    """The role-labelled transcript of a call: what every later stage reads.

    This is also the documented interchange form (see :mod:`qa_service.interchange`).
    """

    language: str
    utterances: tuple[Utterance, ...]
    duration: float = 0.0
    roles: RoleAssignment | None = None
    diarization_method: str = ""
    meta: tuple[tuple[str, str], ...] = field(default=())

    def by_role(self, role: Role) -> tuple[Utterance, ...]:
        return tuple(u for u in self.utterances if u.role == role)

    @property
    def text(self) -> str:
        return "\n".join(u.text for u in self.utterances)
