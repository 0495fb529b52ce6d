"""Reviews: a supervisor confirms or overrides each rubric item, the score and the call's labels, with
comments. The automatic result stays beside the human one (see :mod:`qa_service.store.reviews`);
statistics and ``qa-service report`` read the human (final) values.

A later review of the same call supersedes the earlier ones (they are kept, for the history). When a
call is assessed again (after a role swap or a rubric change) the latest submitted review is applied
again to the new automatic result (:func:`reapply_review`), so the human result survives.

Pass or fail after a review is decided by the rubric the call was scored with: its weights and pass
threshold, through :func:`qa_service.rubrics.scorecard` (the same totalling as the automatic score).
The rubric is found among ``rubrics()`` by the hash stored on the scorecard, else by id and version.
"""

from __future__ import annotations

import json
import logging
import math
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from qa_service.domain import BusinessType, ContactReason, Finding, Outcome
from qa_service.errors import Conflict, InvalidRequest, NotFound, RubricError
from qa_service.rubrics import Rubric, load_rubrics, scorecard
from qa_service.services.access import Permission, Principal
from qa_service.services.calls_view import visible_call
from qa_service.settings import Settings
from qa_service.store import audit
from qa_service.store import reviews as store
from qa_service.store.models import Call, FindingRow, Review, ReviewOverride, Scorecard
from qa_service.store.states import AuditAction, CallState, LabelKind

log = logging.getLogger(__name__)

#: The loaded rubrics, asked for only when a review has to be totalled.
RubricSource = Callable[[], Sequence[Rubric]]

CONFIRM = "confirm"
#: What a reviewer may set an item to (needs_review is what they settle, never what they choose).
DECIDABLE: tuple[Outcome, ...] = (Outcome.PASS, Outcome.FAIL, Outcome.NOT_APPLICABLE)
#: The labels a review may correct, and their vocabularies.
CORRECTABLE_LABELS: dict[LabelKind, tuple[str, ...]] = {
    LabelKind.CONTACT_REASON: tuple(r.value for r in ContactReason),
    LabelKind.BUSINESS_TYPE: tuple(b.value for b in BusinessType),
}


# --------------------------------------------------------------------------- input
@dataclass(frozen=True)
class ItemDecision:
    """``decision``: ``confirm`` (the automatic outcome is right) or the outcome it should have:
    ``pass``, ``fail`` or ``n/a``."""

    item_id: str
    decision: str
    note: str = ""


@dataclass(frozen=True)
class LabelDecision:
    """The right labels of one kind: ``contact_reason`` (one or more) or ``business_type`` (one)."""

    kind: str
    values: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class ReviewInput:
    items: tuple[ItemDecision, ...] = ()
    score: float | None = None  # an explicit score 0..100; None: recomputed from the final outcomes
    labels: tuple[LabelDecision, ...] = ()
    comment: str = ""


# --------------------------------------------------------------------------- output
@dataclass(frozen=True)
class ItemDecisionView:
    """One item a review decided: what the machine said then, and what the reviewer decided."""

    item_id: str
    automatic: str
    final: str
    confirmed: bool  # the reviewer confirmed the automatic outcome
    note: str


@dataclass(frozen=True)
class LabelDecisionView:
    kind: str
    automatic: tuple[str, ...]  # empty when the call was not classified
    final: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class ItemResult:
    """One rubric item of the call now: the automatic outcome beside the final one."""

    item_id: str
    kind: str
    weight: float
    critical: bool
    automatic: str
    final: str
    decided: bool  # the current review decided this item
    note: str


@dataclass(frozen=True)
class LabelResult:
    kind: str
    automatic: tuple[str, ...]
    final: tuple[str, ...]


@dataclass(frozen=True)
class ReviewedResult:
    """The call's scorecard and labels as they stand: automatic and final side by side."""

    rubric_id: str
    rubric_version: str
    automatic_score: float
    automatic_passed: bool
    final_score: float
    final_passed: bool
    items: tuple[ItemResult, ...]
    labels: tuple[LabelResult, ...]


