"""Coaching sets for trainers: clips of real calls with notes, good/bad examples, ordered; zip export."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from pydantic import BaseModel, Field

from api.deps import MAX_ROW_ID, Client, Context, Require, RowId
from qa_service.services import coaching, coaching_export
from qa_service.services.access import Permission, Principal
from qa_service.services.coaching import ClipInput, SetSummary, SetView
from qa_service.store.states import ClipExample

router = APIRouter(tags=["coaching"])
Reader = Annotated[Principal, Depends(Require(Permission.COACHING_READ))]
Manager = Annotated[Principal, Depends(Require(Permission.COACHING_MANAGE))]


class SetIn(BaseModel):
    name: str = Field(min_length=1, max_length=128)
    team: str | None = Field(default=None, max_length=64, description="Default: your team, if you have one")
    note: str = Field(default="", max_length=10_000)


class ClipIn(BaseModel):
    call_id: str = Field(min_length=1, max_length=128)
    start_s: float = Field(ge=0, le=86_400)
    end_s: float = Field(gt=0, le=86_400)
    example: ClipExample = ClipExample.GOOD
    title: str = Field(default="", max_length=200)
    note: str = Field(default="", max_length=10_000)


class ClipPatch(BaseModel):
    example: ClipExample | None = None
    title: str | None = Field(default=None, max_length=200)
    note: str | None = Field(default=None, max_length=10_000)


ClipId = Annotated[int, Field(ge=1, le=MAX_ROW_ID)]


class OrderIn(BaseModel):
    clip_ids: list[ClipId] = Field(max_length=1000, description="Every clip of the set, in the new order")


@router.get("/coaching/sets", response_model=list[SetSummary], summary="Coaching sets of your teams")
def list_sets(principal: Reader, ctx: Context) -> list[SetSummary]:
    with ctx.session() as session:
        return coaching.list_sets(session, principal)


@router.post("/coaching/sets", response_model=SetView, status_code=201, summary="Make a coaching set")
def create(body: SetIn, principal: Manager, ctx: Context, client: Client) -> SetView:
    with ctx.session() as session:
        return coaching.create_set(session, principal, body.name, team=body.team, note=body.note, client=client)


@router.get("/coaching/sets/{set_id}", response_model=SetView, summary="A coaching set and its clips, in order")
def one(set_id: RowId, principal: Reader, ctx: Context) -> SetView:
    with ctx.session() as session:
        return coaching.set_view(session, principal, set_id)


@router.post("/coaching/sets/{set_id}/clips", response_model=SetView, status_code=201,
             summary="Add a clip (call + time range) at the end of the set")
def add_clip(set_id: RowId, body: ClipIn, principal: Manager, ctx: Context, client: Client) -> SetView:
    clip = ClipInput(body.call_id, body.start_s, body.end_s, body.example, body.title, body.note)
    with ctx.session() as session:
        return coaching.add_clip(session, principal, set_id, clip, client=client)


@router.patch("/coaching/sets/{set_id}/clips/{clip_id}", response_model=SetView,
              summary="Change a clip's example tag, title or note")
def update_clip(set_id: RowId, clip_id: RowId, body: ClipPatch, principal: Manager, ctx: Context,
                client: Client) -> SetView:
    with ctx.session() as session:
        return coaching.update_clip(session, principal, set_id, clip_id, example=body.example, title=body.title,
                                    note=body.note, client=client)


@router.delete("/coaching/sets/{set_id}/clips/{clip_id}", response_model=SetView, summary="Remove a clip")
def remove_clip(set_id: RowId, clip_id: RowId, principal: Manager, ctx: Context, client: Client) -> SetView:
    with ctx.session() as session:
        return coaching.remove_clip(session, principal, set_id, clip_id, client=client)


@router.put("/coaching/sets/{set_id}/order", response_model=SetView, summary="Reorder the clips")
def reorder(set_id: RowId, body: OrderIn, principal: Manager, ctx: Context, client: Client) -> SetView:
    with ctx.session() as session:
        return coaching.reorder(session, principal, set_id, tuple(body.clip_ids), client=client)


@router.get("/coaching/sets/{set_id}/export", response_class=Response,
            responses={200: {"content": {"application/zip": {}}}},
            summary="The set as a zip: clips (PII bleeped), transcripts, index.html and index.csv")
def export(set_id: RowId, principal: Reader, ctx: Context, client: Client) -> Response:
    with ctx.session() as session:
        out = coaching_export.export_set(ctx, session, principal, set_id, client=client)
    return Response(out.data, media_type="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{out.file_name}"'})
