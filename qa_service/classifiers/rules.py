"""How the trained model and the keyword rules are combined for the two decisions a supervisor acts
on: *is this a complaint?* and *is there an escalation risk?*

The model reads paraphrases the keywords miss; the keywords catch fixed words the model, trained on
a small corpus, may not have seen weigh enough (a regulator, a lawyer, 12378). Which combination
serves a decision best is measured, not assumed: :func:`choose_rules` tries each
:class:`DecisionRule` on a validation split (calls the model was not trained on) and keeps the one
with the best F1 (ties: the higher recall, then the simpler rule); the split that chose it is never
the one its recall is reported on (:func:`split_validation`). The choice is stored in the model's
``config.json`` (``decision_rules``) and applied by :func:`apply_rules` to every classification.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from qa_service.classifiers.dataset import LabelledCall
from qa_service.domain import Classification, ContactReason
from qa_service.errors import ClassifierError


class DecisionRule(StrEnum):
    MODEL = "model"  # the model alone
    KEYWORDS = "keywords"  # the keyword rules alone
    EITHER = "either"  # the model or the keywords
    BOTH = "both"  # the model and the keywords

    def decide(self, model: bool, keywords: bool) -> bool:
        if self is DecisionRule.MODEL:
            return model
        if self is DecisionRule.KEYWORDS:
            return keywords
        if self is DecisionRule.EITHER:
            return model or keywords
        return model and keywords


#: Tie-break order: the fewer moving parts, the better (the rules are declared in this order).
_SIMPLEST_FIRST = tuple(DecisionRule)


@dataclass(frozen=True)
class DecisionRules:
    complaint: DecisionRule = DecisionRule.MODEL
    escalation: DecisionRule = DecisionRule.MODEL

    @property
    def is_model_only(self) -> bool:
        return self.complaint is DecisionRule.MODEL and self.escalation is DecisionRule.MODEL

    def to_dict(self) -> dict[str, str]:
        return {"complaint": self.complaint.value, "escalation": self.escalation.value}

    @classmethod
    def from_dict(cls, raw: object) -> DecisionRules:
        """Rules from a model config (absent: the model alone); :class:`ClassifierError` if malformed."""
        if raw is None:
            return cls()
        if not isinstance(raw, dict) or set(raw) - {"complaint", "escalation"}:
            raise ClassifierError(f"decision_rules must map complaint/escalation to a rule, not {raw!r}")
        try:
            return cls(DecisionRule(raw.get("complaint", "model")), DecisionRule(raw.get("escalation", "model")))
        except ValueError as exc:
            allowed = ", ".join(r.value for r in DecisionRule)
            raise ClassifierError(f"decision_rules: {exc} (allowed: {allowed})") from exc


#: The model alone decides (a model config without ``decision_rules``).
MODEL_ONLY = DecisionRules()


def _is_complaint(c: Classification) -> bool:
    return ContactReason.COMPLAINT in c.contact_reasons


def apply_rules(model: Classification, keywords: Classification, rules: DecisionRules, *,
                inbound: bool = True) -> Classification:
    """The model's classification with the complaint and escalation decisions taken by ``rules``
    (the keyword classification of the same call supplies the other vote and its evidence). An
    inbound caller always keeps a contact reason, as the model gives one."""
    if rules.is_model_only:
        return model
    complaint = rules.complaint.decide(_is_complaint(model), _is_complaint(keywords))
    reasons = tuple(r for r in ContactReason
                    if (r is ContactReason.COMPLAINT and complaint)
                    or (r is not ContactReason.COMPLAINT and r in model.contact_reasons))
    if inbound and not reasons and model.contact_reasons:  # a complaint the rules overruled: the next reason
        ranked = sorted((s for s in model.contact_reason_scores if s.label != ContactReason.COMPLAINT.value),
                        key=lambda s: -s.score)
        reasons = (ContactReason(ranked[0].label),) if ranked else ()
    complaint_evidence = (tuple(sorted(set(model.complaint_evidence) | set(keywords.complaint_evidence)))
                          if complaint else ())
    escalation = rules.escalation.decide(model.escalation_risk, keywords.escalation_risk)
    escalation_evidence = (tuple(sorted(set(model.escalation_evidence) | set(keywords.escalation_evidence)))
                           if escalation else ())
    return replace(model, contact_reasons=reasons, complaint_evidence=complaint_evidence,
                   escalation_risk=escalation, escalation_evidence=escalation_evidence)


# --------------------------------------------------------------------------- choosing the rules
def split_validation(calls: Sequence[LabelledCall], share: float = 0.5) -> tuple[list[LabelledCall],
                                                                                   list[LabelledCall]]:
    """(validation, held-out): a fixed split by a hash of each call id, the same on every run and
    machine, about ``share`` of the calls in validation."""
    if not 0.0 < share < 1.0:
        raise ClassifierError(f"validation share must be between 0 and 1, not {share}")
    validation: list[LabelledCall] = []
    held_out: list[LabelledCall] = []
    for call in calls:
        bucket = int.from_bytes(hashlib.sha256(call.call_id.encode()).digest()[:4], "big") / 2**32
        (validation if bucket < share else held_out).append(call)
    return validation, held_out


@dataclass(frozen=True)
class RuleScore:
    decision: str  # complaint / escalation
    rule: DecisionRule
    n: int  # calls judged
    support: int  # calls where the gold label is positive
    precision: float
    recall: float
    f1: float


Gold = Callable[[LabelledCall], bool | None]


def _gold_complaint(c: LabelledCall) -> bool | None:
    return ContactReason.COMPLAINT in c.labels.contact_reasons


def _gold_escalation(c: LabelledCall) -> bool | None:
    return c.labels.escalation_risk


DECISIONS: dict[str, tuple[Gold, Callable[[Classification], bool]]] = {
    "complaint": (_gold_complaint, _is_complaint),
    "escalation": (_gold_escalation, lambda c: c.escalation_risk),
}


def score_rule(decision: str, rule: DecisionRule, calls: Sequence[LabelledCall], model: Sequence[Classification],
               keywords: Sequence[Classification]) -> RuleScore:
    gold_of, predicted = DECISIONS[decision]
    tp = fp = fn = n = 0
    for call, m, k in zip(calls, model, keywords, strict=True):
        gold = gold_of(call)
        if gold is None:  # not labelled for this decision
            continue
        n += 1
        said = rule.decide(predicted(m), predicted(k))
        tp += gold and said
        fp += (not gold) and said
        fn += gold and not said
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return RuleScore(decision, rule, n, tp + fn, round(precision, 4), round(recall, 4), round(f1, 4))


def choose_rules(calls: Sequence[LabelledCall], model: Sequence[Classification],
                 keywords: Sequence[Classification]) -> tuple[DecisionRules, list[RuleScore]]:
    """The rule with the best F1 per decision on ``calls`` (ties: higher recall, then simpler), and
    every rule's score."""
    scores = [score_rule(d, r, calls, model, keywords) for d in DECISIONS for r in _SIMPLEST_FIRST]
    best = {}
    for decision in DECISIONS:
        mine = [s for s in scores if s.decision == decision]
        best[decision] = max(mine, key=lambda s: (s.f1, s.recall, -_SIMPLEST_FIRST.index(s.rule))).rule
    return DecisionRules(best["complaint"], best["escalation"]), scores
