"""Live listening-in: audio in over WebSocket (Genesys AudioHook at ``/live/audiohook``; the plain
format at ``/live/stream``), the live board, and a supervisor's silent listen-in.

Connections are authenticated before they are accepted (API key and HMAC signature for AudioHook; API
key for the plain stream, signature optional); a protocol error is answered on the socket and ends
that session only. Chunks are transcribed on the hub's thread pool, never on the event loop.

Plain stream: the first text message is the call's metadata (JSON: ``call_id``, ``agent_id``,
``team``, ``direction``, ``language``, ``format`` PCM16 or PCMU, ``rate`` 8000 or 16000,
``channels`` 1 or 2, ``agent_channel``); the server answers ``{"type": "accepted"}``. Then binary
frames: a 4-byte big-endian sequence number (1, 2, …) and the interleaved samples (PCM16
little-endian or μ-law). ``{"type": "end"}`` ends the call (``{"type": "ended"}``). The server pushes
``utterance`` and ``alert`` messages as they happen; a bad or out-of-order frame gets
``{"type": "error", "code": …}`` and the socket is closed."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import struct
import time
from dataclasses import asdict
from typing import Annotated, Any

import numpy as np
from fastapi import APIRouter, Depends, Request, WebSocket, WebSocketDisconnect
from starlette.concurrency import run_in_threadpool

from api.deps import Require, principal_of_token
from qa_service.domain import Campaign, Direction, Role, to_pcm16
from qa_service.errors import LiveProtocolError, QAError, SignatureError
from qa_service.live import signature
from qa_service.live.audiohook import Session
from qa_service.live.call import LiveCall
from qa_service.live.codec import decode_frame
from qa_service.services.access import Permission, Principal
from qa_service.services.dispatch import Dispatcher
from qa_service.services.live import LiveCallView, LiveHub, LiveStart

log = logging.getLogger(__name__)
router = APIRouter(tags=["live"])
Monitor = Annotated[Principal, Depends(Require(Permission.LIVE_MONITOR))]


def hub_of(app: Any) -> LiveHub:
    hub: LiveHub = app.state.live_hub
    return hub


# --------------------------------------------------------------------------- board
@router.get("/live/calls", response_model=list[LiveCallView], summary="Calls in progress (and just ended)")
def board(principal: Monitor, request: Request) -> list[LiveCallView]:
    return hub_of(request.app).board(principal)


@router.get("/live/calls/{call_id}", response_model=LiveCallView, summary="One live call: transcript and alerts")
def one(call_id: str, principal: Monitor, request: Request) -> LiveCallView:
    return hub_of(request.app).view(principal, call_id)


# --------------------------------------------------------------------------- shared
def _headers(ws: WebSocket) -> dict[str, str]:
    return {k.lower(): v for k, v in ws.headers.items()}


def _authenticate(ws: WebSocket, *, require_signature: bool) -> str:
    keys = ws.app.state.settings.live_api_keys
    if not keys:
        raise SignatureError("live audio is not enabled (set QA_LIVE_API_KEYS)")
    headers = _headers(ws)
    if not require_signature and "signature" not in headers:
        key = headers.get("x-api-key", "")
        if key not in keys:
            raise SignatureError("unknown or missing X-API-KEY")
        return key
    target = ws.url.path + (f"?{ws.url.query}" if ws.url.query else "")
    return signature.verify(headers, target=target, authority=headers.get("host", ""), secrets_by_key=keys)


class _Pump:
    """Feeds a live call, transcribing completed chunks on the hub's pool and publishing the audio."""

    def __init__(self, hub: LiveHub, call: LiveCall) -> None:
        self.hub, self.call = hub, call
        self.tasks: set[asyncio.Future[Any]] = set()
        self.loop = asyncio.get_running_loop()

    def feed(self, samples: np.ndarray) -> None:
        for cid, chunk in self.call.feed(samples):
            self._submit(cid, chunk)
        for fut in self.hub.submit_partials(self.call):
            self._track(asyncio.wrap_future(fut))
        alerts = self.call.tick()
        if alerts:
            self.hub.publish(self.call.call_id, [("alert", a) for a in alerts])
        if self.hub.has_listeners(self.call.call_id):
            mono = to_pcm16(samples.mean(axis=1)).tobytes()
            self.hub.publish(self.call.call_id, [("audio", mono)])

    def _submit(self, cid: int, chunk: Any) -> None:
        self._track(asyncio.wrap_future(self.hub.submit(self.call, cid, chunk)))

    def _track(self, fut: asyncio.Future[Any]) -> None:
        self.tasks.add(fut)
        fut.add_done_callback(self.tasks.discard)

    async def finish(self, dispatcher: Dispatcher) -> str | None:
        for cid, chunk in self.call.end():
            self._submit(cid, chunk)
        if self.tasks:
            await asyncio.gather(*self.tasks, return_exceptions=True)
        alerts = self.call.tick()
        if alerts:
            self.hub.publish(self.call.call_id, [("alert", a) for a in alerts])
        return await run_in_threadpool(self.hub.finish, self.call, dispatcher)


