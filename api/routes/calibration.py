"""Calibration sessions: calls scored blind by several reviewers; agreement report."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from api.deps import Client, Context, Require, RowId
from qa_service.services import calibration
from qa_service.services.access import Permission, Principal
from qa_service.services.calibration import CalibrationReport, SessionView, Task

router = APIRouter(tags=["calibration"])
Rater = Annotated[Principal, Depends(Require(Permission.CALIBRATION_RATE))]
Manager = Annotated[Principal, Depends(Require(Permission.CALIBRATION_MANAGE))]


class SessionIn(BaseModel):
    name: str = Field(min_length=1, max_length=128)
    call_ids: list[str] = Field(min_length=1, max_length=100)
    reviewers: list[str] = Field(min_length=2, max_length=50, description="User names of the reviewers")


class RatingIn(BaseModel):
    verdicts: dict[str, str] = Field(max_length=200, description="item id → pass, fail or n/a (every item)")
    score: float = Field(ge=0, le=100)


@router.post("/calibration/sessions", response_model=SessionView, status_code=201,
             summary="Send calls to several reviewers to score blind")
def create(body: SessionIn, principal: Manager, ctx: Context, client: Client) -> SessionView:
    with ctx.session() as session:
        return calibration.create_session(session, principal, body.name, body.call_ids, body.reviewers,
                                          client=client)


@router.get("/calibration/sessions", response_model=list[SessionView],
            summary="Sessions you manage or rate in")
def list_sessions(principal: Rater, ctx: Context) -> list[SessionView]:
    with ctx.session() as session:
        return calibration.list_sessions(session, principal)


@router.get("/calibration/sessions/{session_id}/task", response_model=Task,
            summary="Your calls to rate in a session (no one else's verdicts)")
def task(session_id: RowId, principal: Rater, ctx: Context) -> Task:
    with ctx.session() as session:
        return calibration.task(session, principal, session_id)


@router.put("/calibration/sessions/{session_id}/calls/{call_id}/rating", response_model=Task,
            summary="Your verdict on every item of a call, and your score")
def rate(session_id: RowId, call_id: str, body: RatingIn, principal: Rater, ctx: Context, client: Client) -> Task:
    with ctx.session() as session:
        return calibration.rate(session, principal, session_id, call_id, body.verdicts, body.score, client=client)


@router.post("/calibration/sessions/{session_id}/close", response_model=SessionView,
             summary="Close the session (the report becomes final and open to its reviewers)")
def close(session_id: RowId, principal: Manager, ctx: Context, client: Client) -> SessionView:
    with ctx.session() as session:
        return calibration.close(session, principal, session_id, client=client)


@router.get("/calibration/sessions/{session_id}/report", response_model=CalibrationReport,
            summary="Agreement per item (percent, Fleiss' kappa); each reviewer's and the machine's distance")
def report(session_id: RowId, principal: Rater, ctx: Context) -> CalibrationReport:
    with ctx.session() as session:
        return calibration.report(session, principal, session_id)
