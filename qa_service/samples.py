"""The sample calls in ``sample_audio/``: typed access to their sidecars, reference turns and RTTM.

Each sample call has a JSON sidecar written by ``sample_audio/generate.py`` from ``calls.yaml``::

    {"call_id", "language", "description", "scenarios": [...],
     "audio": {"stereo", "mono", "telephony" | null, "rttm", "duration", "sample_rate", "agent_channel"},
     "metadata": {"agent_id", "team", "direction", "queue", "campaign", "started_at", "customer_ref"},
     "expected": {"contact_reasons", "business_type", "outcome", "escalation_risk", "rubric_id",
                  "rubric": {item_id: outcome}, "rubric_passed"},
     "turns": [{"role", "speaker", "start", "end", "text"}]}

:func:`load_sample` checks all of it and raises :class:`SampleFormatError` naming the file and the
field on anything wrong; evaluation and tests use :class:`SampleCall` and never the raw dict.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
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
    Outcome,
    Role,
    RoleAssignment,
    SpeakerTurn,
    Utterance,
)
from qa_service.errors import PermanentError

LANGUAGES = ("zh", "en")

#: The rubric item ids of every rubric (shared vocabulary); ``<family>_zh`` and ``<family>_en`` share them.
RUBRIC_ITEMS: Mapping[str, tuple[str, ...]] = {
    "inbound_service": ("greeting", "verification", "offer_further_help", "closing", "forbidden_phrases",
                        "apology_on_complaint", "order"),
    "outbound_marketing": ("greeting", "identity", "purpose", "recording_disclosure", "risk_disclosure",
                           "opt_out", "closing", "forbidden_phrases"),
    "return_visit": ("greeting", "identity", "purpose", "satisfaction_question", "closing",
                     "forbidden_phrases"),
    "repayment_reminder": ("greeting", "identity", "verification", "amount_and_due_date", "closing",
                           "forbidden_phrases"),
}

#: Which outcomes each outbound campaign may have.
CAMPAIGN_OUTCOMES: Mapping[Campaign, frozenset[OutboundOutcome]] = {
    Campaign.MARKETING: frozenset({OutboundOutcome.ACCEPTED, OutboundOutcome.DECLINED,
                                   OutboundOutcome.CALL_BACK_LATER, OutboundOutcome.NOT_REACHED}),
    Campaign.RETURN_VISIT: frozenset({OutboundOutcome.SATISFIED, OutboundOutcome.NEUTRAL,
                                      OutboundOutcome.DISSATISFIED, OutboundOutcome.NOT_REACHED}),
    Campaign.REPAYMENT_REMINDER: frozenset({OutboundOutcome.PROMISED_TO_PAY, OutboundOutcome.DISPUTES,
                                            OutboundOutcome.NOT_REACHED}),
}


class SampleFormatError(PermanentError):
    """A sample sidecar or RTTM file is missing, malformed or inconsistent."""


@dataclass(frozen=True)
class SampleTurn:
    """One scripted turn: who said what, and where its speech is in the audio (seconds)."""

    role: Role
    speaker: str
    start: float
    end: float
    text: str

    @property
    def duration(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class SampleExpected:
    """The reference answers for a call."""

    contact_reasons: tuple[ContactReason, ...]
    business_type: BusinessType
    outcome: OutboundOutcome | None
    escalation_risk: bool
    rubric_id: str
    rubric: tuple[tuple[str, Outcome], ...]  # item id → outcome, in the rubric's item order
    rubric_passed: bool

    def item(self, item_id: str) -> Outcome:
        """The expected outcome of one rubric item (KeyError if the rubric has no such item)."""
        return dict(self.rubric)[item_id]

    @property
    def failed_items(self) -> tuple[str, ...]:
        return tuple(item for item, outcome in self.rubric if outcome == Outcome.FAIL)


@dataclass(frozen=True)
class SampleCall:
    """A sample call: audio paths (absolute), metadata, reference turns and expected labels."""

    call_id: str
    language: str
    description: str
    scenarios: tuple[str, ...]
    sidecar_path: Path
    stereo_path: Path
    mono_path: Path
    telephony_path: Path | None
    rttm_path: Path
    duration: float
    sample_rate: int
    agent_channel: int
    metadata: CallMetadata
    expected: SampleExpected
    turns: tuple[SampleTurn, ...]

    def channel_of(self, role: Role) -> int:
        """The stereo channel that carries ``role`` (agent or customer)."""
        if role == Role.AGENT:
            return self.agent_channel
        if role == Role.CUSTOMER:
            return 1 - self.agent_channel
        raise ValueError(f"no channel for role {role!r}")

    def reference_turns(self) -> tuple[SpeakerTurn, ...]:
        """The turns as diarization reference (speaker labels "agent" / "customer")."""
        return tuple(SpeakerTurn(t.speaker, t.start, t.end) for t in self.turns)

    def reference_transcript(self) -> CallTranscript:
        """The scripted turns as a role-labelled transcript (what a perfect pipeline would produce)."""
        utterances = tuple(
            Utterance(speaker=t.speaker, start=t.start, end=t.end, text=t.text, role=t.role,
                      channel=self.channel_of(t.role))
            for t in self.turns
        )
        speakers = tuple(dict.fromkeys((t.speaker, t.role) for t in self.turns))
        roles = RoleAssignment(roles=speakers, confidence=1.0, method="reference")
        return CallTranscript(language=self.language, utterances=utterances, duration=self.duration,
                              roles=roles, diarization_method="reference",
                              meta=(("call_id", self.call_id), ("source", "sample")))


# ----------------------------------------------------------------------------------- parsing
class _Reader:
    """Pulls typed fields out of the sidecar dict, raising SampleFormatError with the field's path."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, field: str, problem: str) -> SampleFormatError:
        return SampleFormatError(f"sample sidecar {self.path.name}: {field}: {problem}",
                                 file=str(self.path), field=field)

    def get(self, obj: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
        field = f"{where}.{key}" if where else key
        if key not in obj:
            raise self.fail(field, "missing")
        value = obj[key]
        if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
            raise self.fail(field, f"expected {_kind_name(kind)}, got {value!r}")
        if not isinstance(value, kind):
            raise self.fail(field, f"expected {_kind_name(kind)}, got {value!r}")
        return value

    def text(self, obj: Mapping[str, Any], key: str, where: str = "") -> str:
        value = self.opt_text(obj, key, where, required=True)
        assert value is not None
        return value

    def opt_text(
        self, obj: Mapping[str, Any], key: str, where: str = "", required: bool = False
    ) -> str | None:
        value = self.get(obj, key, str if required else (str, type(None)), where)
        if value is not None and not value.strip():
            raise self.fail(f"{where}.{key}" if where else key, "empty")
        return None if value is None else str(value)

    def seconds(self, obj: Mapping[str, Any], key: str, where: str) -> float:
        value = float(self.get(obj, key, (int, float), where))
        if not math.isfinite(value) or value < 0:
            raise self.fail(f"{where}.{key}", f"expected non-negative seconds, got {value!r}")
        return value

    def enum(self, enum: Any, value: Any, field: str) -> Any:
        try:
            return enum(value)
        except ValueError:
            allowed = ", ".join(m.value for m in enum)
            raise self.fail(field, f"{value!r} is not one of {allowed}") from None

    def file(self, directory: Path, name: str, field: str) -> Path:
        path = (directory / name).resolve()
        if not path.is_file():
            raise self.fail(field, f"audio file {name} not found next to the sidecar")
        return path


def _kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join("null" if k is type(None) else k.__name__ for k in kinds)


def _metadata(r: _Reader, raw: Mapping[str, Any], call_id: str, language: str, agent_channel: int
              ) -> CallMetadata:
    w = "metadata"
    direction = r.enum(Direction, r.get(raw, "direction", str, w), f"{w}.direction")
    campaign_raw = r.get(raw, "campaign", (str, type(None)), w)
    campaign = None if campaign_raw is None else r.enum(Campaign, campaign_raw, f"{w}.campaign")
    if (direction == Direction.OUTBOUND) != (campaign is not None):
        raise r.fail(f"{w}.campaign", "outbound calls need a campaign and inbound calls have none")
    started_raw = r.opt_text(raw, "started_at", w)
    try:
        started_at = datetime.fromisoformat(started_raw) if started_raw else None
    except ValueError:
        raise r.fail(f"{w}.started_at", f"not an ISO 8601 time: {started_raw!r}") from None
    if started_at is not None and started_at.tzinfo is None:
        raise r.fail(f"{w}.started_at", "needs a UTC offset")
    return CallMetadata(
        call_id=call_id,
        direction=direction,
        language=language,
        agent_id=r.opt_text(raw, "agent_id", w),
        team=r.opt_text(raw, "team", w),
        queue=r.opt_text(raw, "queue", w),
        campaign=campaign,
        started_at=started_at,
        customer_ref=r.opt_text(raw, "customer_ref", w),
        agent_channel=agent_channel,
    )


def _expected(r: _Reader, raw: Mapping[str, Any], metadata: CallMetadata, language: str) -> SampleExpected:
    w = "expected"
    reasons = tuple(r.enum(ContactReason, v, f"{w}.contact_reasons")
                    for v in r.get(raw, "contact_reasons", list, w))
    if len(set(reasons)) != len(reasons):
        raise r.fail(f"{w}.contact_reasons", "duplicate labels")
    if metadata.direction == Direction.INBOUND and not reasons:
        raise r.fail(f"{w}.contact_reasons", "an inbound call needs at least one contact reason")
    business = r.enum(BusinessType, r.get(raw, "business_type", str, w), f"{w}.business_type")
    outcome_raw = r.get(raw, "outcome", (str, type(None)), w)
    outcome = None if outcome_raw is None else r.enum(OutboundOutcome, outcome_raw, f"{w}.outcome")
    if metadata.campaign is None and outcome is not None:
        raise r.fail(f"{w}.outcome", "inbound calls have no outbound outcome")
    if metadata.campaign is not None and outcome not in CAMPAIGN_OUTCOMES[metadata.campaign]:
        raise r.fail(f"{w}.outcome", f"{outcome_raw!r} is not an outcome of a {metadata.campaign} call")
    rubric_id = r.get(raw, "rubric_id", str, w)
    family, _, rubric_lang = rubric_id.rpartition("_")
    if family not in RUBRIC_ITEMS or rubric_lang != language:
        raise r.fail(f"{w}.rubric_id", f"{rubric_id!r} is not a known rubric for language {language!r}")
    items = r.get(raw, "rubric", dict, w)
    if set(items) != set(RUBRIC_ITEMS[family]):
        missing = sorted(set(RUBRIC_ITEMS[family]) - set(items))
        extra = sorted(set(items) - set(RUBRIC_ITEMS[family]))
        raise r.fail(f"{w}.rubric", f"items do not match {rubric_id} (missing {missing}, unknown {extra})")
    rubric = tuple(
        (item, r.enum(Outcome, items[item], f"{w}.rubric.{item}")) for item in RUBRIC_ITEMS[family]
    )
    return SampleExpected(
        contact_reasons=reasons,
        business_type=business,
        outcome=outcome,
        escalation_risk=r.get(raw, "escalation_risk", bool, w),
        rubric_id=rubric_id,
        rubric=rubric,
        rubric_passed=r.get(raw, "rubric_passed", bool, w),
    )


def _turns(r: _Reader, raw: list[Any], duration: float) -> tuple[SampleTurn, ...]:
    if not raw:
        raise r.fail("turns", "a call needs at least one turn")
    turns = []
    for i, item in enumerate(raw):
        w = f"turns[{i}]"
        if not isinstance(item, dict):
            raise r.fail(w, "expected an object")
        role = r.enum(Role, r.get(item, "role", str, w), f"{w}.role")
        if role == Role.UNKNOWN:
            raise r.fail(f"{w}.role", "must be agent or customer")
        start, end = r.seconds(item, "start", w), r.seconds(item, "end", w)
        if end <= start or end > duration + 1e-3:
            raise r.fail(w, f"times {start}-{end} must be increasing and inside the {duration} s audio")
        turns.append(SampleTurn(role, r.text(item, "speaker", w), start, end, r.text(item, "text", w)))
    return tuple(turns)


def load_sample(json_path: Path | str) -> SampleCall:
    """Read and check one sidecar; audio paths are resolved next to it and must exist."""
    path = Path(json_path)
    r = _Reader(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SampleFormatError(f"sample sidecar {path} does not exist", file=str(path)) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SampleFormatError(f"sample sidecar {path.name} is not readable JSON: {exc}",
                                file=str(path)) from None
    if not isinstance(raw, dict):
        raise r.fail("(top level)", "expected an object")
    call_id = r.text(raw, "call_id")
    language = r.get(raw, "language", str, "")
    if language not in LANGUAGES:
        raise r.fail("language", f"{language!r} is not one of {', '.join(LANGUAGES)}")
    audio = r.get(raw, "audio", dict, "")
    directory = path.parent
    duration = r.seconds(audio, "duration", "audio")
    agent_channel = r.get(audio, "agent_channel", int, "audio")
    if agent_channel not in (0, 1):
        raise r.fail("audio.agent_channel", f"must be 0 or 1, got {agent_channel}")
    sample_rate = r.get(audio, "sample_rate", int, "audio")
    if sample_rate <= 0:
        raise r.fail("audio.sample_rate", f"must be positive, got {sample_rate}")
    telephony = r.opt_text(audio, "telephony", "audio")
    metadata = _metadata(r, r.get(raw, "metadata", dict, ""), call_id, language, agent_channel)
    description = r.text(raw, "description")
    scenarios = r.get(raw, "scenarios", list, "") if "scenarios" in raw else []
    if not all(isinstance(s, str) and s for s in scenarios):
        raise r.fail("scenarios", "expected a list of names")
    return SampleCall(
        call_id=call_id,
        language=language,
        description=description,
        scenarios=tuple(scenarios),
        sidecar_path=path.resolve(),
        stereo_path=r.file(directory, r.get(audio, "stereo", str, "audio"), "audio.stereo"),
        mono_path=r.file(directory, r.get(audio, "mono", str, "audio"), "audio.mono"),
        telephony_path=None if telephony is None else r.file(directory, telephony, "audio.telephony"),
        rttm_path=r.file(directory, r.get(audio, "rttm", str, "audio"), "audio.rttm"),
        duration=duration,
        sample_rate=sample_rate,
        agent_channel=agent_channel,
        metadata=metadata,
        expected=_expected(r, r.get(raw, "expected", dict, ""), metadata, language),
        turns=_turns(r, r.get(raw, "turns", list, ""), duration),
    )


def iter_samples(directory: Path | str) -> list[SampleCall]:
    """Every sample call in ``directory`` (one per ``*.json`` sidecar), sorted by call id."""
    root = Path(directory)
    if not root.is_dir():
        raise SampleFormatError(f"sample directory {root} does not exist", file=str(root))
    samples = [load_sample(p) for p in sorted(root.glob("*.json"))]
    return sorted(samples, key=lambda s: s.call_id)


def load_rttm(path: Path | str) -> tuple[SpeakerTurn, ...]:
    """Speaker turns from an RTTM file (``SPEAKER <file> <chan> <start> <dur> ... <name> ...``), in order."""
    rttm = Path(path)
    try:
        lines = rttm.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise SampleFormatError(f"RTTM file {rttm} is not readable: {exc}", file=str(rttm)) from None
    turns = []
    for number, line in enumerate(lines, start=1):
        fields = line.split()
        if not fields or fields[0].startswith((";", "#")):
            continue
        if len(fields) < 8 or fields[0] != "SPEAKER":
            raise SampleFormatError(f"{rttm.name} line {number}: expected a SPEAKER record with 8+ fields",
                                    file=str(rttm), line=number)
        try:
            start, duration = float(fields[3]), float(fields[4])
        except ValueError:
            raise SampleFormatError(f"{rttm.name} line {number}: start and duration must be numbers",
                                    file=str(rttm), line=number) from None
        if not (math.isfinite(start) and math.isfinite(duration)) or start < 0 or duration <= 0:
            raise SampleFormatError(f"{rttm.name} line {number}: bad times {fields[3]} {fields[4]}",
                                    file=str(rttm), line=number)
        turns.append(SpeakerTurn(fields[7], start, start + duration))
    return tuple(turns)
