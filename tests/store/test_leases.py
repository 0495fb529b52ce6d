"""The processing state machine on both backends: claims, renewals, hand-over, loss and failure."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest

from qa_service.domain import CallMetadata
from qa_service.settings import Settings
from qa_service.store import calls, leases
from qa_service.store.audio_store import StoredAudio
from qa_service.store.db import unit_of_work
from qa_service.store.models import Call, ProcessingAttempt
from qa_service.store.states import AttemptOutcome, CallState, Stage
from qa_service.store.types import utcnow


def _new_call(settings: Settings, call_id: str) -> None:
    sha = hashlib.sha256(call_id.encode()).hexdigest()
    with unit_of_work(settings) as s:
        calls.add_audio(s, StoredAudio(sha, 1, None), ".wav")  # type: ignore[arg-type]
        calls.add_call(
            s,
            CallMetadata(call_id),
            sha,
            source_name=f"{call_id}.wav",
            batch_id=None,
            salt="s",
            tz="UTC",
            shifts={},
        )


def _claim(
    settings: Settings,
    call_id: str,
    stage: Stage,
    owner: str,
    lease_s: float = 60.0,
    reclaim: str | None = None,
    now_offset: float = 0.0,
) -> leases.Lease | None:
    with unit_of_work(settings) as s:
        call = calls.get(s, call_id)
        return leases.claim(
            s,
            call,
            stage,
            owner,
            lease_s=lease_s,
            now=utcnow() + timedelta(seconds=now_offset),
            pipeline_version="p1",
            reclaim=reclaim,
        )


def _attempts(settings: Settings) -> list[tuple[str, str, str]]:
    with unit_of_work(settings) as s:
        return [
            (a.stage, a.lease_owner, a.outcome)
            for a in s.query(ProcessingAttempt).order_by(ProcessingAttempt.id)
        ]


def test_one_claim_wins_and_the_stage_hands_over(db_settings: Settings) -> None:
    _new_call(db_settings, "c1")
    lease = _claim(db_settings, "c1", Stage.TRANSCRIBE, "w1")
    assert lease is not None
    assert _claim(db_settings, "c1", Stage.TRANSCRIBE, "w2") is None  # held
    assert _claim(db_settings, "c1", Stage.ASSESS, "w2") is None  # wrong stage
    with unit_of_work(db_settings) as s:
        assert leases.renew(s, lease, lease_s=60, now=utcnow(), progress=42.0, step="transcribe")
    with unit_of_work(db_settings) as s:
        row = calls.get(s, "c1")
        assert (row.state, row.progress, row.step, row.attempts) == ("processing", 42.0, "transcribe", 1)
        leases.complete_stage(s, lease, next_stage=Stage.ASSESS, now=utcnow(), progress=85.0)
    second = _claim(db_settings, "c1", Stage.ASSESS, "w2")
    assert second is not None
    with unit_of_work(db_settings) as s:
        leases.complete_stage(
            s, second, next_stage=None, now=utcnow(), progress=100.0, pipeline_version="p1", rubric_hash="r1"
        )
    with unit_of_work(db_settings) as s:
        row = calls.get(s, "c1")
        assert (row.state, row.result_pipeline_version, row.result_rubric_hash, row.lease_owner) == (
            "done",
            "p1",
            "r1",
            None,
        )
    assert _attempts(db_settings) == [("transcribe", "w1", "succeeded"), ("assess", "w2", "succeeded")]


def test_expired_lease_is_taken_over_and_the_old_owner_writes_nothing(db_settings: Settings) -> None:
    _new_call(db_settings, "c2")
    old = _claim(db_settings, "c2", Stage.TRANSCRIBE, "w1", lease_s=1.0)
    assert old is not None
    assert _claim(db_settings, "c2", Stage.TRANSCRIBE, "w2", now_offset=5.0) is not None  # lease expired
    with unit_of_work(db_settings) as s:
        assert not leases.renew(s, old, lease_s=60, now=utcnow())
    with pytest.raises(leases.LeaseLost), unit_of_work(db_settings) as s:
        leases.complete_stage(s, old, next_stage=Stage.ASSESS, now=utcnow(), progress=85.0)
    with unit_of_work(db_settings) as s:
        assert calls.get(s, "c2").lease_owner == "w2"
    assert _attempts(db_settings) == [("transcribe", "w1", "abandoned"), ("transcribe", "w2", "running")]


def test_release_reclaim_and_fail(db_settings: Settings) -> None:
    _new_call(db_settings, "c3")
    first = _claim(db_settings, "c3", Stage.TRANSCRIBE, "w1")
    assert first is not None
    # our own retry may take the call back while the lease is still live
    again = _claim(db_settings, "c3", Stage.TRANSCRIBE, "w1b", reclaim="w1")
    assert again is not None
    with unit_of_work(db_settings) as s:
        assert leases.release(s, again, now=utcnow(), error="db blinked")
        assert calls.get(s, "c3").state == CallState.QUEUED.value
    third = _claim(db_settings, "c3", Stage.TRANSCRIBE, "w2")
    assert third is not None
    with unit_of_work(db_settings) as s:
        assert leases.fail(
            s, third.call_pk, reason="bad audio", kind="AudioDecodeError", now=utcnow(), owner="w2"
        )
    with unit_of_work(db_settings) as s:
        row = s.get(Call, third.call_pk)
        assert row is not None
        assert (row.state, row.failure_reason, row.failure_kind) == (
            "failed",
            "bad audio",
            "AudioDecodeError",
        )
    assert [o for _, _, o in _attempts(db_settings)] == [
        AttemptOutcome.RETRYING,
        AttemptOutcome.RETRYING,
        AttemptOutcome.FAILED,
    ]


def test_requeue_expects_the_stuck_owner(db_settings: Settings) -> None:
    _new_call(db_settings, "c4")
    lease = _claim(db_settings, "c4", Stage.TRANSCRIBE, "w1")
    assert lease is not None
    with unit_of_work(db_settings) as s:
        assert not leases.requeue(s, lease.call_pk, Stage.TRANSCRIBE, now=utcnow(), expect_owner="other")
        assert leases.requeue(s, lease.call_pk, Stage.TRANSCRIBE, now=utcnow(), expect_owner="w1")
        assert leases.abandoned_attempts(s, lease.call_pk, Stage.TRANSCRIBE) == 1
        nxt = leases.next_queued(s)
        assert nxt is not None and nxt.call_id == "c4"
