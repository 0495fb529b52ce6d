"""The two stage bodies every worker runs (Celery task or embedded local worker alike).

``transcribe`` (GPU queue): claim → decode + ASR + diarization + roles → redact → store the redacted
transcript → queue ``assess``. ``assess`` (CPU queue): claim → metrics + scorecard + classification of
the stored transcript → store → done. Each claims the call with a lease first and writes its results
and the state change in one transaction at the end, so a call processed twice ends the same and a
worker that lost its lease writes nothing.

Errors: a :class:`TransientError` (database or store unavailable) gives the call back to the queue
and propagates (the caller retries with backoff); a :class:`ConfigError` does the same (the worker is
misconfigured, not the call); any other error marks the call failed with a readable reason.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from enum import StrEnum

from qa_service.domain import CallMetadata
from qa_service.errors import ConfigError, QAError, StorageUnavailable, TransientError
from qa_service.flags import FlagRules, flags_for
from qa_service.services.context import ServiceContext, new_owner, owner_is_dead
from qa_service.services.dispatch import Dispatcher
from qa_service.services.keeper import LeaseKeeper, ProgressObserver
from qa_service.services.reviews import reapply_review, rubrics_from
from qa_service.settings import Settings
from qa_service.store import calls, leases, results
from qa_service.store.models import Call
from qa_service.store.states import CallState, Stage
from qa_service.store.types import utcnow

log = logging.getLogger(__name__)

#: The stage's share of the call's percent: (base, span).
PERCENT: dict[Stage, tuple[float, float]] = {Stage.TRANSCRIBE: (0.0, 85.0), Stage.ASSESS: (85.0, 15.0)}


class Status(StrEnum):
    DONE = "done"  # the stage ran and its results are stored
    SKIPPED = "skipped"  # nothing to do (already done, held by another worker, unknown call)
    FAILED = "failed"  # the call is marked failed with a reason
    LOST = "lost"  # the lease went to another worker meanwhile; nothing written


@dataclass(frozen=True)
class StageOutcome:
    call_id: str
    stage: Stage
    status: Status
    detail: str = ""
    next_stage: Stage | None = None


@dataclass(frozen=True)
class _Claimed:
    lease: leases.Lease
    metadata: CallMetadata
    audio_sha256: str
    language: str | None
    source_name: str


def retry_delay(settings: Settings, retries: int) -> float:
    """Exponential backoff: base, 2·base, 4·base, ... capped."""
    return float(min(settings.retry_backoff_max_s, settings.retry_backoff_s * 2 ** max(0, retries)))


def run_stage(ctx: ServiceContext, call_id: str, stage: Stage, *, dispatcher: Dispatcher,
              owner: str | None = None, reclaim: str | None = None,
              observer: ProgressObserver | None = None) -> StageOutcome:
    """Run one stage of one call. ``reclaim``: the lease token of our own earlier try (a retry)."""
    owner = owner or new_owner()
    begun = _begin(ctx, call_id, stage, owner, reclaim, dispatcher)
    if isinstance(begun, StageOutcome):
        return begun
    try:
        if stage is Stage.TRANSCRIBE:
            return _transcribe(ctx, begun, dispatcher, observer)
        return _assess(ctx, begun, observer)
    except leases.LeaseLost:
        log.warning("call %s: %s finished after its lease went to another worker; discarded", call_id, stage)
        return StageOutcome(call_id, stage, Status.LOST, "lease lost")
    except (TransientError, ConfigError) as exc:
        _release(ctx, begun.lease, exc.reason)
        raise
    except QAError as exc:
        return _fail(ctx, begun.lease, _readable(ctx, exc.reason, begun.source_name), type(exc).__name__)
    except Exception as exc:
        log.exception("call %s: %s failed", call_id, stage)
        return _fail(ctx, begun.lease, f"internal error ({type(exc).__name__}): {exc}", type(exc).__name__)


def _begin(ctx: ServiceContext, call_id: str, stage: Stage, owner: str, reclaim: str | None,
           dispatcher: Dispatcher) -> _Claimed | StageOutcome:
    backend = ctx.backend
    resend: Stage | None = None
    with ctx.session() as session:
        call = calls.by_call_id(session, call_id)
        skip = _why_skip(call, stage, reclaim)
        if skip is not None:
            return StageOutcome(call_id, stage, Status.SKIPPED, skip)
        assert call is not None
        if leases.abandoned_attempts(session, call.id, stage) >= ctx.settings.max_attempts:
            reason = (f"gave up after {ctx.settings.max_attempts} attempts at {stage.value}: the worker was "
                      "lost each time (crash or out of memory?)")
            leases.fail(session, call.id, reason=reason, kind="WorkerLost", now=utcnow())
            return StageOutcome(call_id, stage, Status.FAILED, reason)
        meta = calls.metadata_of(call)
        language: str | None = None
        rubric_hash: str | None = None
        if stage is Stage.ASSESS:
            row = results.transcript_row(session, call.id)
            if row is None:  # e.g. the transcript was deleted: transcribe again
                leases.requeue(session, call.id, Stage.TRANSCRIBE, now=utcnow())
                resend = Stage.TRANSCRIBE
            else:
                language = row.language
                rubric_hash = backend.rubric_hash(meta, row.language)
        take_from = reclaim if reclaim else (call.lease_owner if owner_is_dead(call.lease_owner) else None)
        lease = None if resend else leases.claim(
            session, call, stage, owner, lease_s=ctx.settings.lease_timeout_s, now=utcnow(),
            pipeline_version=backend.pipeline_version, rubric_hash=rubric_hash, reclaim=take_from)
        sha, source_name = call.audio_sha256, call.source_name
    if resend is not None:
        dispatcher.send(call_id, resend)
        return StageOutcome(call_id, stage, Status.SKIPPED, "no stored transcript: transcribing again",
                            next_stage=resend)
    if lease is None:
        return StageOutcome(call_id, stage, Status.SKIPPED, "held by another worker")
    return _Claimed(lease, meta, sha, language, source_name)


def _why_skip(call: Call | None, stage: Stage, reclaim: str | None) -> str | None:
    if call is None:
        return "no such call"
    if call.state in (CallState.DONE.value, CallState.FAILED.value):
        return f"already {call.state}"
    if call.stage != stage.value:
        return f"call is at stage {call.stage}"
    return None


def _transcribe(ctx: ServiceContext, c: _Claimed, dispatcher: Dispatcher,
                observer: ProgressObserver | None) -> StageOutcome:
    backend = ctx.backend
    base, span = PERCENT[Stage.TRANSCRIBE]
    with LeaseKeeper(ctx, c.lease, base=base, span=span, observer=observer) as keeper:
        path = ctx.audio_store.open_path(c.audio_sha256)
        transcript = backend.transcribe(path, c.metadata, keeper.hook)
        redact = ctx.settings.redact_pii
        if redact:
            transcript = backend.redact(transcript)
    with ctx.session() as session:
        leases.complete_stage(session, c.lease, next_stage=Stage.ASSESS, now=utcnow(), progress=base + span)
        results.save_transcript(session, c.lease.call_pk, transcript,
                                pipeline_version=backend.pipeline_version, redacted=redact)
        calls.set_duration(session, c.lease.call_pk, transcript.duration)
    dispatcher.send(c.lease.call_id, Stage.ASSESS)
    return StageOutcome(c.lease.call_id, Stage.TRANSCRIBE, Status.DONE, next_stage=Stage.ASSESS)


def _assess(ctx: ServiceContext, c: _Claimed, observer: ProgressObserver | None) -> StageOutcome:
    backend = ctx.backend
    base, span = PERCENT[Stage.ASSESS]
    with LeaseKeeper(ctx, c.lease, base=base, span=span, observer=observer) as keeper:
        with ctx.session() as session:
            transcript = results.load_transcript(session, c.lease.call_pk)
        keeper.hook("assess", 0.0, 1.0)
        assessment = backend.assess(transcript, c.metadata)
        keeper.hook("assess", 1.0, 1.0)
    rubric_hash = assessment.rubric.rubric_hash if assessment.rubric is not None else None
    with ctx.session() as session:
        leases.complete_stage(session, c.lease, next_stage=None, now=utcnow(), progress=100.0,
                              pipeline_version=backend.pipeline_version, rubric_hash=rubric_hash)
        results.save_assessment(session, c.lease.call_pk, assessment)
        results.save_flags(session, c.lease.call_pk,
                           flags_for(c.lease.call_id, assessment, FlagRules.from_settings(ctx.settings)))
        reapply_review(session, c.lease.call_pk, rubrics_from(ctx.settings))  # keep the human result
    return StageOutcome(c.lease.call_id, Stage.ASSESS, Status.DONE)


def _readable(ctx: ServiceContext, reason: str, source_name: str) -> str:
    """Name the recording as the supervisor knows it, not by its path in the audio store."""
    root = re.escape(str(ctx.settings.resolved_audio_store_dir))
    return re.sub(root + r"[^'\"\s)]*", source_name or "the recording", reason)


def _release(ctx: ServiceContext, lease: leases.Lease, error: str) -> None:
    try:
        with ctx.session() as session:
            leases.release(session, lease, now=utcnow(), error=error)
    except StorageUnavailable:
        log.warning("call %s: cannot release the lease now; the retry reclaims it", lease.call_id)


def _fail(ctx: ServiceContext, lease: leases.Lease, reason: str, kind: str) -> StageOutcome:
    log.warning("call %s failed at %s: %s", lease.call_id, lease.stage, reason)
    with ctx.session() as session:
        held = leases.fail(session, lease.call_pk, reason=reason, kind=kind, now=utcnow(), owner=lease.owner)
    status = Status.FAILED if held else Status.LOST
    return StageOutcome(lease.call_id, lease.stage, status, reason)


def give_up(ctx: ServiceContext, call_id: str, stage: Stage, reason: str) -> bool:
    """After the last retry of a transient error: mark the call failed (if the database answers)."""
    try:
        with ctx.session() as session:
            call = calls.by_call_id(session, call_id)
            if call is None or call.state in (CallState.DONE.value, CallState.FAILED.value) \
                    or call.stage != stage.value:
                return False
            return leases.fail(session, call.id, reason=reason, kind="RetriesExhausted", now=utcnow())
    except StorageUnavailable:
        log.error("call %s: cannot mark failed (database unavailable); the sweeper will re-send it", call_id)
        return False
