"""Train and evaluate the call classifier end to end (what ``train-classifier`` / ``eval-classifier`` run).

Training: resolve the base encoder, read the corpus (plus supervisors' review exports), encode
every distinct utterance once with the frozen encoder (memoised on disk), train the ensemble of
heads (:mod:`~qa_service.classifiers.train`), evaluate model and keyword baseline on the held-out
set and write the model directory with its card. Everything is seeded, so the same inputs
reproduce the same model and metrics.
"""

from __future__ import annotations

import logging
import platform
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import torch

from qa_service.classifiers import base_encoder
from qa_service.classifiers.baseline import KeywordClassifier
from qa_service.classifiers.card import model_card
from qa_service.classifiers.dataset import TEST_FILE, TRAIN_FILE, LabelledCall, load_records
from qa_service.classifiers.encoder import POOL_LAYERS, TextEncoder, load_encoder
from qa_service.classifiers.evaluate import TaskReport, evaluate
from qa_service.classifiers.features import Embedder, FeatureCache, cache_path
from qa_service.classifiers.model import ModelConfig, NeuralCallClassifier, round_to_fp16, save_model
from qa_service.classifiers.train import TrainOptions, prepare_inputs, train_members
from qa_service.domain import Classification
from qa_service.errors import ClassifierError
from qa_service.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TrainResult:
    out_dir: Path
    reports: dict[str, dict[str, TaskReport]]  # "model" / "baseline" → task → report
    seconds: float
    train_calls: int
    review_calls: int


def feature_cache(
    settings: Settings, encoder: TextEncoder, base_sha: str, layers: Sequence[int] = POOL_LAYERS
) -> FeatureCache:
    return FeatureCache(
        cache_path(settings.resolved_model_cache_dir, base_sha, layers),
        lambda texts: encoder.features(texts, layers),
    )


def load_training_calls(train_file: Path, extra_files: Sequence[Path], limit: int | None) -> list[LabelledCall]:
    calls = list(load_records(train_file))
    if limit is not None:
        calls = calls[:limit]
    for path in extra_files:
        extra = load_records(path)
        if not extra:
            raise ClassifierError(f"{path}: no labelled calls", file=str(path))
        calls.extend(replace(c, source="review") for c in extra)
    return calls


def predict(
    clf: NeuralCallClassifier, calls: Sequence[LabelledCall], embed: Embedder | None = None
) -> list[Classification]:
    return clf.classify_many([(c.transcript, c.metadata) for c in calls], embed=embed)


def baseline_predict(calls: Sequence[LabelledCall]) -> list[Classification]:
    kw = KeywordClassifier()
    return [kw.classify(c.transcript, c.metadata) for c in calls]


def train_classifier(
    settings: Settings,
    out_dir: Path,
    *,
    extra_files: Sequence[Path] = (),
    train_file: Path = TRAIN_FILE,
    test_file: Path = TEST_FILE,
    limit: int | None = None,
    options: TrainOptions | None = None,
    steps_limit: int | None = None,
) -> TrainResult:
    """Train on the corpus (+ review exports), evaluate on the held-out set, write ``out_dir``."""
    options = options or TrainOptions()
    started = time.perf_counter()
    if options.threads > 0:
        torch.set_num_threads(options.threads)
    encoder_dir, base_sha = base_encoder(settings)
    encoder = load_encoder(encoder_dir, options.threads)
    calls = load_training_calls(train_file, extra_files, limit)
    test_calls = load_records(test_file)
    features = feature_cache(settings, encoder, base_sha)
    members, head_stats = train_members(calls, prepare_inputs(calls, features), options, steps_limit)
    round_to_fp16(members)
    config = ModelConfig(members[0].cfg, encoder_dir.name, base_sha, POOL_LAYERS, len(members))
    clf = NeuralCallClassifier(members, config, features, out_dir.name)
    reports = {
        "model": evaluate(test_calls, predict(clf, test_calls)),
        "baseline": evaluate(test_calls, baseline_predict(test_calls)),
    }
    seconds = round(time.perf_counter() - started, 1)
    n_review = sum(1 for c in calls if c.source == "review")
    training = {
        "train_file": _rel(train_file),
        "test_file": _rel(test_file),
        "extra_label_files": [_rel(p) for p in extra_files],
        "train_calls": len(calls),
        "review_calls": n_review,
        "test_calls": len(test_calls),
        "options": options.to_dict(),
        "head_stats": head_stats,
        "seconds": seconds,
        "torch": torch.__version__,
        "python": platform.python_version(),
    }
    metrics = {
        name: {
            task: {
                "macro_f1": round(r.macro_f1, 4),
                "classes": {
                    c.label: {"precision": c.precision, "recall": c.recall, "f1": c.f1, "support": c.support}
                    for c in r.classes
                },
            }
            for task, r in rep.items()
        }
        for name, rep in reports.items()
    }
    card = model_card(config, training, reports, calls, test_calls)
    save_model(out_dir, members, config, {"training": training, "metrics": metrics}, card)
    log.info("wrote call classifier to %s in %.0fs", out_dir, seconds)
    return TrainResult(out_dir, reports, seconds, len(calls), n_review)


def evaluate_classifier(
    settings: Settings, model_dir: Path, test_file: Path = TEST_FILE
) -> dict[str, dict[str, TaskReport]]:
    """Model vs keyword baseline on the held-out set (utterance features come from the shared cache)."""
    from qa_service.classifiers.model import load_classifier_dir

    encoder_dir, base_sha = base_encoder(settings)
    encoder = load_encoder(encoder_dir, settings.cpu_threads)
    clf = load_classifier_dir(model_dir, encoder, base_sha)
    test_calls = load_records(test_file)
    preds = predict(clf, test_calls, feature_cache(settings, encoder, base_sha, clf.config.pool_layers))
    return {
        "model": evaluate(test_calls, preds),
        "baseline": evaluate(test_calls, baseline_predict(test_calls)),
    }


def _rel(path: Path) -> str:
    from qa_service.settings import PROJECT_ROOT

    try:
        return str(Path(path).resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)
