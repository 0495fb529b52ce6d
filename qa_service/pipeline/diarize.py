"""Mono-call speaker diarization: pyannote.audio 4 segmentation-3.0 + CAM++ embeddings, offline.

``load_diarizer(settings).diarize(audio)`` → :class:`~qa_service.domain.Diarization` (speakers
"SPEAKER_00", "SPEAKER_01", … in order of first appearance; turns may overlap where two people talk
at once). The pipeline (see :mod:`qa_service.pipeline._pyannote_pipeline`) is pyannote's own
``SpeakerDiarization`` with our CAM++ embedding object passed in, agglomerative clustering and no
PLDA; weights come only from local paths (``models/manifest.toml`` roles ``segmentation`` and
``embedding``). Audio goes to pyannote in memory, so neither torchcodec nor ffmpeg is involved.

pyannote.audio is imported only when a diarizer is built (the import alone takes seconds).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from qa_service.domain import SAMPLE_RATE, Audio, Diarization, SpeakerTurn
from qa_service.errors import AudioError
from qa_service.progress import ProgressHook, no_progress
from qa_service.settings import Settings, get_settings
from qa_service.weights import resolve_model

if TYPE_CHECKING:
    from pyannote.audio.pipelines import SpeakerDiarization
    from pyannote.core import Annotation

log = logging.getLogger(__name__)

#: Shorter audio has no speech turn worth a speaker label (pyannote's receptive field is ~17 ms,
#: CAM++ needs ~0.1 s); it diarizes to no turns.
MIN_DURATION_S = 0.1


class Diarizer(Protocol):
    def diarize(
        self, audio: Audio, num_speakers: int | None = None, hook: ProgressHook = no_progress
    ) -> Diarization:
        """Who spoke when in mono 16 kHz ``audio``; ``num_speakers`` None = the configured default."""
        ...


@dataclass(frozen=True)
class DiarizerConfig:
    """How the pipeline runs. The defaults gave DER 0.8 % (collar 0.25) on the 19 synthetic sample calls.

    - ``segmentation_step``: hop of pyannote's 10 s window, as a ratio of it (stock 0.1). Every
      (window, run) pair costs one CAM++ embedding; 0.2 halves them at the same DER on the samples.
    - ``segmentation_batch_size``, ``embedding_batch_size``: windows / embeddings per call (stock 1).
    - ``split_gap_s``: split each window's local speakers into runs at pauses of at least this many
      seconds (see ``CampPlusSpeakerDiarization.get_segmentations``); None keeps pyannote's behaviour.
    - ``min_active_ratio``: clean speech, as a ratio of the window, an embedding needs to train the
      clustering (stock 0.2, i.e. 2 s, which single runs rarely reach).
    - ``min_duration_off``: a speaker's pauses shorter than this (s) are filled.
    - ``length_multiple``: embeddings use a multiple of this many feature frames (≤ 0.3 s dropped at
      the end), which bounds the distinct input shapes; None = 32 on CUDA (where every new shape
      costs cuDNN set-up: 5× faster on an H200), 1 (exact) on CPU.
    """

    segmentation_step: float = 0.2
    segmentation_batch_size: int = 32
    embedding_batch_size: int = 32
    split_gap_s: float | None = 0.2
    min_active_ratio: float = 0.1
    min_duration_off: float = 0.5
    length_multiple: int | None = None


class PyannoteDiarizer:
    """:class:`Diarizer` over a built pyannote pipeline (shared; the adapter holds no other state)."""

    def __init__(self, pipeline: SpeakerDiarization, default_num_speakers: int | None = 2) -> None:
        self._pipeline = pipeline
        self._default_num_speakers = default_num_speakers

    def diarize(
        self, audio: Audio, num_speakers: int | None = None, hook: ProgressHook = no_progress
    ) -> Diarization:
        """``num_speakers`` ≤ 0 (or a ≤ 0 default) lets the clustering threshold decide."""
        samples = _mono_samples(audio)
        if samples.shape[1] < MIN_DURATION_S * SAMPLE_RATE:
            return Diarization(turns=(), speakers=(), method="pyannote")
        wanted = self._default_num_speakers if num_speakers is None else num_speakers
        import torch

        file = {"waveform": torch.from_numpy(samples), "sample_rate": SAMPLE_RATE, "uri": "call"}
        with torch.inference_mode():
            output = self._pipeline(
                file, num_speakers=wanted if wanted and wanted > 0 else None, hook=pyannote_hook(hook)
            )
        return annotation_to_diarization(getattr(output, "speaker_diarization", output))


def _mono_samples(audio: Audio) -> np.ndarray:
    if audio.sample_rate != SAMPLE_RATE:
        raise AudioError(
            f"diarization needs {SAMPLE_RATE} Hz audio, got {audio.sample_rate} Hz (decode resamples)",
            sample_rate=audio.sample_rate,
        )
    samples = audio.mono().samples
    if not np.isfinite(samples).all():
        raise AudioError("audio contains NaN or infinite samples")
    return np.ascontiguousarray(samples, dtype=np.float32)


def annotation_to_diarization(annotation: Annotation) -> Diarization:
    """pyannote ``Annotation`` → domain ``Diarization``, speakers renamed by first appearance."""
    tracks = sorted(
        (float(seg.start), float(seg.end), str(label))
        for seg, _, label in annotation.itertracks(yield_label=True)
    )
    names: dict[str, str] = {}
    for _, _, label in tracks:
        names.setdefault(label, f"SPEAKER_{len(names):02d}")
    turns = tuple(SpeakerTurn(names[label], round(start, 3), round(end, 3)) for start, end, label in tracks)
    return Diarization(turns=turns, speakers=tuple(names.values()), method="pyannote")


def pyannote_hook(hook: ProgressHook) -> Callable[..., None]:
    """pyannote's ``hook(step_name, step_artefact, file=…, total=…, completed=…)`` → ours.

    Steps that report progress ("segmentation", "embeddings") become stages "diarize:<step>".
    """

    def forward(step_name: str, step_artefact: Any, file: Any = None,
                total: int | None = None, completed: int | None = None) -> None:
        if total is not None and completed is not None:
            hook(f"diarize:{step_name}", float(min(completed, total)), float(total))

    return forward


def split_runs(segmentations: np.ndarray, min_gap: int) -> np.ndarray:
    """(chunks, frames, speakers) → (chunks, frames, slots): one slot per run of a speaker's activity.

    A run ends where its speaker is inactive (≤ 0.5) for ``min_gap`` frames or more; each slot keeps
    the scores of its run and zeros elsewhere; slots beyond a chunk's runs are all zero. With
    ``min_gap`` ≤ 0 the input is returned unchanged.
    """
    if min_gap <= 0:
        return segmentations
    scores = np.nan_to_num(segmentations)
    runs: list[list[tuple[int, int, int]]] = []  # per chunk: (speaker, first frame, last frame)
    for chunk in scores:
        chunk_runs: list[tuple[int, int, int]] = []
        for speaker, activity in enumerate(chunk.T):
            active = np.flatnonzero(activity > 0.5)
            if active.size:
                breaks = np.flatnonzero(np.diff(active) > min_gap)
                starts, ends = active[np.r_[0, breaks + 1]], active[np.r_[breaks, active.size - 1]]
                chunk_runs.extend((speaker, int(a), int(b)) for a, b in zip(starts, ends, strict=True))
        runs.append(chunk_runs)
    out = np.zeros((*scores.shape[:2], max([1, *(len(r) for r in runs)])), dtype=scores.dtype)
    for c, chunk_runs in enumerate(runs):
        for slot, (speaker, first, last) in enumerate(chunk_runs):
            out[c, first : last + 1, slot] = scores[c, first : last + 1, speaker]
    return out


# --- loading -------------------------------------------------------------------------------------
def torch_device(settings: Settings) -> str:
    """"cuda" when asked, or when "auto" and a GPU is visible to torch; else "cpu"."""
    if settings.device != "auto":
        return settings.device
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def load_diarizer(settings: Settings | None = None, config: DiarizerConfig = DiarizerConfig()) -> Diarizer:
    """The process's diarizer for ``settings`` (pipeline built once per model paths/device/config)."""
    settings = settings or get_settings()
    segmentation = resolve_model("segmentation", settings).path
    embedding = resolve_model("embedding", settings).path
    if settings.cpu_threads > 0:
        import torch

        torch.set_num_threads(settings.cpu_threads)
    pipeline = _cached_pipeline(str(segmentation), str(embedding), torch_device(settings), config)
    return PyannoteDiarizer(pipeline, settings.num_speakers)


