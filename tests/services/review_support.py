"""Shared by the review and correction tests: the embedded service settings (fake analysis backend) on
SQLite and on a scratch PostgreSQL database, a rubric the fake backend's findings belong to, people,
and hand-built scored calls."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session
from svc_support import FAKE_BACKEND

from qa_service.analysis import Assessment
from qa_service.domain import (
    BusinessType,
    CallMetadata,
    CallMetrics,
    CallTranscript,
    Classification,
    ContactReason,
    Finding,
    LabelScore,
    Outcome,
    Role,
    RoleAssignment,
    RubricResult,
    Utterance,
)
from qa_service.rubrics import Rubric, parse_rubric, scorecard
from qa_service.services.access import Principal
from qa_service.services.context import ServiceContext
from qa_service.settings import Settings
from qa_service.store import calls, results
from qa_service.store.db import dispose_engines, get_engine
from qa_service.store.migrate import upgrade
from qa_service.store.models import AudioBlob, Base, Call, User
from qa_service.store.states import CallState, Stage, UserRole

#: A real rubric with the fake backend's items (greeting, closing): reviews total with its weights
#: and pass threshold (found by id and version, the fake backend stores a folder hash).
FAKE_RUBRIC = """id: fake_rubric
version: '1'
language: zh
pass_threshold: 80
items:
  - id: greeting
    kind: required_phrase
    phrases: [您好]
    weight: 10
  - id: closing
    kind: required_phrase
    phrases: [再见]
    weight: 10
"""

#: A rubric for hand-built scorecards: a critical item and one whose finding needs review.
TEST_RUBRIC = """id: review_test
version: '3'
language: en
pass_threshold: 80
items:
  - id: greeting
    kind: required_phrase
    phrases: [thank you for calling]
    weight: 10
  - id: verification
    kind: required_phrase
    phrases: [verify your identity]
    weight: 10
    critical: true
  - id: closing
    kind: required_phrase
    phrases: [have a nice day]
    weight: 10
  - id: empathy
    kind: required_phrase
    phrases: [i understand]
    weight: 5
"""


def write_fake_rubric(directory: Path) -> None:
    (directory / "fake_rubric.yaml").write_text(FAKE_RUBRIC, encoding="utf-8")


def review_rubric() -> Rubric:
    return parse_rubric(TEST_RUBRIC)


# --------------------------------------------------------------------------- settings on both backends
@pytest.fixture(scope="module")
def review_pg_url() -> Iterator[str]:
    from qa_service.store.scratch import scratch_database

    with scratch_database("qa_test_reviews") as url:
        yield url
        dispose_engines()


def _truncate(settings: Settings) -> None:
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with get_engine(settings).begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.services)])
def any_svc(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ServiceContext]:
    """The embedded service (fake backend, a rubric folder the reviews can load) on each backend."""
    rubrics = tmp_path / "rubrics"
    rubrics.mkdir()
    write_fake_rubric(rubrics)
    url = request.getfixturevalue("review_pg_url") if request.param == "postgresql" else ""
    settings = Settings(data_dir=tmp_path / "data", rubric_dir=rubrics, analysis_backend=FAKE_BACKEND,
                        lease_timeout_s=30, retry_backoff_s=0.01, database_url=url)
    upgrade(settings)
    if url:
        _truncate(settings)
    yield ServiceContext(settings)
    if not url:
        dispose_engines()


# --------------------------------------------------------------------------- people
@dataclass(frozen=True)
class People:
    supervisor: Principal  # team T1
    other_supervisor: Principal  # team T2
    trainer: Principal  # team T1
    admin: Principal
    agent: Principal  # agent 1023 (team T1)


def add_people(session: Session) -> People:
    def add(username: str, role: UserRole, teams: tuple[str, ...] = (), agent_id: str | None = None) -> Principal:
        user = User(username=username, role=role.value, agent_id=agent_id)
        session.add(user)
        session.flush()
        return Principal(user_id=user.id, username=username, role=role, teams=teams, agent_id=agent_id)

    return People(supervisor=add("sup1", UserRole.SUPERVISOR, ("T1",)),
                  other_supervisor=add("sup2", UserRole.SUPERVISOR, ("T2",)),
                  trainer=add("trainer", UserRole.TRAINER, ("T1",)), admin=add("admin", UserRole.ADMIN),
                  agent=add("agent1023", UserRole.AGENT, agent_id="1023"))


# --------------------------------------------------------------------------- hand-built scored calls
TRANSCRIPT = CallTranscript(
    "en",
    (Utterance("A", 0.0, 2.0, "thank you for calling", role=Role.AGENT),
     Utterance("B", 2.5, 4.0, "i'd like to check my card", role=Role.CUSTOMER)),
    5.0, RoleAssignment((("A", Role.AGENT), ("B", Role.CUSTOMER)), 0.9, "content"), "pyannote")

METRICS = CallMetrics(5.0, 2.0, 1.5, 2.0 / 1.5, (), 0.0, (), 0.0, 0, 100.0, 90.0, "words/min", 0.5)

#: The automatic outcomes of a hand-built call: 20 of 30 points (66.67), below the 80 threshold.
OUTCOMES = {"greeting": Outcome.PASS, "verification": Outcome.PASS, "closing": Outcome.FAIL,
            "empathy": Outcome.NEEDS_REVIEW}


def rubric_result(outcomes: dict[str, Outcome], rubric: Rubric | None = None) -> RubricResult:
    rubric = rubric or review_rubric()
    findings = tuple(
        Finding(item.id, str(item.kind), outcomes[item.id], item.weight,
                item.weight if outcomes[item.id] is Outcome.PASS else 0.0, item.critical)
        for item in rubric.items if item.id in outcomes)
    return scorecard(rubric, findings)


def classification(business: BusinessType = BusinessType.CARD_SERVICES,
                   reasons: tuple[ContactReason, ...] = (ContactReason.INQUIRY,)) -> Classification:
    return Classification(reasons, tuple(LabelScore(r.value, 0.9) for r in reasons), business,
                          (LabelScore(business.value, 0.8),), model="test")


def add_scored_call(session: Session, call_id: str, *, team: str = "T1", agent_id: str = "1023",
                    outcomes: dict[str, Outcome] | None = None, state: CallState = CallState.DONE,
                    scored: bool = True, cls: Classification | None = None) -> Call:
    """A call in ``state`` with a transcript and (``scored``) the test rubric's scorecard + labels."""
    sha = hashlib.sha256(call_id.encode()).hexdigest()
    session.add(AudioBlob(sha256=sha, size_bytes=1, extension=".wav"))
    call = calls.add_call(session, CallMetadata(call_id, agent_id=agent_id, team=team), sha, source_name=call_id,
                          batch_id=None, salt="salt", tz="UTC", shifts={})
    session.flush()
    call.state = state.value
    call.stage = Stage.ASSESS.value
    results.save_transcript(session, call.id, TRANSCRIPT, pipeline_version="test", redacted=True)
    rubric = rubric_result(outcomes or OUTCOMES) if scored else None
    results.save_assessment(session, call.id, Assessment(TRANSCRIPT, METRICS, rubric, cls or classification()))
    session.flush()
    return call


def reassess(session: Session, call: Call, outcomes: dict[str, Outcome],
             cls: Classification | None = None) -> None:
    """What the assess stage writes for a call assessed again (new automatic rows)."""
    results.save_assessment(session, call.id,
                            Assessment(TRANSCRIPT, METRICS, rubric_result(outcomes), cls or classification()))
    session.flush()
