"""The calls in progress on this API process: started when a live connection opens, fed as audio arrives,
transcribed chunk by chunk on a thread pool (the recogniser of the call's language, loaded once), and
finished when the connection closes — the recording stored and queued for the batch pipeline like an
upload, so its final scores are those of any recorded call.

Partial transcripts (the words of an utterance still being spoken) are for whoever is listening in:
they are made only while someone listens and only when the pool has a thread free, so they never
delay a final utterance (the one alerts and the stored transcript are made from).

Who may watch: the live board and listen-in are for supervisors (of the call's team) and admins; each
listen-in is in the audit log at once (``live_listen``, the call id in the detail) and again, with the
stored call, when the call ends — so it counts as a monitored call (监听电话量)."""

from __future__ import annotations

import logging
import tempfile
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import select

from qa_service.domain import CallMetadata, Campaign, Direction, Role
from qa_service.domain.audio import Audio
from qa_service.errors import Conflict, NotFound
from qa_service.ingest.upload import UploadItem, upload_and_queue
from qa_service.live.call import Alert, LiveCall, LiveUtterance
from qa_service.live.checks import LiveChecks
from qa_service.live.stream import Chunk, VadConfig
from qa_service.rubrics import select_rubric
from qa_service.rubrics.hints import rubric_hints
from qa_service.services.access import Permission, Principal
from qa_service.services.context import ServiceContext
from qa_service.services.dispatch import Dispatcher
from qa_service.services.reviews import rubrics_from
from qa_service.store import audit
from qa_service.store.models import Call
from qa_service.store.states import AuditAction

if TYPE_CHECKING:
    from qa_service.pipeline.transcribe import WhisperTranscriber

log = logging.getLogger(__name__)

#: ``listener(kind, payload)``: kind "utterance", "partial", "alert", "audio" (bytes) or "ended"
Listener = Callable[[str, Any], None]
#: ``recogniser(chunk, language, hints)``: the chunk's (text, start, end) segments; ``hints`` are the phrases
#: of the call's rubric (:mod:`qa_service.rubrics.hints`), taken or not as the recogniser's band settings say.
Recogniser = Callable[[Chunk, str, Sequence[str]], list[tuple[str, float, float]]]


def whisper_recogniser(ctx: ServiceContext) -> Recogniser:
    """Chunks transcribed by the batch pipeline's Whisper model for the language (cached per process),
    decoded for latency (:func:`~qa_service.pipeline.models.live_transcriber`)."""
    from qa_service.pipeline.models import live_transcriber

    transcribers: dict[str, WhisperTranscriber] = {}  # per language: resolved once, not per utterance

    def recognise(chunk: Chunk, language: str, hints: Sequence[str]) -> list[tuple[str, float, float]]:
        transcriber = transcribers.get(language)
        if transcriber is None:
            transcriber = transcribers.setdefault(language, live_transcriber(ctx.settings, language))
        audio = Audio(chunk.samples[None, :].astype(np.float32), original_sample_rate=chunk.source_rate)
        result = transcriber.transcribe(audio, language, hints=hints)
        return [(s.text, s.start, s.end) for s in result.segments]

    return recognise


def _hints(call: LiveCall, chunk: Chunk) -> tuple[str, ...]:
    """The rubric's phrases are the agent's: on the customer's channel they are only words to echo
    (8 kHz English sample calls: customer WER 49.7% without, 64.6% with them there)."""
    return call.hints if call.roles[chunk.channel] is Role.AGENT else ()


@dataclass(frozen=True)
class LiveStart:
    call_id: str
    agent_id: str | None
    team: str | None
    direction: Direction
    language: str
    rate: int
    roles: tuple[Role, ...]
    source: str  # "audiohook" or "stream"
    campaign: Campaign | None = None  # outbound programme: picks the rubric
    customer_ref: str | None = None


@dataclass(frozen=True)
class LiveCallView:
    call_id: str
    agent_id: str | None
    team: str | None
    source: str
    state: str  # live, ended, stored
    position_s: float
    rate: int  # of the audio relayed to listeners (mono PCM16)
    utterances: tuple[LiveUtterance, ...]
    alerts: tuple[Alert, ...]
    stored_call_id: str | None


