"""Integration on the scale path with the real pipeline: 100 distinct short calls (3-4 s cut from the
sample calls, each with its own audio hash) through two Celery workers on Redis + PostgreSQL, every
one completed with results identical to the embedded path (SQLite + local worker) on the same files.

``QA_IT_CALLS`` changes the number of calls (default 100).
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from scale_support import ingest_and_send, snapshots, succeeded_per_stage, wait_finished

from qa_service.ingest import IngestOptions, ingest_paths
from qa_service.ingest.synthetic import make_batch
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
    batch = make_batch(PROJECT_ROOT / "sample_audio", tmp_path / "batch", N_CALLS, min_s=3.0, max_s=4.0)
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

    # the embedded default as a user runs it: `qa-service process` in a process of its own (SQLite, every
    # core), so nothing this test process loaded for earlier tests can make it differ
    embedded_settings = Settings(data_dir=tmp_path / "embedded", rubric_dir=Path(rubrics),
                                 analysis_backend=INTEGRATION_BACKEND)
    upgrade(embedded_settings)
    began = time.perf_counter()
    ingest_paths(embedded_settings, [], IngestOptions(sidecar=batch.sidecar))
    dispose_engines()
    cli_env = {k: v for k, v in os.environ.items() if not k.startswith("QA_") or k == "QA_MODEL_CACHE_DIR"}
    cli_env.update({"QA_DATA_DIR": str(embedded_settings.data_dir), "QA_RUBRIC_DIR": rubrics,
                    "QA_ANALYSIS_BACKEND": INTEGRATION_BACKEND})
    run = subprocess.run([str(Path(sys.executable).with_name("qa-service")), "process"], env=cli_env,
                         capture_output=True, text=True, timeout=30 + 6 * N_CALLS, check=False)
    embedded_s = time.perf_counter() - began
    assert run.returncode == 0 and f"{N_CALLS} calls done, 0 failed" in run.stdout, run.stdout + run.stderr[-3000:]
    embedded = snapshots(embedded_settings, report.accepted)
    dispose_engines()

    logging.getLogger(__name__).warning(
        "%d calls, %.3f audio-hours: two workers %.0f s, embedded %.0f s", N_CALLS,
        batch.audio_seconds / 3600, scale_s, embedded_s)
    assert all(s["rubric"] is not None and s["classification"] is not None for s in scaled.values())
    mismatched = [c for c in report.accepted if _comparable(scaled[c]) != _comparable(embedded[c])]
    assert mismatched == [], _first_difference(_comparable(scaled[mismatched[0]]), _comparable(embedded[mismatched[0]]))


def _first_difference(a: Any, b: Any, path: str = "") -> str:
    """Where two snapshots first differ, for the failure message."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b), key=str):
            if a.get(key) != b.get(key):
                return _first_difference(a.get(key), b.get(key), f"{path}.{key}")
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            if x != y:
                return _first_difference(x, y, f"{path}[{i}]")
    return f"{path}: {a!r:.300} != {b!r:.300}"
