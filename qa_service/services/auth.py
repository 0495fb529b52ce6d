"""Signing in: passwords (argon2id, via argon2-cffi), opaque expiring tokens (only their sha256 is
stored), and throttling of repeated failed log-ins per user name.

``sign_in`` runs its own units of work on purpose: a failed attempt must be recorded (and audited)
even though the caller gets an error."""

from __future__ import annotations

import hashlib
import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from qa_service.errors import LoginThrottled, NotAuthenticated
from qa_service.services.access import Principal
from qa_service.services.context import ServiceContext
from qa_service.store import audit
from qa_service.store.models import ApiToken, LoginFailure, User, UserTeam
from qa_service.store.states import AuditAction, UserRole
from qa_service.store.types import utcnow

log = logging.getLogger(__name__)

_hasher = PasswordHasher()
#: Verified against when the user name is unknown, so both cases take the same time.
_DUMMY_HASH = _hasher.hash("not-a-real-password")
_BAD_LOGIN = "wrong user name or password"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: str
    expires_at: datetime
    principal: Principal


def principal_of(session: Session, user: User) -> Principal:
    teams = tuple(sorted(session.scalars(select(UserTeam.team).where(UserTeam.user_id == user.id))))
    return Principal(user_id=user.id, username=user.username, role=UserRole(user.role), teams=teams,
                     agent_id=user.agent_id, pii_access=user.pii_access, display_name=user.display_name)


def _throttle_wait(session: Session, ctx: ServiceContext, username: str, now: datetime) -> float:
    s = ctx.settings
    since = now - timedelta(seconds=s.login_window_s)
    count, last = session.execute(
        select(func.count(LoginFailure.id), func.max(LoginFailure.at))
        .where(LoginFailure.username == username, LoginFailure.at >= since)).one()
    if count < s.login_max_failures or last is None:
        return 0.0
    if last.tzinfo is None:  # SQLite aggregate results skip the column type's conversion
        last = last.replace(tzinfo=now.tzinfo)
    return max(0.0, (last + timedelta(seconds=s.login_lockout_s) - now).total_seconds())


def sign_in(ctx: ServiceContext, username: str, password: str, *, client: str = "",
            now: datetime | None = None) -> IssuedToken:
    """A new token for a right user name and password; :class:`NotAuthenticated` otherwise, and
    :class:`LoginThrottled` after ``login_max_failures`` failures in ``login_window_s``."""
    now = now or utcnow()
    name = username.strip()[:64]
    with ctx.session() as session:
        wait = _throttle_wait(session, ctx, name, now)
        if wait <= 0:
            user = session.scalar(select(User).where(User.username == name))
            ok = verify_password(user.password_hash if user else None, password) and user is not None
            if ok and user is not None and user.active:
                token = secrets.token_urlsafe(32)
                expires = now + timedelta(seconds=ctx.settings.token_ttl_s)
                session.add(ApiToken(token_hash=token_hash(token), user_id=user.id, created_at=now,
                                     expires_at=expires))
                session.execute(delete(LoginFailure).where(LoginFailure.username == name))
                audit.record(session, AuditAction.LOGIN, user_id=user.id, client=client)
                return IssuedToken(token, expires, principal_of(session, user))
            session.add(LoginFailure(username=name, at=now, client=client[:64]))
            audit.record(session, AuditAction.LOGIN_FAILED, user_id=user.id if user else None,
                         detail={"username": name}, client=client)
    if wait > 0:
        log.warning("log-in of %r throttled for %.0f s", name, wait)
        raise LoginThrottled(f"too many failed log-ins; try again in {wait:.0f} s", retry_after_s=round(wait + 0.5))
    raise NotAuthenticated(_BAD_LOGIN)


def _check_token(session: Session, token: str, now: datetime) -> tuple[Principal, datetime]:
    row = session.execute(select(ApiToken, User).join(User, User.id == ApiToken.user_id)
                          .where(ApiToken.token_hash == token_hash(token))).first()
    if row is None:
        raise NotAuthenticated("not signed in (unknown token)")
    tok, user = row
    expires_at = tok.expires_at
    if tok.revoked_at is not None or expires_at <= now:
        raise NotAuthenticated("the sign-in has expired; sign in again")
    if not user.active:
        raise NotAuthenticated("this user is disabled")
    return principal_of(session, user), expires_at


def authenticate(session: Session, token: str, *, now: datetime | None = None) -> Principal:
    """The person a bearer token belongs to; :class:`NotAuthenticated` when it is unknown, expired,
    revoked or its user is disabled."""
    return _check_token(session, token, now or utcnow())[0]


class TokenCache:
    """The principals of tokens this process checked in the last ``ttl_s`` seconds, so a burst of
    requests costs one database check. The price: a token revoked, or a user disabled, by another
    process is still honoured here for up to ``ttl_s`` (``QA_AUTH_CACHE_S``; 0 turns caching off).
    A sign-out in this process is immediate (:meth:`forget`). Never holds a token past its expiry."""

    def __init__(self, ttl_s: float, *, max_entries: int = 10_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl_s = ttl_s
        self._max = max_entries
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[float, Principal]] = {}

    def get(self, token: str) -> Principal | None:
        key = token_hash(token)
        with self._lock:
            hit = self._entries.get(key)
            if hit is None:
                return None
            if hit[0] <= self._clock():
                del self._entries[key]
                return None
            return hit[1]

    def check(self, session: Session, token: str, *, now: datetime | None = None) -> Principal:
        """:func:`authenticate`, remembering a good answer."""
        now = now or utcnow()
        principal, expires_at = _check_token(session, token, now)
        if self.ttl_s > 0:
            until = self._clock() + min(self.ttl_s, (expires_at - now).total_seconds())
            with self._lock:
                if len(self._entries) >= self._max:
                    self._entries.clear()
                self._entries[token_hash(token)] = (until, principal)
        return principal

    def forget(self, token: str) -> None:
        with self._lock:
            self._entries.pop(token_hash(token), None)

    def clear(self) -> None:
        """Forget every token (a user's role, teams, password or state changed in this process)."""
        with self._lock:
            self._entries.clear()


def sign_out(session: Session, principal: Principal, token: str, *, client: str = "") -> None:
    session.execute(update(ApiToken).where(ApiToken.token_hash == token_hash(token)).values(revoked_at=utcnow()))
    audit.record(session, AuditAction.LOGOUT, user_id=principal.user_id, client=client)


def revoke_all(session: Session, user_id: int) -> None:
    session.execute(update(ApiToken)
                    .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
                    .values(revoked_at=utcnow()))
