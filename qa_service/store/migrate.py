"""Alembic, configured in code (no alembic.ini needed): ``qa-service db upgrade`` on SQLite or PostgreSQL.

Developers make a new revision with::

    .venv/bin/python -m qa_service.store.migrate revision -m "add x"   # autogenerate vs. a scratch SQLite
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection

from qa_service.errors import ConfigError, StorageUnavailable
from qa_service.settings import Settings
from qa_service.store.db import get_engine, is_unavailable

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str) -> Config:
    with _quiet():
        from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def _config_with_connection(connection: Connection) -> Config:
    cfg = alembic_config(str(connection.engine.url))
    cfg.attributes["connection"] = connection
    return cfg


@contextmanager
def _quiet() -> Iterator[None]:
    """Alembic logs every context and plugin at INFO; keep the CLI's output to what matters."""
    logger = logging.getLogger("alembic")
    level = logger.level
    if logger.getEffectiveLevel() >= logging.INFO:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def upgrade(settings: Settings, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (creates everything on an empty database)."""
    with _quiet(), get_engine(settings).begin() as conn:
        from alembic import command

        command.upgrade(_config_with_connection(conn), revision)


def downgrade(settings: Settings, revision: str) -> None:
    with _quiet(), get_engine(settings).begin() as conn:
        from alembic import command

        command.downgrade(_config_with_connection(conn), revision)


def head_revision() -> str:
    with _quiet():
        from alembic.script import ScriptDirectory

        head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None
    return head


def current_revision(settings: Settings) -> str | None:
    from sqlalchemy.exc import DBAPIError

    try:
        with _quiet(), get_engine(settings).connect() as conn:
            from alembic.runtime.migration import MigrationContext

            return MigrationContext.configure(conn).get_current_revision()
    except DBAPIError as exc:
        if is_unavailable(exc):
            raise StorageUnavailable(f"database unavailable: {str(exc.orig or exc).strip().splitlines()[0]}",
                                     setting="database_url") from exc
        raise


def require_current(settings: Settings) -> None:
    """Raise :class:`ConfigError` unless the schema is at head (workers check this at start)."""
    current = current_revision(settings)
    if current != head_revision():
        raise ConfigError(
            f"database schema is at {current or 'nothing'}, expected {head_revision()}: "
            "run `qa-service db upgrade`", setting="database_url")


def ensure_schema(settings: Settings) -> None:
    """The embedded default upgrades its SQLite file itself; a server database must be upgraded
    explicitly with ``qa-service db upgrade``."""
    if settings.resolved_database_url.startswith("sqlite"):
        if current_revision(settings) != head_revision():
            upgrade(settings)
    else:
        require_current(settings)


def _revision(argv: list[str]) -> None:  # pragma: no cover - developer tool
    import argparse
    import tempfile

    parser = argparse.ArgumentParser(prog="migrate revision")
    parser.add_argument("-m", "--message", required=True)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp))
        upgrade(settings)
        with get_engine(settings).begin() as conn:
            from alembic import command

            command.revision(_config_with_connection(conn), message=args.message, autogenerate=True)


if __name__ == "__main__":  # pragma: no cover
    if sys.argv[1:2] == ["revision"]:
        _revision(sys.argv[2:])