@dataclass(frozen=True)
class ReviewView:
    review_id: int
    call_id: str
    reviewer_id: int
    reviewer: str | None  # user name
    status: str  # states.ReviewStatus
    comment: str
    score: float | None  # the reviewer's explicit score, if they overrode it
    created_at: datetime
    items: tuple[ItemDecisionView, ...]
    labels: tuple[LabelDecisionView, ...]
    result: ReviewedResult | None  # the current review only (None for superseded ones)


@dataclass(frozen=True)
class ReapplyResult:
    review_id: int
    applied: tuple[str, ...]  # item ids whose decision was applied again
    skipped: tuple[str, ...]  # decided items the new scorecard no longer has
    rescored: bool  # False when the rubric was not found: final score and verdict left automatic


# --------------------------------------------------------------------------- rubrics
_LOADED: dict[str, tuple[tuple[tuple[str, int, int], ...], tuple[Rubric, ...]]] = {}
_LOADED_LOCK = threading.Lock()


def _signature(directory: Path) -> tuple[tuple[str, int, int], ...]:
    if not directory.is_dir():
        return ()
    return tuple(sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size)
                        for p in (*directory.glob("*.yaml"), *directory.glob("*.yml")) if p.is_file()))


def rubrics_from(settings: Settings) -> RubricSource:
    """The rubrics of ``settings.rubric_dir``, loaded when first asked and again only when their files
    change (none if the folder does not load: reviews then report the rubric missing)."""

    def load() -> Sequence[Rubric]:
        directory = Path(settings.rubric_dir)
        key = json.dumps([str(directory), sorted(settings.rubric_vars.items())])
        sig = _signature(directory)
        with _LOADED_LOCK:
            cached = _LOADED.get(key)
            if cached is not None and cached[0] == sig:
                return cached[1]
        try:
            loaded = load_rubrics(directory, settings.rubric_vars)
        except RubricError as exc:
            log.warning("rubrics for reviews cannot be loaded: %s", exc.reason)
            return ()
        with _LOADED_LOCK:
            _LOADED[key] = (sig, loaded)
        return loaded

    return load


def _rubric_for(card: Scorecard, rubrics: RubricSource) -> Rubric | None:
    loaded = tuple(rubrics())
    for r in loaded:
        if r.hash == card.rubric_hash:
            return r
    for r in loaded:
        if r.id == card.rubric_id and r.version == card.rubric_version:
            return r
    return None


# --------------------------------------------------------------------------- validation
def _bad(message: str, field: str, **details: object) -> InvalidRequest:
    return InvalidRequest(message, field=field, **details)


def _validate_items(items: Sequence[ItemDecision], rows: Mapping[str, FindingRow]) -> None:
    seen: set[str] = set()
    allowed = (CONFIRM, *(o.value for o in DECIDABLE))
    for i, d in enumerate(items):
        field = f"items[{i}]"
        if d.item_id not in rows:
            raise _bad(f"the scorecard has no item {d.item_id!r}", f"{field}.item_id", item_id=d.item_id)
        if d.item_id in seen:
            raise _bad(f"item {d.item_id!r} is decided twice", f"{field}.item_id", item_id=d.item_id)
        seen.add(d.item_id)
        if d.decision not in allowed:
            raise _bad(f"decision {d.decision!r} for {d.item_id!r}: expected one of {', '.join(allowed)}",
                       f"{field}.decision", item_id=d.item_id)
        if d.decision == CONFIRM and rows[d.item_id].outcome == Outcome.NEEDS_REVIEW.value:
            raise _bad(f"item {d.item_id!r} needs review: decide pass, fail or n/a rather than confirm",
                       f"{field}.decision", item_id=d.item_id)


def _validate_score(score: float | None) -> None:
    if score is None:
        return
    if isinstance(score, bool) or not isinstance(score, int | float) or not math.isfinite(score) \
            or not 0.0 <= score <= 100.0:
        raise _bad(f"score {score!r}: expected a number from 0 to 100", "score")


