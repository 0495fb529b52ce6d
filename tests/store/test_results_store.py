"""Transcripts and results: stored losslessly, replaced as a whole (never duplicated)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import func, select

from qa_service.domain import (
    BusinessType,
    CallMetadata,
    CallMetrics,
    CallTranscript,
    Classification,
    ContactReason,
    Evidence,
    Finding,
    Interval,
    LabelScore,
    OutboundOutcome,
    Outcome,
    Role,
    RoleAssignment,
    RubricResult,
    Sentiment,
    TurnSentiment,
    Utterance,
    Word,
)
from qa_service.settings import Settings
from qa_service.store import calls, results
from qa_service.store.audio_store import StoredAudio
from qa_service.store.codec import transcript_from_json, transcript_to_json
from qa_service.store.db import unit_of_work
from qa_service.store.models import CallLabel, FindingRow, UtteranceRow


@dataclass(frozen=True)
class _Assessment:
    transcript: CallTranscript
    metrics: CallMetrics
    rubric: RubricResult | None
    classification: Classification | None


TRANSCRIPT = CallTranscript(
    language="zh",
    utterances=(
        Utterance(
            "SPEAKER_00",
            0.1234567,
            2.987654321,
            "您好，建设银行",
            (Word("您好", 0.1234567, 0.5, 0.91),),
            Role.AGENT,
            0,
        ),
        Utterance("SPEAKER_01", 3.0, 4.5, "我想查余额", (), Role.CUSTOMER, None),
    ),
    duration=12.3456789,
    roles=RoleAssignment(
        (("SPEAKER_00", Role.AGENT), ("SPEAKER_01", Role.CUSTOMER)),
        0.8765,
        "content",
        True,
        ("greeting phrase",),
    ),
    diarization_method="pyannote",
    meta=(("mode", "mono"),),
)

METRICS = CallMetrics(
    12.3, 2.8, 1.5, 1.87, (Interval(5.0, 11.0),), 6.0, (), 0.0, 1, 230.0, None, "chars/min", 0.1
)


def _rubric(score: float) -> RubricResult:
    return RubricResult(
        "inbound_service_zh",
        "3",
        "h" * 64,
        (
            Finding(
                "greeting",
                "required_phrase",
                Outcome.PASS,
                10,
                10,
                False,
                (Evidence(0, "您好，建设银行", "建设银行", 0.12, 2.98, 0.93),),
            ),
            Finding(
                "closing", "required_phrase", Outcome.FAIL, 10, 0, False, (), "expected in the last 30 s"
            ),
            Finding("forbidden_phrases", "forbidden_phrase", Outcome.NEEDS_REVIEW, 20, 0, True),
        ),
        score,
        False,
        False,
    )


CLASSIFICATION = Classification(
    (ContactReason.INQUIRY, ContactReason.COMPLAINT),
    (LabelScore("inquiry", 0.9), LabelScore("complaint", 0.6)),
    BusinessType.ACCOUNT_INQUIRY,
    (LabelScore("account_inquiry", 0.8),),
    (TurnSentiment(1, Sentiment.NEGATIVE, 0.7),),
    True,
    0.66,
    (1,),
    (1,),
    OutboundOutcome.ACCEPTED,
    0.5,
    "m1",
)


def _call(settings: Settings) -> int:
    sha = hashlib.sha256(b"x").hexdigest()
    with unit_of_work(settings) as s:
        calls.add_audio(s, StoredAudio(sha, 1, None), ".wav")  # type: ignore[arg-type]
        call = calls.add_call(
            s, CallMetadata("c1"), sha, source_name="c1.wav", batch_id=None, salt="s", tz="UTC", shifts={}
        )
        s.flush()
        return call.id


def test_codec_is_lossless() -> None:
    assert transcript_from_json(transcript_to_json(TRANSCRIPT)) == TRANSCRIPT


def test_transcript_and_results_are_replaced_not_duplicated(db_settings: Settings) -> None:
    pk = _call(db_settings)
    for _ in range(2):
        with unit_of_work(db_settings) as s:
            results.save_transcript(s, pk, TRANSCRIPT, pipeline_version="1", redacted=True)
            results.save_assessment(s, pk, _Assessment(TRANSCRIPT, METRICS, _rubric(55.0), CLASSIFICATION))
    with unit_of_work(db_settings) as s:
        assert results.load_transcript(s, pk) == TRANSCRIPT
        assert results.load_metrics(s, pk) == METRICS
        assert results.load_rubric_result(s, pk) == _rubric(55.0)
        assert s.scalar(select(func.count()).select_from(UtteranceRow)) == 2
        assert s.scalar(select(func.count()).select_from(FindingRow)) == 3
        assert results.labels_of(s, pk) == {
            "business_type": ["account_inquiry"],
            "contact_reason": ["complaint", "inquiry"],
            "outcome": ["accepted"],
        }
        snap = results.snapshot(s, pk)
        assert snap["rubric"]["score"] == 55.0 and snap["classification"]["sentiment"] == [
            [1, "negative", 0.7]
        ]
    with unit_of_work(db_settings) as s:  # a rescore without a classification clears the old labels
        results.save_assessment(s, pk, _Assessment(TRANSCRIPT, METRICS, _rubric(70.0), None))
    with unit_of_work(db_settings) as s:
        assert s.scalar(select(func.count()).select_from(CallLabel)) == 0
        rubric = results.load_rubric_result(s, pk)
        assert rubric is not None and rubric.score == 70.0
