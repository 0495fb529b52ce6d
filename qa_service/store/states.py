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
    ADMIN = "admin"  # users, settings; sees everything
    SUPERVISOR = "supervisor"  # reviews calls of their teams
    TRAINER = "trainer"  # builds coaching sets from calls of their teams
    AUDITOR = "auditor"  # reads everything and the audit log; changes nothing
    AGENT = "agent"  # their own calls only


class ReviewState(StrEnum):
    UNREVIEWED = "unreviewed"
    REVIEWED = "reviewed"


class ReviewStatus(StrEnum):
    SUBMITTED = "submitted"
    SUPERSEDED = "superseded"  # a later review of the same call replaced it


class DisputeState(StrEnum):
    OPEN = "open"  # raised by the agent, waiting for a supervisor
    ACCEPTED = "accepted"  # upheld: a new review changed the result
    REJECTED = "rejected"  # the result stands (with the supervisor's reason)


class CalibrationState(StrEnum):
    OPEN = "open"  # reviewers are scoring; no one sees the others' verdicts
    CLOSED = "closed"  # the report is final; no more ratings


class ClipExample(StrEnum):
    GOOD = "good"  # how to do it
    BAD = "bad"  # how not to


class FlagReason(StrEnum):
    LOW_SCORE = "low_score"
    CRITICAL_FAILED = "critical_failed"
    COMPLAINT = "complaint"
    ESCALATION_RISK = "escalation_risk"
    LONG_SILENCE = "long_silence"
    NEEDS_REVIEW = "needs_review"
    CALIBRATION_SAMPLE = "calibration_sample"


class AuditAction(StrEnum):
    LISTEN = "listen"  # played recorded audio (counts as a monitored call)
    LIVE_LISTEN = "live_listen"  # listened in on a live call
    VIEW = "view"  # opened a call's transcript/scorecard
    EXPORT = "export"
    SEARCH = "search"
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOGOUT = "logout"
    REVIEW = "review"  # submitted a review (detail: overrides)
    SWAP_ROLES = "swap_roles"
    UPLOAD = "upload"
    USER_CHANGE = "user_change"  # added, disabled, password or role changed
    AUDIT_READ = "audit_read"
    ACKNOWLEDGE = "acknowledge"  # an agent acknowledged a call's result
    DISPUTE = "dispute"  # an agent disputed it
    DISPUTE_RESOLVE = "dispute_resolve"  # a supervisor accepted or rejected a dispute
    CALIBRATION = "calibration"  # a calibration session made, rated or closed
    COACHING = "coaching"  # a coaching set or clip changed
    GRADES_CHANGE = "grades_change"  # the admin changed the grade bands
