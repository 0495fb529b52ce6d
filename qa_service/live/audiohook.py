"""The server side of the Genesys AudioHook protocol (version 2), as a state machine on messages:
``open`` → ``opened`` (the media chosen: PCMU or L16, 8 kHz, channels ``external`` and/or
``internal``), ``ping`` → ``pong``, ``paused``/``resumed`` (audio stops and starts; the server may ask
with :meth:`Session.pause` / :meth:`Session.resume`), ``update`` → ``updated``, ``discarded``
(audio the client dropped), ``close`` → ``closed``. Binary frames carry interleaved samples of the
chosen channels. Client messages must count ``seq`` up from 1 without a gap; a message out of order,
a frame before ``open`` or after ``close``, or a malformed message raises
:class:`~qa_service.errors.LiveProtocolError`, for which :meth:`Session.disconnect` is the answer.

In AudioHook the ``external`` channel is the customer and ``internal`` the agent.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt

from qa_service.errors import LiveProtocolError
from qa_service.live.codec import FORMATS, decode_frame

VERSION = "2"
CHANNELS = ("external", "internal")
MAX_MESSAGE_BYTES = 64 * 1024


class State(StrEnum):
    NEW = "new"
    OPEN = "open"
    PAUSED = "paused"
    CLOSED = "closed"


@dataclass(frozen=True)
class Media:
    format: str
    rate: int
    channels: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {"type": "audio", "format": self.format, "channels": list(self.channels), "rate": self.rate}


@dataclass(frozen=True)
class OpenInfo:
    session_id: str
    conversation_id: str
    organization_id: str
    language: str | None
    ani: str
    media: Media
    custom: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    """What one client message did: the replies to send, and what the session learnt."""

    replies: tuple[dict[str, Any], ...] = ()
    opened: OpenInfo | None = None
    closed: bool = False
    discarded_s: float = 0.0


def duration_s(text: Any, what: str) -> float:
    m = re.fullmatch(r"PT(\d+(?:\.\d+)?)S", str(text))
    if m is None:
        raise LiveProtocolError(f"{what}: {text!r} is not an ISO 8601 duration in seconds (PT1.5S)", code=400)
    return float(m.group(1))


def _duration(seconds: float) -> str:
    return f"PT{seconds:.3f}S".replace(".000S", "S")


class Session:
    """One AudioHook connection. Feed it text messages (:meth:`on_text`) and binary frames
    (:meth:`on_audio`); send what they return."""

    def __init__(self, session_id: str) -> None:
        self.session_id = session_id
        self.state = State.NEW
        self.client_seq = 0
        self.server_seq = 0
        self.media: Media | None = None
        self.position_s = 0.0  # audio received so far, per channel
        self.frames = 0
        self.discarded_frames = 0

    # ------------------------------------------------------------------ server messages
    def _message(self, type_: str, parameters: dict[str, Any] | None = None) -> dict[str, Any]:
        self.server_seq += 1
        return {"version": VERSION, "type": type_, "seq": self.server_seq, "clientseq": self.client_seq,
                "id": self.session_id, "parameters": parameters or {}}

    def pause(self) -> dict[str, Any]:
        return self._message("pause")

    def resume(self) -> dict[str, Any]:
        return self._message("resume")

    def disconnect(self, error: LiveProtocolError) -> dict[str, Any]:
        self.state = State.CLOSED
        return self._message("disconnect", {"reason": "error", "info": error.message})

    # ------------------------------------------------------------------ client messages
    def on_text(self, text: str) -> Outcome:
        if len(text) > MAX_MESSAGE_BYTES:
            raise LiveProtocolError(f"a message of {len(text)} bytes is over the {MAX_MESSAGE_BYTES} limit",
                                    code=413)
        try:
            msg = json.loads(text)
        except ValueError as exc:
            raise LiveProtocolError(f"not a JSON message: {exc}", code=400) from exc
        if not isinstance(msg, dict):
            raise LiveProtocolError("a message is a JSON object", code=400)
        if msg.get("version") != VERSION:
            raise LiveProtocolError(f"protocol version {msg.get('version')!r}: expected {VERSION!r}", code=400)
        if msg.get("id") != self.session_id:
            raise LiveProtocolError("the message's session id is not this session's", code=400)
        seq = msg.get("seq")
        if not isinstance(seq, int) or isinstance(seq, bool) or seq != self.client_seq + 1:
            raise LiveProtocolError(f"message seq {seq!r} out of order (expected {self.client_seq + 1})", code=409)
        params = msg.get("parameters", {})
        if not isinstance(params, dict):
            raise LiveProtocolError("'parameters' is a JSON object", code=400)
        self.client_seq = seq
        kind = msg.get("type")
        if self.state is State.CLOSED:
            raise LiveProtocolError(f"{kind!r} after the session was closed", code=409)
        if kind == "open":
            return self._open(params)
        if self.state is State.NEW:
            raise LiveProtocolError(f"{kind!r} before 'open'", code=409)
        if kind == "ping":
            return Outcome((self._message("pong"),))
        if kind == "paused":
            self.state = State.PAUSED
            return Outcome()
        if kind == "resumed":
            self.state = State.OPEN
            return Outcome(discarded_s=duration_s(params.get("discarded", "PT0S"), "discarded"))
        if kind == "discarded":
            return Outcome(discarded_s=duration_s(params.get("discarded", "PT0S"), "discarded"))
        if kind == "update":
            return Outcome((self._message("updated"),))
        if kind == "error":
            return Outcome()
        if kind == "close":
            self.state = State.CLOSED
            return Outcome((self._message("closed"),), closed=True)
        raise LiveProtocolError(f"unknown message type {kind!r}", code=400)

    def _open(self, p: dict[str, Any]) -> Outcome:
        if self.state is not State.NEW:
            raise LiveProtocolError("'open' twice", code=409)
        offered = p.get("media")
        if not isinstance(offered, list) or not offered:
            raise LiveProtocolError("'open' offers no media", code=400)
        chosen = None
        for m in offered:
            if not isinstance(m, dict):
                continue
            channels = tuple(m.get("channels") or ())
            if (m.get("type") == "audio" and m.get("format") in FORMATS and m.get("rate") == 8000
                    and channels and set(channels) <= set(CHANNELS) and len(set(channels)) == len(channels)):
                chosen = Media(str(m["format"]), 8000, channels)
                break
        if chosen is None:
            raise LiveProtocolError("none of the media offered is PCMU or L16 at 8 kHz on external/internal "
                                    "channels", code=415)
        self.media = chosen
        self.state = State.OPEN
        raw = p.get("participant")
        participant: dict[str, Any] = raw if isinstance(raw, dict) else {}
        info = OpenInfo(session_id=self.session_id, conversation_id=str(p.get("conversationId", "")),
                        organization_id=str(p.get("organizationId", "")),
                        language=str(p["language"]) if p.get("language") else None,
                        ani=str(participant.get("ani", "")), media=chosen,
                        custom=dict(p["customConfig"]) if isinstance(p.get("customConfig"), dict) else {})
        return Outcome((self._message("opened", {"startPaused": False, "media": [chosen.as_json()]}),),
                       opened=info)

    def on_audio(self, frame: bytes) -> npt.NDArray[np.float32] | None:
        """The frame's samples (samples × channels, in the order of ``media.channels``); None while
        paused (the audio is dropped, as the protocol says)."""
        if self.state is State.NEW or self.media is None:
            raise LiveProtocolError("audio before 'open'", code=409)
        if self.state is State.CLOSED:
            raise LiveProtocolError("audio after 'close'", code=409)
        samples = decode_frame(frame, self.media.format, len(self.media.channels))
        if self.state is State.PAUSED:
            self.discarded_frames += 1
            return None
        self.frames += 1
        self.position_s += samples.shape[0] / self.media.rate
        return samples

    def client_message(self, type_: str, parameters: dict[str, Any] | None = None, *, seq: int,
                       position_s: float = 0.0) -> str:
        """A client message (the simulator speaks the client side with this)."""
        return json.dumps({"version": VERSION, "type": type_, "seq": seq, "serverseq": self.server_seq,
                           "id": self.session_id, "position": _duration(position_s),
                           "parameters": parameters or {}})
