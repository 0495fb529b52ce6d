"""The API under test: the real app on SQLite and on PostgreSQL, seeded with users of every role and
a few scored calls (tests/api/seed.py), signed in through the real log-in route."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent))

from seed import PASSWORD, seed

from api import create_app
from qa_service.services.context import ServiceContext
from qa_service.settings import Settings
from qa_service.store.db import dispose_engines, get_engine
from qa_service.store.migrate import upgrade
from qa_service.store.models import Base


@pytest.fixture(scope="session")
def api_pg_url() -> Iterator[str]:
    from qa_service.store.scratch import scratch_database

    with scratch_database("qa_test_api") as url:
        yield url
        dispose_engines()


def _truncate(settings: Settings) -> None:
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with get_engine(settings).begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.services)])
def api_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    base = {"data_dir": tmp_path / "data", "calibration_sample_rate": 0.0, "login_max_failures": 3}
    if request.param == "sqlite":
        settings = Settings(**base)  # type: ignore[arg-type]
    else:
        settings = Settings(**base, database_url=request.getfixturevalue("api_pg_url"))  # type: ignore[arg-type]
    upgrade(settings)
    if request.param == "postgresql":
        _truncate(settings)
    seed(ServiceContext(settings), tmp_path / "audio_in")
    yield settings
    dispose_engines()


@pytest.fixture
def client(api_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(api_settings, start_worker=False), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def token_of(client: TestClient) -> Callable[[str], dict[str, str]]:
    cache: dict[str, dict[str, str]] = {}

    def headers(username: str) -> dict[str, str]:
        if username not in cache:
            r = client.post("/auth/token", data={"username": username, "password": PASSWORD})
            assert r.status_code == 200, r.text
            cache[username] = {"Authorization": f"Bearer {r.json()['access_token']}"}
        return cache[username]

    return headers


@pytest.fixture
def centre(api_settings: Settings, tmp_path: Path) -> Settings:
    """The API's settings with the varied statistics data set (tests/api/seed_centre.py) added."""
    from seed_centre import seed_centre

    seed_centre(ServiceContext(api_settings), tmp_path / "centre_audio")
    return api_settings


@pytest.fixture
def sql(centre: Settings) -> Callable[..., list[tuple[object, ...]]]:
    """Plain SQL on the test database, for recounting what the API reports."""

    def run(query: str, **params: object) -> list[tuple[object, ...]]:
        with get_engine(centre).connect() as conn:
            return [tuple(r) for r in conn.execute(text(query), params)]

    return run
