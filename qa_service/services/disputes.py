"""Agents answer their calls' results: acknowledge one, or dispute it with a reason; a supervisor of
the call's team accepts the dispute (with a review that corrects the result: the score changes, the
earlier review is kept as superseded) or rejects it with a reason. Every step is in the audit log.

One open dispute per call at a time. An accepted dispute's corrected result is an ordinary review,
so the queue, statistics, compliance figures and grades apply it like any review.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from qa_service.errors import Conflict, InvalidRequest, NotFound
from qa_service.services.access import Permission, Principal
from qa_service.services.calls_view import visible_call
from qa_service.services.reviews import ReviewInput, RubricSource, submit_review
from qa_service.store import audit
from qa_service.store import reviews as review_store
from qa_service.store.models import Acknowledgement, Call, Dispute, Scorecard, User
from qa_service.store.states import AuditAction, DisputeState
from qa_service.store.types import utcnow

log = logging.getLogger(__name__)

MAX_REASON = 4000


@dataclass(frozen=True)
class DisputeView:
    dispute_id: int
    call_id: str
    agent_id: str | None
    team: str | None
    state: str  # states.DisputeState
    raised_by: str | None
    reason: str
    items: tuple[str, ...]
    review_id: int | None  # the review disputed (None: the automatic result)
    score_before: float | None
    resolved_by: str | None
    resolution: str
    resolution_review_id: int | None
    score_after: float | None
    created_at: datetime
    resolved_at: datetime | None


@dataclass(frozen=True)
class AcknowledgementView:
    call_id: str
    review_id: int | None
    final_score: float | None
    at: datetime


@dataclass(frozen=True)
class DisputePage:
    total: int
    items: tuple[DisputeView, ...]


def _scored(session: Session, call: Call) -> Scorecard:
    card = session.get(Scorecard, call.id)
    if card is None:
        raise Conflict(f"call {call.call_id!r} has no result to answer yet", call_id=call.call_id)
    return card


def acknowledge(session: Session, principal: Principal, call_id: str, *, client: str = "") -> AcknowledgementView:
    """The agent has read the call's result as it stands (acknowledging it twice records it once)."""
    principal.require(Permission.CALLS_RESPOND)
    call = visible_call(session, principal, call_id)
    card = _scored(session, call)
    current = review_store.latest_submitted(session, call.id)
    review_id = current.id if current else None
    existing = session.scalar(select(Acknowledgement).where(
        Acknowledgement.call_pk == call.id, Acknowledgement.user_id == principal.user_id,
        Acknowledgement.review_id.is_(None) if review_id is None else Acknowledgement.review_id == review_id))
    if existing is None:
        existing = Acknowledgement(call_pk=call.id, review_id=review_id, user_id=principal.user_id, at=utcnow())
        session.add(existing)
        audit.record(session, AuditAction.ACKNOWLEDGE, user_id=principal.user_id, call_pk=call.id, client=client,
                     detail={"review_id": review_id, "final_score": card.final_score})
        session.flush()
    return AcknowledgementView(call.call_id, review_id, card.final_score, existing.at)


def raise_dispute(session: Session, principal: Principal, call_id: str, reason: str, items: tuple[str, ...] = (),
                  *, client: str = "") -> DisputeView:
    """Dispute the call's current result. Raises Conflict while another dispute of it is open."""
    principal.require(Permission.CALLS_RESPOND)
    reason = reason.strip()
    if not reason:
        raise InvalidRequest("say why you dispute the result", field="reason")
    if len(reason) > MAX_REASON:
        raise InvalidRequest(f"the reason is longer than {MAX_REASON} characters", field="reason")
    call = review_store.visible_call_for_update(session, call_id, principal.visibility)
    if call is None:
        raise NotFound(f"no call {call_id!r}", call_id=call_id)
    card = _scored(session, call)
    known = {r.item_id for r in review_store.findings_of(session, call.id)}
    for i, item in enumerate(items):
        if item not in known:
            raise InvalidRequest(f"the scorecard has no item {item!r}", field=f"items[{i}]", item_id=item)
    if len(set(items)) != len(items):
        raise InvalidRequest("an item is named twice", field="items")
    if session.scalar(select(Dispute.id).where(Dispute.call_pk == call.id,
                                               Dispute.state == DisputeState.OPEN.value)) is not None:
        raise Conflict(f"call {call_id!r} already has an open dispute", call_id=call_id)
    current = review_store.latest_submitted(session, call.id)
    row = Dispute(call_pk=call.id, review_id=current.id if current else None, raised_by=principal.user_id,
                  reason=reason, items=list(items), score_before=card.final_score, state=DisputeState.OPEN.value,
                  created_at=utcnow())
    session.add(row)
    session.flush()
    audit.record(session, AuditAction.DISPUTE, user_id=principal.user_id, call_pk=call.id, client=client,
                 detail={"dispute_id": row.id, "items": list(items), "score": card.final_score})
    log.info("call %s disputed by %s (dispute %d)", call_id, principal.username, row.id)
    return _view_of(session, row.id)


