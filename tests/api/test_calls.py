"""The flagged-call queue and call detail, inside each person's scope."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from qa_service.services.context import ServiceContext
from qa_service.settings import Settings
from qa_service.store.models import AuditEvent

Tokens = Callable[[str], dict[str, str]]


def _ids(client: TestClient, headers: dict[str, str], **params: object) -> list[str]:
    r = client.get("/calls", headers=headers, params=params)
    assert r.status_code == 200, r.text
    return [item["call_id"] for item in r.json()["items"]]


def test_queue_shows_flagged_calls_with_reasons(client: TestClient, token_of: Tokens) -> None:
    r = client.get("/calls", headers=token_of("admin"))
    body = r.json()
    by_id = {i["call_id"]: i for i in body["items"]}
    reasons = {f["reason"] for f in by_id["A-1"]["flags"]}
    assert {"low_score", "critical_failed", "complaint", "escalation_risk", "needs_review"} <= reasons
    assert body["total"] == len(body["items"]) == 3  # every seeded call has a needs-review finding
    assert by_id["A-1"]["contact_reasons"] == ["complaint"]


def test_queue_scope_per_role(client: TestClient, token_of: Tokens) -> None:
    assert sorted(_ids(client, token_of("sup_a"))) == ["A-1", "A-2"]
    assert _ids(client, token_of("sup_b")) == ["B-1"]
    assert _ids(client, token_of("agent_a1")) == ["A-1"]
    assert sorted(_ids(client, token_of("auditor"))) == ["A-1", "A-2", "B-1"]


def test_queue_filters_and_sorting(client: TestClient, token_of: Tokens) -> None:
    h = token_of("admin")
    assert _ids(client, h, flag_reason="critical_failed") == ["A-1"]
    assert _ids(client, h, contact_reason="complaint") == ["A-1"]
    assert _ids(client, h, failed_item="verification") == ["A-1"]
    assert _ids(client, h, score_min=60, score_max=80) == ["B-1"]
    assert _ids(client, h, team="B") == ["B-1"]
    assert _ids(client, h, agent_id="A2") == ["A-2"]
    assert _ids(client, h, sort="score", order="asc") == ["A-1", "B-1", "A-2"]
    assert _ids(client, h, sort="score", order="desc", limit=1, offset=1) == ["B-1"]
    assert _ids(client, h, review_state="reviewed") == []
    assert _ids(client, h, date_from="2026-12-02") == []
    assert client.get("/calls", headers=h, params={"flag_reason": "nonsense"}).status_code == 422
    assert client.get("/calls", headers=h, params={"limit": 0}).status_code == 422


def test_detail_has_transcript_findings_and_is_audited(client: TestClient, token_of: Tokens,
                                                       api_settings: Settings) -> None:
    r = client.get("/calls/A-1", headers=token_of("sup_a"))
    assert r.status_code == 200, r.text
    d = r.json()
    assert [u["role"] for u in d["utterances"]] == ["agent", "customer", "customer"]
    assert "7890" in d["utterances"][1]["text"] and "6222" not in d["utterances"][1]["text"]
    card = d["scorecard"]
    assert card["rubric_version"] == "1.0.0" and card["score"] == card["final_score"] == 55.0
    closing = next(f for f in card["findings"] if f["item_id"] == "closing")
    assert closing["outcome"] == "needs_review" and closing["evidence"][0]["start_s"] == 4.0
    assert closing["evidence"][0]["confidence"] == 0.4
    assert d["metrics"]["agent_talk_s"] == 3.6 and d["classification"]["business_type"] == "card_services"
    assert d["state"] == "done" and d["attempts"] == 0
    with ServiceContext(api_settings).session() as s:
        views = s.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "view"))
    assert views == 1


def test_out_of_scope_call_is_not_found(client: TestClient, token_of: Tokens) -> None:
    for user, call in (("sup_b", "A-1"), ("agent_a1", "A-2"), ("trainer_a", "B-1")):
        r = client.get(f"/calls/{call}", headers=token_of(user))
        assert r.status_code == 404 and r.headers["content-type"].startswith("application/problem+json")
