"""A larger, varied data set for the statistics, compliance and grading tests: calls over ten days in
two teams, inbound and outbound (marketing, return visits), repeat customers, every contact reason,
several business types, outbound outcomes and forbidden phrases — stored through the real store
functions, on top of tests/api/seed.py."""

from __future__ import annotations

import random
import wave
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from seed import _mark_done, transcript

from qa_service.analysis import Assessment
from qa_service.domain import (
    BusinessType,
    CallMetadata,
    CallMetrics,
    Campaign,
    Classification,
    ContactReason,
    Direction,
    Evidence,
    Finding,
    LabelScore,
    OutboundOutcome,
    Outcome,
    RubricResult,
)
from qa_service.flags import FlagRules, flags_for
from qa_service.services.context import ServiceContext
from qa_service.store import calls, results

AGENTS = {"A1": "A", "A2": "A", "B1": "B"}
START = datetime(2026, 12, 1, 0, 30, tzinfo=UTC)  # 08:30 in Shanghai


@dataclass(frozen=True)
class CentreCall:
    call_id: str
    agent_id: str
    team: str
    started_at: datetime
    direction: Direction
    campaign: Campaign | None
    customer: str
    duration: float
    score: float
    reason: ContactReason
    business: BusinessType
    outcome: OutboundOutcome | None
    forbidden: bool


def plan(n: int = 36, seed: int = 7) -> list[CentreCall]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        agent = rng.choice(sorted(AGENTS))
        outbound = i % 4 == 3
        campaign = rng.choice([Campaign.MARKETING, Campaign.RETURN_VISIT]) if outbound else None
        outcome = None
        if campaign is Campaign.MARKETING:
            outcome = rng.choice([OutboundOutcome.ACCEPTED, OutboundOutcome.DECLINED])
        elif campaign is Campaign.RETURN_VISIT:
            outcome = rng.choice([OutboundOutcome.SATISFIED, OutboundOutcome.DISSATISFIED])
        out.append(CentreCall(
            call_id=f"C-{i:03d}", agent_id=agent, team=AGENTS[agent],
            started_at=START + timedelta(days=i % 10, hours=rng.choice([0, 3, 8, 15])),
            direction=Direction.OUTBOUND if outbound else Direction.INBOUND, campaign=campaign,
            customer=f"cust-{rng.randrange(12)}", duration=float(rng.randrange(60, 600)),
            score=float(rng.randrange(40, 101)), reason=rng.choice(list(ContactReason)),
            business=rng.choice([BusinessType.ACCOUNT_INQUIRY, BusinessType.TRANSFER, BusinessType.BILL_PAYMENT]),
            outcome=outcome, forbidden=rng.random() < 0.25))
    return out


def _wav(path: Path, seed: int) -> Path:
    rng = np.random.default_rng(1000 + seed)
    pcm = (rng.standard_normal(8000) * 3000).astype("<i2")
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(pcm.tobytes())
    return path


def _assessment(c: CentreCall) -> Assessment:
    greeting = Finding("greeting", "required_phrase", Outcome.PASS if c.score >= 60 else Outcome.FAIL, 10.0,
                       10.0 if c.score >= 60 else 0.0)
    forbidden = Finding("forbidden_phrases", "forbidden_phrase", Outcome.FAIL if c.forbidden else Outcome.PASS,
                        0.0, 0.0, critical=True,
                        evidence=(Evidence(0, "这个我不管", "不管", 12.5, 13.1, 0.8),) if c.forbidden else ())
    rubric = RubricResult("inbound_service_zh", "1.0.0", "h" * 64, (greeting, forbidden), c.score,
                          passed=c.score >= 80 and not c.forbidden, auto_failed=c.forbidden)
    classification = Classification((c.reason,), (LabelScore(c.reason.value, 0.9),), c.business,
                                    (LabelScore(c.business.value, 0.8),), outcome=c.outcome,
                                    outcome_score=0.9 if c.outcome else None)
    metrics = CallMetrics(c.duration, c.duration / 2, c.duration / 3, 1.0, (), 0.0, (), 0.0, 0, 200.0, 180.0,
                          "chars/min", 0.0)
    return Assessment(transcript(), metrics, rubric, classification)


def seed_centre(ctx: ServiceContext, audio_dir: Path) -> list[CentreCall]:
    planned = plan()
    settings = ctx.settings
    for i, c in enumerate(planned):
        stored = ctx.audio_store.put_file(_wav(audio_dir / f"{c.call_id}.wav", i))
        meta = CallMetadata(c.call_id, c.direction, "zh", c.agent_id, c.team, campaign=c.campaign,
                            started_at=c.started_at, customer_ref=c.customer, agent_channel=0)
        with ctx.session() as session:
            calls.add_audio(session, stored, "wav")
            call = calls.add_call(session, meta, stored.sha256, source_name=f"{c.call_id}.wav", batch_id=None,
                                  salt=settings.customer_ref_salt, tz=settings.timezone, shifts=settings.shifts)
            session.flush()
            a = _assessment(c)
            results.save_transcript(session, call.id, a.transcript, pipeline_version="test", redacted=True)
            calls.set_duration(session, call.id, c.duration)
            results.save_assessment(session, call.id, a)
            results.save_flags(session, call.id, flags_for(c.call_id, a, FlagRules(calibration_rate=0.0)))
            _mark_done(session, call)
    return planned
