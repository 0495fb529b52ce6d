from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from qa_service.errors import NotFound
from qa_service.store.audio_store import AudioStore


def test_content_addressed_put_is_idempotent_and_verifiable(tmp_path: Path) -> None:
    store = AudioStore(tmp_path / "audio")
    src = tmp_path / "a.wav"
    src.write_bytes(b"RIFF" + bytes(range(256)) * 10)
    first = store.put_file(src)
    assert first.sha256 == hashlib.sha256(src.read_bytes()).hexdigest()
    assert first.path == tmp_path / "audio" / first.sha256[:2] / first.sha256[2:4] / first.sha256
    assert first.path.read_bytes() == src.read_bytes()
    again = store.put_bytes(src.read_bytes())
    assert again == first
    assert store.verify(first.sha256)
    assert list((tmp_path / "audio" / ".tmp").iterdir()) == []  # no temp files left behind
    first.path.write_bytes(b"tampered")
    assert not store.verify(first.sha256)


def test_missing_audio_is_not_found(tmp_path: Path) -> None:
    store = AudioStore(tmp_path)
    with pytest.raises(NotFound, match="missing from the audio store"):
        store.open_path("0" * 64)
    with pytest.raises(ValueError):
        store.path_for("../../etc/passwd")
