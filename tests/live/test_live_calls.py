"""Ten sample calls streamed at once, in real time, through the plain live protocol into a real server
with the default recognisers: every alert the sample's answers call for fires (its delay after the
triggering words is measured), no frame is lost, and each call ends stored and queued for the batch
pipeline. Marked ``models``: it loads the real Whisper weights."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from api import create_app
from qa_service.live.simulate import load_call, simulate
from qa_service.settings import Settings
from qa_service.store.db import dispose_engines
from qa_service.store.migrate import upgrade

pytestmark = pytest.mark.models
log = logging.getLogger(__name__)
SAMPLES = Path(__file__).resolve().parents[2] / "sample_audio"
API_KEY = "sim-key"
CALLS = ("zh_inbound_card_loss_no_greeting", "zh_inbound_transfer_forbidden", "zh_inbound_complaint_apology",
         "en_inbound_bill_payment_forbidden", "en_inbound_complaint_no_apology", "en_inbound_card_loss_good",
         "zh_inbound_account_good", "en_inbound_transfer_good", "zh_inbound_bill_payment_good", "en_inbound_praise")


def expected_alerts(answer: dict) -> set[str]:
    want = set()
    if answer["expected"]["rubric"].get("forbidden_phrases") == "fail":
        want.add("forbidden_phrase")
    if answer["expected"]["rubric"].get("greeting") == "fail":
        want.add("greeting_missing")
    if "complaint" in answer["expected"]["contact_reasons"]:
        want.add("complaint")
    return want


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    work = tmp_path_factory.mktemp("live")
    settings = Settings(data_dir=work / "data", live_api_keys={API_KEY: "c2VjcmV0"},  # type: ignore[call-arg]
                        live_asr_workers=2)
    upgrade(settings)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(settings, start_worker=False), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield f"ws://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=30)
    dispose_engines()


def test_ten_concurrent_live_calls(server: str) -> None:
    answers, calls = {}, []
    for name in CALLS:
        answer = json.loads((SAMPLES / f"{name}.json").read_text(encoding="utf-8"))
        answers[name] = answer
        calls.append(load_call(SAMPLES / answer["audio"]["stereo"], call_id=name, language=answer["language"],
                               agent_channel=answer["audio"]["agent_channel"], agent_id=answer["metadata"]["agent_id"],
                               team=answer["metadata"]["team"]))
    started = time.monotonic()
    # in a thread of its own: the browser tests' Playwright keeps an event loop on the main thread
    out: dict[str, list] = {}
    runner = threading.Thread(target=lambda: out.update(
        r=asyncio.run(simulate(server, calls, protocol="stream", api_key=API_KEY))))
    runner.start()
    runner.join(timeout=900)
    results = out["r"]
    wall = time.monotonic() - started
    longest = max(c.audio.shape[0] / 8000 for c in calls)
    delays, latencies, missing = [], [], []
    for call, result in zip(calls, results, strict=True):
        assert result.error is None, (call.call_id, result.error)
        ended = [e for _, e in result.events if e["type"] == "ended"][-1]
        assert ended["frames"] == result.frames  # no frame lost
        assert result.stored_call_id == call.call_id
        fired = {e["kind"]: e for _, e in result.events if e["type"] == "alert"}
        latencies += [e["latency_s"] for _, e in result.events if e["type"] == "utterance"]
        for kind in expected_alerts(answers[call.call_id]):
            if kind not in fired:
                missing.append((call.call_id, kind))
            elif fired[kind]["delay_s"] is not None:
                delays.append(fired[kind]["delay_s"])
    latencies.sort()
    log.warning("10 live calls (%.0f s of audio each at most) in %.0f s; alert delays %s; ASR latency p50 %.2f s, "
                "p95 %.2f s", longest, wall, [round(d, 2) for d in sorted(delays)], latencies[len(latencies) // 2],
                latencies[int(0.95 * (len(latencies) - 1))])
    assert not missing, f"alerts that did not fire: {missing}"
    assert wall < longest * 2 + 60  # the calls end within a bounded lag (figures: the warning above)
