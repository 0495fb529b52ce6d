"""Engines and sessions, made lazily from settings (never at import), one engine per URL per process.

The caller that owns a unit of work opens :func:`unit_of_work`, which commits once at the end, rolls
back on error, and turns "the database is not reachable right now" into
:class:`~qa_service.errors.StorageUnavailable` so the task layer retries it.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from qa_service.errors import StorageUnavailable
from qa_service.settings import Settings

log = logging.getLogger(__name__)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


_ENGINES: dict[tuple[str, int], Engine] = {}
_FACTORIES: dict[tuple[str, int], sessionmaker[Session]] = {}
_LOCK = threading.Lock()


def _make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[-1]
        if path and path != ":memory:":
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5, pool_recycle=1800,
                         connect_args={"connect_timeout": 5} if "psycopg" in url else {})


def get_engine(settings: Settings) -> Engine:
    """This process's engine for the configured URL (the pid is in the key: a forked worker child
    never shares its parent's connections)."""
    key = (settings.resolved_database_url, os.getpid())
    with _LOCK:
        engine = _ENGINES.get(key)
        if engine is None:
            engine = _ENGINES[key] = _make_engine(key[0])
        return engine


def session_factory(settings: Settings) -> sessionmaker[Session]:
    key = (settings.resolved_database_url, os.getpid())
    engine = get_engine(settings)
    with _LOCK:
        factory = _FACTORIES.get(key)
        if factory is None:
            factory = _FACTORIES[key] = sessionmaker(bind=engine, expire_on_commit=False)
        return factory


def dispose_engines(*, close: bool = True) -> None:
    """Forget the engines; ``close`` also closes their pooled connections (False in a forked child,
    whose inherited connections belong to the parent)."""
    with _LOCK:
        engines = list(_ENGINES.values())
        _ENGINES.clear()
        _FACTORIES.clear()
    for engine in engines:
        engine.dispose(close=close)


def is_unavailable(exc: BaseException) -> bool:
    """Whether a database error means "not reachable / busy right now" rather than a bad statement."""
    if isinstance(exc, OperationalError | InterfaceError):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


@contextmanager
def unit_of_work(settings: Settings) -> Iterator[Session]:
    """A session that commits once when the block ends (rolls back if it raises)."""
    session = session_factory(settings)()
    try:
        yield session
        session.commit()
    except DBAPIError as exc:
        _quiet_rollback(session)
        if is_unavailable(exc):
            raise StorageUnavailable(f"database unavailable: {_short(exc)}", url=_safe_url(settings)) from exc
        raise
    except BaseException:
        _quiet_rollback(session)
        raise
    finally:
        _quiet_close(session)


def _quiet_rollback(session: Session) -> None:
    try:
        session.rollback()
    except DBAPIError:  # the connection is gone; nothing to roll back
        log.debug("rollback failed", exc_info=True)


def _quiet_close(session: Session) -> None:
    try:
        session.close()
    except DBAPIError:
        log.debug("close failed", exc_info=True)


def _short(exc: DBAPIError) -> str:
    text = str(exc.orig if exc.orig is not None else exc).strip().splitlines()
    first = text[0] if text else type(exc).__name__
    return first if len(first) < 200 else first[:197] + "..."


def _safe_url(settings: Settings) -> str:
    from sqlalchemy.engine import make_url

    return make_url(settings.resolved_database_url).render_as_string(hide_password=True)
