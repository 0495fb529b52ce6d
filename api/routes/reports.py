"""Centre statistics (the service report), inside the person's teams."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from api.deps import Context, Require
from qa_service.services.access import Permission, Principal
from qa_service.services.reports import ServiceReport, service_report
from qa_service.services.scoping import scope_for

router = APIRouter(tags=["reports"])


@router.get("/reports/service", response_model=ServiceReport, summary="Centre statistics for a period")
def report(principal: Annotated[Principal, Depends(Require(Permission.REPORTS_READ))], ctx: Context,
           start: date | None = None, end: date | None = None,
           team: Annotated[list[str] | None, Query(max_length=50)] = None) -> ServiceReport:
    scope = scope_for(principal, start, end, tuple(team or ()), ctx.settings.timezone)
    return service_report(ctx, start=scope.start, end=scope.end, teams=scope.teams)