def _language(code: str | None, default: str) -> str:
    if not code:
        return default
    return "zh" if code.lower().startswith(("zh", "cmn")) else "en" if code.lower().startswith("en") else default


def _event(kind: str, payload: Any) -> str | bytes:
    if kind == "audio":
        return bytes(payload)
    return json.dumps({"type": kind, **(asdict(payload) if hasattr(payload, "__dataclass_fields__")
                                        else {"stored_call_id": payload})}, ensure_ascii=False)


def _subscribe(ws: WebSocket, hub: LiveHub, call_id: str) -> tuple[asyncio.Queue[str | bytes], Any]:
    queue: asyncio.Queue[str | bytes] = asyncio.Queue(maxsize=2000)
    loop = asyncio.get_running_loop()

    def listener(kind: str, payload: Any) -> None:
        item = _event(kind, payload)

        def put() -> None:
            if not queue.full():
                queue.put_nowait(item)

        loop.call_soon_threadsafe(put)

    return queue, listener


async def _drain(ws: WebSocket, queue: asyncio.Queue[str | bytes]) -> None:
    while True:
        item = await queue.get()
        if isinstance(item, bytes):
            await ws.send_bytes(item)
        else:
            await ws.send_text(item)


# --------------------------------------------------------------------------- AudioHook
@router.websocket("/live/audiohook")
async def audiohook(ws: WebSocket) -> None:
    try:
        _authenticate(ws, require_signature=True)
    except SignatureError as exc:
        log.warning("AudioHook connection refused: %s", exc.message)
        await ws.close(code=1008, reason=exc.message[:120])
        return
    headers = _headers(ws)
    session = Session(headers.get("audiohook-session-id", ""))
    await ws.accept()
    hub, settings = hub_of(ws.app), ws.app.state.settings
    pump: _Pump | None = None
    try:
        while True:
            message = await ws.receive()
            if message["type"] == "websocket.disconnect":
                break
            if message.get("bytes") is not None:
                samples = session.on_audio(message["bytes"])
                if samples is not None and pump is not None:
                    pump.feed(samples)
                continue
            outcome = session.on_text(message.get("text") or "")
            if outcome.opened is not None:
                info = outcome.opened
                roles = tuple(Role.CUSTOMER if c == "external" else Role.AGENT for c in info.media.channels)
                custom = info.custom
                call = hub.start(LiveStart(
                    call_id=str(custom.get("call_id") or info.conversation_id or session.session_id),
                    agent_id=custom.get("agent_id"), team=custom.get("team"),
                    direction=_direction(custom),
                    language=_language(info.language, settings.language if settings.language != "auto" else "zh"),
                    rate=info.media.rate, roles=roles, source="audiohook", campaign=_campaign(custom)))
                pump = _Pump(hub, call)
            for reply in outcome.replies:
                await ws.send_text(json.dumps(reply))
            if outcome.closed:
                break
    except LiveProtocolError as exc:
        log.warning("AudioHook session %s: %s", session.session_id, exc.message)
        await ws.send_text(json.dumps(session.disconnect(exc)))
    except WebSocketDisconnect:
        pass
    except QAError as exc:
        await ws.send_text(json.dumps(session.disconnect(LiveProtocolError(exc.message, code=409))))
    finally:
        if pump is not None:
            await pump.finish(ws.app.state.dispatcher)
        with contextlib.suppress(RuntimeError):
            await ws.close()


# --------------------------------------------------------------------------- plain stream
_FORMATS = {"PCM16": "L16", "L16": "L16", "PCMU": "PCMU"}


def _plain_start(meta: Any) -> tuple[LiveStart, str, int]:
    if not isinstance(meta, dict):
        raise LiveProtocolError("the first message is the call's metadata (a JSON object)", code=400)
    fmt = _FORMATS.get(str(meta.get("format", "PCM16")).upper())
    rate, channels = meta.get("rate", 8000), meta.get("channels", 2)
    if fmt is None:
        raise LiveProtocolError("format: PCM16 or PCMU", code=415)
    if rate not in (8000, 16000) or channels not in (1, 2):
        raise LiveProtocolError("rate 8000 or 16000, channels 1 or 2", code=415)
    call_id = str(meta.get("call_id") or "")
    if not call_id or len(call_id) > 128:
        raise LiveProtocolError("call_id: 1 to 128 characters", code=400)
    agent_channel = meta.get("agent_channel", 0)
    if channels == 2 and agent_channel not in (0, 1):
        raise LiveProtocolError("agent_channel: 0 or 1", code=400)
    roles = (Role.AGENT,) if channels == 1 else tuple(
        Role.AGENT if i == agent_channel else Role.CUSTOMER for i in range(2))
    direction = _direction(meta)
    language = meta.get("language") or "zh"
    if language not in ("zh", "en"):
        raise LiveProtocolError("language: zh or en", code=400)
    return (LiveStart(call_id, meta.get("agent_id"), meta.get("team"), direction, language, int(rate), roles,
                      "stream", _campaign(meta), meta.get("customer_ref")), fmt, int(channels))


