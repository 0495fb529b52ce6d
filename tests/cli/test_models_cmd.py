from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

CLI = [sys.executable, "-m", "qa_service.cli"]


def test_models_reports_a_missing_model_with_the_setting_to_fix(tmp_path: Path) -> None:
    env = dict(os.environ, QA_ASR_MODEL_EN=str(tmp_path / "missing"))
    proc = subprocess.run([*CLI, "models", "--no-load", "--no-checksum", "--json"],
                          env=env, capture_output=True, text=True)
    assert proc.returncode == 2
    rows = {r["role"]: r for r in json.loads(proc.stdout)}
    assert rows["asr_en"]["status"] == "error"
    assert "QA_ASR_MODEL_EN" in rows["asr_en"]["error"]
    assert rows["segmentation"]["status"] == "ok"
