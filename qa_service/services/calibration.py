"""Calibration: a supervisor sends one call or a set to several reviewers, who score each rubric item
blind; the report gives, per item, the percent agreement and Fleiss' kappa, and each reviewer's and
the machine's distance from the consensus (:mod:`qa_service.agreement`).

Blind means: a reviewer's task shows the call's items without any verdict (the machine's or another
reviewer's), and no one who rates in a session may read its report while it is open. The session's
manager (who made it, or an admin) reads the report at any time and closes it; once closed, the
report is final and every reviewer may read it. Calibration ratings never change a call's result.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from qa_service.agreement import Agreement, Distance, consensus, consensus_score, distance, fleiss
from qa_service.domain import Outcome
from qa_service.errors import Conflict, InvalidRequest, NotFound, PermissionDenied
from qa_service.services.access import Permission, Principal
from qa_service.services.auth import principal_of
from qa_service.services.calls_view import visible_call
from qa_service.store import audit
from qa_service.store.models import (
    CalibrationCall,
    CalibrationRating,
    CalibrationReviewer,
    CalibrationSession,
    Call,
    FindingRow,
    Scorecard,
    User,
)
from qa_service.store.states import AuditAction, CalibrationState
from qa_service.store.types import utcnow

#: What a calibration reviewer may say of an item.
VERDICTS = (Outcome.PASS.value, Outcome.FAIL.value, Outcome.NOT_APPLICABLE.value)
MACHINE = "(machine)"
SCORE_ROW = ""  # item_id of the row holding a reviewer's score of the whole call


@dataclass(frozen=True)
class TaskItem:
    item_id: str
    kind: str
    weight: float
    critical: bool
    my_verdict: str | None


@dataclass(frozen=True)
class TaskCall:
    call_id: str
    items: tuple[TaskItem, ...]
    my_score: float | None
    done: bool


@dataclass(frozen=True)
class SessionView:
    session_id: int
    name: str
    state: str
    created_by: str | None
    created_at: datetime
    closed_at: datetime | None
    calls: tuple[str, ...]
    reviewers: tuple[str, ...]
    progress: dict[str, int]  # reviewer → calls rated


@dataclass(frozen=True)
class Task:
    session_id: int
    name: str
    state: str
    calls: tuple[TaskCall, ...]


@dataclass(frozen=True)
class ItemReport:
    item_id: str
    agreement: Agreement
    consensus: dict[str, str | None]  # call → consensus verdict (None: a tie)
    machine: dict[str, str]  # call → the automatic outcome


@dataclass(frozen=True)
class RaterReport:
    rater: str  # user name, or "(machine)"
    distance: Distance


@dataclass(frozen=True)
class CalibrationReport:
    session_id: int
    name: str
    state: str
    reviewers: tuple[str, ...]
    calls: tuple[str, ...]
    overall: Agreement  # every item of every call pooled
    items: tuple[ItemReport, ...]
    consensus_scores: dict[str, float | None]
    raters: tuple[RaterReport, ...]


# --------------------------------------------------------------------------- making a session
def create_session(session: Session, principal: Principal, name: str, call_ids: Sequence[str],
                   reviewers: Sequence[str], *, client: str = "") -> SessionView:
    principal.require(Permission.CALIBRATION_MANAGE)
    if not name.strip():
        raise InvalidRequest("give the session a name", field="name")
    if not call_ids or len(set(call_ids)) != len(call_ids):
        raise InvalidRequest("give one or more calls, each once", field="call_ids")
    if len(reviewers) < 2 or len(set(reviewers)) != len(reviewers):
        raise InvalidRequest("give at least two reviewers, each once", field="reviewers")
    calls = [visible_call(session, principal, c) for c in call_ids]
    for call in calls:
        if session.get(Scorecard, call.id) is None:
            raise InvalidRequest(f"call {call.call_id!r} has no scorecard to calibrate on", field="call_ids",
                                 call_id=call.call_id)
    people = []
    for i, username in enumerate(reviewers):
        user = session.scalar(select(User).where(User.username == username, User.active.is_(True)))
        if user is None:
            raise InvalidRequest(f"no active user {username!r}", field=f"reviewers[{i}]", username=username)
        who = principal_of(session, user)
        if not who.can(Permission.CALIBRATION_RATE):
            raise InvalidRequest(f"{username!r} is a {who.role.value}, who does not review calls",
                                 field=f"reviewers[{i}]", username=username)
        for call in calls:
            if not who.visibility.allows(call):
                raise InvalidRequest(f"{username!r} may not see call {call.call_id!r}", field=f"reviewers[{i}]",
                                     username=username, call_id=call.call_id)
        people.append(who)
    row = CalibrationSession(name=name.strip()[:128], created_by=principal.user_id,
                             state=CalibrationState.OPEN.value, created_at=utcnow())
    session.add(row)
    session.flush()
    session.add_all(CalibrationCall(session_id=row.id, call_pk=c.id, position=i) for i, c in enumerate(calls))
    session.add_all(CalibrationReviewer(session_id=row.id, user_id=p.user_id) for p in people)
    session.flush()
    audit.record(session, AuditAction.CALIBRATION, user_id=principal.user_id, client=client,
                 detail={"session_id": row.id, "what": "create", "calls": list(call_ids),
                         "reviewers": list(reviewers)})
    return _session_view(session, row)


def _load(session: Session, session_id: int) -> CalibrationSession:
    row = session.get(CalibrationSession, session_id)
    if row is None:
        raise NotFound(f"no calibration session {session_id}")
    return row


def _calls(session: Session, session_id: int) -> list[Call]:
    return list(session.scalars(select(Call).join(CalibrationCall, CalibrationCall.call_pk == Call.id)
                                .where(CalibrationCall.session_id == session_id).order_by(CalibrationCall.position)))


def _reviewers(session: Session, session_id: int) -> dict[int, str]:
    rows = session.execute(select(User.id, User.username)
                           .join(CalibrationReviewer, CalibrationReviewer.user_id == User.id)
                           .where(CalibrationReviewer.session_id == session_id).order_by(User.username))
    return {i: u for i, u in rows}


def _is_manager(principal: Principal, row: CalibrationSession) -> bool:
    return principal.can(Permission.CALIBRATION_MANAGE) and (
        principal.user_id == row.created_by or principal.visibility.everything)


def _session_view(session: Session, row: CalibrationSession) -> SessionView:
    reviewers = _reviewers(session, row.id)
    rated: dict[int, set[int]] = defaultdict(set)
    for user_id, call_pk in session.execute(select(CalibrationRating.user_id, CalibrationRating.call_pk)
                                            .where(CalibrationRating.session_id == row.id,
                                                   CalibrationRating.item_id == SCORE_ROW)):
        rated[user_id].add(call_pk)
    creator = session.scalar(select(User.username).where(User.id == row.created_by))
    return SessionView(row.id, row.name, row.state, creator, row.created_at, row.closed_at,
                       tuple(c.call_id for c in _calls(session, row.id)), tuple(reviewers.values()),
                       {u: len(rated[i]) for i, u in reviewers.items()})


def list_sessions(session: Session, principal: Principal) -> list[SessionView]:
    """Sessions the person manages or rates in, newest first."""
    principal.require(Permission.CALIBRATION_RATE)
    mine = select(CalibrationReviewer.session_id).where(CalibrationReviewer.user_id == principal.user_id)
    stmt = select(CalibrationSession).order_by(CalibrationSession.id.desc())
    if not principal.visibility.everything:
        stmt = stmt.where((CalibrationSession.created_by == principal.user_id) | CalibrationSession.id.in_(mine))
    return [_session_view(session, r) for r in session.scalars(stmt)]


# --------------------------------------------------------------------------- rating blind
def task(session: Session, principal: Principal, session_id: int) -> Task:
    """The reviewer's work in a session: each call's items, with only their own verdicts."""
    principal.require(Permission.CALIBRATION_RATE)
    row = _load(session, session_id)
    if principal.user_id not in _reviewers(session, session_id):
        raise NotFound(f"no calibration session {session_id} for you to rate")
    mine: dict[tuple[int, str], CalibrationRating] = {
        (r.call_pk, r.item_id): r for r in session.scalars(select(CalibrationRating).where(
            CalibrationRating.session_id == session_id, CalibrationRating.user_id == principal.user_id))}
    calls = []
    for call in _calls(session, session_id):
        items = tuple(TaskItem(f.item_id, f.kind, f.weight, f.critical,
                               mine[(call.id, f.item_id)].outcome if (call.id, f.item_id) in mine else None)
                      for f in _findings(session, call.id))
        score_row = mine.get((call.id, SCORE_ROW))
        calls.append(TaskCall(call.call_id, items, score_row.score if score_row else None, score_row is not None))
    return Task(row.id, row.name, row.state, tuple(calls))


def _findings(session: Session, call_pk: int) -> list[FindingRow]:
    return list(session.scalars(select(FindingRow).where(FindingRow.call_pk == call_pk).order_by(FindingRow.position)))


def rate(session: Session, principal: Principal, session_id: int, call_id: str, verdicts: Mapping[str, str],
         score: float, *, client: str = "") -> Task:
    """A reviewer's verdict on every item of one call and their score of it (again: replaces theirs)."""
    principal.require(Permission.CALIBRATION_RATE)
    row = _load(session, session_id)
    if principal.user_id not in _reviewers(session, session_id):
        raise NotFound(f"no calibration session {session_id} for you to rate")
    if row.state != CalibrationState.OPEN.value:
        raise Conflict(f"calibration session {session_id} is closed")
    call = next((c for c in _calls(session, session_id) if c.call_id == call_id), None)
    if call is None:
        raise NotFound(f"call {call_id!r} is not in calibration session {session_id}", call_id=call_id)
    items = {f.item_id for f in _findings(session, call.id)}
    if set(verdicts) != items:
        missing, extra = sorted(items - set(verdicts)), sorted(set(verdicts) - items)
        raise InvalidRequest(f"give a verdict on every item of the call (missing: {', '.join(missing) or '-'}; "
                             f"unknown: {', '.join(extra) or '-'})", field="verdicts")
    for item, verdict in verdicts.items():
        if verdict not in VERDICTS:
            raise InvalidRequest(f"verdict {verdict!r} for {item!r}: expected one of {', '.join(VERDICTS)}",
                                 field="verdicts", item_id=item)
    if isinstance(score, bool) or not math.isfinite(score) or not 0 <= score <= 100:
        raise InvalidRequest("score is a number from 0 to 100", field="score")
    session.execute(delete(CalibrationRating).where(CalibrationRating.session_id == session_id,
                                                    CalibrationRating.call_pk == call.id,
                                                    CalibrationRating.user_id == principal.user_id))
    now = utcnow()
    session.add_all(CalibrationRating(session_id=session_id, call_pk=call.id, user_id=principal.user_id,
                                      item_id=item, outcome=v, score=None, at=now) for item, v in verdicts.items())
    session.add(CalibrationRating(session_id=session_id, call_pk=call.id, user_id=principal.user_id,
                                  item_id=SCORE_ROW, outcome="", score=float(score), at=now))
    session.flush()
    audit.record(session, AuditAction.CALIBRATION, user_id=principal.user_id, call_pk=call.id, client=client,
                 detail={"session_id": session_id, "what": "rate", "score": float(score)})
    return task(session, principal, session_id)


