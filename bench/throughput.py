"""Throughput of the scale path on this machine: calls per hour and audio-hours per hour with 1 and 2
Celery workers (Redis broker + PostgreSQL, the real pipeline).

    .venv/bin/python bench/throughput.py [--calls 20] [--workers 1 2] [--threads N] [--backend M:F]

Each run gets a fresh PostgreSQL database and a private redis-server; the calls are distinct 6-10 s
cuts of the sample calls (qa_service.ingest.synthetic). Workers warm up (load their models) on a few
calls first; the figure is for the measured batch only. ``--threads`` is the CPU threads per worker
(default: CPU count / workers, so runs use the same cores). ``--backend`` is the
``QA_ANALYSIS_BACKEND`` seam (default: the production pipeline).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from qa_service.ingest import IngestOptions, ingest_paths
from qa_service.ingest.synthetic import make_batch
from qa_service.settings import PROJECT_ROOT, Settings
from qa_service.store import calls as call_store
from qa_service.store.db import dispose_engines, unit_of_work
from qa_service.store.migrate import upgrade
from qa_service.store.scratch import ensure_local_services, port_open, scratch_database
from qa_service.store.states import Stage
from workers.app import create_app
from workers.dispatch import CeleryDispatcher
from workers.fleet import start_worker, wait_ready


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _send(settings: Settings, sidecar: Path) -> list[str]:
    report = ingest_paths(settings, [], IngestOptions(sidecar=sidecar))
    dispatcher = CeleryDispatcher(create_app(settings))
    for call_id in report.accepted:
        dispatcher.send(call_id, Stage.TRANSCRIBE)
    return report.accepted


def _wait(settings: Settings, n_total: int, timeout: float) -> dict[str, int]:
    """Until ``n_total`` calls are done or failed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with unit_of_work(settings) as s:
            counts = call_store.count_by_state(s)
        if counts.get("done", 0) + counts.get("failed", 0) >= n_total:
            return counts
        time.sleep(0.5)
    raise TimeoutError(f"not finished after {timeout:.0f} s: {counts}")


def run(n_workers: int, threads: int, n_calls: int, backend: str, work: Path,
        extra_path: str) -> dict[str, float]:
    port = _free_port()
    redis = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                              "--appendonly", "no", "--dir", str(work)], stdout=subprocess.DEVNULL)
    while not port_open("127.0.0.1", port):
        time.sleep(0.1)
    try:
        with scratch_database("qa_bench") as url:
            data = work / f"data-{n_workers}"
            env = {"QA_DATABASE_URL": url, "QA_BROKER_URL": f"redis://127.0.0.1:{port}/0",
                   "QA_DATA_DIR": str(data), "QA_ANALYSIS_BACKEND": backend, "QA_CPU_THREADS": str(threads),
                   "QA_LEASE_TIMEOUT_S": "300", "PYTHONPATH": extra_path}
            settings = Settings(database_url=url, broker_url=env["QA_BROKER_URL"], data_dir=data,
                                analysis_backend=backend, cpu_threads=threads)
            upgrade(settings)
            fleet = [start_worker(f"bench{i}", env, work / "logs") for i in range(n_workers)]
            try:
                wait_ready(env["QA_BROKER_URL"], fleet)
                warm = make_batch(PROJECT_ROOT / "sample_audio", work / f"warm-{n_workers}", 2 * n_workers,
                                  min_s=6.0, max_s=6.0, prefix="warm")
                n_warm = len(_send(settings, warm.sidecar))
                _wait(settings, n_warm, 600)
                batch = make_batch(PROJECT_ROOT / "sample_audio", work / "batch", n_calls)
                began = time.perf_counter()
                sent = _send(settings, batch.sidecar)
                if len(sent) != n_calls:
                    raise RuntimeError(f"only {len(sent)} of {n_calls} calls were accepted")
                counts = _wait(settings, n_warm + n_calls, 60 * n_calls)
                seconds = time.perf_counter() - began
            finally:
                for w in fleet:
                    w.stop(timeout=30)
                dispose_engines()
    finally:
        redis.kill()
        redis.wait()
    return {"workers": n_workers, "threads": threads, "calls": n_calls, "audio_s": batch.audio_seconds,
            "seconds": seconds, "failed": counts.get("failed", 0),
            "calls_per_hour": n_calls * 3600 / seconds,
            "audio_hours_per_hour": batch.audio_seconds / seconds}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--threads", type=int, default=0, help="CPU threads per worker (0: cores / workers)")
    parser.add_argument("--backend", default="", help="QA_ANALYSIS_BACKEND (default: production)")
    parser.add_argument("--pythonpath", default="", help="extra PYTHONPATH for the workers (for --backend)")
    args = parser.parse_args()
    ensure_local_services()
    cores = os.cpu_count() or 1
    rows = []
    with tempfile.TemporaryDirectory(prefix="qa-bench-") as tmp:
        for n in args.workers:
            threads = args.threads or max(1, cores // n)
            print(f"running {n} worker(s) x {threads} thread(s) on {args.calls} calls ...", flush=True)
            rows.append(run(n, threads, args.calls, args.backend, Path(tmp), args.pythonpath))
    print(f"\nmachine: {cores} CPU cores, load average {os.getloadavg()[0]:.1f}")
    print(f"{'workers':>7} {'threads':>7} {'calls':>5} {'audio s':>8} {'wall s':>7} {'calls/h':>8} "
          f"{'audio-h/h':>9} {'failed':>6}")
    for r in rows:
        print(f"{r['workers']:>7} {r['threads']:>7} {r['calls']:>5} {r['audio_s']:>8.1f} "
              f"{r['seconds']:>7.1f} {r['calls_per_hour']:>8.0f} {r['audio_hours_per_hour']:>9.2f} "
              f"{r['failed']:>6}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
