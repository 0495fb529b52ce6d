"""Helpers for the scale-path tests: send a batch to the workers, wait, read results back."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import select

from qa_service.ingest import IngestOptions, IngestReport, ingest_paths
from qa_service.settings import Settings
from qa_service.store import calls, results
from qa_service.store.db import unit_of_work
from qa_service.store.models import Call, ProcessingAttempt
from qa_service.store.states import Stage
from workers.app import create_app
from workers.dispatch import CeleryDispatcher


def ingest_and_send(settings: Settings, paths: list[Path],
                    options: IngestOptions = IngestOptions()) -> IngestReport:
    report = ingest_paths(settings, paths, options)
    dispatcher = CeleryDispatcher(create_app(settings))
    for call_id in report.accepted:
        dispatcher.send(call_id, Stage.TRANSCRIBE)
    return report


def states(settings: Settings) -> dict[str, str]:
    with unit_of_work(settings) as s:
        return {c.call_id: c.state for c in s.scalars(select(Call))}


def wait_finished(settings: Settings, ids: list[str], timeout: float,
                  workers: Sequence[Any] = ()) -> dict[str, str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = states(settings)
        if all(now.get(i) in ("done", "failed") for i in ids):
            return now
        time.sleep(0.5)
    logs = "\n".join(f"--- {w.name}\n{w.log_text()[-3000:]}" for w in workers)
    raise AssertionError(f"not finished after {timeout} s: {Counter(states(settings).values())}\n{logs}")


def succeeded_per_stage(settings: Settings) -> Counter[tuple[str, str]]:
    """(call id, stage) → number of succeeded attempts (must be exactly 1 each)."""
    with unit_of_work(settings) as s:
        rows = s.execute(select(Call.call_id, ProcessingAttempt.stage)
                         .join(Call, Call.id == ProcessingAttempt.call_pk)
                         .where(ProcessingAttempt.outcome == "succeeded")).all()
    return Counter((c, st) for c, st in rows)


def snapshots(settings: Settings, ids: list[str]) -> dict[str, Any]:
    with unit_of_work(settings) as s:
        return {i: results.snapshot(s, calls.get(s, i).id) for i in ids}