def close(session: Session, principal: Principal, session_id: int, *, client: str = "") -> SessionView:
    row = _load(session, session_id)
    if not _is_manager(principal, row):
        raise NotFound(f"no calibration session {session_id} of yours")
    if row.state == CalibrationState.CLOSED.value:
        raise Conflict(f"calibration session {session_id} is closed already")
    row.state = CalibrationState.CLOSED.value
    row.closed_at = utcnow()
    session.flush()
    audit.record(session, AuditAction.CALIBRATION, user_id=principal.user_id, client=client,
                 detail={"session_id": session_id, "what": "close"})
    return _session_view(session, row)


# --------------------------------------------------------------------------- report
def report(session: Session, principal: Principal, session_id: int) -> CalibrationReport:
    principal.require(Permission.CALIBRATION_RATE)
    row = _load(session, session_id)
    reviewers = _reviewers(session, session_id)
    is_reviewer = principal.user_id in reviewers
    if not _is_manager(principal, row) and not is_reviewer:
        raise NotFound(f"no calibration session {session_id} of yours")
    if is_reviewer and row.state == CalibrationState.OPEN.value:
        raise PermissionDenied("the report of a session you rate in opens when the session is closed (blind scoring)",
                               permission=Permission.CALIBRATION_MANAGE.value, role=principal.role.value)
    calls = _calls(session, session_id)
    names = {c.id: c.call_id for c in calls}
    verdicts: dict[str, dict[tuple[str, str], str]] = defaultdict(dict)  # rater → (call, item) → verdict
    scores: dict[str, dict[str, float]] = defaultdict(dict)  # rater → call → score
    for r in session.scalars(select(CalibrationRating).where(CalibrationRating.session_id == session_id)):
        rater = reviewers.get(r.user_id, str(r.user_id))
        if r.item_id == SCORE_ROW:
            scores[rater][names[r.call_pk]] = float(r.score or 0.0)
        else:
            verdicts[rater][(names[r.call_pk], r.item_id)] = r.outcome
    machine: dict[tuple[str, str], str] = {}
    machine_scores: dict[str, float] = {}
    for call in calls:
        for f in _findings(session, call.id):
            machine[(call.call_id, f.item_id)] = f.outcome
        card = session.get(Scorecard, call.id)
        if card is not None:
            machine_scores[call.call_id] = card.score
    by_subject: dict[tuple[str, str], list[str]] = defaultdict(list)
    for rated in verdicts.values():
        for key, v in rated.items():
            by_subject[key].append(v)
    agreed = {key: consensus(v) for key, v in by_subject.items()}
    agreed_scores = {c.call_id: consensus_score([s[c.call_id] for s in scores.values() if c.call_id in s])
                     for c in calls}
    item_ids = sorted({item for _, item in machine})
    items = tuple(ItemReport(
        item_id=item,
        agreement=fleiss([by_subject[(c.call_id, item)] for c in calls if (c.call_id, item) in by_subject]),
        consensus={c.call_id: agreed.get((c.call_id, item)) for c in calls},
        machine={c.call_id: machine[(c.call_id, item)] for c in calls if (c.call_id, item) in machine})
        for item in item_ids)
    raters = [RaterReport(name, distance(verdicts.get(name, {}), agreed, scores.get(name, {}), agreed_scores))
              for name in sorted(reviewers.values())]
    raters.append(RaterReport(MACHINE, distance(machine, agreed, machine_scores, agreed_scores)))
    return CalibrationReport(row.id, row.name, row.state, tuple(sorted(reviewers.values())),
                             tuple(c.call_id for c in calls), fleiss(list(by_subject.values())), items,
                             agreed_scores, tuple(raters))
