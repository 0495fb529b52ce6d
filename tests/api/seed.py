"""A small, hand-built data set for the API tests: users of every role and a few scored calls in
two teams, stored through the real store functions (the speech models are not the point here)."""

from __future__ import annotations

import wave
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from qa_service.analysis import Assessment
from qa_service.domain import (
    BusinessType,
    CallMetadata,
    CallMetrics,
    CallTranscript,
    Classification,
    ContactReason,
    Direction,
    Evidence,
    Finding,
    Interval,
    LabelScore,
    Outcome,
    Role,
    RoleAssignment,
    RubricResult,
    Utterance,
    Word,
)
from qa_service.flags import FlagRules, flags_for
from qa_service.services.context import ServiceContext
from qa_service.services.users import NewUser, add_user
from qa_service.store import calls, results
from qa_service.store.models import Call
from qa_service.store.states import CallState, UserRole

PASSWORD = "correct-horse-battery"


@dataclass(frozen=True)
class SeedUser:
    username: str
    role: UserRole
    teams: tuple[str, ...] = ()
    agent_id: str | None = None
    pii_access: bool = False


USERS = (
    SeedUser("admin", UserRole.ADMIN, pii_access=True),
    SeedUser("sup_a", UserRole.SUPERVISOR, ("A",)),
    SeedUser("sup_b", UserRole.SUPERVISOR, ("B",)),
    SeedUser("sup_pii", UserRole.SUPERVISOR, ("A",), pii_access=True),
    SeedUser("trainer_a", UserRole.TRAINER, ("A",)),
    SeedUser("auditor", UserRole.AUDITOR),
    SeedUser("agent_a1", UserRole.AGENT, agent_id="A1"),
)
#: One user per role, for the route × role walk.
BY_ROLE = {UserRole.ADMIN: "admin", UserRole.SUPERVISOR: "sup_a", UserRole.TRAINER: "trainer_a",
           UserRole.AUDITOR: "auditor", UserRole.AGENT: "agent_a1"}


@dataclass(frozen=True)
class SeedCall:
    call_id: str
    team: str
    agent_id: str
    score: float
    complaint: bool
    critical_fail: bool


CALLS = (
    SeedCall("A-1", "A", "A1", 55.0, True, True),
    SeedCall("A-2", "A", "A2", 95.0, False, False),
    SeedCall("B-1", "B", "B1", 70.0, False, False),
)
SECONDS = 6.0
RATE = 16000


def write_call_wav(path: Path, seed: int) -> Path:
    """A stereo call: a 300 Hz tone on the agent channel, 500 Hz on the customer channel."""
    t = np.arange(int(SECONDS * RATE)) / RATE
    rng = np.random.default_rng(seed)
    left = 0.3 * np.sin(2 * np.pi * 300 * t) + 0.005 * rng.standard_normal(t.size)
    right = 0.3 * np.sin(2 * np.pi * 500 * t) + 0.005 * rng.standard_normal(t.size)
    pcm = (np.clip(np.stack([left, right], axis=1), -1, 1) * 32767).astype("<i2")
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(pcm.tobytes())
    return path


def transcript() -> CallTranscript:
    card = "************7890"  # as the redactor leaves a card number
    words = (Word("卡号", 2.0, 2.4), Word(card, 2.5, 3.5), Word("。", 3.5, 3.6))
    return CallTranscript(
        language="zh",
        utterances=(
            Utterance("agent", 0.0, 1.8, "您好，建设银行，请问有什么可以帮您？", (Word("您好", 0.0, 0.5),),
                      Role.AGENT, 0),
            Utterance("customer", 2.0, 3.6, f"卡号{card}。", words, Role.CUSTOMER, 1),
            Utterance("customer", 4.0, 5.8, "我要投诉你们的服务太慢了", (), Role.CUSTOMER, 1),
        ),
        duration=SECONDS,
        roles=RoleAssignment((("agent", Role.AGENT), ("customer", Role.CUSTOMER)), 0.9, "channel"),
        diarization_method="channels",
    )


def assessment(c: SeedCall) -> Assessment:
    greeting = Finding("greeting", "required_phrase", Outcome.PASS, 10.0, 10.0,
                       evidence=(Evidence(0, "您好，建设银行", "您好", 0.0, 0.5, 0.9),))
    identity = Finding("verification", "required_phrase", Outcome.FAIL if c.critical_fail else Outcome.PASS,
                       20.0, 0.0 if c.critical_fail else 20.0, critical=True, message="no identity check")
    closing = Finding("closing", "required_phrase", Outcome.NEEDS_REVIEW, 10.0, 5.0,
                      evidence=(Evidence(2, "服务", "服务", 4.0, 5.8, 0.4),))
    rubric = RubricResult("inbound_service_zh", "1.0.0", "h" * 64, (greeting, identity, closing), c.score,
                          passed=c.score >= 80 and not c.critical_fail, auto_failed=c.critical_fail)
    reasons = (ContactReason.COMPLAINT,) if c.complaint else (ContactReason.INQUIRY,)
    classification = Classification(reasons, (LabelScore(reasons[0].value, 0.9),), BusinessType.CARD_SERVICES,
                                     (LabelScore("card_services", 0.8),), escalation_risk=c.complaint,
                                     escalation_score=0.7 if c.complaint else 0.1)
    metrics = CallMetrics(SECONDS, 3.6, 1.6, 2.2, (Interval(3.6, 4.0),), 0.4, (), 0.0, 0, 200.0, 180.0,
                          "chars/min", 0.0)
    return Assessment(transcript(), metrics, rubric, classification)


def seed(ctx: ServiceContext, audio_dir: Path) -> None:
    settings = ctx.settings
    with ctx.session() as session:
        for u in USERS:
            add_user(session, NewUser(u.username, u.role, PASSWORD, teams=u.teams, agent_id=u.agent_id,
                                      pii_access=u.pii_access, display_name=u.username))
    for i, c in enumerate(CALLS):
        stored = ctx.audio_store.put_file(write_call_wav(audio_dir / f"{c.call_id}.wav", i))
        meta = CallMetadata(c.call_id, Direction.INBOUND, "zh", c.agent_id, c.team,
                            started_at=datetime(2026, 12, 1, 2 + i, 0, tzinfo=UTC), agent_channel=0)
        with ctx.session() as session:
            calls.add_audio(session, stored, "wav")
            call = calls.add_call(session, meta, stored.sha256, source_name=f"{c.call_id}.wav", batch_id=None,
                                  salt=settings.customer_ref_salt, tz=settings.timezone, shifts=settings.shifts)
            session.flush()
            a = assessment(c)
            results.save_transcript(session, call.id, a.transcript, pipeline_version="test", redacted=True)
            calls.set_duration(session, call.id, SECONDS)
            results.save_assessment(session, call.id, a)
            results.save_flags(session, call.id, flags_for(c.call_id, a, FlagRules(calibration_rate=0.0)))
            _mark_done(session, call)


def _mark_done(session: object, call: Call) -> None:
    """The end state the workers leave (tests of the workers cover how they get there)."""
    call.state = CallState.DONE.value
    call.stage = "assess"
    call.progress = 100.0
    call.result_pipeline_version = "test"
