"""From decoded call audio to a role-labelled transcript. Read it as the spec of the speech pipeline.

stereo: per-channel ASR → drop cross-talk echoes → channel turns → align words → roles from the channel map
mono:   ASR → diarize → align words → roles from content
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from typing import Any

from qa_service.domain import (
    AsrResult,
    Audio,
    CallMetadata,
    CallTranscript,
    Diarization,
    Direction,
    RecognitionHints,
    RoleAssignment,
    Utterance,
)
from qa_service.errors import ConfigError
from qa_service.pipeline.align import AlignOptions, align_words, merge_utterances
from qa_service.pipeline.channels import ChannelLayout, Layout, channel_layout
from qa_service.pipeline.models import SpeechModels
from qa_service.pipeline.roles import RoleOptions, apply_roles, roles_from_channels, roles_from_content
from qa_service.pipeline.stereo import (
    CrosstalkOptions,
    channel_only,
    channel_turns,
    suppress_crosstalk,
    transcribe_channels,
)
from qa_service.progress import ProgressHook, no_progress
from qa_service.settings import Settings

log = logging.getLogger(__name__)

LANGUAGES = ("zh", "en")


@dataclass(frozen=True)
class SpeechOptions:
    language: str | None = None  # "zh" / "en"; None = detect (if allowed)
    allow_detection: bool = True
    agent_channel: int = 0
    num_speakers: int | None = 2
    force_mono: bool = False  # treat a stereo file as one mixed channel (diarize it)
    roles: RoleOptions = field(default_factory=RoleOptions)
    align: AlignOptions = field(default_factory=AlignOptions)
    crosstalk: CrosstalkOptions = field(default_factory=CrosstalkOptions)
    #: What the rubric that will score the call expects to hear, per language (the recogniser's hotwords).
    hints: RecognitionHints = field(default_factory=RecognitionHints)

    @classmethod
    def from_settings(cls, settings: Settings, metadata: CallMetadata | None = None,
                      **overrides: Any) -> SpeechOptions:
        """Settings, then the call's metadata, then explicit overrides (None overrides are ignored)."""
        language = metadata.language if metadata and metadata.language else settings.language
        agent_channel = settings.agent_channel
        if metadata is not None and metadata.agent_channel is not None:
            agent_channel = metadata.agent_channel
        outbound = metadata is not None and metadata.direction == Direction.OUTBOUND
        options = cls(
            language=None if language == "auto" else language,
            allow_detection=settings.allow_language_detection,
            agent_channel=agent_channel,
            num_speakers=settings.num_speakers or None,
            roles=RoleOptions(
                bank_name=settings.rubric_vars.get("bank_name", ""),
                bank_name_en=settings.rubric_vars.get("bank_name_en", ""),
                confidence_threshold=settings.role_confidence_threshold,
                outbound=outbound,
            ),
        )
        given = {k: v for k, v in overrides.items() if v is not None}
        if given.get("language") == "auto":
            given["language"] = None
        return replace(options, **given)


@dataclass(frozen=True)
class SpeechResult:
    """The transcript plus what it was built from (the evaluation scores the diarization too)."""

    transcript: CallTranscript
    diarization: Diarization
    asr: tuple[AsrResult, ...]


def transcribe_call(audio: Audio, metadata: CallMetadata | None, models: SpeechModels,
                    options: SpeechOptions, hook: ProgressHook = no_progress) -> CallTranscript:
    """The role-labelled transcript of one call."""
    return analyze_speech(audio, metadata, models, options, hook).transcript


def analyze_speech(audio: Audio, metadata: CallMetadata | None, models: SpeechModels,
                   options: SpeechOptions, hook: ProgressHook = no_progress) -> SpeechResult:
    language, language_source = call_language(audio, models, options)
    layout = (ChannelLayout(Layout.DUAL_MONO, "treated as mono on request (force_mono)")
              if options.force_mono and audio.channels > 1 else channel_layout(audio))
    log.info("%s: %s", audio.source, layout.reason)
    stereo = layout.layout is Layout.STEREO
    if stereo:
        result = _stereo(audio, language, models, options, hook)
    elif layout.layout is Layout.ONE_SILENT and layout.channel is not None:
        result = _mono(audio.channel(layout.channel), language, models, options, hook)
    else:
        result = _mono(audio.mono(), language, models, options, hook)
    meta = (("source", audio.source), ("mode", "stereo" if stereo else "mono"), *layout.as_meta(),
            ("language_source", language_source), *models.description)
    hook("done", 1, 1)
    return replace(result, transcript=replace(result.transcript, meta=meta))


def call_language(audio: Audio, models: SpeechModels, options: SpeechOptions) -> tuple[str, str]:
    """(language, where it came from): configured/metadata, else detected among zh/en where allowed."""
    if options.language:
        return options.language, "configured"
    if not options.allow_detection:
        raise ConfigError("the call's language is unknown and language detection is off: "
                          "set QA_LANGUAGE, give the call's language, or pass --language",
                          setting="language")
    language, probability = models.detect_language(audio.mono(), LANGUAGES)
    log.info("%s: detected language %s (p=%.2f)", audio.source, language, probability)
    return language, f"detected (p={probability:.2f})"


def _stereo(audio: Audio, language: str, models: SpeechModels, options: SpeechOptions,
            hook: ProgressHook) -> SpeechResult:
    if not 0 <= options.agent_channel < audio.channels:
        raise ConfigError(f"agent channel {options.agent_channel} does not exist in a "
                          f"{audio.channels}-channel recording (use 0 or 1)", setting="agent_channel")
    asr = transcribe_channels(audio, models.transcriber(language), language, hook,
                              options.hints.for_language(language))
    asr = suppress_crosstalk(asr, audio, options.crosstalk)
    diarization = channel_turns(asr, audio, options.crosstalk)
    utterances = merge_utterances(
        *(align_words(r, channel_only(diarization, r.channel), options.align) for r in asr))
    roles = roles_from_channels(diarization, options.agent_channel, utterances, language, options.roles)
    return _result(audio, language, apply_roles(utterances, roles), roles, diarization, asr)


def _mono(audio: Audio, language: str, models: SpeechModels, options: SpeechOptions,
          hook: ProgressHook) -> SpeechResult:
    asr = models.transcriber(language).transcribe(audio, language, hook, options.hints.for_language(language))
    if not asr.words:  # speech-free: nothing to diarize, an empty transcript
        empty = Diarization((), (), method="pyannote")
        return _result(audio, language, (), None, empty, (asr,))
    diarization = models.diarizer().diarize(audio, options.num_speakers, hook)
    utterances = align_words(asr, diarization, options.align)
    roles = roles_from_content(utterances, language, options.roles, diarization.speakers)
    return _result(audio, language, apply_roles(utterances, roles), roles, diarization, (asr,))


def _result(audio: Audio, language: str, utterances: tuple[Utterance, ...], roles: RoleAssignment | None,
            diarization: Diarization, asr: tuple[AsrResult, ...]) -> SpeechResult:
    transcript = CallTranscript(language=language, utterances=utterances, duration=audio.duration,
                                roles=roles, diarization_method=diarization.method)
    return SpeechResult(transcript, diarization, asr)