def _direction(meta: dict[str, Any]) -> Direction:
    try:
        return Direction(meta.get("direction") or "inbound")
    except ValueError as exc:
        raise LiveProtocolError("direction: inbound or outbound", code=400) from exc


def _campaign(meta: dict[str, Any]) -> Campaign | None:
    """The outbound programme, which picks the call's rubric (and so its live checks)."""
    value = meta.get("campaign")
    if not value:
        return None
    try:
        return Campaign(str(value).lower())
    except ValueError as exc:
        raise LiveProtocolError(f"campaign: {', '.join(c.value for c in Campaign)}", code=400) from exc


@router.websocket("/live/stream")
async def stream(ws: WebSocket) -> None:
    try:
        _authenticate(ws, require_signature=False)
    except SignatureError as exc:
        await ws.close(code=1008, reason=exc.message[:120])
        return
    await ws.accept()
    hub = hub_of(ws.app)
    pump: _Pump | None = None
    sender: asyncio.Task[None] | None = None
    listener = None
    seq = 0
    try:
        first = await ws.receive_text()
        try:
            meta = json.loads(first)
        except ValueError as exc:
            raise LiveProtocolError("the first message is the call's metadata (JSON)", code=400) from exc
        start, fmt, channels = _plain_start(meta)
        call = hub.start(start)
        pump = _Pump(hub, call)
        queue, listener = _subscribe(ws, hub, call.call_id)
        # the streaming peer hears its own transcript and alerts (no audio back; "ended" is sent below)
        hub.add_listener(call.call_id, lambda k, p: None if k in ("audio", "ended") else listener(k, p))
        sender = asyncio.create_task(_drain(ws, queue))
        await ws.send_text(json.dumps({"type": "accepted", "call_id": call.call_id, "at": time.time()}))
        while True:
            message = await ws.receive()
            if message["type"] == "websocket.disconnect":
                break
            data = message.get("bytes")
            if data is not None:
                if len(data) < 4:
                    raise LiveProtocolError("a frame starts with a 4-byte sequence number", code=400)
                (n,) = struct.unpack(">I", data[:4])
                if n != seq + 1:
                    raise LiveProtocolError(f"frame {n} out of order (expected {seq + 1})", code=409)
                seq = n
                pump.feed(decode_frame(data[4:], fmt, channels))
                continue
            try:
                control = json.loads(message.get("text") or "")
            except ValueError as exc:
                raise LiveProtocolError("a text message is JSON", code=400) from exc
            if not isinstance(control, dict) or control.get("type") != "end":
                raise LiveProtocolError("the only text message after the metadata is {\"type\": \"end\"}", code=400)
            break
        stored = await pump.finish(ws.app.state.dispatcher)
        pump = None
        await asyncio.sleep(0.05)  # let the last events out
        await ws.send_text(json.dumps({"type": "ended", "stored_call_id": stored, "frames": seq}))
    except LiveProtocolError as exc:
        with contextlib.suppress(RuntimeError):
            await ws.send_text(json.dumps({"type": "error", "code": exc.details.get("code", 400),
                                           "message": exc.message}))
    except WebSocketDisconnect:
        pass
    except QAError as exc:
        await ws.send_text(json.dumps({"type": "error", "code": 409, "message": exc.message}))
    finally:
        if pump is not None:
            await pump.finish(ws.app.state.dispatcher)
        if sender is not None:
            sender.cancel()
        with contextlib.suppress(RuntimeError):
            await ws.close()


# --------------------------------------------------------------------------- listen-in
@router.websocket("/live/calls/{call_id}/listen")
async def listen(ws: WebSocket, call_id: str, token: str = "") -> None:
    """Silent monitor: the call's audio (PCM16 mono, at the call's rate) and its events. The browser
    signs in with ``?token=`` (a WebSocket cannot send headers); nothing it sends is played."""
    try:
        principal = await principal_of_token(hub_of(ws.app).ctx, ws.app.state.tokens, token)
        principal.require(Permission.LIVE_MONITOR)
    except QAError as exc:
        await ws.close(code=1008, reason=exc.message[:120])
        return
    hub = hub_of(ws.app)
    queue, listener = _subscribe(ws, hub, call_id)
    try:
        view = await run_in_threadpool(hub.listen, principal, call_id, listener,
                                       client=ws.client.host if ws.client else "")
    except QAError as exc:
        await ws.close(code=1008, reason=exc.message[:120])
        return
    await ws.accept()
    await ws.send_text(json.dumps({"type": "call", **asdict(view)}, ensure_ascii=False, default=str))
    sender = asyncio.create_task(_drain(ws, queue))
    try:
        while True:  # silent monitor: whatever the browser sends is dropped
            message = await ws.receive()
            if message["type"] == "websocket.disconnect":
                break
    finally:
        hub.stop_listening(call_id, listener)
        sender.cancel()
