"""The whole analysis of one call, composed from the stages. Read it as the spec.

``transcribe_call`` (GPU-heavy: decode → transcribe → diarize → align → roles) and
``assess_transcript`` (CPU: metrics → score → classify → redact) are separate so workers can run
them on different queues, and so a rubric change re-assesses stored transcripts without
re-transcribing.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from qa_service import PIPELINE_VERSION
from qa_service.call_metrics import MetricsOptions, compute_metrics
from qa_service.domain import (
    Audio,
    CallAnalysis,
    CallMetadata,
    CallMetrics,
    CallTranscript,
    Classification,
    RubricResult,
)
from qa_service.progress import ProgressHook, no_progress
from qa_service.redact import redact_transcript
from qa_service.rubrics import Rubric, score_call, select_rubric

if TYPE_CHECKING:
    from qa_service.classifiers import CallClassifier
    from qa_service.pipeline import SpeechModels, SpeechOptions


@dataclass(frozen=True)
class AssessOptions:
    metrics: MetricsOptions = field(default_factory=MetricsOptions)
    redact: bool = True


@dataclass(frozen=True)
class Assessment:
    """Everything computed from a transcript. ``transcript`` is redacted when redaction is on."""

    transcript: CallTranscript
    metrics: CallMetrics
    rubric: RubricResult | None
    classification: Classification | None


def assess_transcript(
    transcript: CallTranscript,
    metadata: CallMetadata,
    rubrics: Sequence[Rubric],
    classifier: CallClassifier | None,
    options: AssessOptions = AssessOptions(),
) -> Assessment:
    """metrics → score → classify → redact, on a role-labelled transcript (no audio, no models but
    the classifier)."""
    metrics = compute_metrics(transcript, options.metrics)
    rubric = select_rubric(rubrics, metadata, transcript.language)
    scorecard = score_call(transcript, rubric, metadata) if rubric is not None else None
    classification = classifier.classify(transcript, metadata) if classifier is not None else None
    shown = redact_transcript(transcript) if options.redact else transcript
    return Assessment(shown, metrics, scorecard, classification)


def analyze_call(
    audio: Audio,
    metadata: CallMetadata,
    speech_models: SpeechModels,
    speech_options: SpeechOptions,
    rubrics: Sequence[Rubric],
    classifier: CallClassifier | None,
    options: AssessOptions = AssessOptions(),
    hook: ProgressHook = no_progress,
) -> CallAnalysis:
    """audio → role-labelled transcript → assessment, with per-stage timings."""
    from qa_service.pipeline import transcribe_call

    t0 = time.perf_counter()
    transcript = transcribe_call(audio, metadata, speech_models, speech_options, hook)
    t1 = time.perf_counter()
    assessment = assess_transcript(transcript, metadata, rubrics, classifier, options)
    t2 = time.perf_counter()
    return CallAnalysis(
        metadata=metadata,
        transcript=assessment.transcript,
        metrics=assessment.metrics,
        rubric=assessment.rubric,
        classification=assessment.classification,
        pipeline_version=PIPELINE_VERSION,
        timings=(("speech", t1 - t0), ("assess", t2 - t1)),
    )
