"""Fleiss' kappa and the consensus on hand-worked examples."""

from __future__ import annotations

import pytest

from qa_service.agreement import consensus, consensus_score, distance, fleiss


def test_fleiss_kappa_on_the_textbook_example() -> None:
    # 4 subjects, 3 raters, 2 categories, worked by hand:
    # P_i = 1, 1/3, 1/3, 1 → P̄ = 2/3; p = (6/12, 6/12) → P_e = 1/2; κ = (2/3 − 1/2) / (1 − 1/2) = 1/3
    subjects = [["pass"] * 3, ["pass", "pass", "fail"], ["fail", "fail", "pass"], ["fail"] * 3]
    a = fleiss(subjects)
    p_e = (6 / 12) ** 2 + (6 / 12) ** 2
    assert a.subjects == 4 and a.ratings == 12
    assert a.percent == pytest.approx(2 / 3)
    assert a.kappa == pytest.approx((2 / 3 - p_e) / (1 - p_e)) == pytest.approx(1 / 3)


def test_fleiss_edge_cases() -> None:
    assert fleiss([]).kappa is None and fleiss([["pass"]]).subjects == 0  # one rating says nothing
    unanimous = fleiss([["pass", "pass"], ["pass", "pass"]])
    assert unanimous.percent == 1.0 and unanimous.kappa is None  # chance agreement is 1: undefined
    opposed = fleiss([["pass", "fail"], ["fail", "pass"]])
    assert opposed.percent == 0.0 and opposed.kappa == pytest.approx(-1.0)
    perfect = fleiss([["pass", "pass"], ["fail", "fail"]])
    assert perfect.kappa == pytest.approx(1.0)
    uneven = fleiss([["pass", "pass", "pass"], ["fail", "fail"]])  # raters per subject may differ
    assert uneven.percent == 1.0 and uneven.kappa == pytest.approx(1.0)


def test_consensus_and_distance() -> None:
    assert consensus(["pass", "fail", "pass"]) == "pass"
    assert consensus(["pass", "fail"]) is None and consensus([]) is None
    assert consensus_score([60.0, 70.0, 100.0]) == 70.0 and consensus_score([]) is None
    agreed = {("c1", "greeting"): "pass", ("c1", "closing"): None, ("c2", "greeting"): "fail"}
    d = distance({("c1", "greeting"): "fail", ("c1", "closing"): "pass", ("c2", "greeting"): "fail"}, agreed,
                 {"c1": 80.0, "c2": 50.0}, {"c1": 70.0, "c2": None})
    assert (d.compared, d.disagreements) == (2, 1) and d.disagreement_rate == 0.5
    assert d.mean_abs_score_diff == 10.0
