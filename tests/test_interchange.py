from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa_service.domain import CallTranscript, Role, Utterance, Word
from qa_service.errors import TranscriptFormatError
from qa_service.interchange import load_transcript, transcript_from_dict, transcript_to_dict


def _transcript() -> CallTranscript:
    return CallTranscript(
        language="zh",
        duration=6.0,
        utterances=(
            Utterance("agent", 0.0, 2.5, "您好，建设银行", (Word("您好", 0.0, 0.5, 0.9),), Role.AGENT, 0),
            Utterance("customer", 3.0, 6.0, "我想查余额", (), Role.CUSTOMER, 1),
        ),
    )


def test_round_trip() -> None:
    back = transcript_from_dict(json.loads(json.dumps(transcript_to_dict(_transcript()))))
    assert back.utterances == _transcript().utterances
    assert back.language == "zh"


def test_minimal_form_without_words() -> None:
    t = transcript_from_dict(
        {"language": "en", "utterances": [{"role": "agent", "start": 0, "end": 1.5, "text": "Hello"}]}
    )
    assert t.utterances[0].role is Role.AGENT and t.utterances[0].words == () and t.duration == 1.5


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"utterances": []}, "language"),
        ({"language": "zh", "utterances": {}}, "utterances"),
        ({"language": "zh", "utterances": [{"role": "boss", "start": 0, "end": 1, "text": ""}]},
         "utterances[0].role"),
        ({"language": "zh", "utterances": [{"role": "agent", "start": 2, "end": 1, "text": ""}]},
         "utterances[0]"),
        ({"language": "zh", "utterances": [{"role": "agent", "start": "a", "end": 1, "text": ""}]},
         "utterances[0].start"),
    ],
)
def test_bad_input_names_the_field(data: object, field: str) -> None:
    with pytest.raises(TranscriptFormatError) as err:
        transcript_from_dict(data)
    assert err.value.details["field"] == field


def test_load_reports_file_on_bad_json(tmp_path: Path) -> None:
    bad = tmp_path / "t.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(TranscriptFormatError) as err:
        load_transcript(bad)
    assert str(bad) in err.value.reason
