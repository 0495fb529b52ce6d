"""Centre statistics through the API on a varied data set, against an independent recount in plain SQL;
the CSV holds what the JSON shows; reviews change the figures; roles outside reports are refused."""

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



def _recount_by(sql: Sql, column: str) -> dict[str, dict[str, Any]]:
    """The figures of each group, counted here in plain SQL from the tables (not through the service)."""
    where = "c.local_date BETWEEN :start AND :end"
    out: dict[str, dict[str, Any]] = {}
    for key, n, inbound, agents, talk in sql(f"""
            SELECT {column}, COUNT(*), SUM(CASE WHEN c.direction = 'inbound' THEN 1 ELSE 0 END),
                   COUNT(DISTINCT c.agent_id), AVG(c.duration_s)
            FROM calls c WHERE {where} GROUP BY {column}""", **PERIOD):
        out[str(key)] = {"calls": n, "inbound": inbound, "agents": agents, "avg_talk_s": float(talk)}
    for key, n in sql(f"""
            SELECT g, COUNT(*) FROM (SELECT DISTINCT {column} AS g, c.agent_id, c.local_date FROM calls c
            WHERE {where}) d GROUP BY g""", **PERIOD):
        out[str(key)]["agent_days"] = n
    for key, label, n in sql(f"""
            SELECT {column}, l.label, COUNT(*) FROM call_labels l JOIN calls c ON c.id = l.call_pk
            WHERE l.kind = 'contact_reason' AND {where} GROUP BY {column}, l.label""", **PERIOD):
        out[str(key)][label] = n
    for key, n in sql(f"""
            SELECT {column}, COUNT(DISTINCT a.call_pk) FROM audit_log a JOIN calls c ON c.id = a.call_pk
            WHERE a.action IN ('listen', 'live_listen') GROUP BY {column}"""):
        out.setdefault(str(key), {})["monitored"] = n
    for key, n in sql(f"""
            SELECT {column}, COUNT(DISTINCT c.customer_ref_hash) FROM calls c WHERE {where} GROUP BY {column}""",
                       **PERIOD):
        out[str(key)]["customers"] = n
    return out


def test_centre_statistics_by_agent_and_team_equal_a_sql_recount(sql: Sql, client: TestClient,
                                                                  token_of: Tokens) -> None:
    # two listens (monitored calls) and a review that turns a call's contact reason into a complaint
    for call_id in ("C-000", "C-001"):
        assert client.get(f"/calls/{call_id}/audio", headers=token_of("admin")).status_code == 200
    review = client.post("/calls/C-002/reviews", headers=token_of("admin"),
                         json={"labels": [{"kind": "contact_reason", "values": ["complaint"]}]})
    assert review.status_code == 201, review.text
    for group, column in (("agent", "c.agent_id"), ("team", "c.team"), ("day", "c.local_date")):
        r = client.get("/stats/centre", headers=token_of("admin"), params={**PERIOD, "group_by": group})
        assert r.status_code == 200, r.text
        rows = {row["group"]: row for row in r.json()["rows"]}
        expected = _recount_by(sql, column)
        assert set(rows) == set(expected), group
        for key, want in expected.items():
            got = rows[key]
            assert got["calls"] == want["calls"] and got["inbound"] == want["inbound"], (group, key)
            assert got["agents"] == want["agents"], (group, key)
            assert got["calls_per_agent_day"] == pytest.approx(want["calls"] / want["agent_days"]), (group, key)
            assert got["avg_talk_s"] == pytest.approx(want["avg_talk_s"]), (group, key)
            assert got["customers"] == want["customers"], (group, key)
            for reason in ("inquiry", "complaint", "suggestion", "praise"):
                assert got["contact_reasons"][reason] == want.get(reason, 0), (group, key, reason)
            if group != "day":  # listens are counted by when they happened, not by the call's day
                assert got["monitored_calls"] == want.get("monitored", 0), (group, key)
    total = client.get("/stats/centre", headers=token_of("admin"), params={**PERIOD, "group_by": "total"}).json()
    assert total["rows"][0]["calls"] == 36 + 3  # and the three calls of tests/api/seed.py, on 1 December
    assert total["rows"][0]["monitored_calls"] == 2


def test_centre_csv_holds_what_the_json_shows(sql: Sql, client: TestClient, token_of: Tokens) -> None:
    params = {**PERIOD, "group_by": "month"}
    shown = client.get("/stats/centre", headers=token_of("auditor"), params=params).json()["rows"]
    r = client.get("/stats/centre.csv", headers=token_of("auditor"), params=params)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert [row["group"] for row in rows] == [s["group"] for s in shown] == ["2026-12"]
    for row, s in zip(rows, shown, strict=True):
        assert int(row["calls"]) == s["calls"] and int(row["reason_complaint"]) == s["contact_reasons"]["complaint"]
        assert float(row["customer_activity_rate"]) == pytest.approx(s["customer_activity_rate"], abs=1e-4)
        assert int(row["marketing_accepted"]) == s["outbound_outcomes"]["marketing"]["accepted"]
    audit = client.get("/audit", headers=token_of("auditor"), params={"action": "export"}).json()["items"]
    assert audit[0]["detail"]["what"] == "centre_statistics"


