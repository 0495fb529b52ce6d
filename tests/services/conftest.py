from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from svc_support import FAKE_BACKEND, write_rubric

from qa_service.services.context import ServiceContext
from qa_service.settings import Settings
from qa_service.store.db import dispose_engines
from qa_service.store.migrate import upgrade


@pytest.fixture
def svc_settings(tmp_path: Path) -> Iterator[Settings]:
    """Embedded settings (SQLite in tmp) with the fake analysis backend and a one-file rubric folder."""
    write_rubric(tmp_path / "rubrics", "1")
    settings = Settings(data_dir=tmp_path / "data", rubric_dir=tmp_path / "rubrics",
                        analysis_backend=FAKE_BACKEND, lease_timeout_s=30, retry_backoff_s=0.01)
    upgrade(settings)
    yield settings
    dispose_engines()


@pytest.fixture
def svc(svc_settings: Settings) -> ServiceContext:
    return ServiceContext(svc_settings)
