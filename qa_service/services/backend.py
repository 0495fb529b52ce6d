"""The analysis a worker runs, behind one small protocol so the worker machinery is testable alone.

The default :class:`PipelineBackend` is the real thing: decode → transcribe → diarize → roles
(:func:`qa_service.pipeline.transcribe_call`), redaction, and metrics → score → classify
(:func:`qa_service.analysis.assess_transcript`). Models load lazily, once per process.

Seam: ``settings.analysis_backend = "module:factory"`` names a ``factory(settings) -> AnalysisBackend``
used instead (tests of the queueing machinery use a deterministic fake there; see
``tests/services/fake_backend.py``). Empty means the real pipeline.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from qa_service import PIPELINE_VERSION
from qa_service.domain import CallMetadata, CallTranscript
from qa_service.errors import ConfigError
from qa_service.progress import ProgressHook
from qa_service.settings import Settings

if TYPE_CHECKING:
    from qa_service.analysis import Assessment

log = logging.getLogger(__name__)


class AnalysisBackend(Protocol):
    pipeline_version: str

    def transcribe(self, audio_path: Path, metadata: CallMetadata, hook: ProgressHook) -> CallTranscript:
        """Role-labelled transcript of the stored recording (raises AudioDecodeError & co.)."""
        ...

    def redact(self, transcript: CallTranscript) -> CallTranscript: ...

    def rubric_hash(self, metadata: CallMetadata, language: str) -> str | None:
        """Hash of the rubric that applies to the call now (None: no rubric applies)."""
        ...

    def assess(self, transcript: CallTranscript, metadata: CallMetadata) -> Assessment:
        """Metrics, scorecard and classification of an already redacted transcript."""
        ...


def _rubric_signature(directory: Path) -> tuple[tuple[str, int, int], ...]:
    if not directory.is_dir():
        return ()
    return tuple(sorted((str(p.relative_to(directory)), p.stat().st_mtime_ns, p.stat().st_size)
                        for p in directory.rglob("*") if p.is_file()))


class PipelineBackend:
    """The real pipeline. Rubrics are re-read when their files change (a rescore sees new rubrics
    without restarting workers)."""

    pipeline_version = PIPELINE_VERSION

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._lock = threading.Lock()
        self._speech: Any = None
        self._classifier: Any = None
        self._classifier_loaded = False
        self._rubrics: tuple[Any, ...] = ()
        self._rubric_sig: tuple[tuple[str, int, int], ...] | None = None

    # models, each loaded once per process ---------------------------------------------------------
    def speech_models(self) -> Any:
        with self._lock:
            if self._speech is None:
                from qa_service.pipeline import load_speech_models

                self._speech = load_speech_models(self._settings)
            return self._speech

    def classifier(self) -> Any:
        with self._lock:
            if not self._classifier_loaded:
                from qa_service.classifiers import load_call_classifier

                self._classifier = load_call_classifier(self._settings)
                self._classifier_loaded = True
            return self._classifier

    def rubrics(self) -> Sequence[Any]:
        sig = _rubric_signature(self._settings.rubric_dir)
        with self._lock:
            if sig != self._rubric_sig:
                from qa_service.rubrics import load_rubrics, with_review_confidence
                from qa_service.weights.review import review_confidence_by_language

                loaded = load_rubrics(self._settings.rubric_dir, self._settings.rubric_vars)
                self._rubrics = with_review_confidence(loaded, review_confidence_by_language(self._settings))
                self._rubric_sig = sig
            return self._rubrics

    # the protocol --------------------------------------------------------------------------------
    def transcribe(self, audio_path: Path, metadata: CallMetadata, hook: ProgressHook) -> CallTranscript:
        from qa_service.pipeline import SpeechOptions, decode_audio, transcribe_call
        from qa_service.pipeline.speech import LANGUAGES
        from qa_service.rubrics.hints import call_hints

        hook("decode", 0.0, 1.0)
        audio = decode_audio(audio_path, name=metadata.call_id)
        hook("decode", 1.0, 1.0)
        options = SpeechOptions.from_settings(self._settings, metadata,
                                              hints=call_hints(self.rubrics(), metadata, LANGUAGES))
        return transcribe_call(audio, metadata, self.speech_models(), options, hook)

    def redact(self, transcript: CallTranscript) -> CallTranscript:
        from qa_service.redact import redact_transcript

        return redact_transcript(transcript)

    def rubric_hash(self, metadata: CallMetadata, language: str) -> str | None:
        from qa_service.rubrics import select_rubric

        rubric = select_rubric(self.rubrics(), metadata, language)
        return None if rubric is None else str(rubric.hash)

    def assess(self, transcript: CallTranscript, metadata: CallMetadata) -> Assessment:
        from qa_service.analysis import AssessOptions, assess_transcript

        return assess_transcript(transcript, metadata, self.rubrics(), self.classifier(),
                                 AssessOptions(redact=False))


_BACKENDS: dict[str, AnalysisBackend] = {}
_BACKENDS_LOCK = threading.Lock()


def _build(settings: Settings) -> AnalysisBackend:
    spec = settings.analysis_backend
    if not spec:
        return PipelineBackend(settings)
    module_name, _, attr = spec.partition(":")
    try:
        factory = getattr(importlib.import_module(module_name), attr or "create_backend")
    except (ImportError, AttributeError) as exc:
        raise ConfigError(f"analysis_backend {spec!r} cannot be imported: {exc}",
                          setting="analysis_backend") from exc
    backend: AnalysisBackend = factory(settings)
    return backend


def get_backend(settings: Settings) -> AnalysisBackend:
    """This process's backend for these settings (models inside load once, lazily)."""
    key = settings.model_dump_json()
    with _BACKENDS_LOCK:
        backend = _BACKENDS.get(key)
        if backend is None:
            backend = _BACKENDS[key] = _build(settings)
        return backend
