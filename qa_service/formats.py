"""Writers for a role-labelled transcript: readable text, SRT, WebVTT and RTTM (JSON is
:func:`qa_service.interchange.transcript_to_dict`). Pure functions returning strings."""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa_service.domain import CallTranscript, Role, RoleAssignment, SpeakerTurn, Utterance


def _clock(seconds: float, sep: str = ".", hours: bool = True) -> str:
    ms = max(0, round(seconds * 1000))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}" if hours else f"{m + 60 * h:02d}:{s:02d}{sep}{ms:03d}"


def _who(u: Utterance) -> str:
    return u.role.value if u.role != Role.UNKNOWN else u.speaker


def to_text(transcript: CallTranscript) -> str:
    """One utterance per line: ``[start → end] role: text``, with a header saying how roles were found."""
    lines = [f"# language: {transcript.language}, duration: {transcript.duration:.1f} s, "
             f"speakers from: {transcript.diarization_method or '-'}"]
    roles = transcript.roles
    if roles is not None:
        flag = "  (LOW CONFIDENCE - check)" if roles.low_confidence else ""
        lines.append(f"# roles: {roles.method}, confidence {roles.confidence:.2f}{flag}")
        lines.extend(f"#   {reason}" for reason in roles.reasons)
    if not transcript.utterances:
        lines.append("(no speech recognised)")
    width = max((len(_who(u)) for u in transcript.utterances), default=0)
    lines.extend(
        f"[{_clock(u.start, hours=False)} → {_clock(u.end, hours=False)}] {_who(u).ljust(width)}: {u.text}"
        for u in transcript.utterances
    )
    return "\n".join(lines) + "\n"


def to_srt(transcript: CallTranscript) -> str:
    cues = [
        f"{i}\n{_clock(u.start, ',')} --> {_clock(u.end, ',')}\n{_who(u)}: {u.text}\n"
        for i, u in enumerate(transcript.utterances, start=1)
    ]
    return "\n".join(cues)


def to_vtt(transcript: CallTranscript) -> str:
    cues = [
        f"{_clock(u.start)} --> {_clock(u.end)}\n<v {_who(u)}>{_vtt_escape(u.text)}\n"
        for u in transcript.utterances
    ]
    return "WEBVTT\n\n" + "\n".join(cues)


def _vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_rttm(turns: Sequence[SpeakerTurn], file_id: str, roles: RoleAssignment | None = None) -> str:
    """NIST RTTM ``SPEAKER`` lines; speakers named by role where roles are known."""
    uri = re.sub(r"\s+", "_", file_id) or "call"
    lines = []
    for t in sorted(turns, key=lambda x: (x.start, x.end)):
        role = roles.role_of(t.speaker) if roles is not None else Role.UNKNOWN
        name = role.value if role != Role.UNKNOWN else t.speaker
        lines.append(f"SPEAKER {uri} 1 {t.start:.3f} {t.end - t.start:.3f} <NA> <NA> {name} <NA> <NA>")
    return "\n".join(lines) + ("\n" if lines else "")