def resolve(session: Session, principal: Principal, dispute_id: int, *, accept: bool, resolution: str,
            review: ReviewInput | None, rubrics: RubricSource, client: str = "") -> DisputeView:
    """Accept (``review`` is the corrected result, submitted as a review) or reject (``resolution``
    says why) an open dispute of a call in the person's teams."""
    principal.require(Permission.DISPUTES_RESOLVE)
    row = session.get(Dispute, dispute_id)
    call = session.get(Call, row.call_pk) if row is not None else None
    if row is None or call is None or not principal.visibility.allows(call):
        raise NotFound(f"no dispute {dispute_id}")
    if row.state != DisputeState.OPEN.value:
        raise Conflict(f"dispute {dispute_id} is {row.state} already")
    resolution = resolution.strip()
    if len(resolution) > MAX_REASON:
        raise InvalidRequest(f"the resolution is longer than {MAX_REASON} characters", field="resolution")
    if not accept and not resolution:
        raise InvalidRequest("say why the dispute is rejected", field="resolution")
    if accept:
        if review is None:
            raise InvalidRequest("accepting a dispute needs the corrected review (items and/or score)",
                                 field="review")
        comment = review.comment or f"dispute {dispute_id} accepted: {resolution}".strip()
        corrected = submit_review(session, principal, call.call_id, ReviewInput(review.items, review.score,
                                                                                review.labels, comment),
                                  rubrics=rubrics, client=client)
        row.resolution_review_id = corrected.review_id
        row.score_after = corrected.result.final_score if corrected.result else None
    else:
        row.score_after = row.score_before
    row.state = (DisputeState.ACCEPTED if accept else DisputeState.REJECTED).value
    row.resolved_by = principal.user_id
    row.resolution = resolution
    row.resolved_at = utcnow()
    session.flush()
    audit.record(session, AuditAction.DISPUTE_RESOLVE, user_id=principal.user_id, call_pk=call.id, client=client,
                 detail={"dispute_id": row.id, "state": row.state, "score_before": row.score_before,
                         "score_after": row.score_after, "review_id": row.resolution_review_id})
    return _view_of(session, row.id)


def list_disputes(session: Session, principal: Principal, *, state: DisputeState | None = None,
                  call_id: str | None = None, limit: int = 50, offset: int = 0) -> DisputePage:
    """Disputes of the calls the person sees (agents: their own calls), newest first."""
    principal.require(Permission.DISPUTES_READ)
    cond = [*principal.visibility.conditions()]
    if state is not None:
        cond.append(Dispute.state == state.value)
    if call_id is not None:
        cond.append(Call.call_id == call_id)
    base = select(Dispute.id).join(Call, Call.id == Dispute.call_pk).where(*cond)
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    ids = session.scalars(base.order_by(Dispute.id.desc()).limit(limit).offset(offset)).all()
    return DisputePage(total=int(total), items=tuple(_view_of(session, i) for i in ids))


def dispute(session: Session, principal: Principal, dispute_id: int) -> DisputeView:
    principal.require(Permission.DISPUTES_READ)
    row = session.get(Dispute, dispute_id)
    call = session.get(Call, row.call_pk) if row is not None else None
    if row is None or call is None or not principal.visibility.allows(call):
        raise NotFound(f"no dispute {dispute_id}")
    return _view_of(session, dispute_id)


def _view_of(session: Session, dispute_id: int) -> DisputeView:
    raiser, resolver = aliased(User), aliased(User)
    d, call_id, agent_id, team, raised, resolved = session.execute(
        select(Dispute, Call.call_id, Call.agent_id, Call.team, raiser.username, resolver.username)
        .join(Call, Call.id == Dispute.call_pk).join(raiser, raiser.id == Dispute.raised_by)
        .outerjoin(resolver, resolver.id == Dispute.resolved_by).where(Dispute.id == dispute_id)).one()
    return DisputeView(dispute_id=d.id, call_id=call_id, agent_id=agent_id, team=team, state=d.state,
                       raised_by=raised, reason=d.reason, items=tuple(d.items or ()), review_id=d.review_id,
                       score_before=d.score_before, resolved_by=resolved, resolution=d.resolution,
                       resolution_review_id=d.resolution_review_id, score_after=d.score_after,
                       created_at=d.created_at, resolved_at=d.resolved_at)
