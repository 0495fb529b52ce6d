"""Fixed vocabularies of the store (stored as plain strings)."""

from __future__ import annotations

from enum import StrEnum


class CallState(StrEnum):
    """Where a call is. ``stage`` on the call row says which stage it waits for or runs."""

    QUEUED = "queued"  # waiting for a worker to run ``stage``
    PROCESSING = "processing"  # a worker holds the lease for ``stage``
    DONE = "done"
    FAILED = "failed"


class Stage(StrEnum):
    TRANSCRIBE = "transcribe"  # GPU queue: decode → ASR → diarization → roles → redact
    ASSESS = "assess"  # CPU queue: metrics → score → classify


#: Celery queue of each stage.
STAGE_QUEUE: dict[Stage, str] = {Stage.TRANSCRIBE: "gpu", Stage.ASSESS: "cpu"}


class AttemptOutcome(StrEnum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    RETRYING = "retrying"  # a transient error; the task will be retried
    FAILED = "failed"  # a permanent error; the call is failed
    ABANDONED = "abandoned"  # the worker died or lost its lease (found by the sweeper)


class LabelKind(StrEnum):
    CONTACT_REASON = "contact_reason"
    BUSINESS_TYPE = "business_type"
    OUTCOME = "outcome"


class UserRole(StrEnum):
    QA_SUPERVISOR = "qa_supervisor"
    TRAINER = "trainer"
    COMPLIANCE_AUDITOR = "compliance_auditor"
    SERVICE_MANAGER = "service_manager"
    ADMIN = "admin"


class AuditAction(StrEnum):
    LISTEN = "listen"  # played recorded audio (counts as a monitored call)
    LIVE_LISTEN = "live_listen"  # listened in on a live call
    VIEW = "view"  # opened a call's transcript/scorecard
    EXPORT = "export"
