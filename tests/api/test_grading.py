"""Agent grading: scorecards and ranking over a period, grade bands the admin configures, CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from qa_service.settings import Settings
from qa_service.store.db import get_engine

Tokens = Callable[[str], dict[str, str]]
BANDS = {"bands": [{"grade": "gold", "rank": 1, "min_quality": 75, "min_calls": 5, "max_complaint_rate": 0.4},
                   {"grade": "silver", "rank": 2, "min_quality": 60},
                   {"grade": "bronze", "rank": 3}]}



def test_grades_follow_the_configured_bands(centre: Settings, client: TestClient, token_of: Tokens) -> None:
    before = client.get("/grades", headers=token_of("admin")).json()
    assert before["bands"] == [] and all(a["grade"] is None for a in before["agents"])
    assert client.put("/grades/bands", headers=token_of("sup_a"), json=BANDS).status_code == 403
    bad = {"bands": [{"grade": "x", "rank": 1}, {"grade": "y", "rank": 1}]}
    assert client.put("/grades/bands", headers=token_of("admin"), json=bad).status_code == 422
    r = client.put("/grades/bands", headers=token_of("admin"), json=BANDS)
    assert r.status_code == 200 and [b["grade"] for b in r.json()] == ["gold", "silver", "bronze"]
    graded = client.get("/grades", headers=token_of("auditor"), params={"start": "2026-12-01",
                                                                         "end": "2026-12-10"}).json()
    with get_engine(centre).connect() as conn:
        recount = {a: (n, float(q)) for a, n, q in conn.execute(text(
            "SELECT c.agent_id, COUNT(*), AVG(s.final_score) FROM calls c JOIN scorecards s ON s.call_pk = c.id "
            "WHERE c.local_date BETWEEN '2026-12-01' AND '2026-12-10' GROUP BY c.agent_id"))}
        complaints = dict(conn.execute(text(
            "SELECT c.agent_id, COUNT(*) FROM calls c JOIN call_labels l ON l.call_pk = c.id "
            "WHERE l.kind = 'contact_reason' AND l.label = 'complaint' GROUP BY c.agent_id")).all())
    agents = graded["agents"]
    assert [a["rank"] for a in agents] == list(range(1, len(agents) + 1))
    assert [a["quality"] for a in agents] == sorted((a["quality"] for a in agents), reverse=True)
    for a in agents:
        n, q = recount[a["agent_id"]]
        assert a["calls"] == n and a["quality"] == pytest.approx(q)
        assert a["complaints"] == complaints.get(a["agent_id"], 0)
        rate = a["complaint_rate"]
        want = ("gold" if q >= 75 and n >= 5 and rate <= 0.4 else "silver" if q >= 60 else "bronze")
        assert a["grade"] == want, a
    r = client.get("/grades.csv", headers=token_of("sup_a"))
    lines = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    team_a = [a for a in client.get("/grades", headers=token_of("sup_a")).json()["agents"]]
    assert [(x["agent_id"], x["grade"]) for x in lines] == [(a["agent_id"], a["grade"]) for a in team_a]
    assert {x["team"] for x in lines} == {"A"}
    assert client.get("/grades", headers=token_of("agent_a1")).status_code == 403
    changes = client.get("/audit", headers=token_of("auditor"), params={"action": "grades_change"}).json()
    assert changes["total"] == 1 and [b["grade"] for b in changes["items"][0]["detail"]["after"]] == [
        "gold", "silver", "bronze"]