@dataclass
class _Entry:
    call: LiveCall
    start: LiveStart
    state: str = "live"
    listeners: list[Listener] = field(default_factory=list)
    listened_by: set[int] = field(default_factory=set)
    stored: str | None = None


class LiveHub:
    def __init__(self, ctx: ServiceContext, *, recogniser: Recogniser | None = None, workers: int = 2,
                 keep_ended: int = 200) -> None:
        self.ctx = ctx
        self.recogniser = recogniser or whisper_recogniser(ctx)
        self.executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="live-asr")
        self._workers = workers
        self._in_flight = 0  # recognition jobs submitted and not yet done
        self._calls: dict[str, _Entry] = {}
        self._lock = threading.Lock()
        self._keep_ended = keep_ended
        self._rubrics = rubrics_from(ctx.settings)

    # ------------------------------------------------------------------ calls
    def start(self, s: LiveStart) -> LiveCall:
        settings = self.ctx.settings
        meta = CallMetadata(s.call_id, s.direction, s.language, s.agent_id, s.team, campaign=s.campaign,
                            started_at=datetime.now(UTC))
        rubric = select_rubric(self._rubrics(), meta, s.language)  # loaded once, again only when the files change
        if rubric is None:
            log.warning("live call %s: no rubric for live checks", s.call_id)
        call = LiveCall(s.call_id, meta, s.rate, s.roles, s.language,
                        LiveChecks(rubric, silence_s=settings.live_silence_s),
                        vad=VadConfig(partial_s=settings.live_partial_s),
                        hints=rubric_hints(rubric) if rubric is not None else ())
        with self._lock:
            if s.call_id in self._calls and self._calls[s.call_id].state == "live":
                raise Conflict(f"live call {s.call_id!r} is already in progress", call_id=s.call_id)
            self._calls[s.call_id] = _Entry(call, s)
            ended = [k for k, e in self._calls.items() if e.state != "live"]
            for k in ended[:-self._keep_ended] if len(ended) > self._keep_ended else []:
                del self._calls[k]
        log.info("live call %s started (%s, %s, %d Hz)", s.call_id, s.source, s.language, s.rate)
        return call

    def _entry(self, call_id: str) -> _Entry:
        with self._lock:
            entry = self._calls.get(call_id)
        if entry is None:
            raise NotFound(f"no live call {call_id!r}", call_id=call_id)
        return entry

    def submit(self, call: LiveCall, chunk_id: int, chunk: Chunk) -> Future[list[Alert]]:
        """Transcribe a final chunk on the pool."""
        return self._counted(self.executor.submit(self.transcribe, call, chunk_id, chunk))

    def submit_partials(self, call: LiveCall) -> list[Future[None]]:
        """Partial transcripts of what is being said, when someone listens in and a thread is free."""
        if not self.has_listeners(call.call_id):
            return []
        with self._lock:
            free = self._workers - self._in_flight
        if free <= 0:
            return []
        return [self._counted(self.executor.submit(self.transcribe_partial, call, chunk))
                for chunk in call.partials()[:free]]

    def _counted(self, fut: Future[Any]) -> Future[Any]:
        def done(_: Future[Any]) -> None:
            with self._lock:
                self._in_flight -= 1

        with self._lock:
            self._in_flight += 1
        fut.add_done_callback(done)
        return fut

    def transcribe_partial(self, call: LiveCall, chunk: Chunk) -> None:
        partial = call.partial_transcribed(chunk, self.recogniser(chunk, call.language, _hints(call, chunk)))
        if partial is not None:
            self.publish(call.call_id, [("partial", partial)])

    def transcribe(self, call: LiveCall, chunk_id: int, chunk: Chunk) -> list[Alert]:
        """Run in the hub's executor: the chunk's text into the call, and to its listeners."""
        before = len(call.utterances)
        alerts = call.transcribed(chunk_id, chunk, self.recogniser(chunk, call.language, _hints(call, chunk)))
        self.publish(call.call_id, [("utterance", u) for u in call.utterances[before:]] +
                     [("alert", a) for a in alerts])
        return alerts

    def publish(self, call_id: str, events: Sequence[tuple[str, Any]]) -> None:
        with self._lock:
            entry = self._calls.get(call_id)
            listeners = list(entry.listeners) if entry else []
        for kind, payload in events:
            for listener in listeners:
                listener(kind, payload)

    def finish(self, call: LiveCall, dispatcher: Dispatcher) -> str | None:
        """Store the recording and queue it (after every chunk is transcribed); the stored call id."""
        entry = self._entry(call.call_id)
        entry.state = "ended"
        s = entry.start
        if call.position_s < 0.5:
            log.info("live call %s ended with no audio: nothing stored", call.call_id)
            return None
        with tempfile.TemporaryDirectory(dir=self.ctx.settings.data_dir) as tmp:
            path = call.write_recording(Path(tmp) / f"{call.call_id}.wav")
            meta = {"call_id": call.call_id, "direction": s.direction.value, "language": s.language,
                    "agent_id": s.agent_id, "team": s.team, "agent_channel": 0,
                    "campaign": s.campaign.value if s.campaign else None,
                    "started_at": call.metadata.started_at.isoformat() if call.metadata.started_at else None,
                    "customer_ref": s.customer_ref}
            report = upload_and_queue(self.ctx, dispatcher, [UploadItem(path, path.name, {
                k: v for k, v in meta.items() if v is not None})], source=f"live:{s.source}")
        stored = report.accepted[0] if report.accepted else None
        entry.stored = stored
        entry.state = "stored" if stored else "ended"
        if stored:
            with self.ctx.session() as session:
                pk = session.scalar(select(Call.id).where(Call.call_id == stored))
                for user_id in sorted(entry.listened_by):
                    audit.record(session, AuditAction.LIVE_LISTEN, user_id=user_id, call_pk=pk,
                                 detail={"live_call_id": call.call_id, "recorded": True})
        else:
            log.warning("live call %s: the recording was not accepted: %s", call.call_id,
                        "; ".join(r.reason for r in report.rejected))
        self.publish(call.call_id, [("ended", stored)])
        return stored

    # ------------------------------------------------------------------ watching
    def _visible(self, principal: Principal, entry: _Entry) -> bool:
        vis = principal.visibility
        return vis.everything or (entry.start.team is not None and entry.start.team in vis.teams)

    def board(self, principal: Principal) -> list[LiveCallView]:
        principal.require(Permission.LIVE_MONITOR)
        with self._lock:
            entries = list(self._calls.values())
        return [self._view(e) for e in entries if self._visible(principal, e)]

    def view(self, principal: Principal, call_id: str) -> LiveCallView:
        principal.require(Permission.LIVE_MONITOR)
        entry = self._entry(call_id)
        if not self._visible(principal, entry):
            raise NotFound(f"no live call {call_id!r}", call_id=call_id)
        return self._view(entry)

    def listen(self, principal: Principal, call_id: str, listener: Listener, *, client: str = "") -> LiveCallView:
        """Start listening in (silent monitor): ``listener`` gets the call's audio and events from now on."""
        view = self.view(principal, call_id)
        entry = self._entry(call_id)
        with self._lock:
            entry.listeners.append(listener)
            entry.listened_by.add(principal.user_id)
        with self.ctx.session() as session:
            audit.record(session, AuditAction.LIVE_LISTEN, user_id=principal.user_id, client=client,
                         detail={"live_call_id": call_id, "recorded": False})
        return view

    def has_listeners(self, call_id: str) -> bool:
        with self._lock:
            entry = self._calls.get(call_id)
            return bool(entry and entry.listeners)

    def add_listener(self, call_id: str, listener: Listener) -> None:
        """Events of a call for its own peer (no audit: it is not a person listening in)."""
        entry = self._entry(call_id)
        with self._lock:
            entry.listeners.append(listener)

    def stop_listening(self, call_id: str, listener: Listener) -> None:
        with self._lock:
            entry = self._calls.get(call_id)
            if entry and listener in entry.listeners:
                entry.listeners.remove(listener)

    @staticmethod
    def _view(e: _Entry) -> LiveCallView:
        c = e.call
        return LiveCallView(c.call_id, e.start.agent_id, e.start.team, e.start.source, e.state, c.position_s, c.rate,
                            tuple(sorted(c.utterances, key=lambda u: u.start_s)), tuple(c.alerts), e.stored)

    def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
