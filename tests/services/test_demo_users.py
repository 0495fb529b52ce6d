"""The demo's sign-ins: one per role, scoped to the stored calls, made once, signing in with the
printed password; users who already exist are left alone."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from svc_support import write_wav

from qa_service.domain import CallMetadata, Direction
from qa_service.services.auth import sign_in
from qa_service.services.context import ServiceContext
from qa_service.services.demo import DEMO_PASSWORD, ensure_demo_users
from qa_service.services.users import get_user
from qa_service.store import calls


def test_demo_users_one_per_role(svc: ServiceContext, tmp_path: Path) -> None:
    for i, (team, agent) in enumerate((("T5", "1172"), ("T1", "1023"))):
        stored = svc.audio_store.put_file(write_wav(tmp_path / f"{i}.wav", i))
        with svc.session() as s:
            calls.add_audio(s, stored, "wav")
            calls.add_call(s, CallMetadata(f"c{i}", Direction.INBOUND, "zh", agent, team,
                                           started_at=datetime(2026, 12, 1, tzinfo=UTC)), stored.sha256,
                           source_name="x", batch_id=None, salt="s", tz="Asia/Shanghai", shifts={})
    logins = ensure_demo_users(svc)
    assert [x.role for x in logins] == ["admin", "supervisor", "trainer", "auditor", "agent"]
    with svc.session() as s:
        assert get_user(s, "demo-supervisor").teams == ("T1", "T5")
        assert get_user(s, "demo-agent").agent_id == "1172"
    assert sign_in(svc, "demo-auditor", DEMO_PASSWORD).principal.role.value == "auditor"
    assert ensure_demo_users(svc) == logins  # again: nothing added, nothing changed
