"""Reviews (confirm or override items, the score and labels, with comments) and role corrections."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from api.deps import Client, Context, Require, get_dispatcher
from qa_service.services import corrections, reviews
from qa_service.services.access import Permission, Principal
from qa_service.services.corrections import SwapResult
from qa_service.services.dispatch import Dispatcher
from qa_service.services.reviews import ItemDecision, LabelDecision, ReviewInput, ReviewView

router = APIRouter(tags=["review"])


class ItemIn(BaseModel):
    item_id: str = Field(min_length=1, max_length=64)
    decision: str = Field(pattern="^(confirm|pass|fail|n/a)$", description="confirm, or the outcome it should have")
    note: str = Field(default="", max_length=2000)


class LabelIn(BaseModel):
    kind: str = Field(pattern="^(contact_reason|business_type)$")
    values: list[str] = Field(min_length=1, max_length=10)
    note: str = Field(default="", max_length=2000)


class ReviewIn(BaseModel):
    items: list[ItemIn] = Field(default_factory=list, max_length=200)
    score: float | None = Field(default=None, ge=0, le=100, description="Override the score (else recomputed)")
    labels: list[LabelIn] = Field(default_factory=list, max_length=10)
    comment: str = Field(default="", max_length=10_000)

    def as_input(self) -> ReviewInput:
        return ReviewInput(items=tuple(ItemDecision(i.item_id, i.decision, i.note) for i in self.items),
                           score=self.score,
                           labels=tuple(LabelDecision(x.kind, tuple(x.values), x.note) for x in self.labels),
                           comment=self.comment)


@router.post("/calls/{call_id}/reviews", response_model=ReviewView, status_code=201,
             summary="Review a call: confirm or override each item and the score")
def submit(call_id: str, body: ReviewIn, principal: Annotated[Principal, Depends(Require(Permission.CALLS_REVIEW))],
           ctx: Context, client: Client) -> ReviewView:
    with ctx.session() as session:
        return reviews.submit_review(session, principal, call_id, body.as_input(),
                                     rubrics=reviews.rubrics_from(ctx.settings), client=client)


@router.get("/calls/{call_id}/reviews", response_model=list[ReviewView], summary="A call's reviews, newest first")
def history(call_id: str, principal: Annotated[Principal, Depends(Require(Permission.CALLS_READ))], ctx: Context,
            client: Client) -> list[ReviewView]:
    with ctx.session() as session:
        return reviews.review_history(session, principal, call_id, client=client)


@router.post("/calls/{call_id}/swap-roles", response_model=SwapResult, status_code=202,
             summary="Exchange agent and customer, then re-assess (no re-transcription)")
def swap(call_id: str, principal: Annotated[Principal, Depends(Require(Permission.CALLS_CORRECT))], ctx: Context,
         client: Client, dispatcher: Annotated[Dispatcher, Depends(get_dispatcher)]) -> SwapResult:
    return corrections.swap_roles(ctx, dispatcher, principal, call_id, client=client)
