"""Migrations from empty to head on SQLite and PostgreSQL, in step with the ORM models."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from qa_service.errors import ConfigError
from qa_service.settings import Settings
from qa_service.store.backend_only import include_name
from qa_service.store.db import dispose_engines, get_engine, unit_of_work
from qa_service.store.migrate import current_revision, downgrade, ensure_schema, head_revision, upgrade
from qa_service.store.models import AuditEvent, Base


def _settings(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> Settings:
    if kind == "sqlite":
        return Settings(data_dir=tmp_path)
    from qa_service.store.scratch import create_database, drop_database

    url = create_database("qa_test_migr")

    def _drop() -> None:
        dispose_engines()
        drop_database(url)

    request.addfinalizer(_drop)
    return Settings(data_dir=tmp_path, database_url=url)


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgresql", marks=pytest.mark.services)])
def test_upgrade_from_empty_matches_models_and_downgrades(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    settings = _settings(kind, tmp_path, request)
    assert current_revision(settings) is None
    upgrade(settings)
    assert current_revision(settings) == head_revision()
    with get_engine(settings).connect() as conn:
        opts = {"compare_type": True, "include_name": include_name}  # per-backend search objects left out
        diff = compare_metadata(MigrationContext.configure(conn, opts=opts), Base.metadata)
        assert diff == []
        assert set(inspect(conn).get_table_names()) >= {t.name for t in Base.metadata.sorted_tables}
    downgrade(settings, "base")
    with get_engine(settings).connect() as conn:
        assert [t for t in inspect(conn).get_table_names() if t != "alembic_version"] == []
    upgrade(settings)
    assert current_revision(settings) == head_revision()
    dispose_engines()


def test_audit_log_is_append_only(db_settings: Settings) -> None:
    with unit_of_work(db_settings) as s:
        s.add(AuditEvent(action="view", detail={"x": 1}))
    with pytest.raises(DBAPIError, match="append-only"), unit_of_work(db_settings) as s:
        s.execute(text("UPDATE audit_log SET action = 'listen'"))
    with pytest.raises(DBAPIError, match="append-only"), unit_of_work(db_settings) as s:
        s.execute(text("DELETE FROM audit_log"))
    with unit_of_work(db_settings) as s:
        assert s.query(AuditEvent).count() == 1


def test_embedded_sqlite_upgrades_itself_but_a_server_database_must_be_upgraded(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    ensure_schema(settings)  # SQLite: creates the schema
    assert current_revision(settings) == head_revision()
    other = Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'other.db'}")
    from qa_service.store import migrate

    with pytest.raises(ConfigError, match="qa-service db upgrade"):
        migrate.require_current(other)
    dispose_engines()
