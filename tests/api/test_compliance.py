"""Compliance audit through the API: adherence per item and rubric version by agent, team and period,
equal to a SQL recount; every forbidden phrase with evidence and a link; CSVs; reviews applied."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

Tokens = Callable[[str], dict[str, str]]
Sql = Callable[..., list[tuple[Any, ...]]]
PERIOD = {"start": "2026-12-01", "end": "2026-12-10"}



def test_adherence_by_agent_equals_a_sql_recount(sql: Sql, client: TestClient, token_of: Tokens) -> None:
    r = client.get("/compliance/adherence", headers=token_of("auditor"), params={**PERIOD, "group_by": "agent"})
    assert r.status_code == 200, r.text
    rows = {(x["rubric_version"], x["item_id"], x["group"]): x for x in r.json()["rows"]}
    recount = sql("""
        SELECT s.rubric_version, f.item_id, c.agent_id,
               SUM(CASE WHEN f.final_outcome = 'pass' THEN 1 ELSE 0 END),
               SUM(CASE WHEN f.final_outcome = 'fail' THEN 1 ELSE 0 END), COUNT(*)
        FROM findings f JOIN calls c ON c.id = f.call_pk JOIN scorecards s ON s.call_pk = f.call_pk
        WHERE c.local_date BETWEEN '2026-12-01' AND '2026-12-10'
        GROUP BY s.rubric_version, f.item_id, c.agent_id""")
    assert len(recount) == len(rows)
    for version, item, agent, passed, failed, n in recount:
        got = rows[(version, item, agent)]
        assert (got["passed"], got["failed"], got["evaluated"]) == (passed, failed, n)
        assert got["adherence"] == (pytest.approx(passed / (passed + failed)) if passed + failed else None)


def test_forbidden_phrases_with_evidence_link_and_review(sql: Sql, client: TestClient, token_of: Tokens) -> None:
    h = token_of("auditor")
    page = client.get("/compliance/forbidden-phrases", headers=h, params=PERIOD).json()
    (expected,) = sql("SELECT COUNT(*) FROM findings WHERE kind = 'forbidden_phrase' AND "
                               "final_outcome = 'fail'")
    assert page["total"] == expected[0] > 0
    first = page["items"][0]
    ev = first["evidence"][0]
    assert ev["matched_text"] == "不管" and ev["start_s"] == 12.5
    assert ev["link"] == f"/calls/{first['call_id']}/audio?start=10.5"
    # a supervisor overrules one occurrence: it leaves the list and the adherence figures
    call_id = first["call_id"]
    team = client.get(f"/calls/{call_id}", headers=token_of("admin")).json()["team"]
    r = client.post(f"/calls/{call_id}/reviews", headers=token_of("admin"),
                    json={"items": [{"item_id": "forbidden_phrases", "decision": "pass",
                                     "note": "quoting the customer"}]})
    assert r.status_code == 201, r.text
    after = client.get("/compliance/forbidden-phrases", headers=h, params=PERIOD).json()
    assert after["total"] == page["total"] - 1 and call_id not in [o["call_id"] for o in after["items"]]
    adherence = client.get("/compliance/adherence", headers=h,
                           params={**PERIOD, "group_by": "team", "item_id": "forbidden_phrases"}).json()["rows"]
    row = next(x for x in adherence if x["group"] == team)
    (recount,) = sql(f"""SELECT SUM(CASE WHEN f.final_outcome = 'fail' THEN 1 ELSE 0 END) FROM findings f
                                  JOIN calls c ON c.id = f.call_pk WHERE f.item_id = 'forbidden_phrases'
                                  AND c.team = '{team}'""")
    assert row["failed"] == recount[0]
    # the CSV holds what the screen shows
    csv_r = client.get("/compliance/forbidden-phrases.csv", headers=h, params=PERIOD)
    assert csv_r.status_code == 200
    lines = list(csv.DictReader(io.StringIO(csv_r.content.decode("utf-8-sig"))))
    assert len(lines) == after["total"]
    assert {x["call_id"] for x in lines} == {o["call_id"] for o in after["items"]}
    assert all(x["phrase"] == "不管" and x["link"].startswith("/calls/") for x in lines)


def test_adherence_csv_by_month_and_refusals(sql: Sql, client: TestClient, token_of: Tokens) -> None:
    shown = client.get("/compliance/adherence", headers=token_of("sup_a"),
                       params={**PERIOD, "group_by": "month"}).json()["rows"]
    r = client.get("/compliance/adherence.csv", headers=token_of("sup_a"), params={**PERIOD, "group_by": "month"})
    lines = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert [(x["item_id"], x["group"], int(x["passed"])) for x in lines] == [
        (s["item_id"], s["group"], s["passed"]) for s in shown]
    assert {x["rubric_version"] for x in lines} == {"1.0.0"}
    (team_a,) = sql("SELECT COUNT(*) FROM findings f JOIN calls c ON c.id = f.call_pk WHERE c.team = 'A'")
    assert sum(s["evaluated"] for s in shown) == team_a[0]  # a supervisor sees their own team only
    assert client.get("/compliance/adherence", headers=token_of("trainer_a")).status_code == 403
    assert client.get("/compliance/forbidden-phrases.csv", headers=token_of("agent_a1")).status_code == 403
    assert client.get("/compliance/adherence", headers=token_of("sup_a"), params={"team": "B"}).status_code == 422
