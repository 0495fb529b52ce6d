"""What a service function needs, built lazily from settings: sessions, the audio store, the backend."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.orm import Session

from qa_service.services.backend import AnalysisBackend, get_backend
from qa_service.settings import Settings
from qa_service.store.audio_store import AudioStore
from qa_service.store.db import unit_of_work


@dataclass(frozen=True)
class ServiceContext:
    settings: Settings

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: commits once at the end (see store.db.unit_of_work)."""
        with unit_of_work(self.settings) as session:
            yield session

    @property
    def audio_store(self) -> AudioStore:
        return AudioStore(self.settings.resolved_audio_store_dir)

    @property
    def backend(self) -> AnalysisBackend:
        return get_backend(self.settings)


def new_owner() -> str:
    """A lease-owner token: ``host:pid:random`` (the sweeper checks same-host pids for liveness)."""
    return f"{socket.gethostname()[:80]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def owner_is_dead(owner: str | None) -> bool:
    """True only when the owner ran on this host and its process no longer exists."""
    parts = (owner or "").rsplit(":", 2)
    if len(parts) != 3 or parts[0] != socket.gethostname()[:80] or not parts[1].isdigit():
        return False
    try:
        os.kill(int(parts[1]), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