def test_activity_rate_and_outbound_results(sql: Sql, client: TestClient, token_of: Tokens) -> None:
    day = client.get("/stats/centre", headers=token_of("admin"),
                     params={"start": "2026-12-02", "end": "2026-12-02", "group_by": "total"}).json()["rows"][0]
    (base,) = sql("SELECT COUNT(DISTINCT customer_ref_hash) FROM calls WHERE local_date <= '2026-12-02' "
                           "AND customer_ref_hash IS NOT NULL")
    (active,) = sql("SELECT COUNT(DISTINCT customer_ref_hash) FROM calls WHERE local_date = '2026-12-02'")
    assert day["customer_base"] == base[0] and day["customers"] == active[0]
    assert day["customer_activity_rate"] == pytest.approx(active[0] / base[0])
    total = client.get("/stats/centre", headers=token_of("admin"), params={**PERIOD, "group_by": "total"}).json()
    outcomes = dict(((c, o), n) for c, o, n in sql("""
        SELECT c.campaign, l.label, COUNT(*) FROM call_labels l JOIN calls c ON c.id = l.call_pk
        WHERE l.kind = 'outcome' AND c.campaign IS NOT NULL GROUP BY c.campaign, l.label"""))
    got = total["rows"][0]["outbound_outcomes"]
    for (campaign, outcome), n in outcomes.items():
        assert got[campaign][outcome] == n


def test_statistics_are_scoped_and_refused_outside_reports(sql: Sql, client: TestClient, token_of: Tokens) -> None:
    rows = client.get("/stats/centre", headers=token_of("sup_a"), params={**PERIOD, "group_by": "team"}).json()
    assert [r["group"] for r in rows["rows"]] == ["A"]
    assert client.get("/stats/centre", headers=token_of("sup_a"), params={"team": "B"}).status_code == 422
    assert client.get("/stats/centre", headers=token_of("trainer_a")).status_code == 403
    assert client.get("/stats/centre.csv", headers=token_of("agent_a1")).status_code == 403
    assert client.get("/stats/centre", headers=token_of("admin"), params={"group_by": "year"}).status_code == 422
    assert client.get("/stats/centre", headers=token_of("admin"),
                      params={"start": "2026-12-05", "end": "2026-12-01"}).status_code == 422


def test_cached_figures_follow_every_change(sql: Sql, client: TestClient, token_of: Tokens) -> None:
    """The statistics cache serves repeated requests, and a review, a dispute or a listen is seen at once."""
    from qa_service.services.stats_cache import cache_of

    h = token_of("admin")
    params = {**PERIOD, "group_by": "total"}
    first = client.get("/stats/centre", headers=h, params=params).json()["rows"][0]
    hits = cache_of(256).hits
    assert client.get("/stats/centre", headers=h, params=params).json()["rows"][0] == first
    assert cache_of(256).hits == hits + 1
    (call_id,) = next(iter(sql("SELECT c.call_id FROM calls c JOIN call_labels l ON l.call_pk = c.id "
                               "WHERE l.kind = 'contact_reason' AND l.label = 'inquiry' ORDER BY c.call_id")))
    assert client.post(f"/calls/{call_id}/reviews", headers=h,
                       json={"labels": [{"kind": "contact_reason", "values": ["complaint"]}]}).status_code == 201
    after = client.get("/stats/centre", headers=h, params=params).json()["rows"][0]
    assert after["contact_reasons"]["complaint"] == first["contact_reasons"]["complaint"] + 1
    assert after["contact_reasons"]["inquiry"] == first["contact_reasons"]["inquiry"] - 1
    assert client.get(f"/calls/{call_id}/audio", headers=h).status_code == 200
    listened = client.get("/stats/centre", headers=h, params=params).json()["rows"][0]
    assert listened["monitored_calls"] == after["monitored_calls"] + 1
    grades = client.get("/grades", headers=h).json()
    assert client.put("/grades/bands", headers=h, json={"bands": [{"grade": "all", "rank": 1}]}).status_code == 200
    regraded = client.get("/grades", headers=h).json()
    assert grades["bands"] == [] and {a["grade"] for a in regraded["agents"]} == {"all"}


def test_days_at_the_ends_of_the_calendar_are_refused(client: TestClient, token_of: Tokens) -> None:
    for params in ({"start": "0001-01-01"}, {"end": "9999-12-31"}):
        for path in ("/stats/centre", "/compliance/adherence", "/grades", "/reports/service"):
            r = client.get(path, headers=token_of("admin"), params=params)
            assert r.status_code == 422 and r.json()["field"] in params, (path, r.text)
