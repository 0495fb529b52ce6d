"""Evaluators for required and forbidden phrases. Each returns a :class:`Located` finding."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from qa_service.domain import Evidence, Outcome
from qa_service.rubrics.conditions import Trigger
from qa_service.rubrics.findings import Context, Located, make_finding, not_applicable, span_of
from qa_service.rubrics.matching import covered, find_fuzzy
from qa_service.rubrics.prepared import PreparedUtterance
from qa_service.rubrics.schema import (
    TRIGGER,
    ForbiddenPhraseItem,
    Phrase,
    RequiredPhraseItem,
    Window,
    WindowKind,
)

#: A missed phrase whose closest stretch scores at least this and sits on unsure words needs review.
MISS_REVIEW_FLOOR = 60.0
_MAX_EVIDENCE = 10
_RANK = {Outcome.PASS: 2, Outcome.NEEDS_REVIEW: 1, Outcome.FAIL: 0}


# windows ---------------------------------------------------------------------------------------
_INF = float("inf")


@dataclass(frozen=True)
class _Bounds:
    """Time bounds of a window: evidence must start at or after ``start_from`` and before
    ``start_by``, and end at or after ``end_from``."""

    start_from: float = float("-inf")
    start_by: float = float("inf")
    end_from: float = float("-inf")
    note: str = ""
    latest_first: bool = False  # prefer the last occurrence (closing-type windows)

    def admits_utterance(self, pu: PreparedUtterance) -> bool:
        u = pu.utterance
        return u.start <= self.start_by and u.end >= self.start_from and u.end >= self.end_from

    def admitted(self, utts: Sequence[PreparedUtterance]) -> list[int]:
        """Indices of the utterances that may hold evidence inside the window."""
        if self.start_by == _INF and self.start_from == -_INF and self.end_from == -_INF:
            return list(range(len(utts)))
        return [i for i, pu in enumerate(utts) if self.admits_utterance(pu)]

    def admits(self, ev: Evidence) -> bool:
        start = ev.start if ev.start is not None else 0.0
        end = ev.end if ev.end is not None else start
        return self.start_from <= start <= self.start_by and end >= self.end_from

    def describe(self) -> str:
        lo = max(self.start_from, self.end_from, 0.0)
        hi = self.start_by
        return f"{lo:.1f}–{hi:.1f} s" if hi != float("inf") else f"from {lo:.1f} s"


def _bounds(window: Window, ctx: Context, trigger: Trigger | None) -> _Bounds:
    if window.kind == WindowKind.FIRST:
        return _Bounds(start_by=float(window.seconds or 0.0))
    if window.kind == WindowKind.LAST:
        return _Bounds(end_from=ctx.call.duration - float(window.seconds or 0.0), latest_first=True)
    if window.kind == WindowKind.AFTER:
        if window.after == TRIGGER:
            return _Bounds(start_from=trigger.start) if trigger else _Bounds()
        found = ctx.results.get(window.after or "")
        if found is None or found.anchor is None or found.anchor.start is None:
            return _Bounds(note=f" ({window.after} was not found, so anywhere)")
        return _Bounds(start_from=found.anchor.start)
    return _Bounds()


# required phrases ------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Candidate:
    outcome: Outcome
    score: float
    evidence: Evidence
    method: str
    phrase: Phrase

    def rank(self) -> tuple[int, float, float]:
        return (_RANK[self.outcome], self.score, self.evidence.confidence)


def _judge(item: RequiredPhraseItem, score: float, confidence: float, review_conf: float) -> Outcome:
    if score >= item.threshold:
        return Outcome.NEEDS_REVIEW if confidence < review_conf else Outcome.PASS
    if score >= item.review_threshold:
        return Outcome.NEEDS_REVIEW
    if score >= MISS_REVIEW_FLOOR and confidence < review_conf:
        return Outcome.NEEDS_REVIEW
    return Outcome.FAIL


def _best_in_group(
    item: RequiredPhraseItem,
    group: Sequence[Phrase],
    bounds: _Bounds,
    ctx: Context,
    fuzzy: bool,
    admitted: list[int],
) -> _Candidate | None:
    """The best match of any phrase of ``group`` in the window: the earliest exact or same-sounding
    one that passes, else the best fuzzy one (when ``fuzzy``), else the closest that did not pass."""
    call, rc = ctx.call, ctx.review_confidence
    if not admitted:
        return None
    only = (admitted[0], admitted[-1])
    utts = call.by_role(item.role)
    allowed = {utts[i].position for i in admitted}
    hits = sorted(
        (
            (pu.position, start, end, method, k)
            for k, phrase in enumerate(group)
            for pu, start, end, method in call.find_exact(phrase, item.role, only)
            if pu.position in allowed
        ),
        key=lambda h: (-h[0], h[1]) if bounds.latest_first else (h[0], h[1]),
    )
    best: _Candidate | None = None
    for position, start, end, method, k in hits:
        ev = call.evidence(call.utterances[position], start, end)
        if not bounds.admits(ev):
            continue
        cand = _Candidate(_judge(item, 100.0, ev.confidence, rc), 100.0, ev, method, group[k])
        if cand.outcome == Outcome.PASS:
            return cand
        if best is None or cand.rank() > best.rank():
            best = cand
    if not fuzzy or not any(p.fuzzy for p in group):
        return best
    cands = [utts[i] for i in admitted]
    if not cands:
        return best
    # with an exact match that needs review, only a fuzzy match that passes outright could do better
    cutoff = item.threshold if best is not None else min(item.review_threshold, MISS_REVIEW_FLOOR)
    offsets, pos = [], 0
    for pu in cands:
        offsets.append(pos)
        pos += len(pu.norm) + 1
    norm = "\n".join(pu.norm for pu in cands)
    key = "\n".join(pu.key for pu in cands) if call.chinese else norm
    for phrase in group:
        if not phrase.fuzzy:
            continue
        # locate the best stretch in the whole window at once, then score it within its utterance
        m = find_fuzzy(phrase, norm, key, call.language, cutoff - 10)
        if m is None:
            continue
        i = bisect_right(offsets, m.start) - 1
        pu = cands[i]
        m = find_fuzzy(phrase, pu.norm, pu.key, call.language, cutoff)
        if m is None:
            continue
        ev = call.evidence(pu, m.start, m.end)
        if not bounds.admits(ev):
            continue
        cand = _Candidate(_judge(item, m.score, ev.confidence, rc), m.score, ev, m.method, phrase)
        if best is None or cand.rank() > best.rank():
            best = cand
    return best


def _quote(phrases: Sequence[Phrase], limit: int = 3) -> str:
    shown = " / ".join(f"«{p.text}»" for p in phrases[:limit])
    return shown + (" / …" if len(phrases) > limit else "")


def evaluate_required(item: RequiredPhraseItem, ctx: Context) -> Located:
    trigger = None
    if item.when:
        trigger = ctx.condition(item.when)
        if trigger is None:
            return not_applicable(item, item.when.replace("_", " "))
    bounds = _bounds(item.window, ctx, trigger)
    admitted = bounds.admitted(ctx.call.by_role(item.role))
    who = item.role.value if item.role else "anyone"
    evidence: list[Evidence] = []
    notes: list[str] = []
    outcome = Outcome.PASS
    for group in item.groups:
        # once a group has failed the item fails: later groups are only looked up exactly
        best = _best_in_group(item, group, bounds, ctx, outcome != Outcome.FAIL, admitted)
        if best is not None and best.outcome != Outcome.FAIL:
            evidence.append(best.evidence)
            if best.outcome == Outcome.NEEDS_REVIEW:
                outcome = Outcome.FAIL if outcome == Outcome.FAIL else Outcome.NEEDS_REVIEW
                why = "unsure words" if best.score >= item.threshold else f"score {best.score:.0f}"
                notes.append(f"«{best.evidence.matched_text}» may be «{best.phrase.text}» ({why})")
            elif best.method != "exact":
                notes.append(
                    f"«{best.evidence.matched_text}» matched «{best.phrase.text}» "
                    f"({best.method}, {best.score:.0f})"
                )
            continue
        outcome = Outcome.FAIL
        where = f"{item.window.describe()} ({bounds.describe()}){bounds.note}"
        closest = ""
        if best is not None:
            closest = (
                f"; closest: «{best.evidence.matched_text}» at {best.evidence.start or 0.0:.1f} s "
                f"(score {best.score:.0f})"
            )
        notes.append(f"expected {who} to say {_quote(group)} {where}{closest}")
    if outcome == Outcome.FAIL:
        notes = [n for n in notes if n.startswith("expected")]
    return Located(
        make_finding(item, outcome, evidence, "; ".join(notes)),
        span_of(evidence) if outcome != Outcome.FAIL else None,
    )


# forbidden phrases -----------------------------------------------------------------------------
def evaluate_forbidden(item: ForbiddenPhraseItem, ctx: Context) -> Located:
    trigger = None
    if item.when:
        trigger = ctx.condition(item.when)
        if trigger is None:
            return not_applicable(item, item.when.replace("_", " "))
    call = ctx.call
    bounds = _bounds(item.window, ctx, trigger)
    hits: list[tuple[Evidence, bool]] = []  # (evidence, heard exactly)
    found = sorted(
        (pu.position, start, end, method)
        for phrase in item.phrases
        for pu, start, end, method in call.find_exact(phrase, item.role)
        if bounds.admits_utterance(pu)
    )
    seen: set[tuple[int, int, int]] = set()
    for position, start, end, method in found:
        pu = call.utterances[position]
        if (position, start, end) in seen or covered(
            (start, end), item.exceptions, pu.norm, pu.key, call.chinese
        ):
            continue
        seen.add((position, start, end))
        ev = call.evidence(pu, start, end)
        if bounds.admits(ev):
            hits.append((ev, method == "exact"))
    if not hits:
        return Located(make_finding(item, Outcome.PASS))
    certain = [ev for ev, exact in hits if exact and ev.confidence >= ctx.review_confidence]
    outcome = Outcome.FAIL if certain else Outcome.NEEDS_REVIEW
    shown = certain or [ev for ev, _ in hits]
    said = ", ".join(f"«{ev.matched_text}» at {ev.start or 0.0:.1f} s" for ev in shown[:3])
    verb = "said" if certain else "may have said (unsure words or same sound)"
    return Located(make_finding(item, outcome, shown[:_MAX_EVIDENCE], f"{verb} {said}"), span_of(shown))
