"""Shared fixtures. Tests never touch the developer's real data directory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from qa_service.settings import PROJECT_ROOT, Settings, get_settings


@pytest.fixture(autouse=True)
def _isolated_settings(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Point the process settings at a temporary data dir (models stay in the shared cache)."""
    data_dir = tmp_path_factory.mktemp("qa-data")
    monkeypatch.setenv("QA_DATA_DIR", str(data_dir))
    monkeypatch.setenv("QA_MODEL_CACHE_DIR", str(PROJECT_ROOT / "var" / "models"))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, model_cache_dir=PROJECT_ROOT / "var" / "models")
