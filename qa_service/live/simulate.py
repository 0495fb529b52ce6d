"""``qa-service simulate-live``: sample calls streamed in real time (or faster) through the live
protocols, several at once, as a PBX would — for demos, tests and ``bench/live.py``.

Each call is a stereo recording (agent on ``agent_channel``) cut into 200 ms frames and sent as
AudioHook (μ-law 8 kHz, external = customer, internal = agent; signed) or as the plain stream (PCM16,
sequence-numbered). The result of each call: frames sent, the utterances and alerts the server pushed
(plain stream) with the wall-clock time each arrived, and the stored call id."""

from __future__ import annotations

import asyncio
import base64
import json
import struct
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np
import numpy.typing as npt

from qa_service.live import signature
from qa_service.live.codec import ulaw_encode

FRAME_S = 0.2


@dataclass(frozen=True)
class SimCall:
    call_id: str
    audio: npt.NDArray[np.float32]  # (frames, 2) at 8 kHz: agent, customer
    language: str
    agent_id: str | None = None
    team: str | None = None
    direction: str = "inbound"
    campaign: str | None = None


@dataclass
class SimResult:
    call_id: str
    frames: int = 0
    started: float = 0.0  # wall clock, time.monotonic()
    events: list[tuple[float, dict[str, Any]]] = field(default_factory=list)  # (seconds into the call, message)
    stored_call_id: str | None = None
    error: str | None = None


def load_call(path: Path, *, call_id: str, language: str, agent_channel: int = 0, **meta: Any) -> SimCall:
    """A stereo recording as a simulated call at 8 kHz (telephone band, as a PBX sends it)."""
    from qa_service.pipeline.decode import decode_audio

    audio = decode_audio(path)
    samples = audio.samples if audio.channels == 2 else np.vstack([audio.samples[0], audio.samples[0]])
    eight = samples[:, ::2] if audio.sample_rate == 16000 else samples
    agent, customer = eight[agent_channel], eight[1 - agent_channel]
    return SimCall(call_id, np.stack([agent, customer], axis=1).astype(np.float32), language, **meta)


async def _pace(started: float, sent_s: float, speed: float) -> None:
    ahead = started + sent_s / speed - time.monotonic()
    if ahead > 0:
        await asyncio.sleep(ahead)


async def stream_plain(url: str, call: SimCall, *, api_key: str, speed: float = 1.0) -> SimResult:
    import websockets

    result = SimResult(call.call_id)
    pcm = (np.clip(call.audio, -1, 1) * 32767).astype("<i2")
    step = int(FRAME_S * 8000)
    meta = {"call_id": call.call_id, "agent_id": call.agent_id, "team": call.team, "direction": call.direction,
            "campaign": call.campaign, "language": call.language, "format": "PCM16", "rate": 8000, "channels": 2,
            "agent_channel": 0}
    async with websockets.connect(f"{url}/live/stream", additional_headers={"X-API-KEY": api_key},
                                  max_size=2**22) as ws:
        await ws.send(json.dumps(meta))
        accepted = json.loads(await ws.recv())
        if accepted.get("type") != "accepted":
            result.error = str(accepted)
            return result
        result.started = time.monotonic()

        async def receive() -> None:
            async for message in ws:
                if isinstance(message, str):
                    m = json.loads(message)
                    result.events.append(((time.monotonic() - result.started) * speed, m))
                    if m.get("type") == "ended":
                        result.stored_call_id = m.get("stored_call_id")
                        return
                    if m.get("type") == "error":
                        result.error = m.get("message")
                        return

        receiver = asyncio.create_task(receive())
        for n, i in enumerate(range(0, pcm.shape[0], step), start=1):
            await _pace(result.started, (i + step) / 8000, speed)
            await ws.send(struct.pack(">I", n) + pcm[i:i + step].tobytes())
            result.frames = n
        await ws.send(json.dumps({"type": "end"}))
        await asyncio.wait_for(receiver, timeout=600)
    return result


async def stream_audiohook(url: str, call: SimCall, *, api_key: str, secret: str,
                           speed: float = 1.0) -> SimResult:
    import websockets

    result = SimResult(call.call_id)
    sid = str(uuid.uuid4())
    parts = urlsplit(url)
    headers = {"audiohook-organization-id": str(uuid.uuid4()), "audiohook-session-id": sid,
               "audiohook-correlation-id": str(uuid.uuid4()), "x-api-key": api_key}
    headers.update(signature.sign({**headers, "host": parts.netloc}, target="/live/audiohook",
                                  authority=parts.netloc, api_key=api_key, secret=secret))
    seq = 0

    def msg(type_: str, **params: Any) -> str:
        nonlocal seq
        seq += 1
        return json.dumps({"version": "2", "type": type_, "seq": seq, "serverseq": 0, "id": sid,
                           "position": f"PT{result.frames * FRAME_S:.1f}S", "parameters": params})

    step = int(FRAME_S * 8000)
    async with websockets.connect(f"{url}/live/audiohook", additional_headers=headers) as ws:
        await ws.send(msg("open", organizationId=headers["audiohook-organization-id"], conversationId=call.call_id,
                          language="zh-CN" if call.language == "zh" else "en-US",
                          participant={"id": str(uuid.uuid4()), "ani": "", "aniName": "", "dnis": "95533"},
                          media=[{"type": "audio", "format": "PCMU", "channels": ["external", "internal"],
                                  "rate": 8000}],
                          customConfig={"call_id": call.call_id, "agent_id": call.agent_id, "team": call.team,
                                        "direction": call.direction, "campaign": call.campaign}))
        opened = json.loads(await ws.recv())
        if opened.get("type") != "opened":
            result.error = str(opened)
            return result
        result.started = time.monotonic()
        external_internal = call.audio[:, ::-1]  # customer, agent
        for i in range(0, external_internal.shape[0], step):
            await _pace(result.started, (i + step) / 8000, speed)
            await ws.send(ulaw_encode(external_internal[i:i + step].reshape(-1)))
            result.frames += 1
        await ws.send(msg("close", reason="end"))
        closed = json.loads(await ws.recv())
        result.events.append(((time.monotonic() - result.started) * speed, closed))
    return result


async def simulate(url: str, calls: list[SimCall], *, protocol: str, api_key: str, secret: str = "",
                   speed: float = 1.0) -> list[SimResult]:
    """Every call at once; their results in order."""
    if protocol == "audiohook":
        jobs = [stream_audiohook(url, c, api_key=api_key, secret=secret, speed=speed) for c in calls]
    else:
        jobs = [stream_plain(url, c, api_key=api_key, speed=speed) for c in calls]
    return list(await asyncio.gather(*jobs))


def new_secret() -> str:
    import secrets

    return base64.b64encode(secrets.token_bytes(32)).decode()
