"""ORM tables (SQLAlchemy 2). The schema itself is created by the Alembic migrations in
``qa_service/store/migrations``; ``tests/store`` checks that the two agree on SQLite and PostgreSQL.

Calls and their processing state; audio metadata (the bytes live in the content-addressed
:mod:`~qa_service.store.audio_store`, never in the database); the redacted transcript (as a lossless
JSON document plus one row per utterance for queries); metrics, scorecard + findings, classification
+ labels; processing attempts; ingest batches and rejections. Users, teams, reviews, coaching sets
and the append-only audit log are here for the supervisor API.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from qa_service.store.types import BigId, Json, UTCDateTime, utcnow

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _call_fk(ondelete: str = "CASCADE") -> Any:
    return ForeignKey("calls.id", ondelete=ondelete)


# --------------------------------------------------------------------------- audio and ingest
class AudioBlob(Base):
    """One stored recording, by content hash (the file is ``<audio root>/ab/cd/<sha256>``)."""

    __tablename__ = "audio_blobs"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size_bytes: Mapped[int] = mapped_column(BigId)
    extension: Mapped[str] = mapped_column(String(16), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class IngestBatch(Base):
    __tablename__ = "ingest_batches"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(1024))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)


class IngestRejection(Base):
    """A file an ingest refused, and why (duplicate, unreadable, bad metadata, ...)."""

    __tablename__ = "ingest_rejections"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("ingest_batches.id", ondelete="CASCADE"), index=True)
    file_name: Mapped[str] = mapped_column(String(1024))
    kind: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# --------------------------------------------------------------------------- calls
class Call(Base):
    __tablename__ = "calls"
    __table_args__ = (
        Index("ix_calls_state_stage", "state", "stage"),
        Index("ix_calls_state_lease", "state", "lease_expires_at"),
        Index("ix_calls_agent_date", "agent_id", "local_date"),
        Index("ix_calls_updated_at", "updated_at"),  # the statistics cache's data version
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    call_id: Mapped[str] = mapped_column(String(128), unique=True)
    audio_sha256: Mapped[str] = mapped_column(ForeignKey("audio_blobs.sha256"), unique=True)
    source_name: Mapped[str] = mapped_column(String(512), default="")
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("ingest_batches.id", ondelete="SET NULL"))
    # recorder metadata
    agent_id: Mapped[str | None] = mapped_column(String(64))
    team: Mapped[str | None] = mapped_column(String(64), index=True)
    queue: Mapped[str | None] = mapped_column(String(64))
    direction: Mapped[str] = mapped_column(String(16), default="inbound")
    campaign: Mapped[str | None] = mapped_column(String(32))
    language: Mapped[str | None] = mapped_column(String(8))  # metadata hint; transcript has the detected one
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    local_date: Mapped[date | None] = mapped_column(Date, index=True)  # in the call centre's time zone
    shift: Mapped[str | None] = mapped_column(String(32))
    customer_ref_hash: Mapped[str | None] = mapped_column(String(64), index=True)  # salted sha256
    agent_channel: Mapped[int | None] = mapped_column(Integer)
    duration_s: Mapped[float | None] = mapped_column(Float)  # audio length, known after decoding
    # processing
    state: Mapped[str] = mapped_column(String(16), default="queued")
    stage: Mapped[str] = mapped_column(String(16), default="transcribe")
    progress: Mapped[float] = mapped_column(Float, default=0.0)  # percent of the whole call
    step: Mapped[str] = mapped_column(String(64), default="")  # what the pipeline reports it is doing
    failure_reason: Mapped[str | None] = mapped_column(Text)
    failure_kind: Mapped[str | None] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_owner: Mapped[str | None] = mapped_column(String(128))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    queued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    result_pipeline_version: Mapped[str | None] = mapped_column(String(32))
    result_rubric_hash: Mapped[str | None] = mapped_column(String(64))
    review_state: Mapped[str] = mapped_column(String(16), default="unreviewed", index=True)  # states.ReviewState
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ProcessingAttempt(Base):
    __tablename__ = "processing_attempts"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    call_pk: Mapped[int] = mapped_column(_call_fk(), index=True)
    stage: Mapped[str] = mapped_column(String(16))
    lease_owner: Mapped[str] = mapped_column(String(128))
    outcome: Mapped[str] = mapped_column(String(16), default="running")
    error: Mapped[str | None] = mapped_column(Text)
    pipeline_version: Mapped[str] = mapped_column(String(32))
    rubric_hash: Mapped[str | None] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


# --------------------------------------------------------------------------- results
class Transcript(Base):
    """The redacted, role-labelled transcript; ``body`` is lossless (see store/codec.py)."""

    __tablename__ = "transcripts"
    call_pk: Mapped[int] = mapped_column(_call_fk(), primary_key=True)
    pipeline_version: Mapped[str] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(8))
    duration_s: Mapped[float] = mapped_column(Float)
    diarization_method: Mapped[str] = mapped_column(String(32), default="")
    role_method: Mapped[str | None] = mapped_column(String(32))
    role_confidence: Mapped[float | None] = mapped_column(Float)
    role_low_confidence: Mapped[bool] = mapped_column(Boolean, default=False)
    redacted: Mapped[bool] = mapped_column(Boolean, default=True)
    body: Mapped[dict[str, Any]] = mapped_column(Json)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class UtteranceRow(Base):
    __tablename__ = "utterances"
    __table_args__ = (UniqueConstraint("call_pk", "idx"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    call_pk: Mapped[int] = mapped_column(_call_fk())
    idx: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(16))
    speaker: Mapped[str] = mapped_column(String(64))
    channel: Mapped[int | None] = mapped_column(Integer)
    start_s: Mapped[float] = mapped_column(Float)
    end_s: Mapped[float] = mapped_column(Float)
    text: Mapped[str] = mapped_column(Text)
    # index terms of ``text`` (qa_service.search.terms), indexed per backend by migration 0003
    search_doc: Mapped[str] = mapped_column(Text, default="")


class MetricsRow(Base):
    __tablename__ = "call_metrics"
    call_pk: Mapped[int] = mapped_column(_call_fk(), primary_key=True)
    duration_s: Mapped[float] = mapped_column(Float)
    agent_talk_s: Mapped[float] = mapped_column(Float)
    customer_talk_s: Mapped[float] = mapped_column(Float)
    talk_to_listen: Mapped[float | None] = mapped_column(Float)
    total_silence_s: Mapped[float] = mapped_column(Float)
    total_overtalk_s: Mapped[float] = mapped_column(Float)
    agent_interruptions: Mapped[int] = mapped_column(Integer)
    agent_rate: Mapped[float | None] = mapped_column(Float)
    customer_rate: Mapped[float | None] = mapped_column(Float)
    rate_unit: Mapped[str] = mapped_column(String(16))
    first_response_s: Mapped[float | None] = mapped_column(Float)
    detail: Mapped[dict[str, Any]] = mapped_column(Json)  # silence and overtalk intervals


class Scorecard(Base):
    __tablename__ = "scorecards"
    __table_args__ = (Index("ix_scorecards_final_score_call", "final_score", "call_pk"),)  # queue: worst first
    call_pk: Mapped[int] = mapped_column(_call_fk(), primary_key=True)
    rubric_id: Mapped[str] = mapped_column(String(64), index=True)
    rubric_version: Mapped[str] = mapped_column(String(32))
    rubric_hash: Mapped[str] = mapped_column(String(64))
    score: Mapped[float] = mapped_column(Float)
    passed: Mapped[bool] = mapped_column(Boolean)
    auto_failed: Mapped[bool] = mapped_column(Boolean, default=False)
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    # after human review (= the automatic values until someone reviews); statistics read these
    final_score: Mapped[float] = mapped_column(Float)
    final_passed: Mapped[bool] = mapped_column(Boolean)


class FindingRow(Base):
    __tablename__ = "findings"
    __table_args__ = (
        UniqueConstraint("call_pk", "item_id"),
        Index("ix_findings_item_outcome", "item_id", "outcome"),
        Index("ix_findings_item_final", "item_id", "final_outcome", "call_pk"),  # the queue's failed-item filter
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    call_pk: Mapped[int] = mapped_column(_call_fk())
    position: Mapped[int] = mapped_column(Integer)
    item_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    outcome: Mapped[str] = mapped_column(String(16))
    final_outcome: Mapped[str] = mapped_column(String(16))  # after review; = outcome until reviewed
    weight: Mapped[float] = mapped_column(Float)
    score: Mapped[float] = mapped_column(Float)
    critical: Mapped[bool] = mapped_column(Boolean, default=False)
    message: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(Json)


class ClassificationRow(Base):
    __tablename__ = "classifications"
    call_pk: Mapped[int] = mapped_column(_call_fk(), primary_key=True)
    business_type: Mapped[str] = mapped_column(String(32))
    outcome: Mapped[str | None] = mapped_column(String(32))
    outcome_score: Mapped[float | None] = mapped_column(Float)
    escalation_risk: Mapped[bool] = mapped_column(Boolean, default=False)
    escalation_score: Mapped[float] = mapped_column(Float, default=0.0)
    model: Mapped[str] = mapped_column(String(128), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(Json)  # scores, sentiment, evidence indices


class CallLabel(Base):
    """One label of a call, for counting: contact reasons (several), business type, outcome."""

    __tablename__ = "call_labels"
    __table_args__ = (Index("ix_call_labels_kind_label", "kind", "label"),)
    call_pk: Mapped[int] = mapped_column(_call_fk(), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    label: Mapped[str] = mapped_column(String(32), primary_key=True)


class CallFlag(Base):
    """Why a call is in the supervisors' queue (one row per reason; see services/flags.py)."""

    __tablename__ = "call_flags"
    __table_args__ = (Index("ix_call_flags_reason", "reason"),)
    call_pk: Mapped[int] = mapped_column(_call_fk(), primary_key=True)
    reason: Mapped[str] = mapped_column(String(32), primary_key=True)  # states.FlagReason
    detail: Mapped[str] = mapped_column(Text, default="")


