"""Coaching sets for trainers: clips of real calls (call + time range) with a title and a note, tagged
a good or a bad example, in the order the trainer gives; exported by :mod:`qa_service.services.coaching_export`.

A set belongs to one team (an admin's may be centre-wide, team ``None``); its clips come from calls of
that team only, so whoever may read the set may hear every clip in it. Trainers and admins change sets;
supervisors of the team read them. Every change is in the audit log.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qa_service.errors import InvalidRequest, NotFound
from qa_service.services.access import Permission, Principal
from qa_service.services.calls_view import visible_call
from qa_service.store import audit
from qa_service.store.models import Call, CoachingClip, CoachingSet, User
from qa_service.store.states import AuditAction, ClipExample

MAX_CLIP_S = 600.0


@dataclass(frozen=True)
class ClipInput:
    call_id: str
    start_s: float
    end_s: float
    example: ClipExample = ClipExample.GOOD
    title: str = ""
    note: str = ""


@dataclass(frozen=True)
class ClipView:
    clip_id: int
    position: int
    call_id: str
    agent_id: str | None
    start_s: float
    end_s: float
    example: str
    title: str
    note: str


@dataclass(frozen=True)
class SetView:
    set_id: int
    name: str
    team: str | None
    owner: str | None
    note: str
    created_at: datetime
    clips: tuple[ClipView, ...]


@dataclass(frozen=True)
class SetSummary:
    set_id: int
    name: str
    team: str | None
    owner: str | None
    clips: int
    created_at: datetime


def _may_see_team(principal: Principal, team: str | None) -> bool:
    vis = principal.visibility
    return vis.everything or (team is not None and team in vis.teams)


def load_set(session: Session, principal: Principal, set_id: int) -> CoachingSet:
    """The set if the person may read it (NotFound otherwise, as for a missing one)."""
    principal.require(Permission.COACHING_READ)
    row = session.get(CoachingSet, set_id)
    if row is None or not _may_see_team(principal, row.team):
        raise NotFound(f"no coaching set {set_id}")
    return row


def create_set(session: Session, principal: Principal, name: str, *, team: str | None, note: str = "",
               client: str = "") -> SetView:
    principal.require(Permission.COACHING_MANAGE)
    name = name.strip()
    if not name:
        raise InvalidRequest("give the set a name", field="name")
    if team is None and not principal.visibility.everything:
        if len(principal.teams) != 1:
            raise InvalidRequest("say which of your teams the set is for", field="team")
        team = principal.teams[0]
    if team is not None and not _may_see_team(principal, team):
        raise InvalidRequest(f"team {team!r} is not one of yours", field="team")
    row = CoachingSet(name=name[:128], team=team, owner_id=principal.user_id, note=note)
    session.add(row)
    session.flush()
    audit.record(session, AuditAction.COACHING, user_id=principal.user_id, client=client,
                 detail={"set_id": row.id, "what": "create", "name": row.name, "team": team})
    return set_view(session, principal, row.id)


def list_sets(session: Session, principal: Principal) -> list[SetSummary]:
    principal.require(Permission.COACHING_READ)
    vis = principal.visibility
    cond = [] if vis.everything else [CoachingSet.team.in_(vis.teams or ("",))]
    counts = (select(CoachingClip.set_id, func.count().label("n")).group_by(CoachingClip.set_id).subquery())
    stmt = (select(CoachingSet, User.username, func.coalesce(counts.c.n, 0))
            .outerjoin(User, User.id == CoachingSet.owner_id).outerjoin(counts, counts.c.set_id == CoachingSet.id)
            .where(*cond).order_by(CoachingSet.id.desc()))
    return [SetSummary(s.id, s.name, s.team, owner, int(n), s.created_at) for s, owner, n in session.execute(stmt)]


def set_view(session: Session, principal: Principal, set_id: int) -> SetView:
    row = load_set(session, principal, set_id)
    owner = session.scalar(select(User.username).where(User.id == row.owner_id))
    clips = session.execute(select(CoachingClip, Call.call_id, Call.agent_id)
                            .join(Call, Call.id == CoachingClip.call_pk).where(CoachingClip.set_id == set_id)
                            .order_by(CoachingClip.position, CoachingClip.id)).all()
    return SetView(row.id, row.name, row.team, owner, row.note, row.created_at,
                   tuple(ClipView(c.id, c.position, call_id, agent_id, c.start_s, c.end_s, c.example, c.title, c.note)
                         for c, call_id, agent_id in clips))


def _check_range(call: Call, start: float, end: float) -> None:
    if not (math.isfinite(start) and math.isfinite(end)) or start < 0:
        raise InvalidRequest("clip start must be a number of seconds ≥ 0", field="start_s")
    if end <= start:
        raise InvalidRequest("clip end must be after its start", field="end_s")
    if end - start > MAX_CLIP_S:
        raise InvalidRequest(f"a clip is at most {MAX_CLIP_S:g} s", field="end_s")
    if call.duration_s is not None and start >= call.duration_s:
        raise InvalidRequest(f"clip start is past the end of the call ({call.duration_s:.1f} s)", field="start_s")


def _managed(session: Session, principal: Principal, set_id: int) -> CoachingSet:
    principal.require(Permission.COACHING_MANAGE)
    return load_set(session, principal, set_id)


def add_clip(session: Session, principal: Principal, set_id: int, clip: ClipInput, *, client: str = "") -> SetView:
    row = _managed(session, principal, set_id)
    call = visible_call(session, principal, clip.call_id)
    if row.team is not None and call.team != row.team:
        raise InvalidRequest(f"call {clip.call_id!r} is not a call of team {row.team!r}, the set's team",
                             field="call_id")
    _check_range(call, clip.start_s, clip.end_s)
    end = min(clip.end_s, call.duration_s) if call.duration_s is not None else clip.end_s
    last = session.scalar(select(func.max(CoachingClip.position)).where(CoachingClip.set_id == set_id))
    added = CoachingClip(set_id=set_id, call_pk=call.id, position=(last if last is not None else -1) + 1,
                         start_s=float(clip.start_s), end_s=float(end), note=clip.note,
                         example=ClipExample(clip.example).value, title=clip.title[:200])
    session.add(added)
    session.flush()
    audit.record(session, AuditAction.COACHING, user_id=principal.user_id, call_pk=call.id, client=client,
                 detail={"set_id": set_id, "what": "add_clip", "clip_id": added.id,
                         "range": [added.start_s, added.end_s]})
    return set_view(session, principal, set_id)


def update_clip(session: Session, principal: Principal, set_id: int, clip_id: int, *, example: ClipExample | None,
                title: str | None, note: str | None, client: str = "") -> SetView:
    _managed(session, principal, set_id)
    clip = session.get(CoachingClip, clip_id)
    if clip is None or clip.set_id != set_id:
        raise NotFound(f"no clip {clip_id} in set {set_id}")
    if example is not None:
        clip.example = ClipExample(example).value
    if title is not None:
        clip.title = title[:200]
    if note is not None:
        clip.note = note
    audit.record(session, AuditAction.COACHING, user_id=principal.user_id, call_pk=clip.call_pk, client=client,
                 detail={"set_id": set_id, "what": "update_clip", "clip_id": clip_id})
    session.flush()
    return set_view(session, principal, set_id)


def remove_clip(session: Session, principal: Principal, set_id: int, clip_id: int, *, client: str = "") -> SetView:
    _managed(session, principal, set_id)
    clip = session.get(CoachingClip, clip_id)
    if clip is None or clip.set_id != set_id:
        raise NotFound(f"no clip {clip_id} in set {set_id}")
    session.delete(clip)
    audit.record(session, AuditAction.COACHING, user_id=principal.user_id, call_pk=clip.call_pk, client=client,
                 detail={"set_id": set_id, "what": "remove_clip", "clip_id": clip_id})
    session.flush()
    return set_view(session, principal, set_id)


def reorder(session: Session, principal: Principal, set_id: int, clip_ids: tuple[int, ...], *,
            client: str = "") -> SetView:
    """Put the set's clips in the order ``clip_ids`` (every clip of the set, each once)."""
    _managed(session, principal, set_id)
    clips = {c.id: c for c in session.scalars(select(CoachingClip).where(CoachingClip.set_id == set_id))}
    if sorted(clip_ids) != sorted(clips):
        raise InvalidRequest("give every clip of the set exactly once", field="clip_ids",
                             expected=sorted(clips))
    for position, clip_id in enumerate(clip_ids):
        clips[clip_id].position = position
    audit.record(session, AuditAction.COACHING, user_id=principal.user_id, client=client,
                 detail={"set_id": set_id, "what": "reorder", "order": list(clip_ids)})
    session.flush()
    return set_view(session, principal, set_id)
