"""Calls and their recorder metadata. Functions take a Session and never commit."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from qa_service.domain import CallMetadata, Campaign, Direction
from qa_service.errors import ConfigError, NotFound
from qa_service.store.audio_store import StoredAudio
from qa_service.store.models import AudioBlob, Call
from qa_service.store.states import CallState, Stage
from qa_service.store.types import utcnow


def hash_customer_ref(ref: str, salt: str) -> str:
    """Salted SHA-256 (HMAC) of a customer reference: joinable across calls, not reversible."""
    return hmac.new(salt.encode(), ref.strip().encode(), hashlib.sha256).hexdigest()


def _parse_range(text: str) -> tuple[time, time]:
    try:
        start, end = (time.fromisoformat(p.strip()) if p.strip() != "24:00" else time(0)
                      for p in text.split("-"))
    except ValueError as exc:
        raise ConfigError(f"shift {text!r}: expected 'HH:MM-HH:MM'", setting="shifts") from exc
    return start, end


def shift_of(local: datetime, shifts: Mapping[str, str]) -> str | None:
    """The named shift a local time falls in (ranges may wrap midnight, e.g. 23:00-07:00)."""
    t = local.timetz().replace(tzinfo=None)
    for name, text in shifts.items():
        start, end = _parse_range(text)
        inside = start <= t < end if start < end else (t >= start or t < end)
        if inside:
            return name
    return None


def local_day_and_shift(started_at: datetime | None, tz: str,
                        shifts: Mapping[str, str]) -> tuple[date | None, str | None]:
    if started_at is None:
        return None, None
    local = started_at.astimezone(ZoneInfo(tz))
    return local.date(), shift_of(local, shifts)


def by_call_id(session: Session, call_id: str) -> Call | None:
    return session.scalars(select(Call).where(Call.call_id == call_id)).one_or_none()


def get(session: Session, call_id: str) -> Call:
    call = by_call_id(session, call_id)
    if call is None:
        raise NotFound(f"no call with id {call_id!r}", call_id=call_id)
    return call


def by_audio_hash(session: Session, sha256: str) -> Call | None:
    return session.scalars(select(Call).where(Call.audio_sha256 == sha256)).one_or_none()


def add_audio(session: Session, stored: StoredAudio, extension: str) -> AudioBlob:
    blob = session.get(AudioBlob, stored.sha256)
    if blob is None:
        blob = AudioBlob(sha256=stored.sha256, size_bytes=stored.size_bytes, extension=extension[:16])
        session.add(blob)
    return blob


def add_call(
    session: Session,
    meta: CallMetadata,
    audio_sha256: str,
    *,
    source_name: str,
    batch_id: int | None,
    salt: str,
    tz: str,
    shifts: Mapping[str, str],
) -> Call:
    """A new call, queued for transcription. The raw customer reference is hashed, never stored."""
    local_day, shift = local_day_and_shift(meta.started_at, tz, shifts)
    now = utcnow()
    call = Call(
        call_id=meta.call_id,
        audio_sha256=audio_sha256,
        source_name=source_name[:512],
        batch_id=batch_id,
        agent_id=meta.agent_id,
        team=meta.team,
        queue=meta.queue,
        direction=meta.direction.value,
        campaign=meta.campaign.value if meta.campaign else None,
        language=meta.language,
        started_at=meta.started_at,
        local_date=local_day,
        shift=shift,
        customer_ref_hash=hash_customer_ref(meta.customer_ref, salt) if meta.customer_ref else None,
        agent_channel=meta.agent_channel,
        state=CallState.QUEUED.value,
        stage=Stage.TRANSCRIBE.value,
        queued_at=now,
        created_at=now,
        updated_at=now,
    )
    session.add(call)
    return call


def metadata_of(call: Call) -> CallMetadata:
    """The call's metadata as the pipeline sees it (no customer reference: only its hash is kept)."""
    return CallMetadata(
        call_id=call.call_id,
        direction=Direction(call.direction),
        language=call.language,
        agent_id=call.agent_id,
        team=call.team,
        queue=call.queue,
        campaign=Campaign(call.campaign) if call.campaign else None,
        started_at=call.started_at,
        customer_ref=None,
        agent_channel=call.agent_channel,
    )


def set_duration(session: Session, call_pk: int, seconds: float) -> None:
    session.execute(update(Call).where(Call.id == call_pk).values(duration_s=seconds)
                    .execution_options(synchronize_session=False))


def count_by_state(session: Session) -> dict[str, int]:
    rows = session.execute(select(Call.state, func.count()).group_by(Call.state)).all()
    return {str(state): int(n) for state, n in rows}


def listing(session: Session, *, states: Sequence[str] = (), limit: int = 50) -> list[Call]:
    stmt = select(Call).order_by(Call.id.desc()).limit(limit)
    if states:
        stmt = stmt.where(Call.state.in_(states))
    return list(session.scalars(stmt))


def done_calls(session: Session) -> list[Call]:
    return list(session.scalars(select(Call).where(Call.state == CallState.DONE.value).order_by(Call.id)))
