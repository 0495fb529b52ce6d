"""qa_service.samples: a good sidecar loads into typed fields; every kind of bad one is a clear error."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from qa_service.domain import BusinessType, Campaign, ContactReason, Direction, Outcome, Role, SpeakerTurn
from qa_service.errors import PermanentError, QAError
from qa_service.samples import SampleFormatError, iter_samples, load_rttm, load_sample

GOOD: dict[str, Any] = {
    "call_id": "zh_test_call",
    "language": "zh",
    "description": "测试",
    "scenarios": ["account_inquiry"],
    "audio": {"stereo": "zh_test_call.stereo.flac", "mono": "zh_test_call.mono.flac",
              "telephony": None, "rttm": "zh_test_call.rttm", "duration": 10.0, "sample_rate": 16000,
              "agent_channel": 1},
    "metadata": {"agent_id": "1023", "team": "T1", "direction": "inbound", "queue": "retail",
                 "campaign": None, "started_at": "2026-11-02T09:14:00+08:00", "customer_ref": "C-1"},
    "expected": {"contact_reasons": ["inquiry"], "business_type": "account_inquiry", "outcome": None,
                 "escalation_risk": False, "rubric_id": "inbound_service_zh",
                 "rubric": {"greeting": "pass", "verification": "pass", "offer_further_help": "pass",
                            "closing": "fail", "forbidden_phrases": "pass", "apology_on_complaint": "n/a",
                            "order": "pass"},
                 "rubric_passed": False},
    "turns": [{"role": "agent", "speaker": "agent", "start": 0.5, "end": 3.0,
               "text": "您好，建设银行，工号1023为您服务。"},
              {"role": "customer", "speaker": "customer", "start": 3.5, "end": 6.0, "text": "你好。"}],
}


def write(tmp_path: Path, sidecar: dict[str, Any]) -> Path:
    for name in ("zh_test_call.stereo.flac", "zh_test_call.mono.flac", "zh_test_call.rttm"):
        (tmp_path / name).write_bytes(b"")
    path = tmp_path / "zh_test_call.json"
    path.write_text(json.dumps(sidecar, ensure_ascii=False), encoding="utf-8")
    return path


def test_good_sidecar_loads_typed(tmp_path: Path) -> None:
    s = load_sample(write(tmp_path, GOOD))
    assert s.stereo_path == (tmp_path / "zh_test_call.stereo.flac").resolve() and s.telephony_path is None
    assert s.metadata.direction == Direction.INBOUND and s.metadata.campaign is None
    assert s.metadata.started_at == datetime(2026, 11, 2, 9, 14, tzinfo=timezone(timedelta(hours=8)))
    assert s.metadata.agent_channel == 1
    assert s.channel_of(Role.AGENT) == 1 and s.channel_of(Role.CUSTOMER) == 0
    assert s.expected.contact_reasons == (ContactReason.INQUIRY,)
    assert s.expected.business_type == BusinessType.ACCOUNT_INQUIRY
    assert s.expected.item("closing") == Outcome.FAIL and s.expected.failed_items == ("closing",)
    assert s.turns[0].role == Role.AGENT and s.turns[1].duration == pytest.approx(2.5)
    transcript = s.reference_transcript()
    assert [u.channel for u in transcript.utterances] == [1, 0]
    assert s.reference_turns() == (SpeakerTurn("agent", 0.5, 3.0), SpeakerTurn("customer", 3.5, 6.0))
    assert iter_samples(tmp_path) == [s]


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def apply(d: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        for p in parents:
            d = d[int(p)] if isinstance(d, list) else d[p]
        if value is KeyError:
            del d[last]
        else:
            d[last] = value
    return apply


BAD = {
    "missing call_id": (_set("call_id", KeyError), "call_id: missing"),
    "unknown language": (_set("language", "fr"), "language"),
    "unknown rubric item": (_set("expected.rubric.smile", "pass"), "smile"),
    "missing rubric item": (_set("expected.rubric.order", KeyError), "order"),
    "bad outcome value": (_set("expected.rubric.greeting", "ok"), "expected.rubric.greeting"),
    "rubric of other language": (_set("expected.rubric_id", "inbound_service_en"), "rubric_id"),
    "bad business type": (_set("expected.business_type", "mortgages"), "business_type"),
    "inbound with outcome": (_set("expected.outcome", "accepted"), "expected.outcome"),
    "outbound without campaign": (_set("metadata.direction", "outbound"), "metadata.campaign"),
    "bool as number": (_set("audio.duration", True), "audio.duration"),
    "agent channel 2": (_set("audio.agent_channel", 2), "agent_channel"),
    "turn past the end": (_set("turns.1.end", 11.0), "turns[1]"),
    "backwards turn": (_set("turns.0.end", 0.2), "turns[0]"),
    "unknown role": (_set("turns.0.role", "supervisor"), "turns[0].role"),
    "empty text": (_set("turns.1.text", " "), "turns[1].text"),
    "naive start time": (_set("metadata.started_at", "2026-11-02T09:14:00"), "started_at"),
    "missing audio file": (_set("audio.telephony", "nope.wav"), "audio.telephony"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_sidecar_is_a_clear_error(tmp_path: Path, case: str) -> None:
    mutate, needle = BAD[case]
    sidecar = copy.deepcopy(GOOD)
    mutate(sidecar)
    path = write(tmp_path, sidecar)
    with pytest.raises(SampleFormatError) as info:
        load_sample(path)
    assert isinstance(info.value, QAError) and isinstance(info.value, PermanentError)
    assert "zh_test_call.json" in info.value.reason and needle in info.value.reason


def test_outbound_outcome_must_fit_campaign(tmp_path: Path) -> None:
    sidecar = copy.deepcopy(GOOD)
    sidecar["metadata"].update(direction="outbound", campaign="return_visit")
    sidecar["expected"].update(outcome="accepted", contact_reasons=[], rubric_id="return_visit_zh",
                               rubric={k: "pass" for k in ("greeting", "identity", "purpose",
                                                           "satisfaction_question", "closing",
                                                           "forbidden_phrases")})
    with pytest.raises(SampleFormatError, match="not an outcome of a return_visit call"):
        load_sample(write(tmp_path, sidecar))
    sidecar["expected"]["outcome"] = "satisfied"
    s = load_sample(write(tmp_path, sidecar))
    assert s.metadata.campaign == Campaign.RETURN_VISIT and s.expected.contact_reasons == ()


def test_unreadable_sidecars(tmp_path: Path) -> None:
    with pytest.raises(SampleFormatError, match="does not exist"):
        load_sample(tmp_path / "absent.json")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(SampleFormatError, match="not readable JSON"):
        load_sample(broken)
    with pytest.raises(SampleFormatError, match="does not exist"):
        iter_samples(tmp_path / "nowhere")


def test_load_rttm(tmp_path: Path) -> None:
    path = tmp_path / "x.rttm"
    path.write_text(
        ";; comment\n"
        "SPEAKER x 1 0.500 2.500 <NA> <NA> agent <NA> <NA>\n"
        "SPEAKER x 1 3.250 1.000 <NA> <NA> customer <NA> <NA>\n",
        encoding="utf-8",
    )
    assert load_rttm(path) == (SpeakerTurn("agent", 0.5, 3.0), SpeakerTurn("customer", 3.25, 4.25))
    for bad, needle in (("SPEAKER x 1 0.5 abc <NA> <NA> a", "numbers"), ("SPEAKER x 1 0.5", "with 8"),
                        ("SPEAKER x 1 0.5 -1 <NA> <NA> a", "bad times")):
        path.write_text(bad + "\n", encoding="utf-8")
        with pytest.raises(SampleFormatError, match=needle):
            load_rttm(path)
    with pytest.raises(SampleFormatError, match="not readable"):
        load_rttm(tmp_path / "absent.rttm")
