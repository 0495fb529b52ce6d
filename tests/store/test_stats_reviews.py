"""Statistics count the human result: final scores, verdicts, item outcomes and corrected labels."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "services"))

from review_support import add_people, add_scored_call, review_rubric

from qa_service.services.reviews import ItemDecision, LabelDecision, ReviewInput, submit_review
from qa_service.settings import Settings
from qa_service.store import stats
from qa_service.store.db import unit_of_work
from qa_service.store.states import LabelKind


def test_quality_figures_apply_review_overrides(db_settings: Settings) -> None:
    rubrics = lambda: (review_rubric(),)  # noqa: E731
    with unit_of_work(db_settings) as s:
        people = add_people(s)
        for call_id, team, agent in (("C1", "T1", "1023"), ("C2", "T1", "1023"), ("C3", "T2", "2001")):
            add_scored_call(s, call_id, team=team, agent_id=agent)  # each 20 of 30 points automatically
    auto_scope = stats.Scope()
    with unit_of_work(db_settings) as s:
        before = stats.quality(s, auto_scope)
    assert before["avg_score"] == pytest.approx(66.67) and before["needs_review"] == 3
    assert (before["passed"], before["auto_failed"], before["reviewed"]) == (0, 0, 0)

    with unit_of_work(db_settings) as s:  # C1: everything passes; C3: the critical item actually failed
        submit_review(s, people.supervisor, "C1", ReviewInput(items=(ItemDecision("closing", "pass"),
                                                                     ItemDecision("empathy", "pass"))),
                      rubrics=rubrics)
        submit_review(s, people.admin, "C3", ReviewInput(items=(ItemDecision("verification", "fail"),),
                                                         labels=(LabelDecision("business_type", ("transfer",)),)),
                      rubrics=rubrics)
    with unit_of_work(db_settings) as s:
        q = stats.quality(s, stats.Scope())
        assert q["scored"] == 3 and q["avg_score"] == pytest.approx((100.0 + 66.67 + 33.33) / 3, abs=0.01)
        assert (q["passed"], q["needs_review"], q["auto_failed"], q["reviewed"]) == (1, 2, 1, 2)
        assert q["avg_automatic_score"] == pytest.approx(66.67)
        scores = stats.agent_scores(s, stats.Scope())
        assert scores == {"1023": pytest.approx(83.33, abs=0.01), "2001": pytest.approx(33.33, abs=0.01)}
        assert stats.item_failures(s, stats.Scope()) == {"closing": 2, "verification": 1}
        assert stats.label_counts(s, stats.Scope(), LabelKind.BUSINESS_TYPE) == {"card_services": 2, "transfer": 1}
        t1 = stats.Scope(teams=("T1",))
        assert stats.quality(s, t1)["avg_score"] == pytest.approx(83.33, abs=0.01)
        assert stats.item_failures(s, t1) == {"closing": 1}
        assert stats.label_counts(s, t1, LabelKind.BUSINESS_TYPE) == {"card_services": 2}
