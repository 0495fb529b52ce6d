"""``qa-service score``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import typer
from typer.testing import CliRunner

from qa_service.cli import score_cmd
from qa_service.errors import RubricError
from qa_service.interchange import transcript_to_dict
from qa_service.samples import load_sample
from qa_service.settings import PROJECT_ROOT

runner = CliRunner()


def _app() -> typer.Typer:
    app = typer.Typer()
    app.callback()(lambda: None)
    score_cmd.register(app)
    return app


def _write(tmp_path: Path, call_id: str) -> Path:
    sample = load_sample(PROJECT_ROOT / "sample_audio" / f"{call_id}.json")
    path = tmp_path / f"{call_id}.json"
    path.write_text(
        json.dumps(transcript_to_dict(sample.reference_transcript()), ensure_ascii=False), encoding="utf-8"
    )
    return path


def test_json_scorecard_selects_the_rubric(tmp_path: Path) -> None:
    path = _write(tmp_path, "zh_inbound_transfer_forbidden")
    result = runner.invoke(_app(), ["score", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["rubric_id"] == "inbound_service_zh" and len(data["rubric_hash"]) == 64
    assert data["items"]["forbidden_phrases"]["outcome"] == "fail"
    assert data["items"]["forbidden_phrases"]["evidence"][0]["matched_text"] == "不知道"
    assert data["auto_failed"] and not data["passed"]


def test_table_output_with_campaign_and_variables(tmp_path: Path) -> None:
    path = _write(tmp_path, "en_outbound_marketing_no_risk")
    result = runner.invoke(_app(), ["score", str(path), "--direction", "outbound", "--campaign", "marketing"])
    assert result.exit_code == 0, result.output
    assert "outbound_marketing_en" in result.output and "risk_disclosure" in result.output
    assert "FAILED (critical item)" in result.output
    renamed = runner.invoke(
        _app(),
        [
            "score",
            str(path),
            "--rubric",
            str(PROJECT_ROOT / "rubrics" / "outbound_marketing_en.yaml"),
            "--var",
            "bank_name_en=River Bank",
            "--json",
        ],
    )
    data = json.loads(renamed.output)
    assert data["items"]["identity"]["outcome"] == "fail"  # the agent named Construction Bank


def test_errors_are_reported_by_the_console_command(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"language": "zh", "utterances": [{"role": "boss"}]}', encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-c", "from qa_service.cli.main import main; main()", "score", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "error:" in proc.stderr and "utterances[0].role" in proc.stderr


def test_no_applicable_rubric_is_a_rubric_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "zh_outbound_return_visit")
    result = runner.invoke(_app(), ["score", str(path), "--direction", "outbound"])
    assert isinstance(result.exception, RubricError) and "no rubric" in str(result.exception)
