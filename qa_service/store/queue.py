"""The flagged-call queue as SQL: filters, sorting and one page, always inside a person's
:class:`~qa_service.store.scope.Visibility`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, func, select
from sqlalchemy.orm import Session

from qa_service.store.models import Call, CallFlag, CallLabel, ClassificationRow, FindingRow, Scorecard
from qa_service.store.scope import Visibility
from qa_service.store.states import FlagReason, LabelKind


class QueueSort(StrEnum):
    STARTED_AT = "started_at"
    SCORE = "score"
    AGENT = "agent_id"
    DURATION = "duration"


@dataclass(frozen=True)
class QueueFilter:
    flagged_only: bool = True
    agent_id: str | None = None
    team: str | None = None
    date_from: date | None = None  # local call date, inclusive
    date_to: date | None = None  # inclusive
    direction: str | None = None
    campaign: str | None = None
    contact_reason: str | None = None
    business_type: str | None = None
    score_min: float | None = None
    score_max: float | None = None
    failed_item: str | None = None
    flag_reason: str | None = None
    review_state: str | None = None
    state: str | None = None
    sort: QueueSort = QueueSort.STARTED_AT
    descending: bool = True
    limit: int = 50
    offset: int = 0


@dataclass(frozen=True)
class QueueRow:
    call_pk: int
    call_id: str
    started_at: datetime | None
    local_date: date | None
    agent_id: str | None
    team: str | None
    direction: str
    campaign: str | None
    duration_s: float | None
    state: str
    review_state: str
    score: float | None
    final_score: float | None
    final_passed: bool | None
    needs_review: bool | None
    business_type: str | None


def _conditions(f: QueueFilter, visibility: Visibility) -> list[ColumnElement[bool]]:
    cond: list[ColumnElement[bool]] = list(visibility.conditions())
    simple: list[tuple[Any, Any]] = [(Call.agent_id, f.agent_id), (Call.team, f.team), (Call.direction, f.direction),
                                     (Call.campaign, f.campaign), (Call.review_state, f.review_state),
                                     (Call.state, f.state), (ClassificationRow.business_type, f.business_type)]
    cond += [column == value for column, value in simple if value is not None]
    if f.date_from is not None:
        cond.append(Call.local_date >= f.date_from)
    if f.date_to is not None:
        cond.append(Call.local_date <= f.date_to)
    if f.score_min is not None:
        cond.append(Scorecard.final_score >= f.score_min)
    if f.score_max is not None:
        cond.append(Scorecard.final_score <= f.score_max)
    if f.flag_reason is not None:
        cond.append(exists().where(CallFlag.call_pk == Call.id, CallFlag.reason == f.flag_reason))
    elif f.flagged_only:
        cond.append(exists().where(CallFlag.call_pk == Call.id))
    if f.contact_reason is not None:
        cond.append(exists().where(CallLabel.call_pk == Call.id, CallLabel.kind == LabelKind.CONTACT_REASON.value,
                                   CallLabel.label == f.contact_reason))
    if f.failed_item is not None:
        cond.append(exists().where(FindingRow.call_pk == Call.id, FindingRow.item_id == f.failed_item,
                                   FindingRow.final_outcome == "fail"))
    return cond


#: PostgreSQL indexes that serve :func:`_order` (migration 0004): newest first, longest first.
PG_SORT_INDEXES = ("ix_calls_newest", "ix_calls_longest")

#: Flags drawn from the scorecard: a call holding one has a scorecard.
_SCORECARD_FLAGS = frozenset({FlagReason.LOW_SCORE.value, FlagReason.CRITICAL_FAILED.value,
                              FlagReason.NEEDS_REVIEW.value})

#: The most calls a queue page counts; past it ``total`` is this cap and ``total_capped`` is set (a
#: count of every flagged call on a busy floor costs more than the page; the statistics count them all).
COUNT_CAP = 1000


def _has_scorecard(f: QueueFilter) -> bool:
    """Whether every call the filter admits has a scorecard (then an inner join says the same)."""
    return (f.score_min is not None or f.score_max is not None or f.failed_item is not None
            or f.flag_reason in _SCORECARD_FLAGS)


def _base(columns: Sequence[Any], f: QueueFilter, visibility: Visibility) -> Select[Any]:
    stmt = select(*columns).select_from(Call)
    if _has_scorecard(f):  # lets the planner walk the score index
        stmt = stmt.join(Scorecard, Scorecard.call_pk == Call.id)
    else:
        stmt = stmt.outerjoin(Scorecard, Scorecard.call_pk == Call.id)
    return stmt.outerjoin(ClassificationRow, ClassificationRow.call_pk == Call.id).where(*_conditions(f, visibility))


_SORT = {QueueSort.STARTED_AT: Call.started_at, QueueSort.SCORE: Scorecard.final_score,
         QueueSort.AGENT: Call.agent_id, QueueSort.DURATION: Call.duration_s}


def _order(f: QueueFilter) -> list[Any]:
    """The sort key, calls without a value last either way, ties broken by call (so pages are stable).
    The indexes that serve these orders on PostgreSQL are listed in :data:`PG_SORT_INDEXES`."""
    key = _SORT[f.sort]
    # sorted by score over calls that all have a scorecard: break ties on its own key (one index)
    tie = Scorecard.call_pk if f.sort is QueueSort.SCORE and _has_scorecard(f) else Call.id
    if f.descending:
        return [key.desc().nulls_last(), tie.desc()]
    return [key.asc().nulls_last(), tie.asc()]


@dataclass(frozen=True)
class Page:
    total: int  # at most COUNT_CAP
    total_capped: bool  # more calls match than ``total``
    rows: list[QueueRow]


def page(session: Session, f: QueueFilter, visibility: Visibility) -> Page:
    """How many calls match (up to :data:`COUNT_CAP`) and the rows of one page."""
    matching = _base([Call.id], f, visibility).limit(COUNT_CAP + 1).subquery()
    counted = session.scalar(select(func.count()).select_from(matching)) or 0
    stmt = _base([Call.id, Call.call_id, Call.started_at, Call.local_date, Call.agent_id, Call.team, Call.direction,
                  Call.campaign, Call.duration_s, Call.state, Call.review_state, Scorecard.score,
                  Scorecard.final_score, Scorecard.final_passed, Scorecard.needs_review,
                  ClassificationRow.business_type], f, visibility).order_by(*_order(f)).limit(f.limit).offset(f.offset)
    rows = [QueueRow(*row) for row in session.execute(stmt)]
    return Page(total=min(counted, COUNT_CAP), total_capped=counted > COUNT_CAP, rows=rows)


def flags_of(session: Session, call_pks: Sequence[int]) -> dict[int, list[tuple[str, str]]]:
    out: dict[int, list[tuple[str, str]]] = {pk: [] for pk in call_pks}
    if call_pks:
        stmt = select(CallFlag.call_pk, CallFlag.reason, CallFlag.detail).where(CallFlag.call_pk.in_(call_pks))
        for pk, reason, detail in session.execute(stmt.order_by(CallFlag.call_pk, CallFlag.reason)):
            out[pk].append((reason, detail))
    return out


def labels_of(session: Session, call_pks: Sequence[int], kind: LabelKind) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {pk: [] for pk in call_pks}
    if call_pks:
        stmt = (select(CallLabel.call_pk, CallLabel.label)
                .where(CallLabel.call_pk.in_(call_pks), CallLabel.kind == kind.value)
                .order_by(CallLabel.call_pk, CallLabel.label))
        for pk, label in session.execute(stmt):
            out[pk].append(label)
    return out
