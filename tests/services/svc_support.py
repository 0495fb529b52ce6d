"""Helpers shared by the service and worker tests (this folder is put on sys.path by their conftests)."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

FAKE_BACKEND = "fake_backend:create_backend"
HERE = Path(__file__).resolve().parent


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


def write_corrupt(path: Path) -> Path:
    """A file named like audio whose content is not audio."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"RIFF\x00\x00\x00\x00WAVEfmt garbage " + bytes(range(200)))
    return path


def write_rubric(directory: Path, version: str) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "fake_rubric.yaml").write_text(f"id: fake_rubric\nversion: '{version}'\n", encoding="utf-8")
