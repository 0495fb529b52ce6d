"""What every item evaluator works with and returns."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from qa_service.domain import Evidence, Finding, Outcome
from qa_service.rubrics.conditions import Trigger
from qa_service.rubrics.prepared import PreparedCall
from qa_service.rubrics.schema import Item


@dataclass(frozen=True)
class Located:
    """An item's finding plus where it was found (``None`` when it was not)."""

    finding: Finding
    anchor: Evidence | None = None


@dataclass(frozen=True)
class Context:
    """One call being scored: the prepared transcript, condition lookup and the results so far."""

    call: PreparedCall
    review_confidence: float
    condition: Callable[[str], Trigger | None]
    results: dict[str, Located]


def make_finding(
    item: Item, outcome: Outcome, evidence: Sequence[Evidence] = (), message: str = ""
) -> Finding:
    earned = item.weight if outcome == Outcome.PASS else 0.0
    return Finding(
        item.id, str(item.kind), outcome, item.weight, earned, item.critical, tuple(evidence), message
    )


def not_applicable(item: Item, trigger_needed: str) -> Located:
    return Located(make_finding(item, Outcome.NOT_APPLICABLE, message=f"not applicable: no {trigger_needed}"))


def span_of(evidence: Sequence[Evidence]) -> Evidence | None:
    """One evidence spanning several (from the earliest start to the latest end)."""
    timed = [e for e in evidence if e.start is not None]
    if not timed:
        return None
    first = min(timed, key=lambda e: e.start or 0.0)
    end = max(e.end or 0.0 for e in timed)
    return Evidence(first.utterance_index, first.text, first.matched_text, first.start, end, first.confidence)
