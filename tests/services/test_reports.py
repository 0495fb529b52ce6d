"""The service manager's statistics, computed in SQL over a period and teams."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from review_support import FAKE_RUBRIC
from svc_support import write_wav
from typer.testing import CliRunner

from qa_service.cli.main import build_app
from qa_service.ingest import IngestOptions, ingest_paths
from qa_service.rubrics import parse_rubric
from qa_service.services.access import Principal
from qa_service.services.context import ServiceContext
from qa_service.services.local_worker import run_local
from qa_service.services.report_render import render_html, render_text
from qa_service.services.reports import call_table, service_report
from qa_service.services.reviews import ItemDecision, LabelDecision, ReviewInput, submit_review
from qa_service.settings import get_settings
from qa_service.store import calls
from qa_service.store.models import AuditEvent, User
from qa_service.store.states import UserRole

ROWS = [  # file, call, agent, team, direction, campaign, local start
    ("a.wav", "A", "1023", "T1", "inbound", "", "2026-11-02T09:00:00"),
    ("b.wav", "B", "1023", "T1", "inbound", "", "2026-11-02T16:00:00"),
    ("c.wav", "C", "1023", "T1", "outbound", "marketing", "2026-11-03T09:30:00"),
    ("d.wav", "D", "2001", "T2", "outbound", "return_visit", "2026-12-01T23:30:00"),
]


def _setup(svc: ServiceContext, tmp_path: Path) -> None:
    lines = ["file,call_id,agent_id,team,direction,campaign,started_at"]
    for i, row in enumerate(ROWS):
        write_wav(tmp_path / row[0], seed=100 + i)
        lines.append(",".join(row))
    (tmp_path / "meta.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    ingest_paths(svc.settings, [], IngestOptions(sidecar=tmp_path / "meta.csv"))
    assert sorted(run_local(svc).done) == ["A", "B", "C", "D"]
    with svc.session() as s:
        a, c = calls.get(s, "A"), calls.get(s, "C")
        at = datetime(2026, 11, 3, 2, 0, tzinfo=UTC)
        s.add_all([AuditEvent(action="listen", call_pk=a.id, at=at),
                   AuditEvent(action="listen", call_pk=a.id, at=at),
                   AuditEvent(action="view", call_pk=c.id, at=at),
                   AuditEvent(action="live_listen", call_pk=c.id, at=datetime(2026, 12, 5, tzinfo=UTC))])


def test_report_over_everything(svc: ServiceContext, tmp_path: Path) -> None:
    _setup(svc, tmp_path)
    r = service_report(svc)
    assert r.total_calls == 4 and r.by_state == {"done": 4}
    assert r.by_direction == {"inbound": 2, "outbound": 2}
    assert r.by_day == {"2026-11-02": 2, "2026-11-03": 1, "2026-12-01": 1}
    assert r.by_shift == {"early": 2, "late": 1, "night": 1}
    agent = {a.agent_id: a for a in r.agents}
    assert (agent["1023"].calls, agent["1023"].days, agent["1023"].per_day) == (3, 2, 1.5)
    assert agent["1023"].per_month == {"2026-11": 3} and agent["1023"].per_shift == {"early": 2, "late": 1}
    assert agent["2001"].per_shift == {"night": 1} and agent["2001"].avg_score == 50.0
    assert r.talk["calls"] == 4 and abs(float(r.talk["avg_duration_s"] or 0) - 1.0) < 1e-6
    assert r.monitored_calls == 2  # A (listened twice) and C (live); a view is not monitoring
    assert r.contact_reasons == {"inquiry": 4}
    assert sum(r.business_types.values()) == 4
    assert r.outbound == {"marketing": {"accepted": 1}, "return_visit": {"accepted": 1}}
    assert r.quality["scored"] == 4 and r.quality["avg_score"] == 50.0 and r.quality["passed"] == 0
    assert r.item_failures["closing"] == 4
    text = render_text(r)
    assert "calls 通话量" in text and "monitored calls 监听电话量" in text and "1023" in text
    page = render_html(r, call_table(svc))
    assert page.startswith("<!doctype html>") and "<td>D</td>" in page and "return visit 客户回访" in page


def test_report_scoped_to_a_period_and_team(svc: ServiceContext, tmp_path: Path) -> None:
    _setup(svc, tmp_path)
    r = service_report(svc, start=date(2026, 11, 1), end=date(2026, 11, 30), teams=("T1",))
    assert r.total_calls == 3 and r.by_campaign == {"(none)": 2, "marketing": 1}
    assert r.monitored_calls == 1  # the live listen of C was in December
    assert [a.agent_id for a in r.agents] == ["1023"]
    assert service_report(svc, start=date(2026, 12, 1), teams=("T1",)).total_calls == 0


def test_the_report_counts_the_reviewed_result(svc: ServiceContext, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    _setup(svc, tmp_path)
    with svc.session() as s:
        admin = User(username="admin", role=UserRole.ADMIN.value)
        s.add(admin)
        s.flush()
        reviewer = Principal(admin.id, "admin", UserRole.ADMIN)
    review = ReviewInput(items=(ItemDecision("closing", "pass", "the closing was said"),),
                         labels=(LabelDecision("contact_reason", ("complaint",)),))
    with svc.session() as s:  # the fake backend's findings belong to FAKE_RUBRIC (threshold 80)
        submit_review(s, reviewer, "A", review, rubrics=lambda: (parse_rubric(FAKE_RUBRIC),))
    r = service_report(svc)
    assert r.item_failures["closing"] == 3  # A's closing failure was overridden to a pass
    assert r.quality["avg_score"] == pytest.approx((100.0 + 3 * 50.0) / 4) and r.quality["passed"] == 1
    assert (r.quality["reviewed"], r.quality["avg_automatic_score"]) == (1, 50.0)
    assert r.contact_reasons == {"inquiry": 3, "complaint": 1}
    agent = {a.agent_id: a for a in r.agents}
    assert agent["1023"].avg_score == pytest.approx(200.0 / 3) and agent["2001"].avg_score == 50.0
    row = next(c for c in call_table(svc) if c["call"] == "A")
    assert (row["score"], row["passed"], row["reviewed"], row["failed items"]) == (
        "100 (automatic 50)", "yes", "yes", "-")
    assert "complaint" in row["contact reasons"]
    # `qa-service report` prints the same figures
    monkeypatch.setenv("QA_DATA_DIR", str(svc.settings.data_dir))
    monkeypatch.setenv("QA_RUBRIC_DIR", str(svc.settings.rubric_dir))
    monkeypatch.setenv("QA_ANALYSIS_BACKEND", svc.settings.analysis_backend)
    monkeypatch.delenv("QA_BROKER_URL", raising=False)
    get_settings.cache_clear()
    out = CliRunner().invoke(build_app(), ["report", "--json"])
    assert out.exit_code == 0, out.output
    printed = json.loads(out.output)
    assert printed["item_failures"]["closing"] == 3 and printed["quality"]["passed"] == 1
    assert printed["quality"]["avg_score"] == pytest.approx(62.5)
