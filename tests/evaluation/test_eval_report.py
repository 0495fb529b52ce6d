"""The evaluation table and JSON on hand-built rows: corpus-level totals, WER and CER kept apart."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa_service.evaluation.metrics import DerCounts, ErrorCounts, RoleCounts, SpeakerRoleCounts
from qa_service.evaluation.report import format_table, to_json, totals
from qa_service.evaluation.runner import EvalItem, EvalRow, EvalSummary


def _row(name: str, mode: str, lang: str, errors: int, ref: int, der: float, seconds: float) -> EvalRow:
    unit = "CER" if lang == "zh" else "WER"
    return EvalRow(EvalItem(name, mode, Path(f"{name}.flac"), language=lang), lang, duration=50.0,
                   seconds=seconds, text_errors=ErrorCounts(unit, errors, 0, 0, ref),
                   der=((0.0, DerCounts(der, 0.0, 0.0, 40.0)), (0.25, DerCounts(der / 2, 0.0, 0.0, 38.0))),
                   roles=RoleCounts(30.0, 40.0, 40.0), role_confidence=0.9,
                   speaker_roles=SpeakerRoleCounts(1 if der < 4.0 else 2, 2))


ROWS = (
    _row("en1", "stereo", "en", 1, 100, 0.4, 5.0),
    _row("en2", "stereo", "en", 9, 100, 0.0, 10.0),
    _row("zh1", "mono", "zh", 30, 100, 4.0, 20.0),
    EvalRow(EvalItem("bad", "mono", Path("bad.flac"), language="en"), error="bad.flac: cannot decode audio"),
)


def test_totals_are_corpus_level_and_keep_wer_and_cer_apart() -> None:
    t = totals(ROWS)
    assert t["wer"] == pytest.approx(10 / 200) and t["cer"] == pytest.approx(0.30)
    assert t["der_collar_0.0"] == pytest.approx(4.4 / 120)
    assert t["rtf"] == pytest.approx(35.0 / 150.0)
    assert t["failed"] == 1 and t["files"] == 4
    assert t["role_accuracy"] == pytest.approx(0.75)
    assert (t["speaker_roles_right"], t["speakers"]) == (4, 6)


def test_table_has_rows_failures_and_per_mode_totals() -> None:
    text = format_table(EvalSummary(ROWS, (("device", "cpu"),)))
    assert "ERROR: bad.flac: cannot decode audio" in text
    assert "ALL stereo" in text and "WER 5.0%" in text and "CER 30.0%" in text
    assert "device=cpu" in text and "±0.125 s" in text
    assert " 4/6 " in text and "the role stage alone" in text


def test_json_has_rows_by_mode_and_overall() -> None:
    data = to_json(EvalSummary(ROWS))
    assert [r["file"] for r in data["rows"]] == ["en1", "en2", "zh1", "bad"]
    assert data["rows"][0]["der_collar_0.25"] == pytest.approx(0.2 / 38, abs=1e-4)
    assert data["by_mode"]["stereo"]["wer"] == pytest.approx(0.05)
    assert data["overall"]["failed"] == 1
