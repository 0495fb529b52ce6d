"""Live audio in through the real app: the AudioHook handshake (signed), ping, pause/resume, close and a
refused signature; the plain stream with sequence numbers; live alerts; a supervisor's listen-in; and
the call stored for the batch pipeline at the end. The recogniser here is a stand-in that says a fixed
line per channel (the model is not the point; tests/live covers real recognition)."""

from __future__ import annotations

import base64
import json
import struct
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from live_support import AGENT_SAYS, CUSTOMER_SAYS, call_audio, fake_recogniser
from starlette.websockets import WebSocketDisconnect

from api import create_app
from qa_service.live import signature
from qa_service.live.codec import ulaw_encode
from qa_service.services.context import ServiceContext
from qa_service.services.live import LiveHub
from qa_service.settings import Settings

Tokens = Callable[[str], dict[str, str]]
API_KEY = "pbx-key-1"
SECRET = base64.b64encode(b"a very secret client secret!").decode()
@pytest.fixture
def live(api_settings: Settings) -> Iterator[TestClient]:
    settings = api_settings.model_copy(update={"live_api_keys": {API_KEY: SECRET}, "live_silence_s": 3.0,
                                            "live_partial_s": 0.3})
    app = create_app(settings, start_worker=False)
    app.state.live_hub = LiveHub(ServiceContext(settings), recogniser=fake_recogniser)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def _headers(session_id: str) -> dict[str, str]:
    h = {"audiohook-organization-id": "org-1", "audiohook-session-id": session_id,
         "audiohook-correlation-id": "corr-1", "x-api-key": API_KEY}
    return {**h, **signature.sign({**h, "host": "testserver"}, target="/live/audiohook", authority="testserver",
                                  api_key=API_KEY, secret=SECRET)}


def _open(session_id: str, seq: int = 1) -> str:
    return json.dumps({"version": "2", "type": "open", "seq": seq, "serverseq": 0, "id": session_id,
                       "position": "PT0S", "parameters": {
                           "organizationId": "org-1", "conversationId": "conv-1", "language": "zh-CN",
                           "participant": {"id": "p", "ani": "+8613800000000", "aniName": "", "dnis": "95533"},
                           "media": [{"type": "audio", "format": "PCMU", "channels": ["external", "internal"],
                                      "rate": 8000}],
                           "customConfig": {"call_id": "LIVE-1", "agent_id": "A1", "team": "A"}}})


def _msg(session_id: str, type_: str, seq: int, **params: Any) -> str:
    return json.dumps({"version": "2", "type": type_, "seq": seq, "serverseq": 0, "id": session_id,
                       "position": "PT1S", "parameters": params})