def _validate_labels(labels: Sequence[LabelDecision]) -> dict[LabelKind, LabelDecision]:
    out: dict[LabelKind, LabelDecision] = {}
    for i, d in enumerate(labels):
        field = f"labels[{i}]"
        kind = next((k for k in CORRECTABLE_LABELS if k.value == d.kind), None)
        if kind is None:
            raise _bad(f"label kind {d.kind!r}: expected one of {', '.join(CORRECTABLE_LABELS)}",
                       f"{field}.kind")
        if kind in out:
            raise _bad(f"labels {d.kind!r} are given twice", f"{field}.kind")
        if not d.values:
            raise _bad(f"labels {d.kind!r}: give at least one value", f"{field}.values")
        if len(set(d.values)) != len(d.values):
            raise _bad(f"labels {d.kind!r}: a value is repeated", f"{field}.values")
        if kind is LabelKind.BUSINESS_TYPE and len(d.values) != 1:
            raise _bad("a call has exactly one business type", f"{field}.values")
        for v in d.values:
            if v not in CORRECTABLE_LABELS[kind]:
                raise _bad(f"{d.kind} {v!r}: expected one of {', '.join(CORRECTABLE_LABELS[kind])}",
                           f"{field}.values")
        out[kind] = d
    return out


# --------------------------------------------------------------------------- totalling
def _final_findings(rows: Sequence[FindingRow], finals: Mapping[str, str]) -> tuple[Finding, ...]:
    """The automatic findings with the reviewer's outcomes (points as the engine gives them:
    the item's weight for a pass, nothing otherwise)."""
    out = []
    for row in rows:
        auto = Finding(item_id=row.item_id, kind=row.kind, outcome=Outcome(row.outcome), weight=row.weight,
                       score=row.score, critical=row.critical, message=row.message)
        final = finals.get(row.item_id)
        if final is None or final == row.outcome:
            out.append(auto)
        else:
            outcome = Outcome(final)
            out.append(replace(auto, outcome=outcome, score=row.weight if outcome is Outcome.PASS else 0.0))
    return tuple(out)


def _total(rubric: Rubric, rows: Sequence[FindingRow], finals: Mapping[str, str],
           explicit: float | None) -> tuple[float, bool]:
    result = scorecard(rubric, _final_findings(rows, finals))
    if explicit is None:
        return result.score, result.passed
    return float(explicit), not result.auto_failed and explicit >= rubric.pass_threshold


def _apply_labels(session: Session, call_pk: int, decided: Mapping[LabelKind, tuple[str, ...]]) -> None:
    """Labels the review decided replace the counted ones; the others go back to the classifier's."""
    auto = store.automatic_labels(session, call_pk)
    for kind in CORRECTABLE_LABELS:
        if kind in decided:
            store.set_labels(session, call_pk, kind, decided[kind])
        elif auto is not None:
            store.set_labels(session, call_pk, kind, auto[kind])


