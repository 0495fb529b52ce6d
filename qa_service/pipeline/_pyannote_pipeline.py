"""pyannote.audio 4.0 speaker-diarization pipelines built from local weights only (imports pyannote).

Kept apart from :mod:`qa_service.pipeline.diarize` because importing pyannote.audio's pipelines takes
seconds; ``diarize`` imports this module only when a diarizer is built.

Why a subclass: the stock :class:`~pyannote.audio.pipelines.SpeakerDiarization` constructor turns its
``embedding`` argument into a ``PretrainedSpeakerEmbedding`` (pyannote, SpeechBrain, NeMo or WeSpeaker
checkpoints only) and always loads a PLDA (default: ``plda/xvec_transform.npz`` of the gated
community-1 pipeline, from the hub) even when the clustering never uses it.
:class:`CampPlusSpeakerDiarization` replaces that constructor: it takes a loaded segmentation
``Model`` and any embedding object with the interface the pipeline's methods call on
``self._embedding`` (``sample_rate``, ``dimension``, ``metric``, ``min_num_samples``,
``__call__(waveforms, masks)``), uses agglomerative clustering and no PLDA. It overrides two hooks
through their public signatures: ``get_segmentations`` (local speakers split into runs of speech) and
the clustering's ``filter_embeddings`` (a lower activity floor for runs). Embedding extraction,
clustering, speaker counting and reconstruction are pyannote's own; no pyannote module global is
touched.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np
import torch
from pyannote.audio import Audio as PyannoteAudio
from pyannote.audio import Inference, Model, Pipeline
from pyannote.audio.core.plda import PLDA
from pyannote.audio.core.task import Specifications
from pyannote.audio.pipelines import SpeakerDiarization
from pyannote.audio.pipelines.clustering import AgglomerativeClustering
from pyannote.core import SlidingWindowFeature
from pyannote.pipeline.parameter import ParamDict, Uniform

from qa_service.errors import ModelLoadError
from qa_service.pipeline.campplus import CampPlusEmbedder, load_embedder
from qa_service.pipeline.diarize import DiarizerConfig, split_runs

log = logging.getLogger(__name__)

#: Agglomerative clustering of CAM++ embeddings, as measured by the team (see shared notes).
CLUSTERING_PARAMS: dict[str, Any] = {"method": "centroid", "min_cluster_size": 12, "threshold": 0.7046}
PARAMS: dict[str, Any] = {"segmentation": {"min_duration_off": 0.0}, "clustering": CLUSTERING_PARAMS}


def load_segmentation(path: Path, device: torch.device) -> Model:
    """pyannote segmentation-3.0 (or any pyannote segmentation checkpoint) from a local file."""
    if not path.exists():  # never let pyannote read a missing path as a hub model id
        raise ModelLoadError(f"model 'segmentation': {path} does not exist", setting="segmentation_model")
    try:
        model = Model.from_pretrained(path, map_location=device)
    except Exception as exc:  # pyannote/lightning raise many kinds; all mean "not a usable checkpoint"
        raise ModelLoadError(
            f"model 'segmentation': cannot load {path} as a pyannote checkpoint: {exc}",
            setting="segmentation_model",
        ) from exc
    if model is None:
        raise ModelLoadError(f"model 'segmentation': {path} did not load", setting="segmentation_model")
    model.eval()
    return model


class CampPlusSpeakerDiarization(SpeakerDiarization):
    """:class:`SpeakerDiarization` with a given embedding object, agglomerative clustering, no PLDA."""

    def __init__(
        self,
        segmentation: Model,
        embedding: CampPlusEmbedder,
        *,
        segmentation_step: float = 0.1,
        segmentation_batch_size: int = 32,
        embedding_batch_size: int = 32,
        embedding_exclude_overlap: bool = False,
        split_gap_s: float | None = 0.2,
        min_active_ratio: float = 0.2,
        device: torch.device | None = None,
    ) -> None:
        # Deliberately not SpeakerDiarization.__init__ (it resolves embedding and PLDA by name); this
        # sets the same attributes its methods read, for pyannote.audio 4.0.
        Pipeline.__init__(self)
        device = device or torch.device("cpu")
        self.legacy = False
        self.segmentation_model = segmentation
        self.segmentation_step = segmentation_step
        self.embedding = "campplus"
        self.embedding_batch_size = embedding_batch_size
        self.embedding_exclude_overlap = embedding_exclude_overlap
        self.klustering = "AgglomerativeClustering"
        self.der_variant = {"collar": 0.0, "skip_overlap": False}
        specifications = segmentation.specifications
        if not isinstance(specifications, Specifications):
            raise ModelLoadError("segmentation model must have a single task", setting="segmentation_model")
        duration = specifications.duration
        self._segmentation = Inference(
            segmentation,
            duration=duration,
            step=segmentation_step * duration,
            skip_aggregation=True,
            batch_size=segmentation_batch_size,
            device=device,
        )
        if specifications.powerset:
            self.segmentation = ParamDict(min_duration_off=Uniform(0.0, 1.0))
        else:
            self.segmentation = ParamDict(threshold=Uniform(0.1, 0.9), min_duration_off=Uniform(0.0, 1.0))
        self._embedding = embedding.to(device)
        self._audio = PyannoteAudio(sample_rate=embedding.sample_rate, mono="downmix")
        self.clustering = RunClustering(embedding.metric, min_active_ratio)
        self._expects_num_speakers = False
        self.split_gap_s = split_gap_s
        self.device = device

    def default_parameters(self) -> dict[str, Any]:
        return PARAMS

    def get_segmentations(self, file: Any, hook: Any = None) -> SlidingWindowFeature:
        """pyannote's segmentation, each local speaker split into its separate runs of speech.

        segmentation-3.0 can give two similar voices one local speaker within a 10 s window (it does
        on same-gender synthetic voices); pyannote then clusters that mixture as one. Splitting a
        local speaker at pauses of ``split_gap_s`` or more makes every run (about one turn) a local
        speaker of its own: each gets its own CAM++ embedding and cluster. Runs partition the
        speaker's activity, so speaker counting and reconstruction are unchanged.
        """
        segmentations: SlidingWindowFeature = super().get_segmentations(file, hook=hook)
        if self.split_gap_s is None:
            return segmentations
        frame_step = segmentations.sliding_window.duration / segmentations.data.shape[1]
        split = split_runs(segmentations.data, round(self.split_gap_s / frame_step))
        return SlidingWindowFeature(split, segmentations.sliding_window)

    def to(self, device: torch.device) -> CampPlusSpeakerDiarization:
        super().to(device)
        self._embedding.to(device)
        return self


class RunClustering(AgglomerativeClustering):
    """pyannote's agglomerative clustering, trained on embeddings with ``min_active_ratio`` of clean
    speech in their window (stock: 0.2, i.e. 2 s, which most single runs of speech never reach)."""

    def __init__(self, metric: str = "cosine", min_active_ratio: float = 0.2) -> None:
        super().__init__(metric=metric)
        self.min_active_ratio = min_active_ratio

    def filter_embeddings(
        self,
        embeddings: np.ndarray,
        segmentations: SlidingWindowFeature | None = None,
        min_active_ratio: float = 0.2,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        result: tuple[np.ndarray, np.ndarray, np.ndarray] = super().filter_embeddings(
            embeddings, segmentations, min_active_ratio=self.min_active_ratio
        )
        return result


# --- the naive baseline ------------------------------------------------------------------------
class CampPlusModel(Model):
    """CAM++ as a pyannote ``Model``: the public form the stock constructor accepts for ``embedding``."""

    def __init__(self, embedder: CampPlusEmbedder) -> None:
        super().__init__(sample_rate=embedder.sample_rate, num_channels=1)
        self.network = embedder.model
        self._embedder = embedder

    @property
    def dimension(self) -> int:
        return self._embedder.dimension

    def forward(self, waveforms: torch.Tensor, **kwargs: Any) -> torch.Tensor:
        """``weights`` (batch, frames), as pyannote's embedding wrapper passes them, select the frames."""
        return torch.from_numpy(self._embedder(waveforms, kwargs.get("weights")))


