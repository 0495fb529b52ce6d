"""Sign-in: tokens, expiry, throttling, disabled users, password changes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from fastapi.testclient import TestClient
from seed import PASSWORD
from sqlalchemy import select, update

from qa_service.services.auth import TokenCache, sign_in
from qa_service.services.context import ServiceContext
from qa_service.services.users import set_active, set_password
from qa_service.settings import Settings
from qa_service.store.models import ApiToken, AuditEvent, User
from qa_service.store.types import utcnow

Tokens = Callable[[str], dict[str, str]]


def _login(client: TestClient, user: str, password: str = PASSWORD) -> object:
    return client.post("/auth/token", data={"username": user, "password": password})


def test_sign_in_and_me(client: TestClient, api_settings: Settings) -> None:
    r = _login(client, "sup_a")
    assert r.status_code == 200  # type: ignore[attr-defined]
    body = r.json()  # type: ignore[attr-defined]
    assert body["token_type"] == "bearer" and body["user"]["teams"] == ["A"]
    me = client.get("/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.json()["role"] == "supervisor" and "calls.review" in me.json()["permissions"]
    with ServiceContext(api_settings).session() as s:
        stored = s.scalars(select(ApiToken.token_hash)).all()
        assert body["access_token"] not in stored and len(stored[0]) == 64  # only the hash is kept
        assert s.scalar(select(User.password_hash).where(User.username == "sup_a")).startswith("$argon2id$")


def test_wrong_password_and_unknown_user_look_the_same(client: TestClient) -> None:
    a, b = _login(client, "sup_a", "wrong-password"), _login(client, "nobody", "wrong-password")
    assert a.status_code == b.status_code == 401  # type: ignore[attr-defined]
    assert a.json()["detail"] == b.json()["detail"]  # type: ignore[attr-defined]


def test_repeated_failures_are_throttled_even_with_the_right_password(client: TestClient,
                                                                      api_settings: Settings) -> None:
    for _ in range(api_settings.login_max_failures):
        assert _login(client, "sup_b", "wrong-password").status_code == 401  # type: ignore[attr-defined]
    r = _login(client, "sup_b")
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0  # type: ignore[attr-defined]
    assert _login(client, "sup_a").status_code == 200  # type: ignore[attr-defined]  # other users unaffected
    with ServiceContext(api_settings).session() as s:
        failed = s.scalars(select(AuditEvent.action).where(AuditEvent.action == "login_failed")).all()
    assert len(failed) == api_settings.login_max_failures


def test_bad_tokens(client: TestClient, api_settings: Settings, token_of: Tokens) -> None:
    assert client.get("/calls").status_code == 401
    assert client.get("/calls", headers={"Authorization": "Bearer nonsense"}).status_code == 401
    h = token_of("sup_a")
    with ServiceContext(api_settings).session() as s:
        s.execute(update(ApiToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    r = client.get("/calls", headers=h)
    assert r.status_code == 401 and "expired" in r.json()["detail"]


def test_logout_disable_and_new_password_end_sign_ins(client: TestClient, api_settings: Settings,
                                                      token_of: Tokens) -> None:
    h = token_of("sup_a")
    assert client.post("/auth/logout", headers=h).status_code == 204
    assert client.get("/me", headers=h).status_code == 401
    ctx = ServiceContext(api_settings)
    h2 = {"Authorization": f"Bearer {_login(client, 'sup_b').json()['access_token']}"}  # type: ignore[attr-defined]
    with ctx.session() as s:
        set_active(s, "sup_b", False)
    assert client.get("/me", headers=h2).status_code == 401
    assert _login(client, "sup_b").status_code == 401  # type: ignore[attr-defined]
    h3 = {"Authorization": f"Bearer {_login(client, 'auditor').json()['access_token']}"}  # type: ignore[attr-defined]
    with ctx.session() as s:
        set_password(s, "auditor", "a-new-long-password")
    assert client.get("/me", headers=h3).status_code == 401
    assert _login(client, "auditor", "a-new-long-password").status_code == 200  # type: ignore[attr-defined]


def test_admin_manages_users(client: TestClient, token_of: Tokens) -> None:
    h = token_of("admin")
    r = client.post("/users", headers=h, json={"username": "agent_b1", "role": "agent", "password": "long-enough-pw",
                                               "agent_id": "B1"})
    assert r.status_code == 201, r.text
    assert client.post("/users", headers=h, json={"username": "agent_b1", "role": "agent",
                                                  "password": "long-enough-pw", "agent_id": "B1"}).status_code == 409
    bad = client.post("/users", headers=h, json={"username": "x2", "role": "agent", "password": "long-enough-pw"})
    assert bad.status_code == 422 and bad.json()["field"] == "agent_id"
    r = client.patch("/users/agent_b1", headers=h, json={"active": False})
    assert r.status_code == 200 and r.json()["active"] is False
    assert client.patch("/users/nobody", headers=h, json={"active": False}).status_code == 404
    assert client.patch("/users/admin", headers=h, json={"active": False}).status_code == 409


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_checked_token_is_trusted_for_the_cache_time_only(client: TestClient, api_settings: Settings,
                                                            token_of: Tokens) -> None:
    clock = _Clock()
    client.app.state.tokens = TokenCache(5.0, clock=clock)  # type: ignore[attr-defined]
    h = token_of("sup_a")
    assert client.get("/me", headers=h).status_code == 200  # checked in the database, remembered
    with ServiceContext(api_settings).session() as s:
        set_active(s, "sup_a", False)  # by another process (the CLI)
    clock.now += 4.0
    assert client.get("/me", headers=h).status_code == 200  # still inside QA_AUTH_CACHE_S
    clock.now += 1.5
    assert client.get("/me", headers=h).status_code == 401  # checked again: disabled


def test_sign_out_and_user_changes_in_this_process_take_effect_at_once(client: TestClient,
                                                                        token_of: Tokens) -> None:
    client.app.state.tokens = TokenCache(3600.0)  # type: ignore[attr-defined]
    sup, admin = token_of("sup_a"), token_of("admin")
    assert client.get("/me", headers=sup).json()["teams"] == ["A"]
    assert client.patch("/users/sup_a", json={"teams": ["A", "B"]}, headers=admin).status_code == 200
    assert client.get("/me", headers=sup).json()["teams"] == ["A", "B"]
    assert client.post("/auth/logout", headers=sup).status_code == 204
    assert client.get("/me", headers=sup).status_code == 401


def test_the_token_cache_never_outlives_the_token(api_settings: Settings) -> None:
    clock = _Clock()
    cache = TokenCache(60.0, clock=clock)
    ctx = ServiceContext(api_settings)
    issued = sign_in(ctx, "sup_a", PASSWORD)
    with ctx.session() as s:
        s.execute(update(ApiToken).values(expires_at=utcnow() + timedelta(seconds=2)))
    with ctx.session() as s:
        assert cache.check(s, issued.token).username == "sup_a"
        off = TokenCache(0.0)
        assert off.check(s, issued.token).username == "sup_a"
    assert cache.get(issued.token) is not None and off.get(issued.token) is None  # 0: never remembered
    clock.now += 2.5
    assert cache.get(issued.token) is None
