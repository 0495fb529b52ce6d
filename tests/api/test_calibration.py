"""Calibration end to end: a supervisor sends calls to three reviewers who score blind; the report gives
per-item agreement (percent and Fleiss' kappa) and each reviewer's and the machine's distance."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from qa_service.agreement import fleiss

Tokens = Callable[[str], dict[str, str]]
#: reviewer → call → (greeting, verification, closing), score
RATINGS = {
    "sup_pii": {"A-1": (("pass", "fail", "pass"), 60.0), "A-2": (("pass", "pass", "pass"), 95.0)},
    "trainer_a": {"A-1": (("pass", "fail", "fail"), 50.0), "A-2": (("pass", "pass", "pass"), 100.0)},
    "admin": {"A-1": (("pass", "pass", "pass"), 90.0), "A-2": (("fail", "pass", "pass"), 85.0)},
}
ITEMS = ("greeting", "verification", "closing")


def test_blind_calibration_and_its_report(client: TestClient, token_of: Tokens) -> None:
    manager = token_of("sup_a")
    r = client.post("/calibration/sessions", headers=manager,
                    json={"name": "week 49", "call_ids": ["A-1", "A-2"], "reviewers": list(RATINGS)})
    assert r.status_code == 201, r.text
    sid = r.json()["session_id"]
    task = client.get(f"/calibration/sessions/{sid}/task", headers=token_of("trainer_a")).json()
    assert [c["call_id"] for c in task["calls"]] == ["A-1", "A-2"]
    assert all(i["my_verdict"] is None for c in task["calls"] for i in c["items"])  # no machine verdicts either
    assert "outcome" not in task["calls"][0]["items"][0]
    for who, calls in RATINGS.items():
        for call_id, (verdicts, score) in calls.items():
            r = client.put(f"/calibration/sessions/{sid}/calls/{call_id}/rating", headers=token_of(who),
                           json={"verdicts": dict(zip(ITEMS, verdicts, strict=True)), "score": score})
            assert r.status_code == 200, r.text
        # blind: a reviewer cannot read the report while the session is open
        assert client.get(f"/calibration/sessions/{sid}/report", headers=token_of(who)).status_code == 403
    progress = client.get("/calibration/sessions", headers=manager).json()[0]["progress"]
    assert progress == {"admin": 2, "sup_pii": 2, "trainer_a": 2}
    report = client.get(f"/calibration/sessions/{sid}/report", headers=manager).json()
    by_item = {i["item_id"]: i for i in report["items"]}
    for n, item in enumerate(ITEMS):
        subjects = [[RATINGS[w][c][0][n] for w in RATINGS] for c in ("A-1", "A-2")]
        want = fleiss(subjects)
        got = by_item[item]["agreement"]
        assert got["percent"] == pytest.approx(want.percent)
        assert got["kappa"] == (None if want.kappa is None else pytest.approx(want.kappa))
    assert by_item["verification"]["consensus"] == {"A-1": "fail", "A-2": "pass"}
    assert by_item["verification"]["agreement"]["percent"] == pytest.approx(2 / 3)
    assert report["consensus_scores"] == {"A-1": 60.0, "A-2": 95.0}
    raters = {r["rater"]: r["distance"] for r in report["raters"]}
    # admin differs from the consensus on A-1 verification and A-2 greeting: 2 of 6 verdicts
    assert (raters["admin"]["disagreements"], raters["admin"]["compared"]) == (2, 6)
    assert raters["admin"]["mean_abs_score_diff"] == pytest.approx((30 + 10) / 2)
    # the machine: closing is needs_review on both calls (≠ the consensus pass), the rest agrees
    assert raters["(machine)"]["disagreements"] == 2
    assert raters["(machine)"]["mean_abs_score_diff"] == pytest.approx((5 + 0) / 2)
    # closing: the report is final, the reviewers may read it, no more ratings
    assert client.post(f"/calibration/sessions/{sid}/close", headers=token_of("trainer_a")).status_code == 403
    assert client.post(f"/calibration/sessions/{sid}/close", headers=manager).json()["state"] == "closed"
    assert client.get(f"/calibration/sessions/{sid}/report", headers=token_of("trainer_a")).status_code == 200
    late = client.put(f"/calibration/sessions/{sid}/calls/A-1/rating", headers=token_of("admin"),
                      json={"verdicts": dict.fromkeys(ITEMS, "pass"), "score": 100})
    assert late.status_code == 409
    # calibration never changes the call's own result
    assert client.get("/calls/A-1", headers=manager).json()["scorecard"]["final_score"] == 55.0


def test_calibration_refusals(client: TestClient, token_of: Tokens) -> None:
    manager = token_of("sup_a")
    body = {"name": "x", "call_ids": ["A-1"], "reviewers": ["sup_pii", "trainer_a"]}
    assert client.post("/calibration/sessions", headers=token_of("trainer_a"), json=body).status_code == 403
    assert client.post("/calibration/sessions", headers=manager,
                       json={**body, "reviewers": ["sup_pii"]}).status_code == 422  # several reviewers
    assert client.post("/calibration/sessions", headers=manager,
                       json={**body, "reviewers": ["sup_pii", "sup_b"]}).status_code == 422  # sup_b can't
    assert client.post("/calibration/sessions", headers=manager,
                       json={**body, "reviewers": ["sup_pii", "agent_a1"]}).status_code == 422
    assert client.post("/calibration/sessions", headers=manager, json={**body, "call_ids": ["B-1"]}).status_code == 404
    sid = client.post("/calibration/sessions", headers=manager, json=body).json()["session_id"]
    rate = f"/calibration/sessions/{sid}/calls/A-1/rating"
    assert client.put(rate, headers=token_of("sup_b"), json={"verdicts": {}, "score": 1}).status_code == 404
    assert client.put(rate, headers=token_of("sup_pii"),
                      json={"verdicts": {"greeting": "pass"}, "score": 50}).status_code == 422  # every item
    assert client.put(rate, headers=token_of("sup_pii"),
                      json={"verdicts": dict.fromkeys(ITEMS, "maybe"), "score": 50}).status_code == 422
    assert client.get(f"/calibration/sessions/{sid}/report", headers=token_of("sup_b")).status_code == 404
    assert client.get("/calibration/sessions", headers=token_of("auditor")).status_code == 403
