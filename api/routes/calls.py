"""The flagged-call queue and call detail."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import PlainTextResponse

from api.deps import Client, Context, Require
from qa_service.services import calls_view, exports
from qa_service.services.access import Permission, Principal
from qa_service.services.calls_view import CallDetail, QueuePage
from qa_service.store.queue import QueueFilter, QueueSort
from qa_service.store.states import CallState, FlagReason, ReviewState

router = APIRouter(tags=["calls"])
Reader = Annotated[Principal, Depends(Require(Permission.CALLS_READ))]


@router.get("/calls", response_model=QueuePage, summary="The flagged-call queue (or all calls: flagged=false)")
def queue(principal: Reader, ctx: Context,
          flagged: bool = True,
          agent_id: Annotated[str | None, Query(max_length=64)] = None,
          team: Annotated[str | None, Query(max_length=64)] = None,
          date_from: date | None = None, date_to: date | None = None,
          direction: Annotated[str | None, Query(pattern="^(inbound|outbound)$")] = None,
          campaign: Annotated[str | None, Query(max_length=32)] = None,
          contact_reason: Annotated[str | None, Query(max_length=32)] = None,
          business_type: Annotated[str | None, Query(max_length=32)] = None,
          score_min: Annotated[float | None, Query(ge=0, le=100)] = None,
          score_max: Annotated[float | None, Query(ge=0, le=100)] = None,
          failed_item: Annotated[str | None, Query(max_length=64)] = None,
          flag_reason: FlagReason | None = None,
          review_state: ReviewState | None = None,
          state: CallState | None = None,
          sort: QueueSort = QueueSort.STARTED_AT,
          order: Annotated[str, Query(pattern="^(asc|desc)$")] = "desc",
          limit: Annotated[int, Query(ge=1, le=200)] = 50,
          offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> QueuePage:
    f = QueueFilter(flagged_only=flagged, agent_id=agent_id, team=team, date_from=date_from, date_to=date_to,
                    direction=direction, campaign=campaign, contact_reason=contact_reason,
                    business_type=business_type, score_min=score_min, score_max=score_max, failed_item=failed_item,
                    flag_reason=flag_reason.value if flag_reason else None,
                    review_state=review_state.value if review_state else None,
                    state=state.value if state else None, sort=sort, descending=order == "desc",
                    limit=limit, offset=offset)
    with ctx.session() as session:
        return calls_view.flagged_queue(session, principal, f)


@router.get("/calls/{call_id}", response_model=CallDetail, summary="One call: transcript, findings, metrics")
def detail(call_id: str, principal: Reader, ctx: Context, client: Client) -> CallDetail:
    with ctx.session() as session:
        return calls_view.call_detail(session, principal, call_id, client=client)


@router.get("/calls/{call_id}/transcript", response_class=PlainTextResponse,
            summary="Export the (redacted) transcript as text")
def transcript(call_id: str, principal: Reader, ctx: Context, client: Client) -> PlainTextResponse:
    with ctx.session() as session:
        out = exports.transcript_text(session, principal, call_id, client=client)
    return PlainTextResponse(out.text, headers={"Content-Disposition": f'attachment; filename="{out.file_name}"'})