# --------------------------------------------------------------------------- people (supervisor API)
class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(128), default="")
    role: Mapped[str] = mapped_column(String(32))  # states.UserRole
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    agent_id: Mapped[str | None] = mapped_column(String(64), index=True)  # role agent: whose calls are theirs
    pii_access: Mapped[bool] = mapped_column(Boolean, default=False)  # may hear unbleeped audio
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ApiToken(Base):
    """A sign-in token; only its sha256 is stored (the client holds the token itself)."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LoginFailure(Base):
    """A failed log-in, counted per user name to throttle password guessing."""

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_username_at", "username", "at"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    client: Mapped[str] = mapped_column(String(64), default="")


class UserTeam(Base):
    """The teams a user may see (scope of every query the API runs for them)."""

    __tablename__ = "user_teams"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    team: Mapped[str] = mapped_column(String(64), primary_key=True)


class Review(Base):
    """A supervisor's review of a (flagged) call; overrides become training labels."""

    __tablename__ = "reviews"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    call_pk: Mapped[int] = mapped_column(_call_fk(), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="open")
    comment: Mapped[str] = mapped_column(Text, default="")
    score: Mapped[float | None] = mapped_column(Float)  # the reviewer's score, when they override it
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ReviewOverride(Base):
    """One correction: a finding's outcome (``target='finding'``, ``key`` = item id) or a label
    (``target='label'``, ``key`` = a LabelKind)."""

    __tablename__ = "review_overrides"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    target: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(64))
    original: Mapped[str | None] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")


