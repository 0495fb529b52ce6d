"""Grouping of call-centre statistics: by period (day, ISO week, month), team, agent or shift.

Queries group by ``calls.local_date`` (the call centre's own day) and the period is rolled up from it
in Python, so the same SQL runs on SQLite and PostgreSQL and a month never splits across time zones."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import and_, case, literal_column

from qa_service.store.models import Call


class GroupBy(StrEnum):
    TOTAL = "total"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    TEAM = "team"
    AGENT = "agent"
    SHIFT = "shift"


UNKNOWN = "(unknown)"


def group_column(group: GroupBy) -> Any:
    """The column a query groups by for ``group`` (periods: the local day, rolled up by :func:`key_of`)."""
    return {GroupBy.TEAM: Call.team, GroupBy.AGENT: Call.agent_id, GroupBy.SHIFT: Call.shift}.get(group,
                                                                                                 Call.local_date)


def key_of(group: GroupBy, value: Any) -> str:
    """The group's name for a grouped value: ``2026-12-01``, ``2026-W49``, ``2026-12``, a team, ..."""
    if group is GroupBy.TOTAL:
        return "total"
    if value is None:
        return UNKNOWN
    if isinstance(value, date):
        if group is GroupBy.WEEK:
            year, week, _ = value.isocalendar()
            return f"{year}-W{week:02d}"
        if group is GroupBy.MONTH:
            return value.strftime("%Y-%m")
        return value.isoformat()
    return str(value)


def periods_between(group: GroupBy, first: date, last: date) -> list[tuple[str, date, date]]:
    """(name, first day, last day) of every period of ``group`` (day, week or month) from ``first`` to
    ``last``, in order."""
    out: list[tuple[str, date, date]] = []
    day = first
    while day <= last:
        if group is GroupBy.DAY:
            lo, hi = day, day
        elif group is GroupBy.WEEK:
            lo = day - timedelta(days=day.weekday())
            hi = lo + timedelta(days=6)
        else:
            lo = day.replace(day=1)
            hi = (lo.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        out.append((key_of(group, lo), lo, hi))
        day = hi + timedelta(days=1)
    return out


PERIODS = (GroupBy.DAY, GroupBy.WEEK, GroupBy.MONTH)


def group_expression(group: GroupBy, periods: list[tuple[str, date, date]], column: Any = None) -> Any:
    """The SQL expression naming each row's group: a team, agent or shift column; for periods a CASE
    over ``periods`` (from :func:`periods_between`) on ``column`` (default the call's local day), so
    distinct counts (agents, customers) are counted per period in the database, on either backend."""
    if group is GroupBy.TOTAL:
        return literal_column("'total'")
    if group not in PERIODS:
        return group_column(group)
    on = Call.local_date if column is None else column
    if not periods:
        return literal_column(f"'{UNKNOWN}'")
    # the names are ours (dates, weeks, months): written into the SQL, they keep it one expression
    return case(*((and_(on >= lo, on <= hi), literal_column(f"'{name}'")) for name, lo, hi in periods),
                else_=literal_column(f"'{UNKNOWN}'"))
