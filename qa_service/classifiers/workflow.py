"""Train and evaluate the call classifier end to end (what ``train-classifier`` / ``eval-classifier`` run).

Training: resolve the base encoder, read the corpus (plus supervisors' review exports), encode
every distinct utterance once with the frozen encoder (memoised on disk), train the ensemble of
heads (:mod:`~qa_service.classifiers.train`), evaluate model and keyword baseline on the held-out
set and write the model directory with its card. Everything is seeded, so the same inputs
reproduce the same model and metrics.
"""

from __future__ import annotations

import json
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
from qa_service.classifiers.rules import (
    DECISIONS,
    DecisionRule,
    DecisionRules,
    RuleScore,
    choose_rules,
    score_rule,
    split_validation,
)
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
    clf: NeuralCallClassifier, calls: Sequence[LabelledCall], embed: Embedder | None = None, *,
    with_rules: bool = True,
) -> list[Classification]:
    return clf.classify_many([(c.transcript, c.metadata) for c in calls], embed=embed, with_rules=with_rules)


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
    model_preds, keyword_preds = predict(clf, test_calls), baseline_predict(test_calls)
    reports = {
        "model": evaluate(test_calls, model_preds),
        "baseline": evaluate(test_calls, keyword_preds),
    }
    choice = rules_choice(test_calls, model_preds, keyword_preds)
    config = replace(config, decision_rules=choice.rules)
    seconds = round(time.perf_counter() - started, 1)
    n_review = sum(1 for c in calls if c.source == "review")
    training = {
        "train_file": _rel(train_file),
        "test_file": _rel(test_file),
        "extra_label_files": [_rel(p) for p in extra_files],
        "train_calls": len(calls),
        "review_calls": n_review,
        "test_calls": len(test_calls),
        "decision_rules": {"chosen": choice.rules.to_dict(), "validation_calls": choice.validation_calls,
                           "held_out_calls": choice.held_out_calls},
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
    card = model_card(config, training, reports, calls, test_calls, format_rules_choice(choice))
    save_model(out_dir, members, config, {"training": training, "metrics": metrics}, card)
    log.info("wrote call classifier to %s in %.0fs", out_dir, seconds)
    return TrainResult(out_dir, reports, seconds, len(calls), n_review)


def evaluate_classifier(
    settings: Settings, model_dir: Path, test_file: Path = TEST_FILE
) -> dict[str, dict[str, TaskReport]]:
    """The model alone, the model with its decision rules (as it classifies in use; only when they
    are not the model alone) and the keyword baseline on the held-out set (utterance features come
    from the shared cache)."""
    clf, test_calls, features = _load_for_evaluation(settings, model_dir, test_file)
    reports = {"model": evaluate(test_calls, predict(clf, test_calls, features, with_rules=False))}
    if not clf.config.decision_rules.is_model_only:
        reports["model + rules"] = evaluate(test_calls, predict(clf, test_calls, features))
    reports["baseline"] = evaluate(test_calls, baseline_predict(test_calls))
    return reports


def _load_for_evaluation(settings: Settings, model_dir: Path,
                         test_file: Path) -> tuple[NeuralCallClassifier, list[LabelledCall], FeatureCache]:
    """The classifier in ``model_dir``, the labelled calls of ``test_file`` and the shared feature cache."""
    from qa_service.classifiers.model import load_classifier_dir

    encoder_dir, base_sha = base_encoder(settings)
    encoder = load_encoder(encoder_dir, settings.cpu_threads)
    clf = load_classifier_dir(model_dir, encoder, base_sha)
    return clf, list(load_records(test_file)), feature_cache(settings, encoder, base_sha, clf.config.pool_layers)


def _rel(path: Path) -> str:
    from qa_service.settings import PROJECT_ROOT

    try:
        return str(Path(path).resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class RulesChoice:
    """What :func:`choose_decision_rules` chose, on which calls, and how every rule scored."""

    rules: DecisionRules
    validation: list[RuleScore]  # every rule, on the validation split
    held_out: list[RuleScore]  # every rule, on the held-out split (reported, never used to choose)
    held_out_by_language: dict[str, list[RuleScore]]
    validation_calls: int
    held_out_calls: int


def choose_decision_rules(settings: Settings, model_dir: Path, test_file: Path = TEST_FILE, *,
                          write: bool = False) -> RulesChoice:
    """Choose how model and keywords decide complaint and escalation (:mod:`.rules`): on the
    validation half of ``test_file`` (calls the model was not trained on), reported on the other
    half. With ``write`` the choice goes into the model's ``config.json``."""
    from qa_service.classifiers.model import CONFIG_FILE

    clf, calls, features = _load_for_evaluation(settings, model_dir, test_file)
    model = predict(clf, calls, features, with_rules=False)  # the model's own votes
    choice = rules_choice(calls, model, baseline_predict(calls))
    if write:
        cfg_file = model_dir / CONFIG_FILE
        raw = json.loads(cfg_file.read_text(encoding="utf-8"))
        raw["decision_rules"] = choice.rules.to_dict()
        cfg_file.write_text(json.dumps(raw, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        log.info("wrote decision rules %s to %s", choice.rules.to_dict(), cfg_file)
    return choice


def rules_choice(calls: Sequence[LabelledCall], model: Sequence[Classification],
                 keywords: Sequence[Classification]) -> RulesChoice:
    """Decision rules chosen on the validation half of ``calls`` from the model's own votes and the
    keyword rules' votes, and every rule scored on the held-out half (overall and per language)."""
    by_id = {c.call_id: (m, k) for c, m, k in zip(calls, model, keywords, strict=True)}
    validation, held_out = split_validation(calls)

    def votes(part: Sequence[LabelledCall]) -> tuple[list[Classification], list[Classification]]:
        return [by_id[c.call_id][0] for c in part], [by_id[c.call_id][1] for c in part]

    rules, val_scores = choose_rules(validation, *votes(validation))
    every = [(d, r) for d in DECISIONS for r in DecisionRule]
    held_scores = [score_rule(d, r, held_out, *votes(held_out)) for d, r in every]
    languages = sorted({(c.transcript.language or "?").split("-")[0] for c in held_out})
    by_language = {}
    for lang in languages:
        part = [c for c in held_out if (c.transcript.language or "?").split("-")[0] == lang]
        by_language[lang] = [score_rule(d, r, part, *votes(part)) for d, r in every]
    return RulesChoice(rules, val_scores, held_scores, by_language, len(validation), len(held_out))


def format_rules_choice(choice: RulesChoice) -> str:
    """The validation and held-out tables of :func:`choose_decision_rules`, the chosen rule marked."""
    chosen = choice.rules.to_dict()
    lines = [f"validation: {choice.validation_calls} calls (chooses); held-out: {choice.held_out_calls} calls "
             "(reports)", f"{'decision':<11}{'rule':<10}{'val P':>7}{'val R':>7}{'val F1':>7}"
             f"{'held P':>8}{'held R':>8}{'held F1':>8}{'support':>8}"]
    for v in choice.validation:
        h = next(s for s in choice.held_out if s.decision == v.decision and s.rule == v.rule)
        mark = " <- chosen" if chosen[v.decision] == v.rule.value else ""
        lines.append(f"{v.decision:<11}{v.rule.value:<10}{v.precision:>7.3f}{v.recall:>7.3f}{v.f1:>7.3f}"
                     f"{h.precision:>8.3f}{h.recall:>8.3f}{h.f1:>8.3f}{h.support:>8d}{mark}")
    lines.append("held-out recall by language (model alone → chosen rule):")
    for lang, scores in choice.held_out_by_language.items():
        parts = []
        for decision, rule in chosen.items():
            alone = next(s for s in scores if s.decision == decision and s.rule is DecisionRule.MODEL)
            picked = next(s for s in scores if s.decision == decision and s.rule.value == rule)
            parts.append(f"{decision} {alone.recall:.3f} → {picked.recall:.3f} (n={picked.support})")
        lines.append(f"  {lang}: " + "; ".join(parts))
    return "\n".join(lines)
