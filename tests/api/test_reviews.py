"""Reviews and role swaps through the API: the human result beside the automatic one."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

Tokens = Callable[[str], dict[str, str]]


def test_review_overrides_items_and_keeps_the_automatic_result(client: TestClient, token_of: Tokens) -> None:
    h = token_of("sup_a")
    body = {"items": [{"item_id": "verification", "decision": "pass", "note": "verified by card PIN"},
                      {"item_id": "closing", "decision": "pass"}, {"item_id": "greeting", "decision": "confirm"}],
            "labels": [{"kind": "contact_reason", "values": ["inquiry"]}], "comment": "recogniser missed it"}
    r = client.post("/calls/A-1/reviews", headers=h, json=body)
    assert r.status_code == 201, r.text
    view = r.json()
    assert view["result"]["automatic_score"] == 55.0 and view["result"]["final_passed"] is True
    card = client.get("/calls/A-1", headers=h).json()["scorecard"]
    verification = next(f for f in card["findings"] if f["item_id"] == "verification")
    assert (verification["outcome"], verification["final_outcome"]) == ("fail", "pass")
    assert card["score"] == 55.0 and card["final_score"] == 100.0
    queue = client.get("/calls", headers=h, params={"review_state": "reviewed"}).json()["items"]
    assert [i["call_id"] for i in queue] == ["A-1"] and queue[0]["contact_reasons"] == ["inquiry"]
    assert client.get("/calls", headers=h, params={"failed_item": "verification"}).json()["items"] == []
    report = client.get("/reports/service", headers=token_of("admin")).json()
    assert report["contact_reasons"].get("complaint", 0) == 0 and report["item_failures"].get("verification", 0) == 0
    again = client.post("/calls/A-1/reviews", headers=h, json={"score": 70, "comment": "second look"})
    assert again.status_code == 201
    history = client.get("/calls/A-1/reviews", headers=token_of("agent_a1")).json()
    assert [x["status"] for x in history] == ["submitted", "superseded"]
    assert client.get("/calls/A-1", headers=h).json()["scorecard"]["final_score"] == 70.0


def test_review_refusals(client: TestClient, token_of: Tokens) -> None:
    bad = client.post("/calls/A-1/reviews", headers=token_of("sup_a"),
                      json={"items": [{"item_id": "no_such_item", "decision": "pass"}]})
    assert bad.status_code == 422 and bad.json()["field"].startswith("items[0]")
    assert client.post("/calls/A-1/reviews", headers=token_of("sup_a"),
                       json={"items": [{"item_id": "closing", "decision": "maybe"}]}).status_code == 422
    assert client.post("/calls/A-1/reviews", headers=token_of("sup_a"), json={"score": 101}).status_code == 422
    assert client.post("/calls/A-1/reviews", headers=token_of("sup_b"), json={}).status_code == 404
    assert client.post("/calls/A-1/reviews", headers=token_of("agent_a1"), json={}).status_code == 403
    detail = client.get("/calls/A-1", headers=token_of("admin")).json()
    assert detail["review_state"] == "unreviewed" and detail["scorecard"]["final_score"] == 55.0


def test_swap_roles_requeues_assessment_only(client: TestClient, token_of: Tokens) -> None:
    h = token_of("sup_a")
    before = client.get("/calls/A-2", headers=h).json()
    r = client.post("/calls/A-2/swap-roles", headers=h)
    assert r.status_code == 202, r.text
    assert r.json()["swapped"] is True and r.json()["queued"] == "assess"
    after = client.get("/calls/A-2", headers=h).json()
    assert (after["state"], after["stage"]) == ("queued", "assess")
    flip = {"agent": "customer", "customer": "agent"}
    assert [u["role"] for u in after["utterances"]] == [flip[u["role"]] for u in before["utterances"]]
    assert [u["text"] for u in after["utterances"]] == [u["text"] for u in before["utterances"]]
    assert client.post("/calls/A-2/swap-roles", headers=h).status_code == 409  # still being re-assessed
    assert client.post("/calls/B-1/swap-roles", headers=h).status_code == 404
