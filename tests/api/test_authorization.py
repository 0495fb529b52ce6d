"""Every route of the app × every role, allowed and denied. A route missing from ``EXPECTED`` (or
one without a permission rule) fails here: adding a route means deciding who may use it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from seed import BY_ROLE, PASSWORD

from api import create_app
from api.deps import Require
from qa_service.settings import Settings
from qa_service.store.states import UserRole

ALL = frozenset(UserRole)
A, S, T, U, G = UserRole.ADMIN, UserRole.SUPERVISOR, UserRole.TRAINER, UserRole.AUDITOR, UserRole.AGENT
PUBLIC = None  # no sign-in needed

#: (method, path) → the roles allowed (PUBLIC: anyone, signed in or not).
EXPECTED: dict[tuple[str, str], frozenset[UserRole] | None] = {
    ("GET", "/health"): PUBLIC,
    ("GET", "/"): PUBLIC,  # redirects to the console (its pages are static; the API it calls is checked here)
    ("POST", "/auth/token"): PUBLIC,
    ("POST", "/auth/logout"): ALL,
    ("GET", "/me"): ALL,
    ("GET", "/calls"): ALL,
    ("GET", "/calls/{call_id}"): ALL,
    ("GET", "/calls/{call_id}/audio"): ALL,
    ("GET", "/calls/{call_id}/transcript"): ALL,
    ("GET", "/calls/{call_id}/reviews"): ALL,
    ("POST", "/calls/{call_id}/reviews"): frozenset({A, S}),
    ("POST", "/calls/{call_id}/swap-roles"): frozenset({A, S}),
    ("GET", "/search"): ALL,
    ("POST", "/uploads"): frozenset({A, S}),
    ("GET", "/reports/service"): frozenset({A, S, U}),
    ("GET", "/audit"): frozenset({A, U}),
    ("GET", "/users"): frozenset({A}),
    ("POST", "/users"): frozenset({A}),
    ("PATCH", "/users/{username}"): frozenset({A}),
    # disputes
    ("POST", "/calls/{call_id}/acknowledgement"): frozenset({G}),
    ("POST", "/calls/{call_id}/disputes"): frozenset({G}),
    ("GET", "/disputes"): frozenset({A, S, U, G}),
    ("GET", "/disputes/{dispute_id}"): frozenset({A, S, U, G}),
    ("POST", "/disputes/{dispute_id}/resolution"): frozenset({A, S}),
    # calibration
    ("POST", "/calibration/sessions"): frozenset({A, S}),
    ("GET", "/calibration/sessions"): frozenset({A, S, T}),
    ("GET", "/calibration/sessions/{session_id}/task"): frozenset({A, S, T}),
    ("PUT", "/calibration/sessions/{session_id}/calls/{call_id}/rating"): frozenset({A, S, T}),
    ("POST", "/calibration/sessions/{session_id}/close"): frozenset({A, S}),
    ("GET", "/calibration/sessions/{session_id}/report"): frozenset({A, S, T}),
    # coaching
    ("GET", "/coaching/sets"): frozenset({A, S, T}),
    ("POST", "/coaching/sets"): frozenset({A, T}),
    ("GET", "/coaching/sets/{set_id}"): frozenset({A, S, T}),
    ("POST", "/coaching/sets/{set_id}/clips"): frozenset({A, T}),
    ("PATCH", "/coaching/sets/{set_id}/clips/{clip_id}"): frozenset({A, T}),
    ("DELETE", "/coaching/sets/{set_id}/clips/{clip_id}"): frozenset({A, T}),
    ("PUT", "/coaching/sets/{set_id}/order"): frozenset({A, T}),
    ("GET", "/coaching/sets/{set_id}/export"): frozenset({A, S, T}),
    # statistics, compliance, grading
    ("GET", "/stats/centre"): frozenset({A, S, U}),
    ("GET", "/stats/centre.csv"): frozenset({A, S, U}),
    ("GET", "/compliance/adherence"): frozenset({A, S, U}),
    ("GET", "/compliance/adherence.csv"): frozenset({A, S, U}),
    ("GET", "/compliance/forbidden-phrases"): frozenset({A, S, U}),
    ("GET", "/compliance/forbidden-phrases.csv"): frozenset({A, S, U}),
    ("GET", "/grades"): frozenset({A, S, U}),
    ("GET", "/grades.csv"): frozenset({A, S, U}),
    ("GET", "/grades/bands"): frozenset({A, S, U}),
    ("PUT", "/grades/bands"): frozenset({A}),
    # live board (the WebSocket routes authenticate on their own: tests/api/test_live.py)
    ("GET", "/live/calls"): frozenset({A, S}),
    ("GET", "/live/calls/{call_id}"): frozenset({A, S}),
}
#: WebSocket routes: live audio in (API key and signature) and listen-in (token + live.monitor).
WEBSOCKETS = {"/live/audiohook", "/live/stream", "/live/calls/{call_id}/listen"}
#: Values for path parameters (in every role's scope: all roles see call A-1).
PATH_VALUES = {"call_id": "A-1", "username": "sup_b", "dispute_id": "1", "session_id": "1", "set_id": "1",
               "clip_id": "1"}
QUERY_VALUES: dict[tuple[str, str], dict[str, str]] = {("GET", "/search"): {"q": "服务"}}


def _api_routes() -> Iterator[tuple[str, str, Dependant]]:
    """(method, path, effective dependencies) of every API route, in included routers too (FastAPI
    composes those lazily: their effective contexts carry router-level dependencies as well)."""
    app = create_app(Settings(), start_worker=False)
    for route in app.routes:
        if isinstance(route, APIRoute):
            contexts: list[Any] = [route]
        elif hasattr(route, "effective_route_contexts"):
            contexts = list(route.effective_route_contexts())
        else:
            continue
        for ctx in contexts:
            for method in sorted(ctx.methods):
                yield method, ctx.path, ctx.dependant


def _requirements(dependant: Dependant) -> list[Require]:
    found = [d.call for d in dependant.dependencies if isinstance(d.call, Require)]
    for d in dependant.dependencies:
        found += _requirements(d)
    return found


def test_every_route_has_a_rule_and_an_expectation() -> None:
    seen = set()
    for method, path, dependant in _api_routes():
        key = (method, path)
        seen.add(key)
        assert key in EXPECTED, f"{key}: new route — add it to EXPECTED with the roles that may use it"
        rules = _requirements(dependant)
        if EXPECTED[key] is PUBLIC:
            assert not rules, f"{key} is public but declares {rules}"
        else:
            assert len(rules) == 1, f"{key}: declare exactly one Depends(Require(Permission...))"
            assert rules[0].permission is not None
    assert seen == set(EXPECTED), f"routes expected but missing: {set(EXPECTED) - seen}"


def test_non_api_routes_are_only_the_docs() -> None:
    app = create_app(Settings(), start_worker=False)
    others = {getattr(r, "path", "") for r in app.routes
              if not isinstance(r, APIRoute) and not hasattr(r, "effective_route_contexts")}
    assert others <= {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc", "/console"} | WEBSOCKETS


def _request(client: TestClient, method: str, path: str, headers: dict[str, str]) -> Any:
    url = path.format(**PATH_VALUES)
    params = QUERY_VALUES.get((method, path), {})
    if method in ("POST", "PATCH", "PUT"):
        return client.request(method, url, headers=headers, params=params, json={})
    return client.request(method, url, headers=headers, params=params)


@pytest.mark.parametrize("role", list(UserRole), ids=lambda r: r.value)
def test_route_by_role(role: UserRole, client: TestClient) -> None:
    failures = []
    for (method, path), allowed in EXPECTED.items():
        if allowed is PUBLIC or (method, path) == ("POST", "/auth/token"):
            continue
        # a fresh sign-in per request: log-out and other calls must not leak into the next check
        login = client.post("/auth/token", data={"username": BY_ROLE[role], "password": PASSWORD})
        assert login.status_code == 200, login.text
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        status = _request(client, method, path, headers).status_code
        if role in allowed and status in (401, 403):
            failures.append(f"{method} {path}: {role.value} allowed but got {status}")
        if role not in allowed and status != 403:
            failures.append(f"{method} {path}: {role.value} denied but got {status}")
        anonymous = _request(client, method, path, {}).status_code
        if anonymous != 401:
            failures.append(f"{method} {path}: anonymous got {anonymous}")
    assert not failures, "\n".join(failures)
