"""The documented transcript interchange form, read and written.

```json
{"language": "zh" | "en",
 "utterances": [{"role": "agent" | "customer", "start": 0.0, "end": 2.5, "text": "...",
                 "speaker": "optional label", "channel": 0,
                 "words": [{"text": "...", "start": 0.0, "end": 0.4, "confidence": 0.93}]}]}
```
``words``, ``speaker`` and ``channel`` are optional. Transcripts made by other systems are scored
and classified from this form; ``qa-service analyze --json`` writes it (plus extra keys readers
ignore).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from qa_service.domain.transcript import CallTranscript, Role, Utterance, Word
from qa_service.errors import TranscriptFormatError

_ROLES = {r.value: r for r in Role}


def transcript_to_dict(transcript: CallTranscript) -> dict[str, Any]:
    out: dict[str, Any] = {
        "language": transcript.language,
        "duration": round(transcript.duration, 3),
        "utterances": [
            {
                "role": u.role.value,
                "speaker": u.speaker,
                "channel": u.channel,
                "start": round(u.start, 3),
                "end": round(u.end, 3),
                "text": u.text,
                "words": [
                    {
                        "text": w.text,
                        "start": round(w.start, 3),
                        "end": round(w.end, 3),
                        "confidence": round(w.confidence, 4),
                    }
                    for w in u.words
                ],
            }
            for u in transcript.utterances
        ],
    }
    if transcript.roles is not None:
        out["roles"] = {
            "method": transcript.roles.method,
            "confidence": round(transcript.roles.confidence, 4),
            "low_confidence": transcript.roles.low_confidence,
            "speakers": {spk: role.value for spk, role in transcript.roles.roles},
            "reasons": list(transcript.roles.reasons),
        }
    return out


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise TranscriptFormatError(f"{where}: expected a number of seconds, got {value!r}", field=where)
    if value < 0:
        raise TranscriptFormatError(f"{where}: times cannot be negative ({value})", field=where)
    return float(value)


def _word(raw: Any, where: str) -> Word:
    if not isinstance(raw, dict) or not isinstance(raw.get("text"), str):
        raise TranscriptFormatError(f"{where}: a word needs a 'text' string", field=where)
    conf = raw.get("confidence", 1.0)
    if isinstance(conf, bool) or not isinstance(conf, int | float) or not 0.0 <= conf <= 1.0:
        raise TranscriptFormatError(f"{where}.confidence: expected 0..1, got {conf!r}", field=where)
    return Word(raw["text"], _number(raw.get("start"), f"{where}.start"),
                _number(raw.get("end"), f"{where}.end"), float(conf))


def _utterance(raw: Any, i: int) -> Utterance:
    where = f"utterances[{i}]"
    if not isinstance(raw, dict):
        raise TranscriptFormatError(f"{where}: expected an object", field=where)
    role_raw = raw.get("role")
    if role_raw not in _ROLES:
        raise TranscriptFormatError(
            f"{where}.role: expected 'agent' or 'customer', got {role_raw!r}", field=f"{where}.role"
        )
    text = raw.get("text")
    if not isinstance(text, str):
        raise TranscriptFormatError(f"{where}.text: expected a string", field=f"{where}.text")
    start = _number(raw.get("start"), f"{where}.start")
    end = _number(raw.get("end"), f"{where}.end")
    if end < start:
        raise TranscriptFormatError(f"{where}: end ({end}) is before start ({start})", field=where)
    words_raw = raw.get("words") or []
    if not isinstance(words_raw, list):
        raise TranscriptFormatError(f"{where}.words: expected a list", field=f"{where}.words")
    words = tuple(_word(w, f"{where}.words[{j}]") for j, w in enumerate(words_raw))
    channel = raw.get("channel")
    return Utterance(
        speaker=str(raw.get("speaker") or role_raw),
        start=start,
        end=end,
        text=text,
        words=words,
        role=_ROLES[role_raw],
        channel=channel if isinstance(channel, int) else None,
    )


def transcript_from_dict(data: Any) -> CallTranscript:
    """Validate and convert; raises :class:`TranscriptFormatError` naming the bad field."""
    if not isinstance(data, dict):
        raise TranscriptFormatError("transcript: expected a JSON object with 'language' and 'utterances'")
    language = data.get("language")
    if not isinstance(language, str) or not language:
        raise TranscriptFormatError("language: expected a language code such as 'zh' or 'en'", field="language")
    raw_utts = data.get("utterances")
    if not isinstance(raw_utts, list):
        raise TranscriptFormatError("utterances: expected a list", field="utterances")
    utterances = tuple(_utterance(u, i) for i, u in enumerate(raw_utts))
    duration = data.get("duration")
    if not isinstance(duration, int | float) or isinstance(duration, bool):
        duration = max((u.end for u in utterances), default=0.0)
    return CallTranscript(language=language, utterances=utterances, duration=float(duration),
                          diarization_method="interchange")


def load_transcript(path: Path) -> CallTranscript:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise TranscriptFormatError(f"{path}: no such file", file=str(path)) from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise TranscriptFormatError(f"{path}: not valid UTF-8 JSON ({exc})", file=str(path)) from exc
    try:
        return transcript_from_dict(data)
    except TranscriptFormatError as exc:
        raise TranscriptFormatError(f"{path}: {exc.message}", **{**exc.details, "file": str(path)}) from exc
