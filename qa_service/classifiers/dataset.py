"""Labelled calls for training and evaluation: the corpus files and supervisors' review exports.

Both use one JSONL form, one call per line::

    {"call_id": "train-zh-0007",                       # any unique string
     "language": "zh",
     "source": "corpus" | "review",                   # optional; "review" = a supervisor's correction
     "metadata": {"direction": "inbound" | "outbound",
                  "campaign": null | "marketing" | "return_visit" | "repayment_reminder"},
     "transcript": {...},                              # the interchange form (qa_service.interchange)
     "labels": {"contact_reasons": ["complaint", "suggestion"],   # required, may be []
                "business_type": "transfer",                      # required
                "escalation_risk": true,                          # optional
                "outcome": null | "accepted" | ...,               # optional; outbound calls only
                "turns": [null | {"reason": null | "complaint" | ...,          # customer turns
                                  "sentiment": "negative" | "neutral" | "positive",
                                  "escalation": false,
                                  "topic": null | "transfer" | ...,
                                  "outcome": null | "declined" | ...}, ...]}}  # optional, one per utterance

``turns`` (per-utterance labels; ``topic`` is the business an utterance is about, on either side,
``null`` for generic turns such as greetings; ``outcome`` marks the customer utterance that states an
outbound call's outcome) is what the corpus generator knows;
a supervisor's export usually carries only the call-level labels and that is enough: the
contact-reason and escalation heads learn from call labels through max-pooling over customer
utterances. A label that is absent is not trained on (it is not read as "negative").
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa_service.domain import (
    BusinessType,
    CallMetadata,
    CallTranscript,
    Campaign,
    ContactReason,
    Direction,
    OutboundOutcome,
    Sentiment,
)
from qa_service.errors import ClassifierError, TranscriptFormatError
from qa_service.interchange import transcript_from_dict, transcript_to_dict

DATA_DIR = Path(__file__).resolve().parent / "data"
TRAIN_FILE = DATA_DIR / "train.jsonl"
TEST_FILE = DATA_DIR / "test.jsonl"


@dataclass(frozen=True)
class TurnLabel:
    reason: ContactReason | None = None  # customer turns only
    sentiment: Sentiment | None = None  # customer turns only
    escalation: bool = False
    topic: BusinessType | None = None  # the business this utterance is about, if any (either role)
    outcome: OutboundOutcome | None = None  # the outbound outcome this customer utterance states, if any


@dataclass(frozen=True)
class CallLabels:
    contact_reasons: tuple[ContactReason, ...]
    business_type: BusinessType
    escalation_risk: bool | None = None
    outcome: OutboundOutcome | None = None
    turns: tuple[TurnLabel | None, ...] | None = None  # aligned with the utterances


@dataclass(frozen=True)
class LabelledCall:
    call_id: str
    transcript: CallTranscript
    metadata: CallMetadata
    labels: CallLabels
    source: str = "corpus"
    scenario: str = ""


def _enum(cls: Any, value: Any, where: str) -> Any:
    try:
        return cls(value)
    except ValueError as exc:
        allowed = ", ".join(v.value for v in cls)
        raise ClassifierError(f"{where}: {value!r} is not one of {allowed}", field=where) from exc


def _turn(raw: Any, where: str) -> TurnLabel | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ClassifierError(f"{where}: expected an object or null", field=where)
    reason, sentiment, topic = raw.get("reason"), raw.get("sentiment"), raw.get("topic")
    outcome = raw.get("outcome")
    return TurnLabel(
        reason=None if reason is None else _enum(ContactReason, reason, f"{where}.reason"),
        sentiment=None if sentiment is None else _enum(Sentiment, sentiment, f"{where}.sentiment"),
        escalation=bool(raw.get("escalation", False)),
        topic=None if topic is None else _enum(BusinessType, topic, f"{where}.topic"),
        outcome=None if outcome is None else _enum(OutboundOutcome, outcome, f"{where}.outcome"),
    )


def parse_labels(raw: Any, n_utterances: int, where: str) -> CallLabels:
    if not isinstance(raw, dict):
        raise ClassifierError(f"{where}.labels: expected an object", field=f"{where}.labels")
    reasons = raw.get("contact_reasons")
    if not isinstance(reasons, list):
        raise ClassifierError(
            f"{where}.labels.contact_reasons: expected a list (may be empty)", field="contact_reasons"
        )
    if "business_type" not in raw:
        raise ClassifierError(f"{where}.labels.business_type: missing", field="business_type")
    escalation = raw.get("escalation_risk")
    outcome = raw.get("outcome")
    turns_raw = raw.get("turns")
    turns = None
    if turns_raw is not None:
        if not isinstance(turns_raw, list) or len(turns_raw) != n_utterances:
            raise ClassifierError(
                f"{where}.labels.turns: expected one entry per utterance ({n_utterances})", field="turns"
            )
        turns = tuple(_turn(t, f"{where}.labels.turns[{i}]") for i, t in enumerate(turns_raw))
    return CallLabels(
        contact_reasons=tuple(_enum(ContactReason, r, f"{where}.labels.contact_reasons") for r in reasons),
        business_type=_enum(BusinessType, raw["business_type"], f"{where}.labels.business_type"),
        escalation_risk=None if escalation is None else bool(escalation),
        outcome=None if outcome is None else _enum(OutboundOutcome, outcome, f"{where}.labels.outcome"),
        turns=turns,
    )


def parse_record(raw: Any, where: str) -> LabelledCall:
    if not isinstance(raw, dict):
        raise ClassifierError(f"{where}: expected a JSON object", field=where)
    try:
        transcript = transcript_from_dict(raw.get("transcript"))
    except TranscriptFormatError as exc:
        raise ClassifierError(f"{where}.transcript: {exc.message}", field="transcript") from exc
    meta = raw.get("metadata") or {}
    if not isinstance(meta, dict):
        raise ClassifierError(f"{where}.metadata: expected an object", field="metadata")
    campaign = meta.get("campaign")
    call_id = str(raw.get("call_id") or where)
    metadata = CallMetadata(
        call_id=call_id,
        direction=_enum(Direction, meta.get("direction", "inbound"), f"{where}.metadata.direction"),
        language=str(raw.get("language") or transcript.language),
        campaign=None if campaign is None else _enum(Campaign, campaign, f"{where}.metadata.campaign"),
    )
    labels = parse_labels(raw.get("labels"), len(transcript.utterances), where)
    return LabelledCall(
        call_id, transcript, metadata, labels, str(raw.get("source", "corpus")), str(raw.get("scenario", ""))
    )


def iter_records(path: Path) -> Iterator[LabelledCall]:
    """Read a JSONL file of labelled calls; a bad line raises :class:`ClassifierError` naming it."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as exc:
        raise ClassifierError(f"{path}: no such file", file=str(path)) from exc
    except UnicodeDecodeError as exc:
        raise ClassifierError(f"{path}: not UTF-8 text", file=str(path)) from exc
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ClassifierError(f"{path}:{n}: not valid JSON ({exc.msg})", file=str(path), line=n) from exc
        yield parse_record(raw, f"{path.name}:{n}")


