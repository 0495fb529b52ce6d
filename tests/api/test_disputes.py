"""Disputes end to end: an agent acknowledges or disputes their own call's result; a supervisor of the
team accepts (the score changes, the history is kept, the figures follow) or rejects with a reason."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

Tokens = Callable[[str], dict[str, str]]


def test_agent_disputes_and_supervisor_accepts(client: TestClient, token_of: Tokens) -> None:
    agent, sup = token_of("agent_a1"), token_of("sup_a")
    mine = client.get("/calls", headers=agent, params={"flagged": "false"}).json()["items"]
    assert [c["call_id"] for c in mine] == ["A-1"]  # an agent sees their own calls only
    r = client.post("/calls/A-1/disputes", headers=agent,
                    json={"reason": "I did check the caller's identity at 0:40", "items": ["verification"]})
    assert r.status_code == 201, r.text
    dispute = r.json()
    assert (dispute["state"], dispute["score_before"], dispute["raised_by"]) == ("open", 55.0, "agent_a1")
    assert client.post("/calls/A-1/disputes", headers=agent, json={"reason": "again"}).status_code == 409
    open_ = client.get("/disputes", headers=sup, params={"state": "open"}).json()
    assert [d["dispute_id"] for d in open_["items"]] == [dispute["dispute_id"]]
    assert client.get("/disputes", headers=token_of("sup_b")).json()["total"] == 0  # not team B's call
    assert client.post(f"/disputes/{dispute['dispute_id']}/resolution", headers=token_of("sup_b"),
                       json={"accept": False, "resolution": "no"}).status_code == 404
    assert client.post(f"/disputes/{dispute['dispute_id']}/resolution", headers=sup,
                       json={"accept": True}).status_code == 422  # accepting needs the corrected review
    done = client.post(f"/disputes/{dispute['dispute_id']}/resolution", headers=sup, json={
        "accept": True, "resolution": "identity was checked",
        "review": {"items": [{"item_id": "verification", "decision": "pass"},
                             {"item_id": "closing", "decision": "pass"}]}})
    assert done.status_code == 200, done.text
    view = done.json()
    assert view["state"] == "accepted" and view["resolved_by"] == "sup_a" and view["score_after"] == 100.0
    card = client.get("/calls/A-1", headers=agent).json()["scorecard"]
    assert card["score"] == 55.0 and card["final_score"] == 100.0  # the automatic result stays beside it
    grades = client.get("/grades", headers=token_of("admin")).json()["agents"]
    a1 = next(a for a in grades if a["agent_id"] == "A1")
    assert (a1["disputes_raised"], a1["disputes_upheld"], a1["quality"]) == (1, 1, 100.0)
    assert client.post(f"/disputes/{dispute['dispute_id']}/resolution", headers=sup,
                       json={"accept": False, "resolution": "changed my mind"}).status_code == 409
    # a second dispute of the new result, rejected with a reason: the score stands, the history is kept
    second = client.post("/calls/A-1/disputes", headers=agent, json={"reason": "score should be higher"}).json()
    assert second["review_id"] == view["resolution_review_id"]
    assert client.post(f"/disputes/{second['dispute_id']}/resolution", headers=sup,
                       json={"accept": False}).status_code == 422  # a rejection says why
    rejected = client.post(f"/disputes/{second['dispute_id']}/resolution", headers=sup,
                           json={"accept": False, "resolution": "100 is the maximum"}).json()
    assert (rejected["state"], rejected["score_after"]) == ("rejected", 100.0)
    history = client.get("/disputes", headers=agent).json()["items"]
    assert [d["state"] for d in history] == ["rejected", "accepted"]
    actions = [e["action"] for e in client.get("/audit", headers=token_of("auditor"),
                                                params={"call_id": "A-1"}).json()["items"]]
    assert actions.count("dispute") == 2 and actions.count("dispute_resolve") == 2 and "review" in actions


def test_acknowledge_and_who_may_not(client: TestClient, token_of: Tokens) -> None:
    agent = token_of("agent_a1")
    r = client.post("/calls/A-1/acknowledgement", headers=agent)
    assert r.status_code == 201 and r.json()["final_score"] == 55.0
    again = client.post("/calls/A-1/acknowledgement", headers=agent)
    assert again.json()["at"] == r.json()["at"]  # once per result
    assert client.post("/calls/A-2/acknowledgement", headers=agent).status_code == 404  # not their call
    assert client.post("/calls/A-2/disputes", headers=agent, json={"reason": "x"}).status_code == 404
    assert client.post("/calls/A-1/disputes", headers=token_of("sup_a"), json={"reason": "x"}).status_code == 403
    assert client.post("/calls/A-1/disputes", headers=agent, json={"reason": ""}).status_code == 422
    assert client.post("/calls/A-1/disputes", headers=agent,
                       json={"reason": "x", "items": ["no_such_item"]}).status_code == 422
    assert client.post("/disputes/1/resolution", headers=agent, json={"accept": False,
                                                                      "resolution": "x"}).status_code == 403
    assert client.get("/disputes", headers=token_of("trainer_a")).status_code == 403
    assert client.get("/disputes/999", headers=token_of("admin")).status_code == 404
    events = client.get("/audit", headers=token_of("auditor"), params={"action": "acknowledge"}).json()
    assert events["total"] == 1
