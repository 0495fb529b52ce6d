"""The period and teams a statistic covers, cut to the person's own teams (a supervisor asking for no
team gets theirs; asking for another team's is refused)."""

from __future__ import annotations

from datetime import date

from qa_service.errors import InvalidRequest
from qa_service.services.access import Principal
from qa_service.store.stats import Scope

#: The days a statistic may ask for (a call centre's records start after 1970; local days at the far ends
#: of the calendar cannot be turned into instants in every time zone).
FIRST_DAY, LAST_DAY = date(1970, 1, 1), date(9999, 12, 30)


def scope_for(principal: Principal, start: date | None, end: date | None, teams: tuple[str, ...], tz: str) -> Scope:
    for name, day in (("start", start), ("end", end)):
        if day is not None and not FIRST_DAY <= day <= LAST_DAY:
            raise InvalidRequest(f"'{name}' must be a day from {FIRST_DAY} to {LAST_DAY}", field=name)
    if start is not None and end is not None and end < start:
        raise InvalidRequest("'end' is before 'start'", field="end")
    vis = principal.visibility
    if not vis.everything:
        allowed = set(vis.teams)
        teams = tuple(t for t in teams if t in allowed) if teams else vis.teams
        if not teams:
            raise InvalidRequest("none of these teams is yours", field="team")
    return Scope(start, end, teams, tz)
