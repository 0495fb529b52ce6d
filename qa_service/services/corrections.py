"""Corrections by a person: swap the agent and customer roles of a call whose roles the pipeline got
the wrong way round, then assess it again from the stored transcript (no re-transcription).

The swapped transcript remembers what the pipeline had decided (in ``meta`` under
:data:`CORRECTION_KEY`: the role assignment and the call's agent channel), so swapping again gives
back exactly the original transcript and metadata. On a stereo recording the call's
``agent_channel`` follows the agent, so a later re-transcription keeps the correction.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

from qa_service.domain import CallTranscript, Role, RoleAssignment
from qa_service.errors import Conflict, NotFound
from qa_service.services.access import Permission, Principal
from qa_service.services.context import ServiceContext
from qa_service.services.dispatch import Dispatcher
from qa_service.store import audit, leases, results
from qa_service.store import reviews as review_store
from qa_service.store.states import AuditAction, CallState, Stage
from qa_service.store.types import utcnow

log = logging.getLogger(__name__)

#: ``CallTranscript.meta`` key holding what the pipeline decided, while the roles are swapped.
CORRECTION_KEY = "role_correction"
#: ``RoleAssignment.method`` (and ``transcripts.role_method``) of roles a person set.
MANUAL_METHOD = "manual"
#: The diarization method of stereo recordings (one speaker per channel).
STEREO_METHOD = "channels"

_SWAP = {Role.AGENT: Role.CUSTOMER, Role.CUSTOMER: Role.AGENT, Role.UNKNOWN: Role.UNKNOWN}


@dataclass(frozen=True)
class SwapResult:
    call_id: str
    swapped: bool  # True: the roles are now the reverse of the pipeline's; False: back to the pipeline's
    role_method: str | None
    agent_channel: int | None  # the call's agent channel after the swap (stereo), as stored
    queued: Stage  # the stage the call now waits for (always assess: no re-transcription)


@dataclass(frozen=True)
class SwappedTranscript:
    transcript: CallTranscript
    swapped: bool
    agent_channel: int | None


# --------------------------------------------------------------------------- pure part
def _assignment_to_json(a: RoleAssignment | None) -> dict[str, Any] | None:
    if a is None:
        return None
    return {"roles": [[s, r.value] for s, r in a.roles], "confidence": a.confidence, "method": a.method,
            "low_confidence": a.low_confidence, "reasons": list(a.reasons)}


def _assignment_from_json(d: dict[str, Any] | None) -> RoleAssignment | None:
    if d is None:
        return None
    return RoleAssignment(roles=tuple((str(s), Role(r)) for s, r in d["roles"]),
                          confidence=float(d["confidence"]), method=str(d["method"]),
                          low_confidence=bool(d["low_confidence"]), reasons=tuple(str(x) for x in d["reasons"]))


def _speaker_roles(t: CallTranscript) -> tuple[tuple[str, Role], ...]:
    return tuple(dict.fromkeys((u.speaker, u.role) for u in t.utterances))


def _agent_channel_of(t: CallTranscript) -> int | None:
    channels = Counter(u.channel for u in t.utterances if u.role is Role.AGENT and u.channel is not None)
    return channels.most_common(1)[0][0] if channels else None


def swap_transcript(t: CallTranscript, *, agent_channel: int | None, default_agent_channel: int = 0,
                    by: str = "") -> SwappedTranscript:
    """Agent ↔ customer on every utterance and in the role assignment. The first swap records the
    pipeline's assignment and ``agent_channel`` in ``meta``; swapping a swapped transcript restores
    both exactly. ``agent_channel`` is the call's stored value (None: ``default_agent_channel``)."""
    meta = dict(t.meta)
    utterances = tuple(replace(u, role=_SWAP[u.role]) for u in t.utterances)
    stored = meta.pop(CORRECTION_KEY, None)
    if stored is not None:  # back to what the pipeline decided
        original = json.loads(stored)
        restored = replace(t, utterances=utterances, roles=_assignment_from_json(original["assignment"]),
                           meta=tuple(meta.items()))
        return SwappedTranscript(restored, False, original["agent_channel"])
    record = {"assignment": _assignment_to_json(t.roles), "agent_channel": agent_channel, "by": by}
    base = t.roles.roles if t.roles is not None else _speaker_roles(t)
    reason = f"agent and customer swapped by {by}" if by else "agent and customer swapped by a person"
    roles = RoleAssignment(roles=tuple((s, _SWAP[r]) for s, r in base), confidence=1.0, method=MANUAL_METHOD,
                           low_confidence=False, reasons=(reason,))
    swapped = replace(t, utterances=utterances, roles=roles,
                      meta=(*meta.items(), (CORRECTION_KEY, json.dumps(record, ensure_ascii=False))))
    channel = agent_channel
    if t.diarization_method == STEREO_METHOD:
        found = _agent_channel_of(swapped)
        current = agent_channel if agent_channel is not None else default_agent_channel
        channel = found if found is not None else 1 - current
    return SwappedTranscript(swapped, True, channel)


# --------------------------------------------------------------------------- the service
def swap_roles(ctx: ServiceContext, dispatcher: Dispatcher, principal: Principal, call_id: str, *,
               client: str = "") -> SwapResult:
    """Swap agent and customer on a processed call and queue only its assessment again.

    Raises PermissionDenied (role), NotFound (no such call, or one outside the person's teams) and
    Conflict (the call is queued or being processed, or it has no stored transcript)."""
    principal.require(Permission.CALLS_CORRECT)
    with ctx.session() as session:
        call = review_store.visible_call_for_update(session, call_id, principal.visibility)
        if call is None:
            raise NotFound(f"no call {call_id!r}", call_id=call_id)
        if call.state in (CallState.QUEUED.value, CallState.PROCESSING.value):
            raise Conflict(f"call {call_id!r} is being processed ({call.stage}); swap its roles when it is done",
                           call_id=call_id, state=call.state)
        row = results.transcript_row(session, call.id)
        if row is None:
            raise Conflict(f"call {call_id!r} has no transcript to correct", call_id=call_id, state=call.state)
        pipeline_version, redacted = row.pipeline_version, row.redacted
        before = call.agent_channel
        out = swap_transcript(results.load_transcript(session, call.id), agent_channel=before,
                              default_agent_channel=ctx.settings.agent_channel, by=principal.username)
        results.save_transcript(session, call.id, out.transcript, pipeline_version=pipeline_version,
                                redacted=redacted)
        call.agent_channel = out.agent_channel
        session.flush()
        leases.requeue(session, call.id, Stage.ASSESS, now=utcnow())
        method = out.transcript.roles.method if out.transcript.roles else None
        audit.record(session, AuditAction.SWAP_ROLES, user_id=principal.user_id, call_pk=call.id, client=client,
                     detail={"swapped": out.swapped, "role_method": method,
                             "agent_channel": [before, out.agent_channel], "queued": Stage.ASSESS.value})
    dispatcher.send(call_id, Stage.ASSESS)
    log.info("call %s: roles %s by %s; assessment queued", call_id,
             "swapped" if out.swapped else "restored", principal.username)
    return SwapResult(call_id=call_id, swapped=out.swapped, role_method=method, agent_channel=out.agent_channel,
                      queued=Stage.ASSESS)
