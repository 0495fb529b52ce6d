"""Listening to recorded calls: the call's audio for one person, PII bleeped unless they hold the
PII permission, optionally a clip, and the listen in the audit log (it counts as a monitored call).

A player fetches one recording in many Range requests; one listen is one audit event: a further
request of the same person, call and clip within ``LISTEN_EVENT_WINDOW`` is part of the same listen."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_service.playback import Rendition, TimeSpan, bleep_spans, clip_span, render_audio
from qa_service.services.access import Permission, Principal
from qa_service.services.calls_view import visible_call
from qa_service.services.context import ServiceContext
from qa_service.store import audit
from qa_service.store.models import AuditEvent, Transcript
from qa_service.store.results import load_transcript
from qa_service.store.states import AuditAction
from qa_service.store.types import utcnow

LISTEN_EVENT_WINDOW = timedelta(minutes=5)


class _SpanCache:
    """The bleep spans of recently played transcripts. A player sends many Range requests per listen;
    each would otherwise decode the whole transcript document. Keyed by the transcript's version (a
    new transcript, after reprocessing or a role swap, is a new row with a new ``created_at``)."""

    def __init__(self, size: int = 256) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple[str, int, datetime], tuple[TimeSpan, ...]] = OrderedDict()

    def of(self, ctx: ServiceContext, session: Session, call_pk: int) -> tuple[TimeSpan, ...]:
        version = session.scalar(select(Transcript.created_at).where(Transcript.call_pk == call_pk))
        if version is None:  # not transcribed yet: nothing known to bleep
            return ()
        key = (ctx.settings.resolved_database_url, call_pk, version)
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        spans = bleep_spans(load_transcript(session, call_pk))
        with self._lock:
            self._entries[key] = spans
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return spans


_spans = _SpanCache()


@dataclass(frozen=True)
class Listening:
    rendition: Rendition
    bleeped: bool
    file_name: str


def _recently_audited(session: Session, principal: Principal, call_pk: int, detail: dict[str, object]) -> bool:
    since = utcnow() - LISTEN_EVENT_WINDOW
    recent = session.scalars(select(AuditEvent.detail).where(
        AuditEvent.call_pk == call_pk, AuditEvent.user_id == principal.user_id,
        AuditEvent.action == AuditAction.LISTEN.value, AuditEvent.at >= since)).all()
    return any(d.get("clip") == detail["clip"] and d.get("bleeped") == detail["bleeped"] for d in recent)


def recorded_audio(ctx: ServiceContext, session: Session, principal: Principal, call_id: str, *,
                   start: float | None = None, end: float | None = None, client: str = "") -> Listening:
    principal.require(Permission.AUDIO_LISTEN)
    call = visible_call(session, principal, call_id)
    clip = clip_span(start, end)
    bleep = not principal.pii_access
    spans = _spans.of(ctx, session, call.id) if bleep else ()
    rendition = render_audio(ctx.settings, audio_path=ctx.audio_store.open_path(call.audio_sha256),
                             sha256=call.audio_sha256, bleep=spans, clip=clip)
    detail: dict[str, object] = {"clip": [clip.start, clip.end] if clip else None, "bleeped": bleep}
    if not _recently_audited(session, principal, call.id, detail):
        audit.record(session, AuditAction.LISTEN, user_id=principal.user_id, call_pk=call.id, client=client,
                     detail=detail)
    suffix = f"_{clip.start:g}-{clip.end:g}s" if clip else ""
    return Listening(rendition, bleep, f"{call.call_id}{suffix}.wav")
