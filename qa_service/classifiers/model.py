"""The trained call classifier: a model directory, its loader and inference.

A model directory holds only what training produced, which keeps the committed default small:

- ``config.json``: format, label vocabularies, head sizes, thresholds, the base encoder it was
  trained on (name and sha256 of its ``model.safetensors``), pooled layers, training options and
  metrics;
- ``heads.safetensors``: the ensemble of task heads (fp16; see :mod:`qa_service.classifiers.heads`);
- ``README.md``: the model card (data, classes, metrics).

The full model is the frozen base encoder (role ``text_encoder``, resolved separately) plus these
heads; loading refuses a base encoder whose checksum differs from the one the heads were trained on.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from qa_service.classifiers.baseline import KeywordClassifier
from qa_service.classifiers.encoder import MAX_TOKENS, PREFIX, TextEncoder
from qa_service.classifiers.features import Embedder, call_inputs, collate, utterance_texts
from qa_service.classifiers.heads import (
    BUSINESS,
    OUTCOMES,
    REASONS,
    SENTIMENTS,
    CallHeads,
    HeadConfig,
    HeadProbs,
    ensemble_probs,
)
from qa_service.classifiers.rules import MODEL_ONLY, DecisionRules, apply_rules
from qa_service.classifiers.threads import CLASSIFIER_THREADS, fixed_torch_threads
from qa_service.domain import (
    CallMetadata,
    CallTranscript,
    Classification,
    ContactReason,
    Direction,
    LabelScore,
    Role,
    TurnSentiment,
    Utterance,
)
from qa_service.errors import ClassifierError, ModelCorrupt, ModelLoadError, ModelNotFound

log = logging.getLogger(__name__)

FORMAT = "qa-service/call-classifier"
FORMAT_VERSION = 1
CONFIG_FILE = "config.json"
HEADS_FILE = "heads.safetensors"
CARD_FILE = "README.md"


@dataclass(frozen=True)
class ModelConfig:
    heads: HeadConfig
    base_name: str
    base_sha256: str
    pool_layers: tuple[int, ...] = (10, 12)
    members: int = 5
    reason_threshold: float = 0.5
    escalation_threshold: float = 0.5
    #: how the model and the keyword rules decide complaint and escalation (:mod:`.rules`)
    decision_rules: DecisionRules = MODEL_ONLY

    def to_dict(self, extra: dict[str, Any] | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "base_model": {
                "role": "text_encoder",
                "name": self.base_name,
                "file": "model.safetensors",
                "sha256": self.base_sha256,
            },
            "encoder": {
                "frozen": True,
                "prefix": PREFIX,
                "max_tokens": MAX_TOKENS,
                "pool_layers": list(self.pool_layers),
                "pooling": "mean",
            },
            "heads": {
                "dim": self.heads.dim,
                "hidden": self.heads.hidden,
                "topic_hidden": self.heads.topic_hidden,
                "dropout": self.heads.dropout,
                "members": self.members,
                "dtype": "float16",
            },
            "labels": {
                "contact_reasons": [r.value for r in REASONS],
                "business_types": [b.value for b in BUSINESS],
                "sentiments": [s.value for s in SENTIMENTS],
                "outcomes": [o.value for o in OUTCOMES],
            },
            "thresholds": {"contact_reason": self.reason_threshold, "escalation": self.escalation_threshold},
            "decision_rules": self.decision_rules.to_dict(),
        }
        out.update(extra or {})
        return out


def read_config(path: Path) -> ModelConfig:
    """Parse ``config.json`` of a model directory; :class:`ModelNotFound`/:class:`ModelCorrupt` if bad."""
    cfg_file = path / CONFIG_FILE
    if not cfg_file.is_file() or not (path / HEADS_FILE).is_file():
        raise ModelNotFound(
            f"call classifier: {path} is not a trained model directory (needs {CONFIG_FILE} and "
            f"{HEADS_FILE}); set QA_CLASSIFIER_MODEL or run `qa-service train-classifier`",
            setting="classifier_model",
        )
    try:
        raw = json.loads(cfg_file.read_text(encoding="utf-8"))
        if raw.get("format") != FORMAT or raw.get("version") != FORMAT_VERSION:
            raise ValueError(f"format {raw.get('format')!r} v{raw.get('version')!r}")
        labels = raw["labels"]
        if (
            labels["contact_reasons"] != [r.value for r in REASONS]
            or labels["business_types"] != [b.value for b in BUSINESS]
            or labels["sentiments"] != [s.value for s in SENTIMENTS]
            or labels["outcomes"] != [o.value for o in OUTCOMES]
        ):
            raise ValueError("label vocabularies differ from this version of qa-service")
        heads = raw["heads"]
        enc = raw["encoder"]
        if enc.get("prefix") != PREFIX or enc.get("max_tokens") != MAX_TOKENS:
            raise ValueError("encoder prefix or token limit differ from this version of qa-service")
        thresholds = raw.get("thresholds", {})
        return ModelConfig(
            HeadConfig(int(heads["dim"]), int(heads["hidden"]), int(heads["topic_hidden"]), float(heads["dropout"])),
            str(raw["base_model"]["name"]),
            str(raw["base_model"]["sha256"]),
            tuple(int(k) for k in enc["pool_layers"]),
            int(heads["members"]),
            float(thresholds.get("contact_reason", 0.5)),
            float(thresholds.get("escalation", 0.5)),
            DecisionRules.from_dict(raw.get("decision_rules")),
        )
    except (ValueError, KeyError, TypeError, ClassifierError) as exc:
        raise ModelCorrupt(
            f"call classifier: {cfg_file} is not a valid model config ({exc}); retrain with "
            "`qa-service train-classifier`",
            setting="classifier_model",
        ) from exc


def round_to_fp16(members: Sequence[CallHeads]) -> None:
    """Make in-memory weights exactly what :func:`save_model` stores (fp16), so metrics match."""
    with torch.no_grad():
        for m in members:
            for t in list(m.parameters()) + list(m.buffers()):
                t.copy_(t.half().float())


def save_model(path: Path, members: Sequence[CallHeads], config: ModelConfig, extra: dict[str, Any], card: str) -> None:
    from safetensors.torch import save_file

    path.mkdir(parents=True, exist_ok=True)
    state = {
        f"m{k}.{name}": t.detach().half().contiguous()
        for k, m in enumerate(members)
        for name, t in m.state_dict().items()
    }
    save_file(state, str(path / HEADS_FILE), metadata={"format": FORMAT})
    (path / CONFIG_FILE).write_text(
        json.dumps(config.to_dict(extra), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (path / CARD_FILE).write_text(card, encoding="utf-8")


def load_members(path: Path, config: ModelConfig) -> list[CallHeads]:
    from safetensors.torch import load_file

    try:
        state = load_file(str(path / HEADS_FILE))
        members = []
        for k in range(config.members):
            m = CallHeads(config.heads)
            prefix = f"m{k}."
            m.load_state_dict({n[len(prefix) :]: t.float() for n, t in state.items() if n.startswith(prefix)})
            m.eval()
            members.append(m)
    except (RuntimeError, OSError) as exc:
        raise ModelCorrupt(
            f"call classifier: {path / HEADS_FILE} does not match its config ({exc}); retrain "
            "with `qa-service train-classifier`",
            setting="classifier_model",
        ) from exc
    return members


def model_digest(path: Path, rules: DecisionRules | None = None) -> str:
    """The heads' digest; with decision rules other than the model alone, the rules are in it too
    (the same heads with other rules decide otherwise, and the stored model name must tell)."""
    digest = hashlib.sha256((path / HEADS_FILE).read_bytes())
    if rules is not None and not rules.is_model_only:
        digest.update(json.dumps(rules.to_dict(), sort_keys=True).encode())
    return digest.hexdigest()[:12]


class NeuralCallClassifier:
    """Frozen base encoder + an ensemble of trained heads. One encoder pass per call."""

    def __init__(self, members: Sequence[CallHeads], config: ModelConfig, embed: Embedder, name: str) -> None:
        self.members = list(members)
        self.config = config
        self._embed = embed
        self.name = name
        #: torch threads of the forward passes: fixed, so results do not depend on the cores given
        self.threads = CLASSIFIER_THREADS
        self._keywords = KeywordClassifier()

    def classify(self, transcript: CallTranscript, metadata: CallMetadata | None = None) -> Classification:
        return self.classify_many([(transcript, metadata)])[0]

    def classify_many(
        self,
        calls: Sequence[tuple[CallTranscript, CallMetadata | None]],
        embed: Embedder | None = None,
        batch_size: int = 64,
        *,
        with_rules: bool = True,
    ) -> list[Classification]:
        """Classify calls; all their utterances go through the encoder together, at :attr:`threads`
        torch threads whatever the process's count (so the scores do not depend on it). ``with_rules``
        False: the model's own decisions, without its decision rules (to evaluate and choose them)."""
        with fixed_torch_threads(self.threads):
            return self._classify_many(calls, embed or self._embed, batch_size, with_rules)

    def _classify_many(
        self,
        calls: Sequence[tuple[CallTranscript, CallMetadata | None]],
        embed: Embedder,
        batch_size: int,
        with_rules: bool,
    ) -> list[Classification]:
        rules = self.config.decision_rules if with_rules else MODEL_ONLY
        texts = [utterance_texts(t) for t, _ in calls]
        flat = embed([s for ts in texts for s in ts])
        inputs, offset = [], 0
        for (transcript, metadata), ts in zip(calls, texts, strict=True):
            inputs.append(call_inputs(transcript, metadata, flat[offset : offset + len(ts)]))
            offset += len(ts)
        out: list[Classification] = []
        with torch.inference_mode():
            for start in range(0, len(inputs), batch_size):
                batch = collate(inputs[start : start + batch_size])
                probs = ensemble_probs(self.members, batch)
                for i, (transcript, metadata) in enumerate(calls[start : start + batch_size]):
                    decided = self._decode(probs, i, transcript, metadata, batch["customer"][i])
                    if not rules.is_model_only:
                        decided = apply_rules(decided, self._keywords.classify(transcript, metadata), rules,
                                              inbound=_inbound(metadata))
                    out.append(decided)
        return out

    def _decode(
        self,
        probs: HeadProbs,
        i: int,
        transcript: CallTranscript,
        metadata: CallMetadata | None,
        customer_row: torch.Tensor,
    ) -> Classification:
        n = len(transcript.utterances)
        customer = [j for j in range(n) if bool(customer_row[j])]
        thr, esc_thr = self.config.reason_threshold, self.config.escalation_threshold
        reason_p = probs.reason[i, :n].numpy()
        esc_p = probs.escalation[i, :n].numpy()
        sent_p = probs.sentiment[i, :n].numpy()
        call_reason = reason_p[customer].max(axis=0) if customer else np.zeros(len(REASONS))
        reasons = [r for k, r in enumerate(REASONS) if call_reason[k] >= thr]
        if _inbound(metadata) and customer and not reasons:  # an inbound caller always has a reason: the likeliest
            reasons = [REASONS[int(call_reason.argmax())]]
        complaint_k = REASONS.index(ContactReason.COMPLAINT)
        escalation_score = float(esc_p[customer].max()) if customer else 0.0
        business_p = probs.business[i].numpy()
        outcome, outcome_score = None, None
        if metadata is not None and metadata.direction == Direction.OUTBOUND:
            outcome_p = probs.outcome[i].numpy()
            k = int(outcome_p.argmax())
            outcome, outcome_score = OUTCOMES[k], round(float(outcome_p[k]), 4)
        return Classification(
            contact_reasons=tuple(reasons),
            contact_reason_scores=tuple(
                LabelScore(r.value, round(float(call_reason[k]), 4)) for k, r in enumerate(REASONS)
            ),
            business_type=BUSINESS[int(business_p.argmax())],
            business_type_scores=tuple(
                sorted(
                    (LabelScore(b.value, round(float(business_p[k]), 4)) for k, b in enumerate(BUSINESS)),
                    key=lambda s: -s.score,
                )
            ),
            sentiment=tuple(
                TurnSentiment(j, SENTIMENTS[int(sent_p[j].argmax())], round(float(sent_p[j].max()), 4))
                for j in customer
            ),
            escalation_risk=escalation_score >= esc_thr,
            escalation_score=round(escalation_score, 4),
            escalation_evidence=tuple(j for j in customer if esc_p[j] >= esc_thr),
            complaint_evidence=_evidence(reason_p[:, complaint_k], customer, thr, ContactReason.COMPLAINT in reasons),
            outcome=outcome,
            outcome_score=outcome_score,
            model=self.name,
        )


