"""Run the speech pipeline over a folder and score it against references.

A folder is either the sample calls (JSON sidecars read by :mod:`qa_service.samples`: reference turns
with roles and text, RTTM) or any folder of audio files with references beside them sharing the stem:
``call.rttm`` (speaker turns; speakers named ``agent``/``customer`` also give role accuracy) and/or
``call.txt`` (the plain reference transcript). Each row is one file; failures are rows too.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from qa_service.domain import CallMetadata, CallTranscript, Role, SpeakerTurn
from qa_service.errors import QAError
from qa_service.evaluation.metrics import (
    DerCounts,
    ErrorCounts,
    RoleCounts,
    SpeakerRoleCounts,
    diarization_errors,
    error_unit,
    role_errors,
    speaker_role_decisions,
    transcript_errors,
)
from qa_service.pipeline import SpeechModels, SpeechOptions, analyze_speech, decode_audio
from qa_service.pipeline.speech import LANGUAGES
from qa_service.rubrics import Rubric, load_rubrics
from qa_service.rubrics.hints import call_hints
from qa_service.samples import SampleExpected
from qa_service.settings import Settings

log = logging.getLogger(__name__)

AUDIO_SUFFIXES = (".wav", ".flac", ".mp3", ".ogg", ".opus", ".m4a", ".aac", ".wma", ".amr")
MODES = ("stereo", "mono", "telephony")
COLLARS = (0.0, 0.25)


@dataclass(frozen=True)
class EvalItem:
    """One audio file and what it is scored against."""

    name: str
    mode: str  # stereo / mono / telephony / file
    audio: Path
    language: str | None = None
    metadata: CallMetadata | None = None
    agent_channel: int | None = None
    reference_text: str | None = None
    reference_turns: tuple[SpeakerTurn, ...] = ()
    reference_roles: tuple[tuple[Role, float, float], ...] = ()
    expected: SampleExpected | None = None  # sample calls: the rubric answers
    reference_transcript: CallTranscript | None = None  # sample calls: the reference, role-labelled


@dataclass(frozen=True)
class EvalRow:
    item: EvalItem
    language: str = ""
    duration: float = 0.0
    seconds: float = 0.0
    text_errors: ErrorCounts | None = None
    der: tuple[tuple[float, DerCounts], ...] = ()  # (collar, counts)
    roles: RoleCounts | None = None
    role_confidence: float | None = None
    role_low_confidence: bool = False
    error: str | None = None
    speaker_roles: SpeakerRoleCounts | None = None
    transcript: CallTranscript | None = None  # what the pipeline made of the audio

    @property
    def rtf(self) -> float | None:
        return self.seconds / self.duration if self.duration > 0 else None

    def der_at(self, collar: float) -> DerCounts | None:
        return dict(self.der).get(collar)


@dataclass(frozen=True)
class EvalSummary:
    rows: tuple[EvalRow, ...]
    settings: tuple[tuple[str, str], ...] = field(default=())


def discover(directory: Path, modes: Sequence[str] = MODES) -> list[EvalItem]:
    """The evaluation items in ``directory``: sample calls if it has sidecars, else audio + references."""
    from qa_service.samples import iter_samples

    directory = Path(directory)
    if any(directory.glob("*.json")):
        return [item for sample in iter_samples(directory) for item in _sample_items(sample, modes)]
    return [_plain_item(path) for path in sorted(directory.iterdir())
            if path.suffix.lower() in AUDIO_SUFFIXES and path.is_file()]


def _sample_items(sample: object, modes: Sequence[str]) -> list[EvalItem]:
    from qa_service.samples import SampleCall

    assert isinstance(sample, SampleCall)
    paths = {"stereo": sample.stereo_path, "mono": sample.mono_path, "telephony": sample.telephony_path}
    text = "\n".join(t.text for t in sample.turns)
    turns = sample.reference_turns()
    roles = tuple((t.role, t.start, t.end) for t in sample.turns)
    return [
        EvalItem(name=sample.call_id, mode=mode, audio=path, language=sample.language,
                 metadata=sample.metadata, agent_channel=sample.agent_channel, reference_text=text,
                 reference_turns=turns, reference_roles=roles, expected=sample.expected,
                 reference_transcript=sample.reference_transcript())
        for mode in modes if (path := paths.get(mode)) is not None
    ]


def _plain_item(audio: Path) -> EvalItem:
    from qa_service.samples import load_rttm

    rttm, txt = audio.with_suffix(".rttm"), audio.with_suffix(".txt")
    turns = load_rttm(rttm) if rttm.is_file() else ()
    roles = tuple((Role(t.speaker.lower()), t.start, t.end) for t in turns
                  if t.speaker.lower() in (Role.AGENT.value, Role.CUSTOMER.value))
    text = txt.read_text(encoding="utf-8") if txt.is_file() else None
    return EvalItem(name=audio.stem, mode="file", audio=audio, reference_text=text, reference_turns=turns,
                    reference_roles=roles if len(roles) == len(turns) else ())


def evaluate(items: Sequence[EvalItem], models: SpeechModels, settings: Settings,
             language: str | None = None, on_row: Callable[[EvalRow], None] | None = None) -> EvalSummary:
    """Run every item; models are warmed up before each file is timed (loading is not processing)."""
    rows = []
    for item in items:
        row = evaluate_one(item, models, settings, language)
        if on_row is not None:
            on_row(row)
        rows.append(row)
    return EvalSummary(tuple(rows), models.description)


def evaluate_one(item: EvalItem, models: SpeechModels, settings: Settings,
                 language: str | None = None) -> EvalRow:
    lang = language or item.language
    options = SpeechOptions.from_settings(settings, item.metadata, language=lang,
                                          agent_channel=item.agent_channel,
                                          force_mono=item.mode in ("mono", "telephony") or None,
                                          hints=call_hints(_rubrics(settings), item.metadata, LANGUAGES))
    try:
        _warm_up(models, options, item)
        began = time.perf_counter()
        audio = decode_audio(item.audio)
        result = analyze_speech(audio, item.metadata, models, options)
        seconds = time.perf_counter() - began
    except QAError as exc:
        log.error("%s (%s): %s", item.name, item.mode, exc.reason)
        return EvalRow(item, error=exc.reason)
    transcript = result.transcript
    text_errors = None
    if item.reference_text is not None:
        hypothesis = "\n".join(u.text for u in transcript.utterances)
        text_errors = transcript_errors(item.reference_text, hypothesis, transcript.language)
    der = tuple((c, diarization_errors(item.reference_turns, result.diarization.turns, c))
                for c in COLLARS) if item.reference_turns else ()
    roles = role_errors(item.reference_roles, transcript.utterances) if item.reference_roles else None
    decisions = (speaker_role_decisions(item.reference_roles, transcript.utterances)
                 if item.reference_roles else None)
    assignment = transcript.roles
    return EvalRow(item, transcript.language, audio.duration, seconds, text_errors, der, roles,
                   assignment.confidence if assignment else None,
                   bool(assignment and assignment.low_confidence), speaker_roles=decisions, transcript=transcript)


def _rubrics(settings: Settings) -> tuple[Rubric, ...]:
    """The rubrics that give each sample call its recognition hints (as the service's backend does)."""
    return _rubrics_in(settings.rubric_dir, tuple(sorted(settings.rubric_vars.items())))


@lru_cache(maxsize=4)
def _rubrics_in(directory: Path, variables: tuple[tuple[str, str], ...]) -> tuple[Rubric, ...]:
    return load_rubrics(directory, dict(variables))


def _warm_up(models: SpeechModels, options: SpeechOptions, item: EvalItem) -> None:
    if options.language:
        models.transcriber(options.language)
    if item.mode != "stereo":
        models.diarizer()


def unit_for(row: EvalRow) -> str:
    return row.text_errors.unit if row.text_errors else error_unit(row.language or "en")
