"""Call classifiers: contact reasons, business type, per-turn sentiment, escalation, outbound outcome.

The rest of the system uses only :class:`CallClassifier`, :func:`load_call_classifier` and
:class:`KeywordClassifier`. The trained classifier is the frozen base encoder (role
``text_encoder``, multilingual-e5-small converted from a pip package) plus small trained heads
(role ``classifier``, default ``models/call-classifier``); both are resolved from settings and
loaded once per process. ``qa-service train-classifier`` / ``eval-classifier`` run
:mod:`qa_service.classifiers.workflow`.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path
from typing import Protocol, runtime_checkable

from qa_service.classifiers.baseline import KeywordClassifier
from qa_service.domain import CallMetadata, CallTranscript, Classification
from qa_service.settings import Settings


@runtime_checkable
class CallClassifier(Protocol):
    def classify(self, transcript: CallTranscript, metadata: CallMetadata | None = None) -> Classification: ...


def base_encoder(settings: Settings) -> tuple[Path, str]:
    """The resolved base encoder directory and the sha256 of its weights.

    The embedded default's checksum is pinned in the manifest and verified when it is built;
    a configured encoder is hashed (once per process).
    """
    from qa_service.weights import resolve_model

    resolved = resolve_model("text_encoder", settings)
    pinned = next((c.sha256 for c in resolved.spec.checks if c.name == "model.safetensors" and c.sha256), None)
    if pinned and not resolved.origin.startswith("setting"):
        return resolved.path, pinned
    return resolved.path, _sha256(resolved.path / "model.safetensors")


@lru_cache(maxsize=8)
def _sha256(path: Path) -> str:
    from qa_service.errors import ModelNotFound
    from qa_service.weights import sha256_file

    if not path.is_file():
        raise ModelNotFound(
            f"text encoder: {path} not found; set QA_TEXT_ENCODER_MODEL to a transformers "
            "encoder folder with model.safetensors",
            setting="text_encoder_model",
        )
    return sha256_file(path)


def build_neural_classifier(model_dir: Path, settings: Settings) -> CallClassifier:
    """Rebuild the trained classifier in ``model_dir`` on the configured base encoder (uncached)."""
    from qa_service.classifiers.encoder import load_encoder
    from qa_service.classifiers.model import load_classifier_dir

    encoder_dir, sha = base_encoder(settings)
    encoder = load_encoder(encoder_dir, settings.cpu_threads)
    return load_classifier_dir(model_dir, encoder, sha)


_LOADED: dict[tuple[str, str, str, int], CallClassifier] = {}
_LOCK = threading.Lock()


def load_call_classifier(settings: Settings) -> CallClassifier:
    """The trained classifier named by settings (``classifier_model``), loaded once per process.

    Raises :class:`~qa_service.errors.ModelNotFound` naming the setting when the model is missing.
    """
    from qa_service.weights import resolve_model

    model_dir = resolve_model("classifier", settings).path
    key = (
        str(model_dir),
        str(settings.text_encoder_model),
        str(settings.resolved_model_cache_dir),
        settings.cpu_threads,
    )
    with _LOCK:
        if key not in _LOADED:
            _LOADED[key] = build_neural_classifier(model_dir, settings)
        return _LOADED[key]


__all__ = ["CallClassifier", "KeywordClassifier", "build_neural_classifier", "load_call_classifier"]
