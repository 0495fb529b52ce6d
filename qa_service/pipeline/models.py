"""The speech models a process needs, loaded lazily and once (the loaders are cached per process).

:class:`SpeechModels` holds no model state itself: it holds the functions that hand out the cached
models, so a worker builds it once and a test builds one over fakes. Whisper (CTranslate2) and
pyannote (torch) share the CPU: both get ``settings.cpu_threads`` threads (0 = every core) and run
one after the other, never at once.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from qa_service.domain import Audio
from qa_service.pipeline.transcribe import Transcriber, WhisperConfig, WhisperTranscriber, load_whisper
from qa_service.settings import Settings
from qa_service.weights import resolve_model
from qa_service.weights.review import asr_role

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

    from qa_service.pipeline.diarize import Diarizer

log = logging.getLogger(__name__)

LanguageDetector = Callable[[Audio, Sequence[str]], tuple[str, float]]


@dataclass(frozen=True)
class SpeechModels:
    """``transcriber(language)`` → the ASR for a language ("en" → the English model, else multilingual);
    ``diarizer()`` → the mono diarizer; ``detect_language(audio, candidates)`` → (language, probability)."""

    transcriber: Callable[[str | None], Transcriber]
    diarizer: Callable[[], Diarizer]
    detect_language: LanguageDetector
    description: tuple[tuple[str, str], ...] = ()


def compute_threads(settings: Settings) -> int:
    return settings.cpu_threads if settings.cpu_threads > 0 else (os.cpu_count() or 1)


def resolve_device(settings: Settings) -> tuple[str, str]:
    """(device, compute type): CUDA with float16 where a GPU is present, else CPU with int8."""
    device = settings.device
    if device == "auto":
        import ctranslate2

        device = "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
    compute = settings.compute_type
    if compute == "auto":
        compute = "float16" if device == "cuda" else "int8"
    return device, compute


def _whisper_model(settings: Settings, language: str | None) -> tuple[WhisperModel, str]:
    """The (cached) Whisper model for ``language`` and the device it runs on."""
    path = resolve_model(asr_role(language), settings).path
    device, compute = resolve_device(settings)
    return load_whisper(str(path), device, compute, compute_threads(settings)), device


def whisper_transcriber(settings: Settings, language: str | None) -> WhisperTranscriber:
    """The (cached) Whisper model for ``language``, wrapped with the settings' decoding options."""
    model, device = _whisper_model(settings, language)
    config = WhisperConfig(beam_size=beam_size(settings, language), batch_size=settings.asr_batch_size,
                           batched=device == "cuda", **_shared_options(settings, language))
    return WhisperTranscriber(model, config)


def _shared_options(settings: Settings, language: str | None) -> dict[str, Any]:
    """The decoding options recorded and live calls share: VAD, hotwords, the loop guard and the rubric
    hints, each per band."""
    bands = hints_bands(settings, language)
    return {"vad_filter": settings.vad_filter, "hotwords": tuple(settings.hotwords),
            "no_repeat_ngram_size": settings.asr_no_repeat_ngram_size,
            "no_repeat_ngram_size_narrowband": settings.asr_no_repeat_ngram_size_8k,
            "hints_wideband": bands == "all", "hints_narrowband": bands in ("all", "8k")}


#: Live utterances: speech runs at up to ~5 Mandarin characters or ~4 English words a second, a few
#: tokens each; a decoding loop stops here instead of at Whisper's limit.
LIVE_TOKENS_PER_S = 12.0


def live_transcriber(settings: Settings, language: str | None) -> WhisperTranscriber:
    """The same cached Whisper model, decoding one live utterance for latency: ``live_beam_size`` and the
    tokens capped by the utterance's length. Silero VAD stays on: without it Whisper decodes the
    pauses inside an utterance into loops and takes longer, not shorter (measured on the sample calls).
    Otherwise decoded as a recorded call of the same band is (rubric hints, loop guard)."""
    return WhisperTranscriber(_whisper_model(settings, language)[0],
                              WhisperConfig(beam_size=settings.live_beam_size, max_tokens_per_s=LIVE_TOKENS_PER_S,
                                            **_shared_options(settings, language)))


def diarizer(settings: Settings) -> Diarizer:
    """The cached pyannote diarizer, with torch limited to the configured threads."""
    _set_torch_threads(compute_threads(settings))
    from qa_service.pipeline.diarize import load_diarizer

    return load_diarizer(settings)


def hints_bands(settings: Settings, language: str | None) -> str:
    """On which bands the recogniser of ``language`` takes the call's rubric hints: "off", "8k" or "all"."""
    if language == "en" and settings.asr_rubric_hints_en is not None:
        return settings.asr_rubric_hints_en
    return settings.asr_rubric_hints


def beam_size(settings: Settings, language: str | None) -> int:
    if language == "en" and settings.asr_beam_size_en is not None:
        return settings.asr_beam_size_en
    return settings.asr_beam_size


@lru_cache(maxsize=1)
def _set_torch_threads(threads: int) -> None:
    import torch

    torch.set_num_threads(threads)
    log.debug("torch threads: %d", threads)


def load_speech_models(settings: Settings) -> SpeechModels:
    """Models load on first use, not here (a stereo-only worker never loads pyannote)."""

    def transcriber(language: str | None) -> Transcriber:
        return whisper_transcriber(settings, language)

    def detect(audio: Audio, candidates: Sequence[str]) -> tuple[str, float]:
        return whisper_transcriber(settings, None).detect_language(audio, candidates)

    device, compute = resolve_device(settings)
    return SpeechModels(
        transcriber=transcriber,
        diarizer=lambda: diarizer(settings),
        detect_language=detect,
        description=(("device", device), ("compute_type", compute),
                     ("threads", str(compute_threads(settings)))),
    )
