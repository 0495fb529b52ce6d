"""Search through the API: phrase hits with call and time, scoped, audited, PII not searchable."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

Tokens = Callable[[str], dict[str, str]]


def test_phrase_search_links_to_call_and_time(client: TestClient, token_of: Tokens) -> None:
    r = client.get("/search", headers=token_of("admin"), params={"q": "投诉"})
    assert r.status_code == 200, r.text
    hits = r.json()["hits"]
    assert {h["call_id"] for h in hits} == {"A-1", "A-2", "B-1"}
    assert all(h["start_s"] == 4.0 and h["role"] == "customer" for h in hits)
    span = hits[0]["matches"][0]
    assert hits[0]["text"][span["start"]:span["end"]] == "投诉"


def test_role_filter_scope_and_bad_queries(client: TestClient, token_of: Tokens) -> None:
    h = token_of("sup_a")
    assert client.get("/search", headers=h, params={"q": "建设银行", "role": "customer"}).json()["hits"] == []
    agent = client.get("/search", headers=h, params={"q": "建设银行", "role": "agent"}).json()["hits"]
    assert sorted(x["call_id"] for x in agent) == ["A-1", "A-2"]
    assert [x["call_id"] for x in client.get("/search", headers=token_of("agent_a1"),
                                             params={"q": "建设银行"}).json()["hits"]] == ["A-1"]
    assert client.get("/search", headers=h, params={"q": "6222"}).json()["hits"] == []  # redacted digits
    for q in ("，。", "*"):
        r = client.get("/search", headers=h, params={"q": q})
        assert r.status_code == 422, (q, r.status_code, r.text)
    injected = client.get("/search", headers=h, params={"q": '"NEAR( 投诉 OR *'})  # FTS syntax is just text
    assert injected.status_code == 200 and injected.json()["hits"] == []