def _inbound(metadata: CallMetadata | None) -> bool:
    return metadata is None or metadata.direction == Direction.INBOUND


def _evidence(scores: np.ndarray, customer: list[int], threshold: float, present: bool) -> tuple[int, ...]:
    """Customer utterances at or above the threshold; the strongest one when the label is present anyway."""
    picked = tuple(j for j in customer if scores[j] >= threshold)
    if present and not picked and customer:
        picked = (max(customer, key=lambda j: float(scores[j])),)
    return picked


def load_classifier_dir(path: Path, encoder: TextEncoder, base_sha256: str) -> NeuralCallClassifier:
    """Rebuild the classifier from a model directory on the matching base encoder."""
    config = read_config(path)
    if config.base_sha256 != base_sha256:
        raise ModelLoadError(
            f"call classifier at {path} was trained on base encoder {config.base_name} with sha256 "
            f"{config.base_sha256[:12]}…, but the text encoder in use has sha256 {base_sha256[:12]}…; point "
            "QA_TEXT_ENCODER_MODEL at the encoder it was trained on, or retrain with "
            "`qa-service train-classifier`",
            setting="classifier_model",
        )
    members = load_members(path, config)
    layers = config.pool_layers

    def embed(texts: Sequence[str]) -> Any:
        return encoder.features(texts, layers)

    return NeuralCallClassifier(members, config, embed, f"{path.name}@{model_digest(path, config.decision_rules)}")


def check_model(path: Path, settings: Any) -> str:
    """Load the classifier at ``path`` and classify a two-line call (used by ``qa-service models``)."""
    from qa_service.classifiers import build_neural_classifier

    clf = build_neural_classifier(path, settings)
    call = CallTranscript(
        "zh",
        (
            Utterance("agent", 0.0, 2.0, "您好，请问有什么可以帮您？", role=Role.AGENT),
            Utterance("customer", 2.5, 5.0, "我的银行卡丢了，想挂失。", role=Role.CUSTOMER),
        ),
    )
    result = clf.classify(call)
    name = getattr(clf, "name", "classifier")
    return f"{name}: smoke call → {result.business_type.value}"
