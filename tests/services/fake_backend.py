"""A deterministic stand-in for the speech models and the assessment, for tests of the queueing and
storage machinery (where the models are not the point). Selected through the documented seam
``QA_ANALYSIS_BACKEND=fake_backend:create_backend`` (this folder on PYTHONPATH).

It really decodes the stored audio (so a corrupt file fails as it would), then derives a transcript
from the samples: deterministic for the same bytes, different for different audio. Knobs (env):
``QA_FAKE_DELAY_S`` (seconds per transcription, spent in steps that report progress);
``QA_FAKE_TRANSIENT_DIR`` (a folder: the first assessment of each call raises StorageUnavailable and
leaves a marker there, so the retry succeeds); ``QA_FAKE_CRASH`` (a call id whose transcription raises
an unexpected RuntimeError).
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass
from pathlib import Path

from qa_service.domain import (
    BusinessType,
    CallMetadata,
    CallMetrics,
    CallTranscript,
    Classification,
    ContactReason,
    Finding,
    LabelScore,
    OutboundOutcome,
    Outcome,
    Role,
    RoleAssignment,
    RubricResult,
    Utterance,
    Word,
)
from qa_service.errors import StorageUnavailable
from qa_service.progress import ProgressHook
from qa_service.settings import Settings

VERSION = "fake-1"


@dataclass(frozen=True)
class FakeAssessment:
    transcript: CallTranscript
    metrics: CallMetrics
    rubric: RubricResult | None
    classification: Classification | None


def _rubric_hash(directory: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(directory.glob("*.yaml")) if directory.is_dir() else []:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


class FakeBackend:
    pipeline_version = VERSION

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def transcribe(self, audio_path: Path, metadata: CallMetadata, hook: ProgressHook) -> CallTranscript:
        from qa_service.pipeline import decode_audio

        audio = decode_audio(audio_path, name=metadata.call_id)
        if os.environ.get("QA_FAKE_CRASH") == metadata.call_id:
            raise RuntimeError("fake model crashed")
        delay = float(os.environ.get("QA_FAKE_DELAY_S", "0") or 0)
        steps = 10
        for i in range(steps):
            if delay:
                time.sleep(delay / steps)
            hook("transcribe", (i + 1) / steps, 1.0)
        digest = hashlib.sha256(audio.samples.tobytes()).hexdigest()
        language = metadata.language or "zh"
        utterances = []
        t = 0.0
        step = max(0.5, audio.duration / 4)
        for i in range(4):
            role = Role.AGENT if i % 2 == 0 else Role.CUSTOMER
            text = f"{role.value} {digest[i * 8 : (i + 1) * 8]} 卡号 6222 0212 3456 7890"
            start, end = t, t + step * 0.9
            utterances.append(
                Utterance(
                    role.value,
                    start,
                    end,
                    text,
                    (Word(text, start, end, 0.9),),
                    role,
                    0 if role is Role.AGENT else 1,
                )
            )
            t += step
        return CallTranscript(
            language,
            tuple(utterances),
            audio.duration,
            RoleAssignment((("agent", Role.AGENT), ("customer", Role.CUSTOMER)), 1.0, "channel"),
            "channels",
            (("source", audio.source),),
        )

    def redact(self, transcript: CallTranscript) -> CallTranscript:
        from dataclasses import replace

        def mask(text: str) -> str:
            return "".join("#" if c.isdigit() else c for c in text)

        return replace(
            transcript,
            utterances=tuple(
                replace(u, text=mask(u.text), words=tuple(replace(w, text=mask(w.text)) for w in u.words))
                for u in transcript.utterances
            ),
        )

    def rubric_hash(self, metadata: CallMetadata, language: str) -> str | None:
        return _rubric_hash(self.settings.rubric_dir)

    def assess(self, transcript: CallTranscript, metadata: CallMetadata) -> FakeAssessment:
        flaky = os.environ.get("QA_FAKE_TRANSIENT_DIR")
        if flaky:
            marker = Path(flaky) / metadata.call_id
            if not marker.exists():
                marker.touch()
                raise StorageUnavailable("fake: database blinked")
        agent = sum(u.duration for u in transcript.utterances if u.role is Role.AGENT)
        customer = sum(u.duration for u in transcript.utterances if u.role is Role.CUSTOMER)
        metrics = CallMetrics(
            transcript.duration,
            agent,
            customer,
            agent / customer if customer else None,
            (),
            0.0,
            (),
            0.0,
            0,
            100.0,
            90.0,
            "chars/min",
            0.5,
        )
        greeting_ok = "#" in transcript.utterances[0].text if transcript.utterances else False
        findings = (
            Finding(
                "greeting",
                "required_phrase",
                Outcome.PASS if greeting_ok else Outcome.FAIL,
                10.0,
                10.0 if greeting_ok else 0.0,
            ),
            Finding("closing", "required_phrase", Outcome.FAIL, 10.0, 0.0, message="no closing"),
        )
        rubric = RubricResult(
            "fake_rubric", "1", _rubric_hash(self.settings.rubric_dir), findings, 50.0, False
        )
        digit = int(hashlib.sha256(transcript.text.encode()).hexdigest(), 16)
        business = list(BusinessType)[digit % len(BusinessType)]
        outcome = OutboundOutcome.ACCEPTED if metadata.campaign is not None else None
        classification = Classification(
            (ContactReason.INQUIRY,),
            (LabelScore("inquiry", 0.9),),
            business,
            (LabelScore(business.value, 0.8),),
            outcome=outcome,
            model="fake",
        )
        return FakeAssessment(transcript, metrics, rubric, classification)


def create_backend(settings: Settings) -> FakeBackend:
    return FakeBackend(settings)