class UnusedPLDA(PLDA):
    """Placeholder for the PLDA the stock constructor insists on; agglomerative clustering never calls it."""

    def __init__(self) -> None:  # no super().__init__: there are no PLDA weights offline
        self.lda_dimension = 0

    def __call__(self, embeddings: np.ndarray) -> np.ndarray:
        raise RuntimeError("no PLDA is available offline; use agglomerative clustering")


def build_stock_pipeline(
    segmentation: Model, embedder: CampPlusEmbedder, device: torch.device
) -> SpeakerDiarization:
    """The stock ``SpeakerDiarization`` as a naive developer would build it offline.

    The stock constructor cannot run offline as is: it always loads a PLDA (from the hub by default,
    or from local ``xvec_transform.npz``/``plda.npz`` files, which no package here carries) and only
    accepts pyannote/SpeechBrain/NeMo/WeSpeaker embeddings. The closest honest equivalent, with public
    arguments only: the local segmentation ``Model``; CAM++ wrapped as a pyannote ``Model`` (the stock
    ``PretrainedSpeakerEmbedding`` path then wraps it as for any local pyannote checkpoint); an inert
    PLDA placeholder that agglomerative clustering never calls; every other setting at its stock
    default (segmentation step 0.1, batch sizes 1).
    """
    pipeline = SpeakerDiarization(
        segmentation=segmentation,
        embedding=CampPlusModel(embedder),
        plda=UnusedPLDA(),
        clustering="AgglomerativeClustering",
    )
    pipeline.instantiate(PARAMS)
    pipeline.to(device)
    return pipeline


# --- entry points used by qa_service.pipeline.diarize -----------------------------------------------
def build_pipeline(
    segmentation: str, embedding: str, device: str, config: DiarizerConfig
) -> CampPlusSpeakerDiarization:
    """Our pipeline from local weight files, configured by ``config``, on ``device``."""
    dev = torch.device(device)
    embedder = load_embedder(Path(embedding), dev)
    if config.length_multiple is not None:
        embedder.length_multiple = config.length_multiple
    elif dev.type == "cuda":
        embedder.length_multiple = 32
    pipeline = CampPlusSpeakerDiarization(
        load_segmentation(Path(segmentation), dev),
        embedder,
        segmentation_step=config.segmentation_step,
        segmentation_batch_size=config.segmentation_batch_size,
        embedding_batch_size=config.embedding_batch_size,
        split_gap_s=config.split_gap_s,
        min_active_ratio=config.min_active_ratio,
        device=dev,
    )
    pipeline.instantiate(
        {"segmentation": {"min_duration_off": config.min_duration_off}, "clustering": CLUSTERING_PARAMS}
    )
    return pipeline


def build_stock(segmentation: str, embedding: str, device: str) -> SpeakerDiarization:
    dev = torch.device(device)
    return build_stock_pipeline(
        load_segmentation(Path(segmentation), dev), load_embedder(Path(embedding), dev), dev
    )