class CoachingSet(Base):
    __tablename__ = "coaching_sets"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(128))
    team: Mapped[str | None] = mapped_column(String(64), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CoachingClip(Base):
    __tablename__ = "coaching_clips"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    set_id: Mapped[int] = mapped_column(ForeignKey("coaching_sets.id", ondelete="CASCADE"), index=True)
    call_pk: Mapped[int] = mapped_column(_call_fk(), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    start_s: Mapped[float] = mapped_column(Float)
    end_s: Mapped[float] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    example: Mapped[str] = mapped_column(String(8), default="good")  # states.ClipExample
    title: Mapped[str] = mapped_column(String(200), default="")


class AuditEvent(Base):
    """Append-only (the migration adds triggers that refuse UPDATE and DELETE on both backends)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_action_at", "action", "at"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(32))  # states.AuditAction
    call_pk: Mapped[int | None] = mapped_column(ForeignKey("calls.id"), index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    client: Mapped[str] = mapped_column(String(64), default="")


# --------------------------------------------------------------------------- supervision workflows
class Acknowledgement(Base):
    """An agent has read a call's result (the review current then, or the automatic result)."""

    __tablename__ = "acknowledgements"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    call_pk: Mapped[int] = mapped_column(_call_fk(), index=True)
    review_id: Mapped[int | None] = mapped_column(ForeignKey("reviews.id", ondelete="SET NULL"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Dispute(Base):
    """An agent contests a call's result; a supervisor accepts it (with a new review: the score
    changes, the old review is kept as superseded) or rejects it with a reason."""

    __tablename__ = "disputes"
    __table_args__ = (Index("ix_disputes_state_call", "state", "call_pk"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    call_pk: Mapped[int] = mapped_column(_call_fk(), index=True)
    review_id: Mapped[int | None] = mapped_column(ForeignKey("reviews.id", ondelete="SET NULL"))  # disputed
    raised_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text)
    items: Mapped[list[str]] = mapped_column(Json, default=list)  # the items the agent contests
    score_before: Mapped[float | None] = mapped_column(Float)
    state: Mapped[str] = mapped_column(String(16), default="open")  # states.DisputeState
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolution: Mapped[str] = mapped_column(Text, default="")
    resolution_review_id: Mapped[int | None] = mapped_column(ForeignKey("reviews.id", ondelete="SET NULL"))
    score_after: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CalibrationSession(Base):
    """One call or a set sent to several reviewers who score blind."""

    __tablename__ = "calibration_sessions"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(128))
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    state: Mapped[str] = mapped_column(String(16), default="open")  # states.CalibrationState
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CalibrationCall(Base):
    __tablename__ = "calibration_calls"
    session_id: Mapped[int] = mapped_column(ForeignKey("calibration_sessions.id", ondelete="CASCADE"),
                                            primary_key=True)
    call_pk: Mapped[int] = mapped_column(_call_fk(), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class CalibrationReviewer(Base):
    __tablename__ = "calibration_reviewers"
    session_id: Mapped[int] = mapped_column(ForeignKey("calibration_sessions.id", ondelete="CASCADE"),
                                            primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)


class CalibrationRating(Base):
    """One reviewer's blind verdict on one item of one call (``item_id`` ``""``: the score)."""

    __tablename__ = "calibration_ratings"
    session_id: Mapped[int] = mapped_column(ForeignKey("calibration_sessions.id", ondelete="CASCADE"),
                                            primary_key=True)
    call_pk: Mapped[int] = mapped_column(_call_fk(), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    item_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    outcome: Mapped[str] = mapped_column(String(16))
    score: Mapped[float | None] = mapped_column(Float)  # the reviewer's score of the call (whole-call row)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class GradeBand(Base):
    """An agent grade (座席员等级) and what it takes; bands are tried best first (``rank`` ascending)."""

    __tablename__ = "grade_bands"
    grade: Mapped[str] = mapped_column(String(32), primary_key=True)
    rank: Mapped[int] = mapped_column(Integer, unique=True)
    min_quality: Mapped[float] = mapped_column(Float, default=0.0)
    min_calls: Mapped[int] = mapped_column(Integer, default=0)
    max_complaint_rate: Mapped[float] = mapped_column(Float, default=1.0)
    max_disputes_upheld: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
