"""`qa-service classify` and `eval-classifier`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qa_service.cli.main import build_app
from qa_service.settings import PROJECT_ROOT

SAMPLE = PROJECT_ROOT / "sample_audio" / "en_inbound_complaint_no_apology.json"
runner = CliRunner()


@pytest.mark.models
def test_classify_sidecar_json() -> None:
    res = runner.invoke(build_app(), ["classify", str(SAMPLE), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["contact_reasons"] == ["complaint"]
    assert set(out["contact_reason_scores"]) == {"inquiry", "complaint", "suggestion", "praise"}
    assert out["complaint_evidence"] and all("text" in e for e in out["complaint_evidence"])
    assert out["business_type"] == "account_inquiry"
    assert out["escalation"]["risk"] is True
    assert any("regulator" in e["text"] for e in out["escalation"]["evidence"])
    assert out["sentiment"] and {s["role"] for s in out["sentiment"]} == {"customer"}
    assert out["outcome"] is None


@pytest.mark.models
def test_classify_interchange_form_with_campaign(tmp_path: Path) -> None:
    call = {"language": "en", "utterances": [
        {"role": "agent", "start": 0.0, "end": 4.0,
         "text": "Hello, this is Mia from Construction Bank. This call is recorded. We have a new travel credit card."},
        {"role": "customer", "start": 4.5, "end": 7.0,
         "text": "Sorry, I'm driving right now. Could you call me back tomorrow afternoon?"},
        {"role": "agent", "start": 7.5, "end": 10.0,
         "text": "Of course, I'll call you back tomorrow afternoon. Drive safely, goodbye."},
    ]}
    path = tmp_path / "call.json"
    path.write_text(json.dumps(call), encoding="utf-8")
    res = runner.invoke(build_app(), ["classify", str(path), "--json", "--campaign", "marketing"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["outcome"] == "call_back_later"
    assert out["contact_reasons"] == []
    text = runner.invoke(build_app(), ["classify", str(path), "--campaign", "marketing"])
    assert "outcome:" in text.output and "business type:" in text.output


def test_bad_transcript_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"language": "en", "utterances": [{"role": "boss", "text": "hi"}]}), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "qa_service.cli", "classify", str(path)],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert "error:" in proc.stderr and "role" in proc.stderr


@pytest.mark.models
def test_eval_classifier_prints_both_tables() -> None:
    res = runner.invoke(build_app(), ["eval-classifier"])
    assert res.exit_code == 0, res.output
    for needle in ("== contact_reason", "== business_type", "model", "baseline", "macro-F1", "complaint"):
        assert needle in res.output
