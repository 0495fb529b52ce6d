"""Store tests run on SQLite and on a fresh PostgreSQL database (created for the session, dropped after)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from qa_service.settings import Settings
from qa_service.store.db import dispose_engines, get_engine
from qa_service.store.migrate import upgrade
from qa_service.store.models import Base


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    from qa_service.store.scratch import scratch_database

    with scratch_database("qa_test_store") as url:
        yield url
        dispose_engines()


def _truncate(settings: Settings) -> None:
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with get_engine(settings).begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.services)])
def db_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    """Migrated settings on each backend (PostgreSQL: one database per session, emptied per test)."""
    if request.param == "sqlite":
        settings = Settings(data_dir=tmp_path)
        upgrade(settings)
        yield settings
        dispose_engines()
        return
    url = request.getfixturevalue("pg_url")
    settings = Settings(data_dir=tmp_path, database_url=url)
    upgrade(settings)
    _truncate(settings)
    yield settings
