from __future__ import annotations

from datetime import UTC, datetime

import pytest

from qa_service.domain import Campaign, Direction
from qa_service.errors import IngestError
from qa_service.ingest.metadata import build_metadata, fields_from_name, parse_datetime
from qa_service.settings import Settings

PATTERN = Settings().ingest_filename_pattern


@pytest.mark.parametrize("text", ["20261102091400", "20261102T091400", "20261102_0914", "2026-11-02T09:14:00",
                                  "2026-11-02 09:14:00+08:00", "2026-11-02T01:14:00Z"])
def test_datetimes_are_read_in_call_centre_time(text: str) -> None:
    assert parse_datetime(text, "Asia/Shanghai") == datetime(2026, 11, 2, 1, 14, tzinfo=UTC)


def test_recorder_file_names_give_agent_and_time() -> None:
    fields = fields_from_name("REC_Q95533_AGENT_1023_DT_20261102T091400_IN.wav", PATTERN)
    assert fields == {"agent_id": "1023", "started_at": "20261102T091400"}
    assert fields_from_name("something_else.wav", PATTERN) == {}
    meta = build_metadata(fields, default_call_id="REC_Q95533", tz="Asia/Shanghai")
    assert meta.agent_id == "1023" and meta.call_id == "REC_Q95533"
    assert meta.started_at is not None and meta.started_at.isoformat() == "2026-11-02T09:14:00+08:00"


def test_template_patterns_as_in_the_readme() -> None:
    template = "..._AGENT_{agent_id}_DT_{started_at}..."
    name = "REC_Q95533_AGENT_1023_DT_20261102T091400_IN.wav"
    assert fields_from_name(name, template) == {"agent_id": "1023", "started_at": "20261102T091400"}
    assert fields_from_name("X_AGENT_7_DT_20261102T0914.flac", template) == {
        "agent_id": "7", "started_at": "20261102T0914"}
    assert fields_from_name("T1-C77.wav", "{team}-{call_id}...") == {"team": "T1", "call_id": "C77"}
    with pytest.raises(IngestError, match="unknown fields"):
        fields_from_name("x", "{colour}...")


def test_custom_pattern_and_bad_patterns() -> None:
    pattern = r"(?P<call_id>CALL\d+)-(?P<team>T\d)-(?P<direction>inbound|outbound)"
    fields = fields_from_name("x_CALL77-T2-outbound.flac", pattern)
    meta = build_metadata(fields, default_call_id="x", tz="UTC")
    assert (meta.call_id, meta.team, meta.direction) == ("CALL77", "T2", Direction.OUTBOUND)
    with pytest.raises(IngestError, match="unknown fields"):
        fields_from_name("x", r"(?P<colour>\w+)")
    with pytest.raises(IngestError, match="not a valid regular expression"):
        fields_from_name("x", r"(?P<agent_id>")


@pytest.mark.parametrize(("raw", "message"), [
    ({"direction": "sideways"}, "direction"),
    ({"campaign": "spam"}, "campaign"),
    ({"campaign": "marketing", "direction": "inbound"}, "inbound call"),
    ({"language": "fr"}, "language"),
    ({"started_at": "yesterday"}, "started_at"),
    ({"agent_channel": "2"}, "agent_channel"),
    ({"call_id": "a/b"}, "call_id"),
])
def test_bad_metadata_is_named(raw: dict[str, str], message: str) -> None:
    with pytest.raises(IngestError, match=message):
        build_metadata(raw, default_call_id="c", tz="UTC")


def test_campaign_implies_outbound() -> None:
    meta = build_metadata({"campaign": "Return_Visit", "agent_channel": 1}, default_call_id="c", tz="UTC")
    assert (meta.direction, meta.campaign) == (Direction.OUTBOUND, Campaign.RETURN_VISIT)
    assert meta.agent_channel == 1
    assert build_metadata({"agent_channel": "Right"}, default_call_id="c", tz="UTC").agent_channel == 1
    assert build_metadata({"agent_channel": "left"}, default_call_id="c", tz="UTC").agent_channel == 0
