"""Centre statistics by period, team, agent or shift; compliance audit; agent grading — JSON and CSV."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from api.deps import Client, Context, Require
from qa_service.services import centre_stats, compliance, grading
from qa_service.services.access import Permission, Principal
from qa_service.services.centre_stats import CentreStats
from qa_service.services.compliance import AdherenceReport, OccurrencePage
from qa_service.services.grading import Band, Grading
from qa_service.services.scoping import scope_for
from qa_service.services.stats_cache import CacheSpec
from qa_service.services.tables import CsvFile
from qa_service.store.periods import GroupBy
from qa_service.store.stats import Scope

router = APIRouter(tags=["statistics"])
Teams = Annotated[list[str] | None, Query(max_length=50)]
AgentId = Annotated[str | None, Query(max_length=64)]
Reports = Annotated[Principal, Depends(Require(Permission.REPORTS_READ))]
Compliance = Annotated[Principal, Depends(Require(Permission.COMPLIANCE_READ))]
Grades = Annotated[Principal, Depends(Require(Permission.GRADES_READ))]


def _csv(out: CsvFile) -> Response:
    return Response(out.text.encode("utf-8"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{out.file_name}"'})


def _scope(principal: Principal, ctx: Context, start: date | None, end: date | None, team: list[str] | None) -> Scope:
    return scope_for(principal, start, end, tuple(team or ()), ctx.settings.timezone)


def _cache(ctx: Context) -> CacheSpec:
    return CacheSpec.of(ctx.settings)


CSV_RESPONSE: dict[int | str, dict[str, Any]] = {200: {"content": {"text/csv": {}}}}


# --------------------------------------------------------------------------- centre statistics
@router.get("/stats/centre", response_model=CentreStats, summary="Centre statistics grouped by period, team or agent")
def centre(principal: Reports, ctx: Context, group_by: GroupBy = GroupBy.DAY, start: date | None = None,
           end: date | None = None, team: Teams = None, agent_id: AgentId = None) -> CentreStats:
    with ctx.session() as session:
        return centre_stats.centre_stats(session, principal, _scope(principal, ctx, start, end, team), group_by,
                                         agent_id=agent_id, cache=_cache(ctx))


@router.get("/stats/centre.csv", response_class=Response, responses=CSV_RESPONSE,
            summary="Centre statistics as CSV")
def centre_csv(principal: Reports, ctx: Context, client: Client, group_by: GroupBy = GroupBy.DAY,
               start: date | None = None, end: date | None = None, team: Teams = None,
               agent_id: AgentId = None) -> Response:
    with ctx.session() as session:
        out = centre_stats.centre_csv(session, principal, _scope(principal, ctx, start, end, team), group_by,
                                      agent_id=agent_id, cache=_cache(ctx), client=client)
    return _csv(out)


# --------------------------------------------------------------------------- compliance
@router.get("/compliance/adherence", response_model=AdherenceReport,
            summary="Adherence per rubric item (with its version) by agent, team or period")
def adherence(principal: Compliance, ctx: Context, group_by: GroupBy = GroupBy.TEAM, start: date | None = None,
              end: date | None = None, team: Teams = None, agent_id: AgentId = None,
              item_id: Annotated[str | None, Query(max_length=64)] = None) -> AdherenceReport:
    with ctx.session() as session:
        return compliance.adherence(session, principal, _scope(principal, ctx, start, end, team), group_by,
                                    agent_id=agent_id, item_id=item_id, cache=_cache(ctx))


@router.get("/compliance/adherence.csv", response_class=Response, responses=CSV_RESPONSE,
            summary="Adherence per rubric item as CSV")
def adherence_csv(principal: Compliance, ctx: Context, client: Client, group_by: GroupBy = GroupBy.TEAM,
                  start: date | None = None, end: date | None = None, team: Teams = None, agent_id: AgentId = None,
                  item_id: Annotated[str | None, Query(max_length=64)] = None) -> Response:
    with ctx.session() as session:
        out = compliance.adherence_csv(session, principal, _scope(principal, ctx, start, end, team), group_by,
                                       agent_id=agent_id, item_id=item_id, cache=_cache(ctx), client=client)
    return _csv(out)


@router.get("/compliance/forbidden-phrases", response_model=OccurrencePage,
            summary="Every forbidden phrase spoken, with evidence and a link to the moment in the call")
def forbidden(principal: Compliance, ctx: Context, start: date | None = None, end: date | None = None,
              team: Teams = None, agent_id: AgentId = None, limit: Annotated[int, Query(ge=1, le=500)] = 100,
              offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> OccurrencePage:
    with ctx.session() as session:
        return compliance.forbidden_phrases(session, principal, _scope(principal, ctx, start, end, team),
                                            agent_id=agent_id, limit=limit, offset=offset, cache=_cache(ctx))


@router.get("/compliance/forbidden-phrases.csv", response_class=Response, responses=CSV_RESPONSE,
            summary="Forbidden-phrase occurrences as CSV")
def forbidden_csv(principal: Compliance, ctx: Context, client: Client, start: date | None = None,
                  end: date | None = None, team: Teams = None, agent_id: AgentId = None) -> Response:
    with ctx.session() as session:
        out = compliance.forbidden_csv(session, principal, _scope(principal, ctx, start, end, team),
                                       agent_id=agent_id, cache=_cache(ctx), client=client)
    return _csv(out)


# --------------------------------------------------------------------------- grading
class BandIn(BaseModel):
    grade: str = Field(min_length=1, max_length=32)
    rank: int = Field(ge=1, le=100, description="1 is tried first (the best grade)")
    min_quality: float = Field(default=0.0, ge=0, le=100)
    min_calls: int = Field(default=0, ge=0, le=1_000_000)
    max_complaint_rate: float = Field(default=1.0, ge=0, le=1)
    max_disputes_upheld: int | None = Field(default=None, ge=0, le=1_000_000)


class BandsIn(BaseModel):
    bands: list[BandIn] = Field(max_length=20)


@router.get("/grades", response_model=Grading, summary="Agent scorecards, ranking and grades over a period")
def grades(principal: Grades, ctx: Context, start: date | None = None, end: date | None = None,
           team: Teams = None) -> Grading:
    with ctx.session() as session:
        return grading.grading(session, principal, _scope(principal, ctx, start, end, team), cache=_cache(ctx))


@router.get("/grades.csv", response_class=Response, responses=CSV_RESPONSE, summary="Agent grades as CSV")
def grades_csv(principal: Grades, ctx: Context, client: Client, start: date | None = None, end: date | None = None,
               team: Teams = None) -> Response:
    with ctx.session() as session:
        out = grading.grading_csv(session, principal, _scope(principal, ctx, start, end, team), cache=_cache(ctx),
                                  client=client)
    return _csv(out)


@router.get("/grades/bands", response_model=list[Band], summary="The grade bands")
def read_bands(principal: Grades, ctx: Context) -> list[Band]:
    with ctx.session() as session:
        return list(grading.read_bands(session, principal))


@router.put("/grades/bands", response_model=list[Band], summary="Admin: replace the grade bands")
def put_bands(body: BandsIn, principal: Annotated[Principal, Depends(Require(Permission.GRADES_MANAGE))],
              ctx: Context, client: Client) -> list[Band]:
    with ctx.session() as session:
        return list(grading.set_bands(session, principal, [Band(**b.model_dump()) for b in body.bands],
                                      client=client))
