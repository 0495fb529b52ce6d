"""The API sends nothing anywhere: FastAPI's native OpenTelemetry stays off even with a tracer
provider installed and ``FASTAPI_OTEL_AUTO_CONFIGURE=true`` in the environment (a plain FastAPI app
in the same process does trace, so the check can fail)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CHILD = """
import os, sys
import qa_service  # forces the no-telemetry environment
assert os.environ["FASTAPI_OTEL_AUTO_CONFIGURE"] == "false", os.environ["FASTAPI_OTEL_AUTO_CONFIGURE"]
del os.environ["OTEL_SDK_DISABLED"]  # a working SDK provider, as a user's instrumentation would set up
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
exporter = InMemorySpanExporter()
provider = TracerProvider()
provider.add_span_processor(SimpleSpanProcessor(exporter))
trace.set_tracer_provider(provider)
from fastapi import FastAPI
from fastapi.testclient import TestClient
from api import create_app
from qa_service.settings import Settings
ours = create_app(Settings(data_dir=sys.argv[1]), start_worker=False)
with TestClient(ours) as c:
    assert c.get("/health").status_code == 200
    assert c.get("/calls").status_code == 401
print("ours", len(exporter.get_finished_spans()))
plain = FastAPI()
plain.get("/ping")(lambda: {"ok": True})
with TestClient(plain) as c:
    c.get("/ping")
print("plain", len(exporter.get_finished_spans()))
"""


def test_fastapi_telemetry_is_off(tmp_path: Path) -> None:
    env = dict(os.environ, FASTAPI_OTEL_AUTO_CONFIGURE="true", OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:9")
    out = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path / "data")], env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    counts = dict(line.split() for line in out.stdout.splitlines() if line.startswith(("ours", "plain")))
    assert counts["ours"] == "0"
    assert int(counts["plain"]) > 0  # the same provider records a plain app's requests
