from __future__ import annotations

import wave
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from qa_service.settings import Settings
from qa_service.store.db import dispose_engines


def write_wav(path: Path, seed: int, seconds: float = 1.0, channels: int = 2, rate: int = 16000) -> Path:
    """A short noise+tone recording whose bytes depend on ``seed``."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * rate)) / rate
    tone = 0.2 * np.sin(2 * np.pi * (200 + seed) * t)
    data = np.stack([tone + 0.01 * rng.standard_normal(t.size) for _ in range(channels)], axis=1)
    pcm = (np.clip(data, -1, 1) * 32767).astype("<i2")
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())
    return path


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
