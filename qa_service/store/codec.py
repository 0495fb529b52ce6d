"""Lossless JSON for the stored transcript (full float precision, roles, diarization method, meta).

The interchange form (:mod:`qa_service.interchange`) rounds times and drops the role assignment;
the store keeps everything so assessing a stored transcript gives exactly what assessing the
in-memory one would.
"""

from __future__ import annotations

from typing import Any

from qa_service.domain import CallTranscript, Role, RoleAssignment, Utterance, Word

FORMAT = 1


def _word(w: Word) -> list[Any]:
    return [w.text, w.start, w.end, w.confidence]


def transcript_to_json(t: CallTranscript) -> dict[str, Any]:
    roles = None
    if t.roles is not None:
        roles = {
            "roles": [[spk, role.value] for spk, role in t.roles.roles],
            "confidence": t.roles.confidence,
            "method": t.roles.method,
            "low_confidence": t.roles.low_confidence,
            "reasons": list(t.roles.reasons),
        }
    return {
        "format": FORMAT,
        "language": t.language,
        "duration": t.duration,
        "diarization_method": t.diarization_method,
        "meta": [[k, v] for k, v in t.meta],
        "roles": roles,
        "utterances": [
            {
                "speaker": u.speaker,
                "start": u.start,
                "end": u.end,
                "text": u.text,
                "role": u.role.value,
                "channel": u.channel,
                "words": [_word(w) for w in u.words],
            }
            for u in t.utterances
        ],
    }


def transcript_from_json(d: dict[str, Any]) -> CallTranscript:
    raw_roles = d.get("roles")
    roles = None
    if raw_roles is not None:
        roles = RoleAssignment(
            roles=tuple((str(spk), Role(role)) for spk, role in raw_roles["roles"]),
            confidence=float(raw_roles["confidence"]),
            method=str(raw_roles["method"]),
            low_confidence=bool(raw_roles["low_confidence"]),
            reasons=tuple(str(r) for r in raw_roles["reasons"]),
        )
    utterances = tuple(
        Utterance(
            speaker=u["speaker"],
            start=float(u["start"]),
            end=float(u["end"]),
            text=u["text"],
            words=tuple(Word(str(w[0]), float(w[1]), float(w[2]), float(w[3])) for w in u["words"]),
            role=Role(u["role"]),
            channel=u["channel"],
        )
        for u in d["utterances"]
    )
    return CallTranscript(
        language=d["language"],
        utterances=utterances,
        duration=float(d["duration"]),
        roles=roles,
        diarization_method=d.get("diarization_method", ""),
        meta=tuple((str(k), str(v)) for k, v in d.get("meta", ())),
    )
