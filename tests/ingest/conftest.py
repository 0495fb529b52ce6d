from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "services"))

from svc_support import write_wav

from qa_service.settings import Settings
from qa_service.store.db import dispose_engines


@pytest.fixture
def wav() -> Callable[..., Path]:
    return write_wav


@pytest.fixture
def ingest_settings(tmp_path: Path) -> Settings:
    from qa_service.store.migrate import upgrade

    settings = Settings(data_dir=tmp_path / "data", customer_ref_salt="pepper")
    upgrade(settings)
    yield settings  # type: ignore[misc]
    dispose_engines()
