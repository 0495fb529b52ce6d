"""Transcript writers: text, SRT, WebVTT, RTTM."""

from __future__ import annotations

from qa_service.domain import CallTranscript, Role, RoleAssignment, SpeakerTurn, Utterance
from qa_service.formats import to_rttm, to_srt, to_text, to_vtt

ROLES = RoleAssignment((("SPEAKER_00", Role.AGENT), ("SPEAKER_01", Role.CUSTOMER)), 0.55, "content",
                       low_confidence=True, reasons=("SPEAKER_00: score +0.3 (spoke first)",))
T = CallTranscript(
    "en",
    (Utterance("SPEAKER_00", 0.5, 2.25, "Hello, <bank> & co.", role=Role.AGENT),
     Utterance("SPEAKER_01", 62.0, 3725.5, "Hi.", role=Role.CUSTOMER)),
    duration=3730.0, roles=ROLES, diarization_method="pyannote",
)


def test_text_has_one_line_per_utterance_and_flags_low_confidence() -> None:
    text = to_text(T)
    lines = text.splitlines()
    assert "LOW CONFIDENCE" in text and "spoke first" in text
    assert lines[-2] == "[00:00.500 → 00:02.250] agent   : Hello, <bank> & co."
    assert lines[-1] == "[01:02.000 → 62:05.500] customer: Hi."
    assert "(no speech recognised)" in to_text(CallTranscript("en", ()))


def test_srt_cues() -> None:
    assert to_srt(T).split("\n\n")[0] == "1\n00:00:00,500 --> 00:00:02,250\nagent: Hello, <bank> & co."
    assert "2\n00:01:02,000 --> 01:02:05,500\ncustomer: Hi.\n" in to_srt(T)


def test_vtt_cues_escape_markup() -> None:
    vtt = to_vtt(T)
    assert vtt.startswith("WEBVTT\n\n00:00:00.500 --> 00:00:02.250\n<v agent>Hello, &lt;bank&gt; &amp; co.\n")


def test_rttm_names_speakers_by_role_where_known() -> None:
    turns = (SpeakerTurn("SPEAKER_01", 3.0, 4.5), SpeakerTurn("SPEAKER_00", 0.5, 2.0), SpeakerTurn("X", 5, 6))
    lines = to_rttm(turns, "my call", ROLES).splitlines()
    assert lines[0] == "SPEAKER my_call 1 0.500 1.500 <NA> <NA> agent <NA> <NA>"
    assert lines[1].split()[7] == "customer" and lines[2].split()[7] == "X"
    assert to_rttm((), "c") == ""
