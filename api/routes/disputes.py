"""Agents acknowledge or dispute their calls' results; supervisors accept or reject disputes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from api.deps import Client, Context, Require, RowId
from api.routes.reviews import ReviewIn
from qa_service.services import disputes
from qa_service.services.access import Permission, Principal
from qa_service.services.disputes import AcknowledgementView, DisputePage, DisputeView
from qa_service.services.reviews import rubrics_from
from qa_service.store.states import DisputeState

router = APIRouter(tags=["disputes"])
Agent = Annotated[Principal, Depends(Require(Permission.CALLS_RESPOND))]


class DisputeIn(BaseModel):
    reason: str = Field(min_length=1, max_length=4000, description="Why the result is wrong")
    items: list[str] = Field(default_factory=list, max_length=200, description="The items contested")


class ResolutionIn(BaseModel):
    accept: bool
    resolution: str = Field(default="", max_length=4000, description="Why (required to reject)")
    review: ReviewIn | None = Field(default=None, description="The corrected result (required to accept)")


@router.post("/calls/{call_id}/acknowledgement", response_model=AcknowledgementView, status_code=201,
             summary="Agent: I have read this call's result")
def acknowledge(call_id: str, principal: Agent, ctx: Context, client: Client) -> AcknowledgementView:
    with ctx.session() as session:
        return disputes.acknowledge(session, principal, call_id, client=client)


@router.post("/calls/{call_id}/disputes", response_model=DisputeView, status_code=201,
             summary="Agent: dispute this call's result, with a reason")
def raise_dispute(call_id: str, body: DisputeIn, principal: Agent, ctx: Context, client: Client) -> DisputeView:
    with ctx.session() as session:
        return disputes.raise_dispute(session, principal, call_id, body.reason, tuple(body.items), client=client)


@router.get("/disputes", response_model=DisputePage, summary="Disputes of the calls you see, newest first")
def list_disputes(principal: Annotated[Principal, Depends(Require(Permission.DISPUTES_READ))], ctx: Context,
                  state: DisputeState | None = None,
                  call_id: Annotated[str | None, Query(max_length=128)] = None,
                  limit: Annotated[int, Query(ge=1, le=200)] = 50,
                  offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> DisputePage:
    with ctx.session() as session:
        return disputes.list_disputes(session, principal, state=state, call_id=call_id, limit=limit, offset=offset)


@router.get("/disputes/{dispute_id}", response_model=DisputeView, summary="One dispute")
def one(dispute_id: RowId, principal: Annotated[Principal, Depends(Require(Permission.DISPUTES_READ))],
        ctx: Context) -> DisputeView:
    with ctx.session() as session:
        return disputes.dispute(session, principal, dispute_id)


@router.post("/disputes/{dispute_id}/resolution", response_model=DisputeView,
             summary="Supervisor: accept (with the corrected review) or reject (with a reason)")
def resolve(dispute_id: RowId, body: ResolutionIn,
            principal: Annotated[Principal, Depends(Require(Permission.DISPUTES_RESOLVE))], ctx: Context,
            client: Client) -> DisputeView:
    with ctx.session() as session:
        return disputes.resolve(session, principal, dispute_id, accept=body.accept, resolution=body.resolution,
                                review=body.review.as_input() if body.review else None,
                                rubrics=rubrics_from(ctx.settings), client=client)