def _wait_stored(client: TestClient, headers: dict[str, str], call_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        view = client.get(f"/live/calls/{call_id}", headers=headers).json()
        if view["state"] == "stored":
            return view
        time.sleep(0.05)
    raise AssertionError("the live call did not end")


def test_audiohook_handshake_ping_pause_resume_close(live: TestClient, token_of: Tokens) -> None:
    sid = "0b6a4f6e-1111-4222-8333-944455556666"
    audio = call_audio()
    with live.websocket_connect("/live/audiohook", headers=_headers(sid)) as ws:
        ws.send_text(_open(sid))
        opened = json.loads(ws.receive_text())
        assert opened["type"] == "opened" and opened["clientseq"] == 1
        assert opened["parameters"]["media"][0] == {"type": "audio", "format": "PCMU",
                                                    "channels": ["external", "internal"], "rate": 8000}
        ws.send_text(_msg(sid, "ping", 2))
        assert json.loads(ws.receive_text())["type"] == "pong"
        step = 1600  # 200 ms frames
        frames = [audio[i:i + step] for i in range(0, audio.shape[0], step)]
        for frame in frames[:5]:
            ws.send_bytes(ulaw_encode(frame.reshape(-1)))
        ws.send_text(_msg(sid, "paused", 3))
        ws.send_bytes(ulaw_encode(frames[5].reshape(-1)))  # dropped while paused
        ws.send_text(_msg(sid, "resumed", 4, start="PT1S", discarded="PT0.2S"))
        for frame in frames[5:]:
            ws.send_bytes(ulaw_encode(frame.reshape(-1)))
        ws.send_text(_msg(sid, "close", 5, reason="end"))
        assert json.loads(ws.receive_text())["type"] == "closed"
    view = _wait_stored(live, token_of("sup_a"), "LIVE-1")
    assert view["state"] == "stored" and view["stored_call_id"] == "LIVE-1"
    roles = {u["role"]: u["text"] for u in view["utterances"]}
    assert roles == {"agent": AGENT_SAYS, "customer": CUSTOMER_SAYS}  # internal = agent, external = customer
    kinds = {a["kind"] for a in view["alerts"]}
    assert {"forbidden_phrase", "complaint", "long_silence"} <= kinds
    stored = live.get("/calls/LIVE-1", headers=token_of("sup_a")).json()
    assert stored["state"] == "queued" and stored["team"] == "A" and stored["agent_id"] == "A1"
    assert live.get("/live/calls", headers=token_of("sup_b")).json() == []  # not team B's call
    assert live.get("/live/calls", headers=token_of("trainer_a")).status_code == 403


def test_audiohook_refuses_bad_signatures_and_protocol_errors(live: TestClient) -> None:
    sid = "0b6a4f6e-2222-4222-8333-944455556666"
    bad = {**_headers(sid), "audiohook-correlation-id": "tampered"}
    with pytest.raises(WebSocketDisconnect) as refused, live.websocket_connect("/live/audiohook", headers=bad):
        pass
    assert refused.value.code == 1008
    unknown = {**_headers(sid), "x-api-key": "someone-else"}
    with pytest.raises(WebSocketDisconnect), live.websocket_connect("/live/audiohook", headers=unknown):
        pass
    with live.websocket_connect("/live/audiohook", headers=_headers(sid)) as ws:
        ws.send_bytes(b"\xff" * 160)  # audio before open
        reply = json.loads(ws.receive_text())
        assert reply["type"] == "disconnect" and "before 'open'" in reply["parameters"]["info"]
    with live.websocket_connect("/live/audiohook", headers=_headers(sid)) as ws:
        ws.send_text(_open(sid))
        ws.receive_text()
        ws.send_text(_msg(sid, "ping", 5))  # seq 2 expected
        reply = json.loads(ws.receive_text())
        assert reply["type"] == "disconnect" and "out of order" in reply["parameters"]["info"]
    assert live.get("/health").status_code == 200  # the server goes on


def test_plain_stream_sequence_numbers_and_listen_in(live: TestClient, token_of: Tokens) -> None:
    token = token_of("sup_a")["Authorization"].split()[1]
    audio = call_audio()[:, ::-1]  # agent on channel 0
    pcm = (audio * 32767).astype("<i2")
    meta = {"call_id": "LIVE-2", "agent_id": "A2", "team": "A", "language": "zh", "format": "PCM16", "rate": 8000,
            "channels": 2, "agent_channel": 0}
    with live.websocket_connect("/live/stream", headers={"x-api-key": API_KEY}) as ws:
        ws.send_text(json.dumps(meta))
        assert json.loads(ws.receive_text())["type"] == "accepted"
        with live.websocket_connect(f"/live/calls/LIVE-2/listen?token={token}") as monitor:
            assert json.loads(monitor.receive_text())["call_id"] == "LIVE-2"
            for n, i in enumerate(range(0, pcm.shape[0], 1600), start=1):
                ws.send_bytes(struct.pack(">I", n) + pcm[i:i + 1600].tobytes())
                time.sleep(0.02)  # a partial transcript has time to come back before its utterance ends
            got = []
            while not any(m.get("text") and json.loads(m["text"])["type"] == "utterance" for m in got):
                got.append(monitor.receive())
            assert any(m.get("bytes") for m in got)  # the audio is relayed
            said = [json.loads(m["text"]) for m in got if m.get("text")]
            partial = next(m for m in said if m["type"] == "partial")  # the words being spoken, before the final
            assert partial["role"] == "agent" and partial["text"] == AGENT_SAYS and partial["latency_s"] >= 0
            assert said[-1]["start_s"] == partial["start_s"] and said[-1]["end_s"] > partial["end_s"]
        ws.send_text(json.dumps({"type": "end"}))
        events = []
        while True:
            m = json.loads(ws.receive_text())
            events.append(m)
            if m["type"] == "ended":
                break
    assert events[-1]["stored_call_id"] == "LIVE-2"
    assert {e["type"] for e in events} >= {"utterance", "alert"}
    audit = live.get("/audit", headers=token_of("auditor"), params={"action": "live_listen"}).json()["items"]
    assert {e["detail"]["recorded"] for e in audit} == {True, False}  # at once, and with the stored call
    report = live.get("/reports/service", headers=token_of("admin")).json()
    assert report["monitored_calls"] >= 1
    agent = token_of("agent_a1")["Authorization"].split()[1]
    with pytest.raises(WebSocketDisconnect), live.websocket_connect(f"/live/calls/LIVE-2/listen?token={agent}"):
        pass


def test_plain_stream_rejects_bad_frames(live: TestClient) -> None:
    meta = {"call_id": "LIVE-3", "format": "PCM16", "rate": 8000, "channels": 2}
    with live.websocket_connect("/live/stream", headers={"x-api-key": API_KEY}) as ws:
        ws.send_text(json.dumps(meta))
        ws.receive_text()
        ws.send_bytes(struct.pack(">I", 1) + bytes(640))
        ws.send_bytes(struct.pack(">I", 3) + bytes(640))  # frame 2 is missing
        reply = json.loads(ws.receive_text())
        while reply["type"] != "error":
            reply = json.loads(ws.receive_text())
        assert reply["code"] == 409 and "out of order" in reply["message"]
    with live.websocket_connect("/live/stream", headers={"x-api-key": API_KEY}) as ws:
        ws.send_text(json.dumps({**meta, "call_id": "LIVE-4"}))
        ws.receive_text()
        ws.send_bytes(struct.pack(">I", 1) + bytes(3))  # not whole 16-bit stereo samples
        assert json.loads(ws.receive_text())["code"] == 400
    with live.websocket_connect("/live/stream", headers={"x-api-key": API_KEY}) as ws:
        ws.send_text(json.dumps({**meta, "rate": 44100}))
        assert json.loads(ws.receive_text())["code"] == 415
    with live.websocket_connect("/live/stream", headers={"x-api-key": API_KEY}) as ws:
        ws.send_text(json.dumps({**meta, "call_id": "LIVE-5", "direction": "outbound", "campaign": "lottery"}))
        reply = json.loads(ws.receive_text())
        assert reply["code"] == 400 and "marketing" in reply["message"]
    with pytest.raises(WebSocketDisconnect), live.websocket_connect("/live/stream"):
        pass
