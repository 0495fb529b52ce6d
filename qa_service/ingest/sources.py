"""What to ingest: audio files found in folders or named on the command line, each with the raw
metadata fields found for it.

Where metadata comes from, first match wins per field:
1. an explicit sidecar (``--sidecar``): CSV with a header, or JSON (a list, or ``{"calls": [...]}``);
   each row names its file in ``file`` (or ``path``/``audio``), relative to the sidecar's folder;
2. a per-call JSON sidecar in the folder in the sample-call form (``{"call_id", "language",
   "audio": {"stereo": ..., "mono": ..., "telephony": ...}, "metadata": {...}}``): it claims the
   rendering chosen by ``variant``; its other renderings are skipped (they are the same call);
3. ``<file stem>.json`` next to the audio with flat metadata fields;
4. the file-name pattern (``ingest_filename_pattern``); the call id defaults to the file stem.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qa_service.errors import IngestError
from qa_service.ingest.metadata import FIELDS, fields_from_name

AUDIO_EXTENSIONS = frozenset({".wav", ".flac", ".mp3", ".ogg", ".opus", ".m4a", ".aac", ".amr", ".wma",
                              ".webm", ".mp4", ".au", ".aif", ".aiff"})
_FILE_KEYS = ("file", "path", "audio")


@dataclass(frozen=True)
class Offer:
    """One file to ingest and the raw metadata found for it (``problem`` set: reject it)."""

    path: Path
    fields: dict[str, Any] = field(default_factory=dict)
    origin: str = "file name"
    problem: str | None = None
    problem_kind: str = ""


@dataclass(frozen=True)
class Plan:
    offers: tuple[Offer, ...]
    skipped: tuple[str, ...] = ()  # other renderings of a call, with the reason


def _read_rows(sidecar: Path) -> list[dict[str, Any]]:
    try:
        text = sidecar.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise IngestError(f"sidecar {sidecar}: cannot read ({exc})", file=str(sidecar)) from exc
    if sidecar.suffix.lower() == ".csv":
        return [dict(r) for r in csv.DictReader(text.splitlines())]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise IngestError(f"sidecar {sidecar}: not valid JSON ({exc})", file=str(sidecar)) from exc
    rows = data.get("calls") if isinstance(data, dict) else data
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise IngestError(f"sidecar {sidecar}: expected a list of objects (or {{'calls': [...]}})",
                          file=str(sidecar))
    return rows


def sidecar_rows(sidecar: Path) -> dict[Path, dict[str, Any]]:
    """Explicit sidecar rows by resolved audio path."""
    out: dict[Path, dict[str, Any]] = {}
    for i, row in enumerate(_read_rows(sidecar), start=1):
        name = next((str(row[k]).strip() for k in _FILE_KEYS if row.get(k)), "")
        if not name:
            raise IngestError(f"sidecar {sidecar}, row {i}: no 'file' column naming the audio",
                              file=str(sidecar), row=i)
        path = (sidecar.parent / name).resolve()
        out[path] = {k: v for k, v in row.items() if k in FIELDS and v not in (None, "")}
    return out


def _sample_sidecar(path: Path, variant: str) -> tuple[Path, dict[str, Any], list[Path]] | None:
    """A sample-call sidecar: (chosen audio, fields, other renderings); None if not that form."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("audio"), dict) or "call_id" not in data:
        return None
    audio: dict[str, Any] = data["audio"]
    names = {k: v for k, v in audio.items() if k in ("stereo", "mono", "telephony") and isinstance(v, str)}
    chosen = names.get(variant) or names.get("stereo") or next(iter(names.values()), None)
    if chosen is None:
        return None
    meta = data.get("metadata")
    fields = {k: v for k, v in meta.items() if k in FIELDS and v is not None} if isinstance(meta, dict) \
        else {}
    fields["call_id"] = data["call_id"]
    if data.get("language"):
        fields["language"] = data["language"]
    if chosen == names.get("stereo") and audio.get("agent_channel") is not None:
        fields["agent_channel"] = audio["agent_channel"]
    else:
        fields.pop("agent_channel", None)
    others = [path.parent / n for n in names.values() if n != chosen]
    return (path.parent / chosen).resolve(), fields, [o.resolve() for o in others]


def _scan(folder: Path) -> list[Path]:
    return sorted(p.resolve() for p in folder.rglob("*")
                  if p.is_file() and p.suffix.lower() in AUDIO_EXTENSIONS
                  and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def plan(paths: Sequence[Path], *, sidecar: Path | None, pattern: str, variant: str = "stereo") -> Plan:
    """Every file to offer, in a stable order, with its metadata fields."""
    explicit = sidecar_rows(sidecar) if sidecar is not None else {}
    files: list[Path] = []
    problems: dict[Path, tuple[str, str]] = {}
    sample_fields: dict[Path, dict[str, Any]] = {}
    alternatives: dict[Path, str] = {}
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for js in sorted(path.rglob("*.json")):
                sample = _sample_sidecar(js, variant)
                if sample is not None:
                    chosen, fields, others = sample
                    sample_fields[chosen] = fields
                    alternatives.update((o, f"another rendering of call {fields['call_id']}") for o in others)
            files.extend(_scan(path))
        elif path.is_file():
            files.append(path.resolve())
            if path.suffix.lower() not in AUDIO_EXTENSIONS:
                problems[path.resolve()] = ("not_audio", f"{path.suffix or 'no'} extension is not an audio "
                                            f"format ({', '.join(sorted(AUDIO_EXTENSIONS))})")
        else:
            files.append(path.absolute())
            problems[path.absolute()] = ("not_found", "no such file or folder")
    files.extend(p for p in explicit if p not in files)
    offers: list[Offer] = []
    skipped: list[str] = []
    for path in _unique(files):
        if path in alternatives and path not in explicit:
            skipped.append(f"{path.name}: {alternatives[path]}")
            continue
        if path in problems:
            kind, reason = problems[path]
            offers.append(Offer(path, problem=reason, problem_kind=kind))
            continue
        if not path.is_file():
            offers.append(Offer(path, problem="listed in the sidecar but not found",
                                problem_kind="not_found"))
            continue
        found: dict[str, Any] = dict(fields_from_name(path.name, pattern))
        origin = "file name" if found else "file stem"
        for source, extra in (("sidecar json", _stem_json(path)), ("sample sidecar", sample_fields.get(path)),
                              ("sidecar", explicit.get(path))):
            if extra:
                found.update(extra)
                origin = source
        offers.append(Offer(path, found, origin))
    return Plan(tuple(offers), tuple(skipped))


def _stem_json(path: Path) -> dict[str, Any] | None:
    js = path.with_suffix(".json")
    if not js.is_file():
        return None
    try:
        data = json.loads(js.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(data, dict) or "audio" in data:
        return None
    return {k: v for k, v in data.items() if k in FIELDS and v is not None}


def _unique(paths: Iterable[Path]) -> list[Path]:
    seen: set[Path] = set()
    out: list[Path] = []
    for p in paths:
        if p not in seen:
            seen.add(p)
            out.append(p)
    return out
