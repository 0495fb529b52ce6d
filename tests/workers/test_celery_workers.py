"""The scale path with real Celery workers (subprocesses) on Redis + PostgreSQL, and its faults:
a worker SIGKILLed mid-call, the broker restarted mid-run, the database briefly unavailable, a
corrupt file in the batch, the same batch ingested twice. The analysis backend is the deterministic
fake (tests/services/fake_backend.py): the queueing machinery is the point here; the real pipeline
runs in test_integration_100.py."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from scale_support import ingest_and_send, snapshots, states, succeeded_per_stage, wait_finished
from sqlalchemy import func, select
from svc_support import write_corrupt, write_wav

from qa_service.ingest import ingest_paths
from qa_service.services.context import ServiceContext
from qa_service.services.local_worker import run_local
from qa_service.settings import Settings
from qa_service.store import calls
from qa_service.store.db import dispose_engines, unit_of_work
from qa_service.store.migrate import upgrade
from qa_service.store.models import Call, ProcessingAttempt, Transcript, UtteranceRow

pytestmark = pytest.mark.services


def batch(folder: Path, n: int, seed: int = 0) -> list[Path]:
    return [write_wav(folder / f"call{seed + i:03d}_AGENT_10{i % 4}_DT_20261102T{8 + i % 9:02d}0000.wav",
                      seed=seed + i) for i in range(n)]


def embedded_snapshots(tmp_path: Path, scale_settings: Settings, paths: list[Path]) -> dict[str, Any]:
    """The same files through the embedded default (SQLite + local worker)."""
    settings = Settings(data_dir=tmp_path / "embedded", rubric_dir=scale_settings.rubric_dir,
                        analysis_backend=scale_settings.analysis_backend)
    upgrade(settings)
    report = ingest_paths(settings, paths)
    run_local(ServiceContext(settings))
    out = snapshots(settings, report.accepted)
    dispose_engines()
    return out


def test_two_workers_match_the_embedded_path_and_survive_bad_input(scale: Any, fleet: Callable[..., Any],
                                                                   tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    paths = batch(folder, 12)
    write_corrupt(folder / "corrupt_AGENT_100_DT_20261102T120000.wav")
    workers = fleet(2, QA_FAKE_DELAY_S="0.3")
    report = ingest_and_send(scale.settings, [folder])
    assert len(report.accepted) == 13
    final = wait_finished(scale.settings, report.accepted, 90, workers)
    assert final.pop("corrupt_AGENT_100_DT_20261102T120000") == "failed"
    assert set(final.values()) == {"done"}
    with unit_of_work(scale.settings) as s:
        bad = calls.get(s, "corrupt_AGENT_100_DT_20261102T120000")
        assert bad.failure_kind == "AudioDecodeError" and "cannot decode audio" in (bad.failure_reason or "")
        owners = {a.lease_owner.split(":")[1] for a in s.scalars(select(ProcessingAttempt))}
    assert owners == {str(w.pid) for w in workers}  # both workers took calls
    good = sorted(final)
    assert set(succeeded_per_stage(scale.settings).values()) == {1}
    assert snapshots(scale.settings, good) == embedded_snapshots(tmp_path, scale.settings, paths)
    # the same batch again: every file rejected as a duplicate, no new rows, no new work
    again = ingest_and_send(scale.settings, [folder])
    assert again.accepted == [] and len(again.rejected) == 13
    with unit_of_work(scale.settings) as s:
        assert s.scalar(select(func.count()).select_from(Call)) == 13
        assert s.scalar(select(func.count()).select_from(Transcript)) == 12
        assert s.scalar(select(func.count()).select_from(UtteranceRow)) == 48


def test_worker_killed_mid_call_the_call_completes_once(scale: Any, fleet: Callable[..., Any],
                                                        tmp_path: Path) -> None:
    [victim] = fleet(1, prefix="victim", QA_FAKE_DELAY_S="8")
    report = ingest_and_send(scale.settings, batch(tmp_path / "b", 1))
    call_id = report.accepted[0]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # wait until the victim is in the middle of the call
        with unit_of_work(scale.settings) as s:
            call = calls.get(s, call_id)
            mine = f":{victim.pid}:" in (call.lease_owner or "")
            if call.state == "processing" and call.progress >= 20 and mine:
                break
        time.sleep(0.2)
    else:
        pytest.fail(f"the call never got going:\n{victim.log_text()[-3000:]}")
    assert call.step == "transcribe"  # per-call progress is visible while it runs
    victim.kill()  # SIGKILL, no warm shutdown
    victim.proc.wait(10)
    rescuer = fleet(1, prefix="rescuer")
    assert wait_finished(scale.settings, [call_id], 60, [victim, *rescuer])[call_id] == "done"
    with unit_of_work(scale.settings) as s:
        rows = s.scalars(select(ProcessingAttempt).order_by(ProcessingAttempt.id))
        attempts = [(a.stage, a.outcome) for a in rows]
        assert s.scalar(select(func.count()).select_from(UtteranceRow)) == 4
    assert attempts == [("transcribe", "abandoned"), ("transcribe", "succeeded"), ("assess", "succeeded")]


def test_broker_restart_mid_run_loses_nothing(scale: Any, fleet: Callable[..., Any], tmp_path: Path) -> None:
    workers = fleet(2, QA_FAKE_DELAY_S="0.5")
    report = ingest_and_send(scale.settings, batch(tmp_path / "b", 16))
    deadline = time.monotonic() + 30
    while Counter(states(scale.settings).values())["done"] < 3 and time.monotonic() < deadline:
        time.sleep(0.2)
    scale.broker.stop()  # no persistence: every queued message is lost
    time.sleep(2)
    scale.broker.start()
    final = wait_finished(scale.settings, report.accepted, 120, workers)
    assert set(final.values()) == {"done"}
    assert set(succeeded_per_stage(scale.settings).values()) == {1}
    assert len(succeeded_per_stage(scale.settings)) == 32
    assert "raised unexpected" not in "".join(w.log_text() for w in workers)


def test_database_briefly_unavailable_retries_and_loses_nothing(scale: Any, fleet: Callable[..., Any],
                                                                tcp_proxy: Callable[[int], Any],
                                                                tmp_path: Path) -> None:
    from sqlalchemy.engine import make_url

    url = make_url(scale.env["QA_DATABASE_URL"])
    proxy = tcp_proxy(url.port or 5432)
    proxied = url.set(port=proxy.port).render_as_string(hide_password=False)
    workers = fleet(2, QA_FAKE_DELAY_S="0.5", QA_DATABASE_URL=proxied)
    report = ingest_and_send(scale.settings, batch(tmp_path / "b", 16))
    deadline = time.monotonic() + 30
    while Counter(states(scale.settings).values())["done"] < 3 and time.monotonic() < deadline:
        time.sleep(0.2)
    proxy.cut()
    time.sleep(5)
    proxy.restore()
    final = wait_finished(scale.settings, report.accepted, 120, workers)
    assert set(final.values()) == {"done"}
    assert set(succeeded_per_stage(scale.settings).values()) == {1}
    logs = "".join(w.log_text() for w in workers)
    assert "database unavailable" in logs  # the outage was felt and retried
    assert "raised unexpected" not in logs  # ... and no task gave up on it
