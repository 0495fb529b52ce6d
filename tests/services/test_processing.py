"""The stage bodies on the embedded path (fake analysis backend: the machinery is the point)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from svc_support import write_corrupt, write_rubric, write_wav

from qa_service.errors import StorageUnavailable
from qa_service.ingest import ingest_paths
from qa_service.services.context import ServiceContext
from qa_service.services.dispatch import LocalDispatcher
from qa_service.services.local_worker import run_local
from qa_service.services.processing import Status, run_stage
from qa_service.services.rescore import rescore
from qa_service.store import calls, leases, results
from qa_service.store.models import FindingRow, ProcessingAttempt, Transcript, UtteranceRow
from qa_service.store.states import Stage
from qa_service.store.types import utcnow


class RecordingDispatcher(LocalDispatcher):
    def __init__(self) -> None:
        self.sent: list[tuple[str, Stage]] = []

    def send(self, call_id: str, stage: Stage) -> None:
        self.sent.append((call_id, stage))


def _ingest(svc: ServiceContext, folder: Path, n: int, start: int = 0) -> list[str]:
    for i in range(start, start + n):
        write_wav(folder / f"call{i:02d}_AGENT_10{i % 3}_DT_20261102T0{8 + i % 2}1500.wav", seed=i)
    report = ingest_paths(svc.settings, [folder])
    return report.accepted


def _attempts(svc: ServiceContext) -> list[tuple[str, str, str]]:
    with svc.session() as s:
        rows = s.scalars(select(ProcessingAttempt).order_by(ProcessingAttempt.id)).all()
        return [(calls_id(s, a.call_pk), a.stage, a.outcome) for a in rows]


def calls_id(s: Any, pk: int) -> str:
    from qa_service.store.models import Call

    row = s.get(Call, pk)
    return row.call_id if row else "?"


def _snapshots(svc: ServiceContext, ids: list[str]) -> dict[str, Any]:
    with svc.session() as s:
        return {cid: results.snapshot(s, calls.get(s, cid).id) for cid in ids}


def test_embedded_worker_processes_every_call_and_a_second_run_changes_nothing(svc: ServiceContext,
                                                                               tmp_path: Path) -> None:
    ids = _ingest(svc, tmp_path / "in", 3)
    progress: list[tuple[str, float, str]] = []
    summary = run_local(svc, observer=lambda c, p, s: progress.append((c, p, s)))
    assert sorted(summary.done) == sorted(ids) and summary.failed == []
    assert summary.stages == 6
    first = _snapshots(svc, ids)
    with svc.session() as s:
        for cid in ids:
            call = calls.get(s, cid)
            assert (call.state, call.progress, call.result_pipeline_version) == ("done", 100.0, "fake-1")
            assert call.result_rubric_hash and call.duration_s == pytest.approx(1.0)
        stored = s.scalars(select(Transcript)).all()
        assert all(t.redacted and "6222" not in str(t.body) for t in stored)  # the card number never stored
        assert s.scalar(select(func.count()).select_from(UtteranceRow)) == 12
    percents = [p for c, p, _ in progress if c == ids[0]]
    assert percents == sorted(percents) and percents[-1] == 100.0
    # a second delivery of either stage is a no-op: same rows, no new attempts
    attempts = _attempts(svc)
    for cid in ids:
        for stage in Stage:
            out = run_stage(svc, cid, stage, dispatcher=LocalDispatcher())
            assert out.status is Status.SKIPPED and out.detail == "already done"
    assert _attempts(svc) == attempts
    assert _snapshots(svc, ids) == first
    assert run_local(svc).stages == 0


def test_corrupt_and_crashing_calls_fail_with_a_reason_while_the_rest_complete(
        svc: ServiceContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "in"
    write_corrupt(folder / "broken.wav")
    good = [c for c in _ingest(svc, folder, 3) if c != "broken"]
    monkeypatch.setenv("QA_FAKE_CRASH", good[1])
    summary = run_local(svc)
    assert sorted(summary.done) == sorted([good[0], good[2]])
    reasons = dict(summary.failed)
    assert "broken.wav" in reasons["broken"] and "cannot decode audio" in reasons["broken"]
    assert reasons[good[1]] == "internal error (RuntimeError): fake model crashed"
    with svc.session() as s:
        broken = calls.get(s, "broken")
        assert (broken.state, broken.failure_kind) == ("failed", "AudioDecodeError")
        assert results.transcript_row(s, broken.id) is None


def test_transient_errors_are_retried_then_given_up(svc: ServiceContext, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QA_FAKE_TRANSIENT_DIR", str(tmp_path))
    ids = _ingest(svc, tmp_path / "in", 2)
    slept: list[float] = []
    summary = run_local(svc, sleep=slept.append)
    assert sorted(summary.done) == sorted(ids) and len(slept) == 2
    outcomes = [o for cid, st, o in _attempts(svc) if cid == ids[0] and st == "assess"]
    assert outcomes == ["retrying", "succeeded"]
    # with no retries allowed the call is failed with the reason
    no_retry = ServiceContext(svc.settings.model_copy(update={"task_max_retries": 0}))
    more = _ingest(no_retry, tmp_path / "in2", 1, start=10)
    summary = run_local(no_retry, sleep=lambda s: None)
    assert summary.failed == [(more[0], "gave up after 0 retries: fake: database blinked")]


def test_rescore_runs_only_the_scoring_stage_for_changed_rubrics(svc: ServiceContext, tmp_path: Path) -> None:
    ids = _ingest(svc, tmp_path / "in", 2)
    run_local(svc)
    transcripts = {cid: snap["transcript"] for cid, snap in _snapshots(svc, ids).items()}
    assert rescore(svc, LocalDispatcher()).queued == []
    write_rubric(svc.settings.rubric_dir, "2")
    dispatcher = RecordingDispatcher()
    report = rescore(svc, dispatcher)
    assert sorted(report.queued) == sorted(ids)
    assert sorted(dispatcher.sent) == sorted((cid, Stage.ASSESS) for cid in ids)
    before = _attempts(svc)
    summary = run_local(svc)
    assert sorted(summary.done) == sorted(ids)
    new = _attempts(svc)[len(before):]
    assert sorted(new) == sorted((cid, "assess", "succeeded") for cid in ids)  # no transcription
    snaps = _snapshots(svc, ids)
    assert {cid: s["transcript"] for cid, s in snaps.items()} == transcripts
    with svc.session() as s:
        assert s.scalar(select(func.count()).select_from(FindingRow)) == 4
        assert {calls.get(s, cid).result_rubric_hash for cid in ids} == \
            {svc.backend.rubric_hash(calls.metadata_of(calls.get(s, ids[0])), "zh")}
    assert rescore(svc, LocalDispatcher()).unchanged == 2


@dataclass
class _Hijacker:
    """Wraps the backend: while transcribing, another worker takes the call over (lease expired)."""

    inner: Any
    ctx: ServiceContext

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def transcribe(self, path: Path, meta: Any, hook: Any) -> Any:
        with self.ctx.session() as s:
            call = calls.get(s, meta.call_id)
            later = utcnow().replace(year=utcnow().year + 1)
            assert leases.claim(s, call, Stage.TRANSCRIBE, "thief:1:x", lease_s=60, now=later,
                                pipeline_version="x") is not None
        return self.inner.transcribe(path, meta, hook)


class _Ctx(ServiceContext):
    @property
    def backend(self) -> Any:
        return _Hijacker(ServiceContext(self.settings).backend, self)


def test_a_worker_that_lost_its_lease_writes_nothing(svc: ServiceContext, tmp_path: Path) -> None:
    ids = _ingest(svc, tmp_path / "in", 1)
    out = run_stage(_Ctx(svc.settings), ids[0], Stage.TRANSCRIBE, dispatcher=LocalDispatcher())
    assert out.status is Status.LOST
    with svc.session() as s:
        call = calls.get(s, ids[0])
        assert (call.state, call.lease_owner) == ("processing", "thief:1:x")
        assert results.transcript_row(s, call.id) is None


def test_storage_unavailable_before_the_claim_propagates_untouched(svc: ServiceContext, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    ids = _ingest(svc, tmp_path / "in", 1)
    from qa_service.services import processing

    def down(*a: Any, **k: Any) -> Any:
        raise StorageUnavailable("database unavailable: connection refused")

    monkeypatch.setattr(processing.calls, "by_call_id", down)
    with pytest.raises(StorageUnavailable):
        run_stage(svc, ids[0], Stage.TRANSCRIBE, dispatcher=LocalDispatcher())
    monkeypatch.undo()
    with svc.session() as s:
        assert calls.get(s, ids[0]).state == "queued"
