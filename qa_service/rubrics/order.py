"""The ``order`` item: the steps of a call come in sequence."""

from __future__ import annotations

import itertools

from qa_service.domain import Evidence, Outcome
from qa_service.rubrics.findings import Context, Located, make_finding
from qa_service.rubrics.schema import HANDLING, OrderItem


def evaluate_order(item: OrderItem, ctx: Context) -> Located:
    """The located steps must come in sequence. ``handling`` stands for the rest of the
    conversation: its position is the middle of the talk time of the utterances no step was found
    in, so business handled before the identity check (or a closing straight after it) is out of
    order."""
    steps: list[tuple[str, Evidence, bool]] = []  # (step, anchor, unsure)
    named = [s for s in item.sequence if s != HANDLING]
    for step in item.sequence:
        if step == HANDLING:
            continue
        found = ctx.results.get(step)
        if found is None or found.anchor is None or found.anchor.start is None:
            continue
        steps.append((step, found.anchor, found.finding.outcome == Outcome.NEEDS_REVIEW))
    if len(steps) < 2:
        return Located(
            make_finding(
                item, Outcome.NOT_APPLICABLE, message="not applicable: fewer than two of the steps were found"
            )
        )
    evidence = [ev for _, ev, _ in steps]
    if HANDLING in item.sequence:
        first = min(ev.start or 0.0 for ev in evidence)
        middle = _handling_middle(ctx, {ev.utterance_index for ev in evidence}, first)
        if middle is not None:
            anchor = Evidence(None, "", "(the rest of the conversation)", middle, middle)
            position = item.sequence.index(HANDLING)
            before = sum(1 for s, _, _ in steps if s in named and item.sequence.index(s) < position)
            steps.insert(before, (HANDLING, anchor, False))
    for (a, ev_a, unsure_a), (b, ev_b, unsure_b) in itertools.pairwise(steps):
        if (ev_b.start or 0.0) < (ev_a.start or 0.0):
            outcome = Outcome.NEEDS_REVIEW if unsure_a or unsure_b else Outcome.FAIL
            msg = f"{b} ({ev_b.start:.1f} s) came before {a} ({ev_a.start:.1f} s)"
            return Located(make_finding(item, outcome, evidence, msg))
    return Located(make_finding(item, Outcome.PASS, evidence))


def _handling_middle(ctx: Context, used: set[int | None], after: float) -> float | None:
    """The time by which half the talk time of the utterances outside the steps (from the first
    step on) has passed."""
    rest = [
        pu.utterance
        for pu in ctx.call.utterances
        if pu.position not in used and pu.norm and pu.utterance.start >= after
    ]
    total = sum(u.duration for u in rest)
    if not rest or total <= 0:
        return None
    acc = 0.0
    for u in sorted(rest, key=lambda u: u.start):
        if acc + u.duration >= total / 2:
            return u.start + (total / 2 - acc)
        acc += u.duration
    return rest[-1].end