@lru_cache(maxsize=2)
def _cached_pipeline(
    segmentation: str, embedding: str, device: str, config: DiarizerConfig
) -> SpeakerDiarization:
    from qa_service.pipeline._pyannote_pipeline import build_pipeline

    log.info("building diarization pipeline (segmentation %s, CAM++ %s, %s)", segmentation, embedding, device)
    return build_pipeline(segmentation, embedding, device, config)


def build_stock_pyannote_pipeline(settings: Settings | None = None) -> SpeakerDiarization:
    """The naive baseline: stock ``SpeakerDiarization`` with stock defaults (not cached).

    The stock constructor cannot run offline unchanged (it always loads a PLDA and only takes
    pyannote/SpeechBrain/NeMo/WeSpeaker embeddings); see
    :func:`qa_service.pipeline._pyannote_pipeline.build_stock_pipeline` for the closest honest
    equivalent it builds: public arguments only, CAM++ wrapped as a pyannote ``Model``, an inert PLDA
    placeholder, segmentation step 0.1 and batch sizes 1. Call it as ``pipeline({"waveform": …,
    "sample_rate": 16000}, num_speakers=2).speaker_diarization``.
    """
    settings = settings or get_settings()
    from qa_service.pipeline._pyannote_pipeline import build_stock

    return build_stock(
        str(resolve_model("segmentation", settings).path),
        str(resolve_model("embedding", settings).path),
        torch_device(settings),
    )
