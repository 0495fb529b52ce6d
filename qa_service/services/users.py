"""The people who use the service: add, change, disable, list (``qa-service users`` and the admin
API call these). Every change is audited; disabling a user or changing a password ends their sign-ins."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from qa_service.errors import Conflict, InvalidRequest, NotFound
from qa_service.services.access import Principal
from qa_service.services.auth import hash_password, principal_of, revoke_all
from qa_service.store import audit
from qa_service.store.models import User, UserTeam
from qa_service.store.states import AuditAction, UserRole

MIN_PASSWORD = 8
_NAME = re.compile(r"[A-Za-z0-9._@-]{2,64}")
_TEAM = re.compile(r"[^\x00-\x1f]{1,64}")


@dataclass(frozen=True)
class NewUser:
    username: str
    role: UserRole
    password: str
    teams: tuple[str, ...] = ()
    agent_id: str | None = None
    display_name: str = ""
    pii_access: bool = False


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidRequest(f"the password must have at least {MIN_PASSWORD} characters", field="password")


def _check(new: NewUser) -> None:
    if not _NAME.fullmatch(new.username):
        raise InvalidRequest("user names are 2–64 letters, digits or . _ @ -", field="username")
    _check_password(new.password)
    if new.role is UserRole.AGENT and not new.agent_id:
        raise InvalidRequest("an agent needs the agent id their calls carry", field="agent_id")
    if new.role in (UserRole.SUPERVISOR, UserRole.TRAINER) and not new.teams:
        raise InvalidRequest(f"a {new.role.value} needs at least one team", field="teams")
    for team in new.teams:
        if not _TEAM.fullmatch(team):
            raise InvalidRequest(f"bad team name {team!r}", field="teams")


def _get(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"no user {username!r}", username=username)
    return user


def add_user(session: Session, new: NewUser, *, by: Principal | None = None) -> Principal:
    _check(new)
    if session.scalar(select(User.id).where(User.username == new.username)) is not None:
        raise Conflict(f"user {new.username!r} exists already", field="username")
    user = User(username=new.username, role=new.role.value, password_hash=hash_password(new.password),
                display_name=new.display_name, agent_id=new.agent_id, pii_access=new.pii_access, active=True)
    session.add(user)
    session.flush()
    session.add_all(UserTeam(user_id=user.id, team=t) for t in sorted(set(new.teams)))
    session.flush()
    audit.record(session, AuditAction.USER_CHANGE, user_id=by.user_id if by else None,
                 detail={"change": "add", "username": new.username, "role": new.role.value,
                         "teams": sorted(set(new.teams)), "pii_access": new.pii_access})
    return principal_of(session, user)


def set_active(session: Session, username: str, active: bool, *, by: Principal | None = None) -> Principal:
    user = _get(session, username)
    if by is not None and by.user_id == user.id and not active:
        raise Conflict("you cannot disable yourself")
    user.active = active
    if not active:
        revoke_all(session, user.id)
    audit.record(session, AuditAction.USER_CHANGE, user_id=by.user_id if by else None,
                 detail={"change": "enable" if active else "disable", "username": username})
    return principal_of(session, user)


def set_password(session: Session, username: str, password: str, *, by: Principal | None = None) -> None:
    _check_password(password)
    user = _get(session, username)
    user.password_hash = hash_password(password)
    revoke_all(session, user.id)
    audit.record(session, AuditAction.USER_CHANGE, user_id=by.user_id if by else None,
                 detail={"change": "password", "username": username})


def set_teams(session: Session, username: str, teams: Sequence[str], *, by: Principal | None = None) -> Principal:
    user = _get(session, username)
    for team in teams:
        if not _TEAM.fullmatch(team):
            raise InvalidRequest(f"bad team name {team!r}", field="teams")
    session.execute(delete(UserTeam).where(UserTeam.user_id == user.id))
    session.add_all(UserTeam(user_id=user.id, team=t) for t in sorted(set(teams)))
    session.flush()
    audit.record(session, AuditAction.USER_CHANGE, user_id=by.user_id if by else None,
                 detail={"change": "teams", "username": username, "teams": sorted(set(teams))})
    return principal_of(session, user)


@dataclass(frozen=True)
class UserView:
    username: str
    display_name: str
    role: str
    active: bool
    teams: tuple[str, ...]
    agent_id: str | None
    pii_access: bool


def list_users(session: Session) -> list[UserView]:
    users = session.scalars(select(User).order_by(User.username)).all()
    teams: dict[int, list[str]] = {}
    for uid, team in session.execute(select(UserTeam.user_id, UserTeam.team).order_by(UserTeam.team)):
        teams.setdefault(uid, []).append(team)
    return [UserView(u.username, u.display_name, u.role, u.active, tuple(teams.get(u.id, ())), u.agent_id,
                     u.pii_access) for u in users]


def get_user(session: Session, username: str) -> UserView:
    user = _get(session, username)
    teams = tuple(session.scalars(select(UserTeam.team).where(UserTeam.user_id == user.id).order_by(UserTeam.team)))
    return UserView(user.username, user.display_name, user.role, user.active, teams, user.agent_id, user.pii_access)
