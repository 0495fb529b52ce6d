"""Integration on the scale path with the real pipeline: 100 distinct short calls (6-8 s cut from the
sample calls, each with its own audio hash) through two Celery workers on Redis + PostgreSQL, every
one completed with results identical to the embedded path (SQLite + local worker) on the same files.

``QA_IT_CALLS`` changes the number of calls (default 100).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from scale_support import ingest_and_send, snapshots, succeeded_per_stage, wait_finished

from qa_service.ingest import IngestOptions, ingest_paths
from qa_service.ingest.synthetic import make_batch
from qa_service.services.context import ServiceContext
from qa_service.services.local_worker import run_local
from qa_service.settings import PROJECT_ROOT, Settings
from qa_service.store.db import dispose_engines
from qa_service.store.migrate import upgrade

pytestmark = [pytest.mark.services, pytest.mark.models]

#: The production backend: the real speech pipeline, rubrics and the trained call classifier.
INTEGRATION_BACKEND = ""
WORKERS_DIR = Path(__file__).resolve().parent
N_CALLS = int(os.environ.get("QA_IT_CALLS", "100"))


def _comparable(snap: dict[str, Any]) -> dict[str, Any]:
    """Results without the per-process thread count the speech stage records in the transcript meta."""
    transcript = dict(snap["transcript"])
    transcript["meta"] = [kv for kv in transcript["meta"] if kv[0] != "threads"]
    return {**snap, "transcript": transcript}


def test_100_calls_through_two_workers_match_the_embedded_path(scale: Any, fleet: Callable[..., Any],
                                                               tmp_path: Path) -> None:
    batch = make_batch(PROJECT_ROOT / "sample_audio", tmp_path / "batch", N_CALLS, min_s=6.0, max_s=8.0)
    assert len(set(batch.call_ids)) == N_CALLS
    rubrics = str(PROJECT_ROOT / "rubrics")
    env = {"QA_ANALYSIS_BACKEND": INTEGRATION_BACKEND, "QA_RUBRIC_DIR": rubrics, "QA_CPU_THREADS": "1",
           "QA_LEASE_TIMEOUT_S": "120",
           "PYTHONPATH": os.pathsep.join([str(WORKERS_DIR), scale.env["PYTHONPATH"]])}
    settings = scale.settings.model_copy(update={"analysis_backend": INTEGRATION_BACKEND,
                                                 "rubric_dir": Path(rubrics)})
    began = time.perf_counter()
    workers = fleet(2, **env)
    report = ingest_and_send(settings, [], IngestOptions(sidecar=batch.sidecar))
    assert len(report.accepted) == N_CALLS, report.rejected
    final = wait_finished(settings, report.accepted, 30 + 6 * N_CALLS, workers)
    scale_s = time.perf_counter() - began
    assert [c for c, st in final.items() if st != "done"] == []
    assert set(succeeded_per_stage(settings).values()) == {1}
    scaled = snapshots(settings, report.accepted)
    for w in workers:
        w.stop()

    embedded_settings = Settings(data_dir=tmp_path / "embedded", rubric_dir=Path(rubrics), cpu_threads=2,
                                 analysis_backend=INTEGRATION_BACKEND)
    upgrade(embedded_settings)
    began = time.perf_counter()
    ingest_paths(embedded_settings, [], IngestOptions(sidecar=batch.sidecar))
    summary = run_local(ServiceContext(embedded_settings))
    embedded_s = time.perf_counter() - began
    assert summary.failed == [] and len(summary.done) == N_CALLS
    embedded = snapshots(embedded_settings, report.accepted)
    dispose_engines()

    logging.getLogger(__name__).warning(
        "%d calls, %.3f audio-hours: two workers %.0f s, embedded %.0f s", N_CALLS,
        batch.audio_seconds / 3600, scale_s, embedded_s)
    assert all(s["rubric"] is not None and s["classification"] is not None for s in scaled.values())
    mismatched = [c for c in report.accepted if _comparable(scaled[c]) != _comparable(embedded[c])]
    assert mismatched == []
