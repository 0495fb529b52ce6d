"""Swapping agent and customer: the stored transcript is corrected, only the assessment runs again
(the fake backend counts its calls: no re-transcription), the review survives, and swapping twice gives
the original back. End to end on the embedded worker, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from review_support import any_svc, review_pg_url  # noqa: F401  (fixtures)
from sqlalchemy import select, update
from svc_support import write_corrupt, write_wav

from qa_service.domain import CallTranscript, Role, RoleAssignment, Utterance
from qa_service.errors import Conflict, NotFound, PermissionDenied
from qa_service.ingest import ingest_paths
from qa_service.services.access import Principal
from qa_service.services.context import ServiceContext
from qa_service.services.corrections import CORRECTION_KEY, MANUAL_METHOD, swap_roles, swap_transcript
from qa_service.services.dispatch import LocalDispatcher
from qa_service.services.local_worker import run_local
from qa_service.services.reviews import ItemDecision, ReviewInput, rubrics_from, submit_review
from qa_service.store import calls, results
from qa_service.store.models import AuditEvent, Call, FindingRow, Scorecard, User
from qa_service.store.states import Stage, UserRole

# --------------------------------------------------------------------------- the transcript alone
MONO = CallTranscript(
    "en",
    (Utterance("SPEAKER_00", 0.0, 1.0, "hello", role=Role.CUSTOMER),
     Utterance("SPEAKER_01", 1.0, 2.0, "thank you for calling", role=Role.AGENT),
     Utterance("SPEAKER_02", 2.0, 2.5, "hm", role=Role.UNKNOWN)),
    3.0, RoleAssignment((("SPEAKER_00", Role.CUSTOMER), ("SPEAKER_01", Role.AGENT)), 0.55, "content",
                        low_confidence=True, reasons=("low confidence: agent score margin 0.2",)),
    "pyannote", (("source", "x.wav"),))

STEREO = CallTranscript(
    "zh",
    (Utterance("CHANNEL_0", 0.0, 1.0, "喂", role=Role.AGENT, channel=0),
     Utterance("CHANNEL_1", 1.0, 2.0, "您好很高兴为您服务", role=Role.CUSTOMER, channel=1)),
    2.5, RoleAssignment((("CHANNEL_0", Role.AGENT), ("CHANNEL_1", Role.CUSTOMER)), 0.3, "channel",
                        low_confidence=True), "channels")


def test_a_swap_exchanges_every_role_and_a_second_swap_restores_the_original() -> None:
    once = swap_transcript(MONO, agent_channel=None, by="sup1")
    assert once.swapped and once.agent_channel is None  # mono: no channel to follow
    t = once.transcript
    assert [u.role for u in t.utterances] == [Role.AGENT, Role.CUSTOMER, Role.UNKNOWN]
    assert [(u.speaker, u.text, u.start) for u in t.utterances] == [(u.speaker, u.text, u.start)
                                                                   for u in MONO.utterances]
    assert t.roles is not None and t.roles.method == MANUAL_METHOD and not t.roles.low_confidence
    assert t.roles.roles == (("SPEAKER_00", Role.AGENT), ("SPEAKER_01", Role.CUSTOMER))
    assert t.roles.reasons == ("agent and customer swapped by sup1",)
    assert CORRECTION_KEY in dict(t.meta) and dict(t.meta)["source"] == "x.wav"
    twice = swap_transcript(t, agent_channel=None, by="sup2")
    assert not twice.swapped and twice.transcript == MONO


def test_a_stereo_swap_moves_the_agent_channel_and_returns_it() -> None:
    once = swap_transcript(STEREO, agent_channel=None, default_agent_channel=0)
    assert once.agent_channel == 1 and once.transcript.by_role(Role.AGENT)[0].channel == 1
    back = swap_transcript(once.transcript, agent_channel=once.agent_channel)
    assert back.transcript == STEREO and back.agent_channel is None  # as the call had it: unset
    no_roles = CallTranscript("zh", STEREO.utterances, 2.5, None, "channels")
    swapped = swap_transcript(no_roles, agent_channel=0)
    assert swapped.transcript.roles is not None
    assert swapped.transcript.roles.roles == (("CHANNEL_0", Role.CUSTOMER), ("CHANNEL_1", Role.AGENT))
    assert swap_transcript(swapped.transcript, agent_channel=1).transcript == no_roles


# --------------------------------------------------------------------------- end to end
@dataclass
class _Counting:
    """The fake backend, counting what the worker asks of it."""

    inner: Any
    counts: Counter[str]
    assessed: list[CallTranscript]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def transcribe(self, *args: Any) -> Any:
        self.counts["transcribe"] += 1
        return self.inner.transcribe(*args)

    def assess(self, *args: Any) -> Any:
        self.counts["assess"] += 1
        self.assessed.append(args[0])
        return self.inner.assess(*args)


@dataclass(frozen=True)
class _CountingCtx(ServiceContext):
    counts: Counter[str] = field(default_factory=Counter)
    assessed: list[CallTranscript] = field(default_factory=list)

    @property
    def backend(self) -> Any:
        return _Counting(ServiceContext(self.settings).backend, self.counts, self.assessed)


class _Recording(LocalDispatcher):
    def __init__(self) -> None:
        self.sent: list[tuple[str, Stage]] = []

    def send(self, call_id: str, stage: Stage) -> None:
        self.sent.append((call_id, stage))


def _people(svc: ServiceContext) -> dict[str, Principal]:
    out = {}
    with svc.session() as s:
        for name, role, teams in (("sup1", UserRole.SUPERVISOR, ("T1",)), ("sup2", UserRole.SUPERVISOR, ("T2",)),
                                  ("trainer", UserRole.TRAINER, ("T1",))):
            user = User(username=name, role=role.value)
            s.add(user)
            s.flush()
            out[name] = Principal(user.id, name, role, teams)
    return out


def _state(svc: ServiceContext, call_id: str) -> dict[str, Any]:
    with svc.session() as s:
        call = calls.get(s, call_id)
        card = s.get(Scorecard, call.id)
        row = results.transcript_row(s, call.id)
        assert card is not None and row is not None
        return {"state": (call.state, call.stage), "agent_channel": call.agent_channel,
                "transcript": results.load_transcript(s, call.id), "role_method": row.role_method,
                "card": (card.score, card.final_score, card.final_passed),
                "review_state": call.review_state,
                "finals": {f.item_id: (f.outcome, f.final_outcome)
                           for f in s.scalars(select(FindingRow).where(FindingRow.call_pk == call.id))}}


def test_swapping_roles_reassesses_without_transcribing_and_keeps_the_review(
        any_svc: ServiceContext, tmp_path: Path) -> None:  # noqa: F811
    ctx = _CountingCtx(any_svc.settings)
    folder = tmp_path / "in"
    write_wav(folder / "R1_AGENT_1023_DT_20261102T091400.wav", seed=7)
    write_wav(folder / "R2_AGENT_1024_DT_20261102T101400.wav", seed=8)
    write_corrupt(folder / "R3_AGENT_1024_DT_20261102T111400.wav")
    ingest_paths(ctx.settings, [folder])
    with ctx.session() as s:
        s.execute(update(Call).values(team="T1"))
    run_local(ctx)
    assert ctx.counts["transcribe"] == 3 and ctx.counts["assess"] == 2
    people = _people(ctx)
    call_id = "R1_AGENT_1023_DT_20261102T091400"
    original = _state(ctx, call_id)
    assert original["card"] == (50.0, 50.0, False) and original["agent_channel"] is None
    with ctx.session() as s:
        submit_review(s, people["sup1"], call_id, ReviewInput(items=(ItemDecision("closing", "pass"),)),
                      rubrics=rubrics_from(ctx.settings))
    assert _state(ctx, call_id)["card"] == (50.0, 100.0, True)

    dispatcher = _Recording()
    out = swap_roles(ctx, dispatcher, people["sup1"], call_id, client="cli")
    assert (out.swapped, out.role_method, out.agent_channel, out.queued) == (True, MANUAL_METHOD, 1, Stage.ASSESS)
    assert dispatcher.sent == [(call_id, Stage.ASSESS)]
    queued = _state(ctx, call_id)
    assert queued["state"] == ("queued", "assess") and queued["role_method"] == MANUAL_METHOD
    assert [u.role for u in queued["transcript"].utterances] == [Role.CUSTOMER, Role.AGENT] * 2
    assert [u.text for u in queued["transcript"].utterances] == [u.text for u in original["transcript"].utterances]
    with pytest.raises(Conflict, match="being processed"):
        swap_roles(ctx, dispatcher, people["sup1"], call_id)

    ctx.counts.clear()
    summary = run_local(ctx)
    assert summary.done == [call_id] and summary.failed == []
    assert ctx.counts == Counter({"assess": 1})  # no transcription
    swapped = _state(ctx, call_id)
    assert swapped["state"] == ("done", "assess")
    assert ctx.assessed[-1] == queued["transcript"]  # assessed from the corrected transcript
    assert swapped["finals"]["closing"] == ("fail", "pass")  # the review was applied to the new scorecard
    assert swapped["card"] == (50.0, 100.0, True) and swapped["review_state"] == "reviewed"

    again = swap_roles(ctx, LocalDispatcher(), people["sup1"], call_id)
    assert (again.swapped, again.agent_channel) == (False, None)
    run_local(ctx)
    assert ctx.counts == Counter({"assess": 2})
    back = _state(ctx, call_id)
    assert back["transcript"] == original["transcript"] and ctx.assessed[-1] == original["transcript"]
    assert back["role_method"] == original["role_method"] and back["agent_channel"] is None
    assert back["card"] == (50.0, 100.0, True)

    with ctx.session() as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.action == "swap_roles").order_by(AuditEvent.id)).all()
        assert [(e.user_id, e.detail["swapped"], e.detail["agent_channel"], e.client) for e in events] == [
            (people["sup1"].user_id, True, [None, 1], "cli"), (people["sup1"].user_id, False, [1, None], "")]
        other = calls.get(s, "R2_AGENT_1024_DT_20261102T101400")
        assert results.load_transcript(s, other.id).roles.method == "channel"  # type: ignore[union-attr]


def test_swap_refusals(any_svc: ServiceContext, tmp_path: Path) -> None:  # noqa: F811
    svc = any_svc
    folder = tmp_path / "in"
    write_wav(folder / "R1_AGENT_1023_DT_20261102T091400.wav", seed=7)
    write_corrupt(folder / "R3_AGENT_1024_DT_20261102T111400.wav")
    ingest_paths(svc.settings, [folder])
    with svc.session() as s:
        s.execute(update(Call).values(team="T1"))
    people = _people(svc)
    with pytest.raises(Conflict, match="being processed"):  # queued, not transcribed yet
        swap_roles(svc, LocalDispatcher(), people["sup1"], "R1_AGENT_1023_DT_20261102T091400")
    run_local(svc)
    with pytest.raises(Conflict, match="no transcript"):  # failed to decode
        swap_roles(svc, LocalDispatcher(), people["sup1"], "R3_AGENT_1024_DT_20261102T111400")
    with pytest.raises(NotFound):
        swap_roles(svc, LocalDispatcher(), people["sup2"], "R1_AGENT_1023_DT_20261102T091400")
    with pytest.raises(PermissionDenied):
        swap_roles(svc, LocalDispatcher(), people["trainer"], "R1_AGENT_1023_DT_20261102T091400")
    with svc.session() as s:
        assert s.scalars(select(AuditEvent).where(AuditEvent.action == "swap_roles")).all() == []
        assert calls.get(s, "R1_AGENT_1023_DT_20261102T091400").state == "done"
