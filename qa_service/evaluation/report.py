"""Evaluation results as a text table and as JSON (per-file rows, per-mode and overall totals)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import reduce
from typing import Any

from qa_service.evaluation.metrics import DerCounts, ErrorCounts, RoleCounts, SpeakerRoleCounts
from qa_service.evaluation.runner import COLLARS, EvalRow, EvalSummary

_HEADER = ("file", "mode", "lang", "dur s", "WER/CER", "DER c0", "DER c.25", "roles", "speakers", "role conf",
           "RTF")


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def _sum(items: Iterable[Any]) -> Any:
    present = [x for x in items if x is not None]
    return reduce(lambda a, b: a + b, present) if present else None


def _rate_text(counts: ErrorCounts | None) -> str:
    return "-" if counts is None else f"{counts.unit} {100 * counts.rate:.1f}%"


def _decisions(counts: SpeakerRoleCounts | None) -> str:
    return "-" if counts is None else f"{counts.right}/{counts.speakers}"


def _der(rows: Sequence[EvalRow], collar: float) -> DerCounts | None:
    total: DerCounts | None = _sum(r.der_at(collar) for r in rows)
    return total


def totals(rows: Sequence[EvalRow]) -> dict[str, Any]:
    """Corpus-level figures over ``rows`` that ran (WER and CER kept apart)."""
    ok = [r for r in rows if r.error is None]
    duration = sum(r.duration for r in ok)
    seconds = sum(r.seconds for r in ok)
    out: dict[str, Any] = {"files": len(rows), "failed": len(rows) - len(ok), "duration": duration,
                           "seconds": seconds, "rtf": seconds / duration if duration else None}
    for unit in ("WER", "CER"):
        counts: ErrorCounts | None = _sum(r.text_errors for r in ok
                                          if r.text_errors and r.text_errors.unit == unit)
        out[unit.lower()] = counts.rate if counts else None
    for collar in COLLARS:
        der = _der(ok, collar)
        out[f"der_collar_{collar}"] = der.rate if der else None
    roles: RoleCounts | None = _sum(r.roles for r in ok)
    out["role_accuracy"] = roles.accuracy if roles else None
    out["role_coverage"] = roles.coverage if roles else None
    decisions: SpeakerRoleCounts | None = _sum(r.speaker_roles for r in ok)
    out["speaker_roles_right"] = decisions.right if decisions else None
    out["speakers"] = decisions.speakers if decisions else None
    out["low_confidence_roles"] = sum(r.role_low_confidence for r in ok)
    return out


def _row_cells(row: EvalRow) -> tuple[str, ...]:
    item = row.item
    if row.error is not None:
        return (item.name, item.mode, row.language or (item.language or ""), "-", f"ERROR: {row.error}",
                "", "", "", "", "", "")
    der0, der25 = row.der_at(0.0), row.der_at(0.25)
    conf = "-" if row.role_confidence is None else f"{row.role_confidence:.2f}" + (
        " LOW" if row.role_low_confidence else "")
    return (item.name, item.mode, row.language, f"{row.duration:.1f}", _rate_text(row.text_errors),
            _pct(der0.rate if der0 else None), _pct(der25.rate if der25 else None),
            _pct(row.roles.accuracy if row.roles else None), _decisions(row.speaker_roles), conf,
            "-" if row.rtf is None else f"{row.rtf:.3f}")


def _total_cells(label: str, rows: Sequence[EvalRow]) -> tuple[str, ...]:
    t = totals(rows)
    text = " ".join(f"{u.upper()} {_pct(t[u])}" for u in ("wer", "cer") if t[u] is not None) or "-"
    return (label, "", "", f"{t['duration']:.1f}", text, _pct(t["der_collar_0.0"]),
            _pct(t["der_collar_0.25"]), _pct(t["role_accuracy"]),
            "-" if t["speakers"] is None else f"{t['speaker_roles_right']}/{t['speakers']}",
            f"{t['low_confidence_roles']} low", "-" if t["rtf"] is None else f"{t['rtf']:.3f}")


def format_table(summary: EvalSummary) -> str:
    rows = summary.rows
    lines: list[tuple[str, ...]] = [_HEADER]
    lines.extend(_row_cells(r) for r in rows)
    modes = list(dict.fromkeys(r.item.mode for r in rows))
    lines.append(tuple("-" * len(h) for h in _HEADER))
    for mode in modes:
        lines.append(_total_cells(f"ALL {mode}", [r for r in rows if r.item.mode == mode]))
        for lang in sorted({r.language for r in rows if r.item.mode == mode and r.language}):
            subset = [r for r in rows if r.item.mode == mode and r.language == lang]
            lines.append(_total_cells(f"  {mode} {lang}", subset))
    if len(modes) > 1:
        lines.append(_total_cells("ALL", rows))
    widths = [max(len(line[i]) for line in lines if len(line) > i) for i in range(len(_HEADER))]
    text = "\n".join("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=False)).rstrip()
                     for line in lines)
    notes = ("DER: pyannote.metrics, collar = total width around reference boundaries (c.25 = ±0.125 s); "
             "roles: share of attributed reference speech with the right role; speakers: speakers given the role of "
             "the reference speech they cover most (the role stage alone); RTF: processing s / audio s")
    config = ", ".join(f"{k}={v}" for k, v in summary.settings)
    return text + "\n\n" + notes + ("\n" + config if config else "")


def to_json(summary: EvalSummary) -> dict[str, Any]:
    rows = []
    for r in summary.rows:
        row: dict[str, Any] = {"file": r.item.name, "mode": r.item.mode, "audio": str(r.item.audio),
                               "language": r.language, "error": r.error}
        if r.error is None:
            row |= {
                "duration": round(r.duration, 3), "seconds": round(r.seconds, 3),
                "rtf": None if r.rtf is None else round(r.rtf, 4),
                "unit": r.text_errors.unit if r.text_errors else None,
                "error_rate": None if r.text_errors is None else round(r.text_errors.rate, 4),
                **{f"der_collar_{c}": round(d.rate, 4) for c, d in r.der},
                "role_accuracy": r.roles.accuracy if r.roles else None,
                "role_coverage": r.roles.coverage if r.roles else None,
                "speaker_roles_right": r.speaker_roles.right if r.speaker_roles else None,
                "speakers": r.speaker_roles.speakers if r.speaker_roles else None,
                "role_confidence": r.role_confidence, "role_low_confidence": r.role_low_confidence,
            }
        rows.append(row)
    modes = list(dict.fromkeys(r.item.mode for r in summary.rows))
    by_mode = {m: totals([r for r in summary.rows if r.item.mode == m]) for m in modes}
    return {"rows": rows, "by_mode": by_mode,
            "overall": totals(summary.rows), "settings": dict(summary.settings)}
