"""The sweeper: stuck calls back to the queue, lost messages re-sent, hopeless calls failed."""

from __future__ import annotations

import socket
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from svc_support import write_wav

from qa_service.ingest import ingest_paths
from qa_service.services.context import ServiceContext
from qa_service.services.local_worker import run_local
from qa_service.services.sweep import sweep
from qa_service.store import calls, leases
from qa_service.store.states import Stage
from qa_service.store.types import utcnow


class Recorder:
    def __init__(self, backlog: int | None) -> None:
        self.sent: list[tuple[str, Stage]] = []
        self._backlog = backlog

    def send(self, call_id: str, stage: Stage) -> None:
        self.sent.append((call_id, stage))

    def backlog(self, stage: Stage) -> int | None:
        return self._backlog


def _one_call(svc: ServiceContext, tmp_path: Path, name: str = "c1") -> str:
    write_wav(tmp_path / "in" / f"{name}.wav", seed=len(name) + ord(name[-1]))
    return ingest_paths(svc.settings, [tmp_path / "in" / f"{name}.wav"]).accepted[0]


def _claim(svc: ServiceContext, call_id: str, owner: str, lease_s: float) -> None:
    with svc.session() as s:
        assert leases.claim(s, calls.get(s, call_id), Stage.TRANSCRIBE, owner, lease_s=lease_s, now=utcnow(),
                            pipeline_version="x") is not None


def test_expired_lease_of_a_lost_worker_is_requeued_and_completes(svc: ServiceContext,
                                                                  tmp_path: Path) -> None:
    cid = _one_call(svc, tmp_path)
    _claim(svc, cid, "otherhost:4242:abcd", lease_s=30)
    rec = Recorder(backlog=1)
    assert sweep(svc, rec).requeued == []  # the lease is live: leave it
    report = sweep(svc, rec, now=utcnow() + timedelta(seconds=31))
    assert report.requeued == [cid] and rec.sent == [(cid, Stage.TRANSCRIBE)]
    assert run_local(svc).done == [cid]


def test_a_dead_process_on_this_host_is_noticed_before_its_lease_expires(svc: ServiceContext,
                                                                         tmp_path: Path) -> None:
    cid = _one_call(svc, tmp_path)
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True)
    _claim(svc, cid, f"{socket.gethostname()[:80]}:{gone.stdout.strip()}:dead", lease_s=600)
    assert sweep(svc, Recorder(None)).requeued == [cid]


def test_a_call_that_loses_its_worker_every_time_is_failed(svc: ServiceContext, tmp_path: Path) -> None:
    cid = _one_call(svc, tmp_path)
    late = utcnow() + timedelta(hours=1)
    for attempt in range(1, svc.settings.max_attempts + 1):
        _claim(svc, cid, f"otherhost:{attempt}:x", lease_s=1)
        report = sweep(svc, Recorder(None), now=late)
        if attempt < svc.settings.max_attempts:
            assert report.requeued == [cid]
    assert report.failed == [cid]
    with svc.session() as s:
        call = calls.get(s, cid)
        assert call.state == "failed"
        assert "gave up after 3 attempts at transcribe" in (call.failure_reason or "")


def test_queued_calls_are_resent_when_the_broker_queue_is_empty(svc: ServiceContext, tmp_path: Path) -> None:
    cid = _one_call(svc, tmp_path)
    soon = utcnow() + timedelta(seconds=svc.settings.queue_grace_s + 1)
    assert sweep(svc, Recorder(backlog=3), now=soon).resent == []  # messages are waiting: trust them
    empty = Recorder(backlog=0)
    assert sweep(svc, empty, now=soon).resent == [cid] and empty.sent == [(cid, Stage.TRANSCRIBE)]
    assert sweep(svc, Recorder(backlog=0), now=soon).resent == []  # re-sent once per grace period
    much_later = soon + timedelta(seconds=svc.settings.requeue_after_s + 1)
    assert sweep(svc, Recorder(backlog=None), now=much_later).resent == [cid]