# --------------------------------------------------------------------------- submit
def submit_review(session: Session, principal: Principal, call_id: str, review: ReviewInput, *,
                  rubrics: RubricSource, client: str = "") -> ReviewView:
    """Record a review of a scored call, write the final values and the audit event.

    Raises PermissionDenied (role), NotFound (no such call, or one outside the person's teams),
    Conflict (not scored, being processed, or its rubric is no longer loaded) and InvalidRequest
    (``details['field']`` names the bad part of ``review``)."""
    principal.require(Permission.CALLS_REVIEW)
    call = store.visible_call_for_update(session, call_id, principal.visibility)
    if call is None:
        raise NotFound(f"no call {call_id!r}", call_id=call_id)
    card = _reviewable_card(session, call)
    rows = {r.item_id: r for r in store.findings_of(session, call.id)}
    _validate_items(review.items, rows)
    _validate_score(review.score)
    labels = _validate_labels(review.labels)
    rubric = _rubric_for(card, rubrics)
    if rubric is None:
        raise Conflict(f"the rubric call {call_id!r} was scored with ({card.rubric_id} {card.rubric_version}) "
                       "is no longer loaded: re-score the call before reviewing it", call_id=call_id)

    finals = {d.item_id: rows[d.item_id].outcome if d.decision == CONFIRM else d.decision for d in review.items}
    final_score, final_passed = _total(rubric, list(rows.values()), finals, review.score)
    auto_labels = store.automatic_labels(session, call.id)
    overrides = [store.OverrideSpec(store.TARGET_FINDING, d.item_id, rows[d.item_id].outcome,
                                    finals[d.item_id], d.note) for d in review.items]
    overrides += [store.OverrideSpec(store.TARGET_LABEL, kind.value,
                                     None if auto_labels is None else store.join_labels(auto_labels[kind]),
                                     store.join_labels(sorted(d.values)), d.note) for kind, d in labels.items()]

    superseded = store.supersede_submitted(session, call.id)
    row = store.add_review(session, call.id, reviewer_id=principal.user_id, comment=review.comment,
                           score=None if review.score is None else float(review.score), overrides=overrides)
    store.write_final(session, call.id, outcomes=finals, final_score=final_score, final_passed=final_passed)
    _apply_labels(session, call.id, {k: tuple(d.values) for k, d in labels.items()})
    audit.record(session, AuditAction.REVIEW, user_id=principal.user_id, call_pk=call.id, client=client, detail={
        "review_id": row.id, "superseded": superseded,
        "items": [{"item_id": o.key, "original": o.original, "value": o.value}
                  for o in overrides if o.target == store.TARGET_FINDING],
        "labels": [{"kind": o.key, "original": o.original, "value": o.value}
                   for o in overrides if o.target == store.TARGET_LABEL],
        "score": row.score, "automatic_score": card.score, "final_score": final_score,
        "final_passed": final_passed,
    })
    log.info("call %s reviewed by %s: %d item(s), %d label kind(s) decided, final score %.1f",
             call_id, principal.username, len(review.items), len(labels), final_score)
    return _view(session, call, row, store.overrides_of(session, [row.id])[row.id], principal.username,
                 current=True)


def _reviewable_card(session: Session, call: Call) -> Scorecard:
    if call.state in (CallState.QUEUED.value, CallState.PROCESSING.value):
        raise Conflict(f"call {call.call_id!r} is being processed ({call.stage}); review it when it is done",
                       call_id=call.call_id, state=call.state)
    card = session.get(Scorecard, call.id)
    if card is None:
        raise Conflict(f"call {call.call_id!r} has no scorecard yet", call_id=call.call_id, state=call.state)
    return card


# --------------------------------------------------------------------------- re-assessment
def reapply_review(session: Session, call_pk: int, rubrics: RubricSource) -> ReapplyResult | None:
    """After a re-assessment replaced the automatic results, apply the call's latest submitted review
    to the new rows (items the new scorecard lacks are skipped and logged). Idempotent; None when the
    call has no submitted review."""
    review = store.latest_submitted(session, call_pk)
    if review is None:
        return None
    overrides = store.overrides_of(session, [review.id])[review.id]
    rows = {r.item_id: r for r in store.findings_of(session, call_pk)}
    finals: dict[str, str] = {}
    skipped: list[str] = []
    for o in overrides:
        if o.target != store.TARGET_FINDING:
            continue
        if o.key in rows:
            finals[o.key] = o.value
        else:
            skipped.append(o.key)
    if skipped:
        log.info("call %d: review %d decided item(s) %s that the new scorecard no longer has; skipped",
                 call_pk, review.id, ", ".join(skipped))
    card = session.get(Scorecard, call_pk)
    rescored = False
    if card is not None:
        rubric = _rubric_for(card, rubrics)
        if rubric is None:
            log.warning("call %d: rubric %s %s is not loaded: review %d re-applied to the items, final score "
                        "and verdict left automatic", call_pk, card.rubric_id, card.rubric_version, review.id)
            final_score, final_passed = card.score, card.passed
        else:
            final_score, final_passed = _total(rubric, list(rows.values()), finals, review.score)
            rescored = True
        store.write_final(session, call_pk, outcomes=finals, final_score=final_score, final_passed=final_passed)
    kinds = {k.value: k for k in CORRECTABLE_LABELS}
    labels = {kinds[o.key]: store.split_labels(o.value) for o in overrides
              if o.target == store.TARGET_LABEL and o.key in kinds}
    _apply_labels(session, call_pk, labels)
    return ReapplyResult(review.id, tuple(finals), tuple(skipped), rescored)


