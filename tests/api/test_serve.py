"""``qa-service serve`` as a user starts it: several API processes on one port, the embedded worker
running once (in the supervising process) and processing what any API process queued."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services"))
from svc_support import write_wav

BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(base: str, proc: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert proc.poll() is None, "qa-service serve exited"
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.3)
    pytest.fail("qa-service serve did not answer /health")


def test_serve_with_two_processes_and_one_embedded_worker(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "QA_DATA_DIR": str(tmp_path / "data"), "QA_API_PORT": str(port),
           "QA_ANALYSIS_BACKEND": "fake_backend:create_backend", "QA_CALIBRATION_SAMPLE_RATE": "0",
           "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "services"),
           "QA_SECRET": "a-long-password-for-the-test"}
    subprocess.run([str(BIN / "qa-service"), "users", "add", "sup", "--role", "supervisor", "--team", "A",
                    "--password-env", "QA_SECRET"], env=env, check=True, capture_output=True)
    proc = subprocess.Popen([str(BIN / "qa-service"), "serve", "--workers", "2", "--no-access-log"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base, proc)
        token = httpx.post(f"{base}/auth/token", data={"username": "sup", "password": env["QA_SECRET"]}).json()
        h = {"Authorization": f"Bearer {token['access_token']}"}
        wav = write_wav(tmp_path / "call.wav", 7, seconds=3.0)
        r = httpx.post(f"{base}/uploads", headers=h, files=[("files", (wav.name, wav.read_bytes(), "audio/wav"))],
                       data={"metadata": '{"team": "A", "agent_id": "a1"}'}, timeout=30)
        assert r.status_code == 201, r.text
        call_id = r.json()["accepted"][0]
        deadline, state = time.monotonic() + 60, ""
        while time.monotonic() < deadline and state != "done":
            state = httpx.get(f"{base}/calls/{call_id}", headers=h).json()["state"]
            time.sleep(0.5)
        assert state == "done"  # processed by the one embedded worker, whichever process took the upload
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=30)
    log = out.decode(errors="replace")
    assert log.count("Started server process") == 2, log[-3000:]
    assert "Traceback" not in log, log[-3000:]