def load_records(path: Path) -> tuple[LabelledCall, ...]:
    return tuple(iter_records(path))


def record_to_dict(call: LabelledCall) -> dict[str, Any]:
    """The JSONL form of a labelled call (what a review export writes)."""
    labels: dict[str, Any] = {
        "contact_reasons": [r.value for r in call.labels.contact_reasons],
        "business_type": call.labels.business_type.value,
    }
    if call.labels.escalation_risk is not None:
        labels["escalation_risk"] = call.labels.escalation_risk
    if call.labels.outcome is not None:
        labels["outcome"] = call.labels.outcome.value
    if call.labels.turns is not None:
        labels["turns"] = [
            None
            if t is None
            else {
                "reason": t.reason.value if t.reason else None,
                "sentiment": t.sentiment.value if t.sentiment else None,
                "escalation": t.escalation,
                "topic": t.topic.value if t.topic else None,
                "outcome": t.outcome.value if t.outcome else None,
            }
            for t in call.labels.turns
        ]
    return {
        "call_id": call.call_id,
        "language": call.transcript.language,
        "source": call.source,
        "metadata": {
            "direction": call.metadata.direction.value,
            "campaign": call.metadata.campaign.value if call.metadata.campaign else None,
        },
        "transcript": transcript_to_dict(call.transcript),
        "labels": labels,
    }


def write_records(path: Path, calls: Iterable[LabelledCall]) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for call in calls:
            fh.write(json.dumps(record_to_dict(call), ensure_ascii=False) + "\n")
