"""Per-class precision, recall and F1 of a classifier on labelled calls, and the side-by-side tables.

Tasks: ``contact_reason`` (multi-label, every call), ``business_type`` (every call),
``escalation`` (calls with an escalation label), ``outcome`` (outbound calls with an outcome
label), ``sentiment`` (customer turns with a turn label) and ``complaint_utterance`` (customer
turns with a turn label: is this utterance complaint evidence?). Macro-F1 averages the classes
that occur in the gold labels.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from qa_service.classifiers.dataset import LabelledCall
from qa_service.domain import BusinessType, Classification, ContactReason, OutboundOutcome, Sentiment

Classify = Callable[[Sequence[LabelledCall]], list[Classification]]
TASKS = ("contact_reason", "business_type", "escalation", "outcome", "sentiment", "complaint_utterance")


@dataclass(frozen=True)
class ClassScore:
    label: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class TaskReport:
    task: str
    classes: tuple[ClassScore, ...]
    n: int  # items evaluated (calls or turns)

    @property
    def macro_f1(self) -> float:
        scored = [c.f1 for c in self.classes if c.support > 0]
        return sum(scored) / len(scored) if scored else 0.0

    def score(self, label: str) -> ClassScore:
        return next(c for c in self.classes if c.label == label)


def score_sets(task: str, gold: Sequence[set[str]], pred: Sequence[set[str]], labels: Sequence[str]) -> TaskReport:
    """Per-class P/R/F1 where each item carries a set of labels (one for single-label tasks)."""
    classes = []
    for label in labels:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if label in g and label in p)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if label not in g and label in p)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if label in g and label not in p)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        classes.append(ClassScore(label, round(precision, 4), round(recall, 4), round(f1, 4), tp + fn))
    return TaskReport(task, tuple(classes), len(gold))


def evaluate(calls: Sequence[LabelledCall], predictions: Sequence[Classification]) -> dict[str, TaskReport]:
    reasons = [r.value for r in ContactReason]
    out = {
        "contact_reason": score_sets(
            "contact_reason",
            [{r.value for r in c.labels.contact_reasons} for c in calls],
            [{r.value for r in p.contact_reasons} for p in predictions],
            reasons,
        ),
        "business_type": score_sets(
            "business_type",
            [{c.labels.business_type.value} for c in calls],
            [{p.business_type.value} for p in predictions],
            [b.value for b in BusinessType],
        ),
    }
    esc = [(c, p) for c, p in zip(calls, predictions, strict=True) if c.labels.escalation_risk is not None]
    out["escalation"] = score_sets(
        "escalation",
        [{_esc(c.labels.escalation_risk)} for c, _ in esc],
        [{_esc(p.escalation_risk)} for _, p in esc],
        ["escalation", "no_escalation"],
    )
    outc = [(c, p) for c, p in zip(calls, predictions, strict=True) if c.labels.outcome is not None]
    out["outcome"] = score_sets(
        "outcome",
        [{c.labels.outcome.value} for c, _ in outc if c.labels.outcome],
        [{p.outcome.value if p.outcome else "none"} for _, p in outc],
        [o.value for o in OutboundOutcome],
    )
    gold_s, pred_s, gold_c, pred_c = [], [], [], []
    for c, p in zip(calls, predictions, strict=True):
        predicted = {s.utterance_index: s.sentiment.value for s in p.sentiment}
        evidence = set(p.complaint_evidence)
        for j, turn in enumerate(c.labels.turns or ()):
            if turn is None or turn.sentiment is None:
                continue
            gold_s.append({turn.sentiment.value})
            pred_s.append({predicted.get(j, "none")})
            gold_c.append({"complaint" if turn.reason == ContactReason.COMPLAINT else "other"})
            pred_c.append({"complaint" if j in evidence else "other"})
    out["sentiment"] = score_sets("sentiment", gold_s, pred_s, [s.value for s in Sentiment])
    out["complaint_utterance"] = score_sets("complaint_utterance", gold_c, pred_c, ["complaint"])
    return out


def _esc(flag: bool | None) -> str:
    return "escalation" if flag else "no_escalation"


def format_tables(reports: dict[str, dict[str, TaskReport]]) -> str:
    """Side-by-side per-class tables, one block per task, one column group per system."""
    systems = list(reports)
    lines = []
    for task in TASKS:
        first = reports[systems[0]][task]
        lines.append(f"== {task} (n={first.n})")
        head = f"{'class':<20}{'support':>8}"
        for name in systems:
            head += f"   {name[:22]:<22}"
        lines.append(head)
        sub = " " * 28
        for _ in systems:
            sub += f"   {'P':>6}{'R':>7}{'F1':>7}  "
        lines.append(sub.rstrip())
        for k, cls in enumerate(first.classes):
            if cls.support == 0 and all(reports[s][task].classes[k].precision == 0 for s in systems):
                continue
            row = f"{cls.label:<20}{cls.support:>8}"
            for name in systems:
                c = reports[name][task].classes[k]
                row += f"   {c.precision:>6.3f}{c.recall:>7.3f}{c.f1:>7.3f}  "
            lines.append(row.rstrip())
        row = f"{'macro-F1':<28}"
        for name in systems:
            row += f"   {'':>13}{reports[name][task].macro_f1:>7.3f}  "
        lines.append(row.rstrip())
        lines.append("")
    return "\n".join(lines)
