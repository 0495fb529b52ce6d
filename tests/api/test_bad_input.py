"""Bad input gets a clear 4xx problem document and leaves stored data intact."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from qa_service.services.context import ServiceContext
from qa_service.settings import Settings
from qa_service.store.models import AuditEvent, Call, FindingRow, Scorecard, User

Tokens = Callable[[str], dict[str, str]]


def _counts(settings: Settings) -> tuple[int, ...]:
    with ServiceContext(settings).session() as s:
        return tuple(s.scalar(select(func.count()).select_from(t)) or 0 for t in (Call, Scorecard, FindingRow, User))


def _is_problem(r: object, status: int) -> None:
    assert r.status_code == status, (r.status_code, r.text)  # type: ignore[attr-defined]
    assert r.headers["content-type"].startswith("application/problem+json")  # type: ignore[attr-defined]
    body = r.json()  # type: ignore[attr-defined]
    assert body["status"] == status and body["detail"] and "Traceback" not in r.text  # type: ignore[attr-defined]


def test_malformed_json_wrong_types_and_path_tricks(client: TestClient, token_of: Tokens,
                                                    api_settings: Settings) -> None:
    h = token_of("admin")
    before = _counts(api_settings)
    _is_problem(client.post("/users", headers={**h, "Content-Type": "application/json"}, content=b"{not json"), 422)
    _is_problem(client.post("/users", headers=h, json={"username": "x", "role": "emperor", "password": 5}), 422)
    _is_problem(client.post("/users", headers=h, json=["a", "list"]), 422)
    _is_problem(client.get("/calls", headers=h, params={"score_min": "high"}), 422)
    _is_problem(client.get("/calls", headers=h, params={"date_from": "2026-13-45"}), 422)
    _is_problem(client.get("/calls/%00", headers=h), 422)
    _is_problem(client.get("/calls", headers=h, params={"agent_id": "A\x001"}), 422)
    for path in ("/calls/..%2F..%2Fetc%2Fpasswd", "/calls/A-1%27%20OR%201=1--",
                 "/calls/..%2FA-1/audio"):
        _is_problem(client.get(path, headers=h), 404)
    _is_problem(client.patch("/users/..%2Fadmin", headers=h, json={"active": False}), 404)
    _is_problem(client.patch("/users/a%20b", headers=h, json={"active": False}), 422)
    _is_problem(client.get("/calls/A-1/audio", headers=h, params={"start": "NaN"}), 422)
    assert _counts(api_settings) == before


def test_unknown_route_and_method(client: TestClient, token_of: Tokens) -> None:
    _is_problem(client.get("/nope", headers=token_of("admin")), 404)
    _is_problem(client.delete("/calls/A-1", headers=token_of("admin")), 405)


def test_audit_log_refuses_changes(api_settings: Settings, client: TestClient, token_of: Tokens) -> None:
    client.get("/calls/A-1", headers=token_of("sup_a"))
    import pytest
    from sqlalchemy import delete, update
    from sqlalchemy.exc import DBAPIError

    from qa_service.errors import QAError

    ctx = ServiceContext(api_settings)
    for stmt in (update(AuditEvent).values(action="nothing"), delete(AuditEvent)):
        with pytest.raises((DBAPIError, QAError)), ctx.session() as s:
            s.execute(stmt)
    with ctx.session() as s:
        assert s.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "view")) == 1
