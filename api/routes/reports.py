"""Centre statistics (the service report), inside the person's teams."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from api.deps import Context, Require
from qa_service.errors import InvalidRequest
from qa_service.services.access import Permission, Principal
from qa_service.services.reports import ServiceReport, service_report

router = APIRouter(tags=["reports"])


@router.get("/reports/service", response_model=ServiceReport, summary="Centre statistics for a period")
def report(principal: Annotated[Principal, Depends(Require(Permission.REPORTS_READ))], ctx: Context,
           start: date | None = None, end: date | None = None,
           team: Annotated[list[str] | None, Query(max_length=50)] = None) -> ServiceReport:
    if start is not None and end is not None and end < start:
        raise InvalidRequest("'end' is before 'start'", field="end")
    wanted = tuple(team or ())
    vis = principal.visibility
    if not vis.everything:
        allowed = set(vis.teams)
        wanted = tuple(t for t in wanted if t in allowed) if wanted else vis.teams
        if not wanted:
            raise InvalidRequest("none of these teams is yours", field="team")
    return service_report(ctx, start=start, end=end, teams=wanted)