# --------------------------------------------------------------------------- history
def review_history(session: Session, principal: Principal, call_id: str, *, client: str = "") -> list[ReviewView]:
    """Every review of the call, newest first (the current one carries the result as it stands).
    Reading it is a view of the call and is written to the audit log."""
    principal.require(Permission.CALLS_READ)
    call = visible_call(session, principal, call_id)
    found = store.reviews_of(session, call.id)
    overrides = store.overrides_of(session, [r.id for r, _ in found])
    current = store.latest_submitted(session, call.id)
    audit.record(session, AuditAction.VIEW, user_id=principal.user_id, call_pk=call.id, client=client,
                 detail={"what": "reviews"})
    return [_view(session, call, r, overrides[r.id], name, current=current is not None and r.id == current.id)
            for r, name in found]


# --------------------------------------------------------------------------- views
def _view(session: Session, call: Call, review: Review, overrides: Sequence[ReviewOverride],
          reviewer: str | None, *, current: bool) -> ReviewView:
    items = tuple(ItemDecisionView(item_id=o.key, automatic=o.original or "", final=o.value,
                                   confirmed=o.original == o.value, note=o.note)
                  for o in overrides if o.target == store.TARGET_FINDING)
    labels = tuple(LabelDecisionView(kind=o.key, automatic=store.split_labels(o.original),
                                     final=store.split_labels(o.value), note=o.note)
                   for o in overrides if o.target == store.TARGET_LABEL)
    return ReviewView(review_id=review.id, call_id=call.call_id, reviewer_id=review.reviewer_id,
                      reviewer=reviewer, status=review.status, comment=review.comment, score=review.score,
                      created_at=review.created_at, items=items, labels=labels,
                      result=_result(session, call.id, items) if current else None)


def _result(session: Session, call_pk: int, decided: Sequence[ItemDecisionView]) -> ReviewedResult | None:
    card = session.get(Scorecard, call_pk)
    if card is None:
        return None
    notes = {d.item_id: d.note for d in decided}
    items = tuple(ItemResult(item_id=r.item_id, kind=r.kind, weight=r.weight, critical=r.critical,
                             automatic=r.outcome, final=r.final_outcome, decided=r.item_id in notes,
                             note=notes.get(r.item_id, "")) for r in store.findings_of(session, call_pk))
    auto = store.automatic_labels(session, call_pk)
    labels = tuple(LabelResult(kind=k.value, automatic=() if auto is None else auto[k],
                               final=store.labels_by_kind(session, call_pk, k)) for k in CORRECTABLE_LABELS)
    return ReviewedResult(rubric_id=card.rubric_id, rubric_version=card.rubric_version,
                          automatic_score=card.score, automatic_passed=card.passed, final_score=card.final_score,
                          final_passed=card.final_passed, items=items, labels=labels)


__all__ = [
    "CONFIRM",
    "ItemDecision",
    "ItemDecisionView",
    "ItemResult",
    "LabelDecision",
    "LabelDecisionView",
    "LabelResult",
    "ReapplyResult",
    "ReviewInput",
    "ReviewView",
    "ReviewedResult",
    "RubricSource",
    "reapply_review",
    "review_history",
    "rubrics_from",
    "submit_review",
]
