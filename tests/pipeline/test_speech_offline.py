"""Telemetry is off and nothing touches the network while analysing real calls (marked ``models``).

A subprocess runs ``qa-service analyze`` on a stereo and a mono call with every Internet socket
guarded: ``socket.connect``/``connect_ex``/``getaddrinfo``/``sendto`` record the attempt and raise.
The environment asks for the opposite of what the service must force (telemetry on, hub online),
so the test also proves that importing ``qa_service`` switches them off.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import wave
from pathlib import Path

import numpy as np
import pytest

from qa_service.domain import SAMPLE_RATE

pytestmark = pytest.mark.models

GUARD = r'''
import json, socket, sys
attempts = []

def _guard(name):
    def blocked(*args, **kwargs):
        attempts.append([name, repr(args[1:] if name != "getaddrinfo" else args)[:200]])
        raise OSError(f"network blocked by test ({name})")
    return blocked

_real_connect = socket.socket.connect
def connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        return _guard("connect")(self, address)
    return _real_connect(self, address)
socket.socket.connect = connect
socket.socket.connect_ex = lambda self, address: (_guard("connect_ex")(self, address)
                                                  if self.family in (socket.AF_INET, socket.AF_INET6)
                                                  else _real_connect(self, address))
socket.socket.sendto = _guard("sendto")
socket.getaddrinfo = _guard("getaddrinfo")
socket.create_connection = _guard("create_connection")

from qa_service.cli.main import main
from qa_service.runtime import pyannote_telemetry_enabled
outcomes = []
for argv in sys.argv[2:]:
    sys.argv = ["qa-service", *argv.split("|")]
    try:
        main()
        outcomes.append(0)
    except SystemExit as exc:
        outcomes.append(exc.code or 0)
import os
report = {"attempts": attempts, "outcomes": outcomes, "telemetry": pyannote_telemetry_enabled(),
          "env": {k: os.environ.get(k) for k in ("PYANNOTE_METRICS_ENABLED", "HF_HUB_OFFLINE",
                                                 "OMP_WAIT_POLICY")}}
open(REPORT, "w").write(json.dumps(report))
'''


def _write_wav(path: Path, samples: np.ndarray) -> None:
    pcm = np.clip(np.round(samples.T * 32767), -32768, 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(samples.shape[0])
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE)
        w.writeframes(pcm.tobytes())


def test_analysis_uses_no_network_and_no_telemetry(tmp_path: Path) -> None:
    from importlib import util

    spec = util.spec_from_file_location("synth", Path(__file__).with_name("test_speech_models.py"))
    assert spec and spec.loader
    synth = util.module_from_spec(spec)
    spec.loader.exec_module(synth)
    stereo, _ = synth.synth_call(bleed=0.0)
    _write_wav(tmp_path / "stereo.wav", stereo)
    _write_wav(tmp_path / "mono.wav", stereo.mean(axis=0, keepdims=True))

    report = tmp_path / "report.json"
    script = tmp_path / "guarded.py"
    script.write_text(GUARD.replace("REPORT", repr(str(report))), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}
    env |= {"PYANNOTE_METRICS_ENABLED": "1", "HF_HUB_OFFLINE": "0", "QA_CPU_THREADS": "2"}
    runs = [f"analyze|{tmp_path / 'stereo.wav'}|--json|--language|en|--no-progress",
            f"analyze|{tmp_path / 'mono.wav'}|--json|--language|en|--no-progress"]
    proc = subprocess.run([sys.executable, str(script), "-", *runs], capture_output=True, text=True,
                          timeout=600, env=env, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(report.read_text(encoding="utf-8"))
    assert result["attempts"] == []
    assert result["telemetry"] is False
    assert result["env"] == {"PYANNOTE_METRICS_ENABLED": "0", "HF_HUB_OFFLINE": "1",
                             "OMP_WAIT_POLICY": "PASSIVE"}  # OpenMP threads sleep, not spin, when idle
    assert result["outcomes"] == [0, 0]
    transcripts = [json.loads(chunk) for chunk in _json_documents(proc.stdout)]
    assert len(transcripts) == 2
    for t in transcripts:
        roles = [u["role"] for u in t["utterances"]]
        assert roles[:2] == ["agent", "customer"], t
        assert "calling" in t["utterances"][0]["text"].lower()


def _json_documents(text: str) -> list[str]:
    """Split concatenated pretty-printed JSON documents (each starts with '{' at column 0)."""
    docs, current = [], []
    for line in text.splitlines():
        if line.startswith("{") and current:
            docs.append("\n".join(current))
            current = []
        current.append(line)
    if current:
        docs.append("\n".join(current))
    return [d for d in docs if d.strip()]
