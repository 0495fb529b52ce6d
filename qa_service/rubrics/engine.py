"""Score a call against a rubric: a pure function of transcript, rubric and call metadata.

Scoring rules:

- every item gets one finding: pass, fail, n/a (a conditional item whose condition does not hold,
  or an order with too little to judge) or needs_review (the result rests on words the recogniser
  was unsure of, a same-sounding reading, or a fuzzy score between the item's review and pass
  thresholds);
- score = 100 × (weights of passed items) / (weights of passed + failed items); N/A and
  needs-review items are left out until a reviewer settles them;
- a failed critical item fails the call (``auto_failed``); otherwise the call passes when the score
  reaches the rubric's ``pass_threshold``.

Re-scoring a stored call after a rubric change needs only its transcript: nothing here reads audio,
files, settings or the clock.
"""

from __future__ import annotations

from qa_service.domain import CallMetadata, CallTranscript, Finding, Outcome, RubricResult
from qa_service.rubrics.conditions import Trigger, evaluate_condition
from qa_service.rubrics.findings import Context, Located
from qa_service.rubrics.items import evaluate_forbidden, evaluate_required
from qa_service.rubrics.order import evaluate_order
from qa_service.rubrics.prepared import PreparedCall
from qa_service.rubrics.schema import ForbiddenPhraseItem, OrderItem, RequiredPhraseItem, Rubric


def score_call(
    transcript: CallTranscript, rubric: Rubric, metadata: CallMetadata | None = None
) -> RubricResult:
    """The scorecard of ``transcript`` under ``rubric`` (``metadata`` is accepted for rubrics whose
    conditions depend on it; the shipped ones do not)."""
    call = PreparedCall(transcript, rubric.language, rubric.slots)
    triggers: dict[str, Trigger | None] = {}

    def condition(name: str) -> Trigger | None:
        if name not in triggers:
            triggers[name] = evaluate_condition(name, call, rubric.conditions)
        return triggers[name]

    results: dict[str, Located] = {}
    ctx = Context(call, rubric.review_confidence, condition, results)
    for item in rubric.items:
        if isinstance(item, RequiredPhraseItem):
            results[item.id] = evaluate_required(item, ctx)
        elif isinstance(item, ForbiddenPhraseItem):
            results[item.id] = evaluate_forbidden(item, ctx)
    for item in rubric.items:
        if isinstance(item, OrderItem):
            results[item.id] = evaluate_order(item, ctx)
    return scorecard(rubric, tuple(results[item.id].finding for item in rubric.items))


def scorecard(rubric: Rubric, findings: tuple[Finding, ...]) -> RubricResult:
    """Total a rubric's findings (also used after a reviewer settles needs-review findings)."""
    scored = [f for f in findings if f.outcome in (Outcome.PASS, Outcome.FAIL)]
    total = sum(f.weight for f in scored)
    earned = sum(f.score for f in scored)
    score = round(100.0 * earned / total, 2) if total > 0 else 0.0
    auto_failed = any(f.critical and f.outcome == Outcome.FAIL for f in findings)
    passed = not auto_failed and total > 0 and score >= rubric.pass_threshold
    return RubricResult(
        rubric_id=rubric.id,
        rubric_version=rubric.version,
        rubric_hash=rubric.hash,
        findings=findings,
        score=score,
        passed=passed,
        auto_failed=auto_failed,
    )
