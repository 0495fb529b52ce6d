"""Decision rules: how model and keyword votes decide complaint and escalation, how the rules are
chosen on a validation split and stored in the model's config."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from qa_service.classifiers import build_neural_classifier
from qa_service.classifiers.dataset import TEST_FILE, CallLabels, LabelledCall, load_records
from qa_service.classifiers.model import NeuralCallClassifier, model_digest, read_config
from qa_service.classifiers.rules import (
    MODEL_ONLY,
    DecisionRule,
    DecisionRules,
    apply_rules,
    choose_rules,
    score_rule,
    split_validation,
)
from qa_service.classifiers.workflow import choose_decision_rules, format_rules_choice
from qa_service.domain import (
    BusinessType,
    CallMetadata,
    CallTranscript,
    Classification,
    ContactReason,
    LabelScore,
    Role,
    Utterance,
)
from qa_service.errors import ClassifierError, ModelCorrupt
from qa_service.settings import PROJECT_ROOT, Settings

DEFAULT_MODEL = PROJECT_ROOT / "models" / "call-classifier"


def _vote(reasons: tuple[ContactReason, ...], escalation: bool = False, complaint_at: tuple[int, ...] = (),
          escalation_at: tuple[int, ...] = ()) -> Classification:
    scores = tuple(LabelScore(r.value, 0.9 if r in reasons else 0.1 + 0.01 * k) for k, r in enumerate(ContactReason))
    return Classification(reasons, scores, BusinessType.OTHER, (), escalation_risk=escalation,
                          escalation_evidence=escalation_at, complaint_evidence=complaint_at, model="m")


def _call(call_id: str, complaint: bool, escalation: bool | None) -> LabelledCall:
    transcript = CallTranscript("zh", (Utterance("customer", 0.0, 1.0, "…", role=Role.CUSTOMER),))
    reasons = (ContactReason.COMPLAINT,) if complaint else (ContactReason.INQUIRY,)
    return LabelledCall(call_id, transcript, CallMetadata(call_id),
                        CallLabels(reasons, BusinessType.OTHER, escalation_risk=escalation))


@pytest.mark.parametrize(("rule", "expected"), [
    (DecisionRule.MODEL, (True, True, False, False)),
    (DecisionRule.KEYWORDS, (True, False, True, False)),
    (DecisionRule.EITHER, (True, True, True, False)),
    (DecisionRule.BOTH, (True, False, False, False)),
])
def test_each_rule_decides_from_the_two_votes(rule: DecisionRule, expected: tuple[bool, ...]) -> None:
    votes = ((True, True), (True, False), (False, True), (False, False))
    assert tuple(rule.decide(m, k) for m, k in votes) == expected


def test_model_only_returns_the_model_classification_unchanged() -> None:
    model = _vote((ContactReason.INQUIRY,))
    assert apply_rules(model, _vote((ContactReason.COMPLAINT,), True, (0,), (0,)), MODEL_ONLY) is model


def test_either_adds_the_keyword_escalation_with_its_evidence() -> None:
    model = _vote((ContactReason.INQUIRY,), escalation=False)
    keywords = _vote((ContactReason.COMPLAINT,), escalation=True, complaint_at=(3,), escalation_at=(3, 5))
    out = apply_rules(model, keywords, DecisionRules(DecisionRule.MODEL, DecisionRule.EITHER))
    assert out.escalation_risk and out.escalation_evidence == (3, 5)
    assert out.contact_reasons == (ContactReason.INQUIRY,)  # complaint stays the model's call
    assert model.escalation_risk is False  # the input is not changed


def test_both_drops_a_complaint_the_keywords_do_not_see_and_keeps_a_reason() -> None:
    model = _vote((ContactReason.COMPLAINT,), complaint_at=(1,))
    out = apply_rules(model, _vote((ContactReason.INQUIRY,)), DecisionRules(DecisionRule.BOTH, DecisionRule.MODEL))
    assert ContactReason.COMPLAINT not in out.contact_reasons and out.complaint_evidence == ()
    assert len(out.contact_reasons) == 1  # the model's next likeliest reason, not none
    outbound = apply_rules(model, _vote((ContactReason.INQUIRY,)), DecisionRules(DecisionRule.BOTH, DecisionRule.MODEL),
                           inbound=False)
    assert outbound.contact_reasons == ()  # an outbound call needs no reason of its own


def test_either_merges_complaint_evidence_in_order() -> None:
    model = _vote((ContactReason.COMPLAINT, ContactReason.SUGGESTION), complaint_at=(4,))
    keywords = _vote((ContactReason.COMPLAINT,), complaint_at=(1, 4))
    out = apply_rules(model, keywords, DecisionRules(DecisionRule.EITHER, DecisionRule.MODEL))
    assert out.contact_reasons == (ContactReason.COMPLAINT, ContactReason.SUGGESTION)
    assert out.complaint_evidence == (1, 4)


def test_rules_round_trip_and_bad_rules_are_refused() -> None:
    rules = DecisionRules(DecisionRule.KEYWORDS, DecisionRule.EITHER)
    assert DecisionRules.from_dict(rules.to_dict()) == rules
    assert DecisionRules.from_dict(None) == MODEL_ONLY
    with pytest.raises(ClassifierError, match="allowed"):
        DecisionRules.from_dict({"complaint": "sometimes"})
    with pytest.raises(ClassifierError):
        DecisionRules.from_dict({"sentiment": "model"})


def test_split_is_fixed_disjoint_and_about_half() -> None:
    calls = [_call(f"c{i:03d}", i % 3 == 0, None) for i in range(400)]
    validation, held_out = split_validation(calls)
    assert split_validation(calls) == (validation, held_out)
    assert {c.call_id for c in validation}.isdisjoint(c.call_id for c in held_out)
    assert len(validation) + len(held_out) == 400 and 150 < len(validation) < 250
    with pytest.raises(ClassifierError):
        split_validation(calls, share=1.0)


def test_choice_is_the_best_f1_and_scores_count_only_labelled_calls() -> None:
    # escalation: the model misses two of four, the keywords find them without a false alarm
    calls = [_call(f"e{i}", False, i < 4) for i in range(8)] + [_call("unlabelled", False, None)]
    model = [_vote((ContactReason.INQUIRY,), escalation=i < 2) for i in range(8)] + [_vote((), True)]
    keywords = [_vote((ContactReason.INQUIRY,), escalation=2 <= i < 4) for i in range(8)] + [_vote((), True)]
    rules, scores = choose_rules(calls, model, keywords)
    assert rules.escalation is DecisionRule.EITHER
    either = next(s for s in scores if s.decision == "escalation" and s.rule is DecisionRule.EITHER)
    assert (either.n, either.support, either.recall, either.precision) == (8, 4, 1.0, 1.0)
    alone = score_rule("escalation", DecisionRule.MODEL, calls, model, keywords)
    assert alone.recall == 0.5
    # complaint: no complaints at all, every rule scores 0: the simplest (model) wins the tie
    assert rules.complaint is DecisionRule.MODEL


def test_rules_in_the_config_change_decisions_and_the_model_name(settings: Settings, tmp_path: Path) -> None:
    model_dir = tmp_path / "m"
    shutil.copytree(DEFAULT_MODEL, model_dir)
    raw = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    raw["decision_rules"] = {"complaint": "model", "escalation": "model"}
    (model_dir / "config.json").write_text(json.dumps(raw), encoding="utf-8")
    call = CallTranscript("zh", (
        Utterance("agent", 0.0, 2.0, "您好，请问有什么可以帮您？", role=Role.AGENT),
        Utterance("customer", 2.5, 6.0, "查一下余额，另外你们主管电话是多少，我找负责人。", role=Role.CUSTOMER),
    ))
    alone = build_neural_classifier(model_dir, settings)
    raw["decision_rules"] = {"complaint": "model", "escalation": "keywords"}
    (model_dir / "config.json").write_text(json.dumps(raw), encoding="utf-8")
    ruled = build_neural_classifier(model_dir, settings)
    assert ruled.classify(call).escalation_risk  # 主管 / 负责人 are escalation keywords
    assert isinstance(ruled, NeuralCallClassifier) and isinstance(alone, NeuralCallClassifier)
    assert ruled.name != alone.name and alone.name.endswith(model_digest(model_dir))
    raw["decision_rules"] = {"complaint": "never"}
    (model_dir / "config.json").write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(ModelCorrupt):
        read_config(model_dir)


def test_shipped_model_rules_are_the_ones_chosen_on_validation(settings: Settings, tmp_path: Path) -> None:
    """The bundled config holds what `choose-classifier-rules` chooses on the bundled test set, and
    choosing with --write stores exactly that."""
    model_dir = tmp_path / "m"
    shutil.copytree(DEFAULT_MODEL, model_dir)
    raw = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    del raw["decision_rules"]
    (model_dir / "config.json").write_text(json.dumps(raw), encoding="utf-8")
    choice = choose_decision_rules(settings, model_dir, TEST_FILE, write=True)
    assert read_config(model_dir).decision_rules == choice.rules == read_config(DEFAULT_MODEL).decision_rules
    assert choice.validation_calls + choice.held_out_calls == len(load_records(TEST_FILE))
    held = {(s.decision, s.rule): s for s in choice.held_out}
    # on calls that played no part in the choice, the chosen escalation rule finds at least what the model does
    assert held["escalation", choice.rules.escalation].recall >= held["escalation", DecisionRule.MODEL].recall
    table = format_rules_choice(choice)
    assert "<- chosen" in table and "held-out recall by language" in table
