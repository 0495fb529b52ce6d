"""A scorecard as plain JSON-ready data (``qa-service score --json``, storage, the API) and back."""

from __future__ import annotations

from typing import Any

from qa_service.domain import Evidence, Finding, Outcome, RubricResult


def _evidence_to_dict(ev: Evidence) -> dict[str, Any]:
    return {
        "utterance_index": ev.utterance_index,
        "text": ev.text,
        "matched_text": ev.matched_text,
        "start": None if ev.start is None else round(ev.start, 3),
        "end": None if ev.end is None else round(ev.end, 3),
        "confidence": round(ev.confidence, 4),
    }


def rubric_result_to_dict(result: RubricResult) -> dict[str, Any]:
    """``items`` maps each item id to its outcome, score, weight, message and evidence."""
    return {
        "rubric_id": result.rubric_id,
        "rubric_version": result.rubric_version,
        "rubric_hash": result.rubric_hash,
        "score": result.score,
        "passed": result.passed,
        "auto_failed": result.auto_failed,
        "needs_review": result.needs_review,
        "items": {
            f.item_id: {
                "kind": f.kind,
                "outcome": f.outcome.value,
                "score": f.score,
                "weight": f.weight,
                "critical": f.critical,
                "message": f.message,
                "evidence": [_evidence_to_dict(e) for e in f.evidence],
            }
            for f in result.findings
        },
    }


def rubric_result_from_dict(data: dict[str, Any]) -> RubricResult:
    """The inverse of :func:`rubric_result_to_dict` (item order is kept)."""
    findings = tuple(
        Finding(
            item_id=item_id,
            kind=str(raw["kind"]),
            outcome=Outcome(raw["outcome"]),
            weight=float(raw["weight"]),
            score=float(raw["score"]),
            critical=bool(raw["critical"]),
            evidence=tuple(
                Evidence(
                    e["utterance_index"],
                    e["text"],
                    e["matched_text"],
                    e["start"],
                    e["end"],
                    float(e["confidence"]),
                )
                for e in raw["evidence"]
            ),
            message=str(raw["message"]),
        )
        for item_id, raw in data["items"].items()
    )
    return RubricResult(
        rubric_id=str(data["rubric_id"]),
        rubric_version=str(data["rubric_version"]),
        rubric_hash=str(data["rubric_hash"]),
        findings=findings,
        score=float(data["score"]),
        passed=bool(data["passed"]),
        auto_failed=bool(data["auto_failed"]),
    )
