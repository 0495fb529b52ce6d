"""`qa-service db upgrade / ingest / process / status / calls / sweep / rescore / report` on the embedded
default (SQLite, local worker; the fake analysis backend from tests/services)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "services"))

from svc_support import FAKE_BACKEND, write_corrupt, write_rubric, write_wav

from qa_service.cli.main import build_app
from qa_service.settings import get_settings
from qa_service.store.db import dispose_engines
from qa_service.store.migrate import head_revision


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_rubric(tmp_path / "rubrics", "1")
    monkeypatch.setenv("QA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("QA_RUBRIC_DIR", str(tmp_path / "rubrics"))
    monkeypatch.setenv("QA_ANALYSIS_BACKEND", FAKE_BACKEND)
    monkeypatch.delenv("QA_BROKER_URL", raising=False)
    get_settings.cache_clear()
    yield tmp_path  # type: ignore[misc]
    dispose_engines()


def test_embedded_commands_end_to_end(cli_env: Path) -> None:
    app = build_app()
    runner = CliRunner()
    folder = cli_env / "rec"
    write_wav(folder / "R1_AGENT_1023_DT_20261102T091400.wav", seed=1)
    write_wav(folder / "R2_AGENT_1024_DT_20261102T101400.wav", seed=2)
    write_corrupt(folder / "R3_AGENT_1024_DT_20261102T111400.wav")
    out = runner.invoke(app, ["db", "upgrade"])
    assert out.exit_code == 0 and f"database at revision {head_revision()}" in out.output
    out = runner.invoke(app, ["ingest", str(folder)])
    assert out.exit_code == 0, out.output
    assert "[1/3] R1_AGENT_1023_DT_20261102T091400.wav: accepted as R1" in out.output
    assert "batch 1: 3 accepted, 0 rejected" in out.output
    again = runner.invoke(app, ["ingest", str(folder)])
    assert "0 accepted, 3 rejected" in again.output and "rejected (duplicate_call_id)" in again.output
    out = runner.invoke(app, ["process"])
    assert out.exit_code == 0, out.output
    assert "2 calls done, 1 failed" in out.output
    out = runner.invoke(app, ["status"])
    assert out.output.strip() == "done: 2, failed: 1"
    out = runner.invoke(app, ["calls", "--state", "failed"])
    assert "R3_AGENT_1024_DT_20261102T111400" in out.output and "cannot decode audio" in out.output
    assert "0 re-queued" in runner.invoke(app, ["sweep"]).output
    write_rubric(cli_env / "rubrics", "2")
    out = runner.invoke(app, ["rescore"])
    assert "2 calls queued for re-scoring" in out.output
    assert "2 calls done" in runner.invoke(app, ["process"]).output
    html = cli_env / "r.html"
    out = runner.invoke(app, ["report", "--from", "2026-11-01", "--to", "2026-11-30", "--html", str(html)])
    assert out.exit_code == 0, out.output
    assert "calls 通话量" in out.output and html.read_text(encoding="utf-8").startswith("<!doctype html>")
    bad = runner.invoke(app, ["report", "--from", "yesterday"])
    assert bad.exit_code != 0
