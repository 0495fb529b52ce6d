"""Reviews: confirm or override items, the score and labels; the automatic result stays beside the
human one; a later review supersedes; a re-assessed call keeps its human result. SQLite and PostgreSQL."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from review_support import (  # noqa: F401  (fixtures)
    People,
    add_people,
    add_scored_call,
    any_svc,
    classification,
    reassess,
    review_pg_url,
    review_rubric,
)
from sqlalchemy import func, select

from qa_service.domain import BusinessType, ContactReason, Outcome
from qa_service.errors import Conflict, InvalidRequest, NotFound, PermissionDenied
from qa_service.rubrics import Rubric
from qa_service.services.context import ServiceContext
from qa_service.services.reviews import (
    ItemDecision,
    LabelDecision,
    ReviewInput,
    reapply_review,
    review_history,
    submit_review,
)
from qa_service.store import calls, results
from qa_service.store.models import AuditEvent, ClassificationRow, FindingRow, Review, ReviewOverride, Scorecard
from qa_service.store.states import CallState


def _rubrics() -> tuple[Rubric, ...]:
    return (review_rubric(),)


def _setup(svc: ServiceContext, **call_args: Any) -> People:
    with svc.session() as s:
        people = add_people(s)
        add_scored_call(s, "C1", **call_args)
    return people


def _finals(svc: ServiceContext, call_id: str = "C1") -> dict[str, tuple[str, str]]:
    with svc.session() as s:
        pk = calls.get(s, call_id).id
        return {f.item_id: (f.outcome, f.final_outcome)
                for f in s.scalars(select(FindingRow).where(FindingRow.call_pk == pk))}


def _card(svc: ServiceContext, call_id: str = "C1") -> tuple[float, bool, float, bool, str]:
    with svc.session() as s:
        call = calls.get(s, call_id)
        c = s.get(Scorecard, call.id)
        assert c is not None
        return c.score, c.passed, c.final_score, c.final_passed, call.review_state


def test_an_overridden_item_is_rescored_with_the_rubric_weights_beside_the_automatic_result(
        any_svc: ServiceContext) -> None:  # noqa: F811
    svc = any_svc
    people = _setup(svc)
    assert _card(svc) == (pytest.approx(66.67), False, pytest.approx(66.67), False, "unreviewed")
    review = ReviewInput(items=(ItemDecision("closing", "pass", "said goodbye, ASR missed it"),
                                ItemDecision("greeting", "confirm")), comment="fine call")
    with svc.session() as s:
        view = submit_review(s, people.supervisor, "C1", review, rubrics=_rubrics, client="10.0.0.1")
    # 30 of 30 points; empathy (needs review, not decided) stays out of the total and as it was
    assert _card(svc) == (pytest.approx(66.67), False, 100.0, True, "reviewed")
    assert _finals(svc) == {"greeting": ("pass", "pass"), "verification": ("pass", "pass"),
                            "closing": ("fail", "pass"), "empathy": ("needs_review", "needs_review")}
    assert (view.status, view.comment, view.reviewer, view.score) == ("submitted", "fine call", "sup1", None)
    assert [(d.item_id, d.automatic, d.final, d.confirmed, d.note) for d in view.items] == [
        ("closing", "fail", "pass", False, "said goodbye, ASR missed it"), ("greeting", "pass", "pass", True, "")]
    assert view.result is not None
    assert (view.result.automatic_score, view.result.automatic_passed) == (pytest.approx(66.67), False)
    assert (view.result.final_score, view.result.final_passed) == (100.0, True)
    assert {(i.item_id, i.automatic, i.final, i.decided) for i in view.result.items} == {
        ("greeting", "pass", "pass", True), ("verification", "pass", "pass", False),
        ("closing", "fail", "pass", True), ("empathy", "needs_review", "needs_review", False)}
    with svc.session() as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.action == "review")).all()
        assert len(events) == 1 and events[0].user_id == people.supervisor.user_id
        assert events[0].client == "10.0.0.1" and events[0].call_pk == calls.get(s, "C1").id
        detail = events[0].detail
        assert detail["items"] == [{"item_id": "closing", "original": "fail", "value": "pass"},
                                   {"item_id": "greeting", "original": "pass", "value": "pass"}]
        assert (detail["final_score"], detail["final_passed"], detail["score"]) == (100.0, True, None)
        # the automatic scorecard reads back unchanged
        auto = results.load_rubric_result(s, calls.get(s, "C1").id)
        assert auto is not None and auto.finding("closing").outcome is Outcome.FAIL and not auto.passed


def test_settling_a_needs_review_item_and_an_explicit_score(any_svc: ServiceContext) -> None:  # noqa: F811
    svc = any_svc
    people = _setup(svc)
    with svc.session() as s:
        submit_review(s, people.supervisor, "C1", ReviewInput(items=(ItemDecision("empathy", "pass"),)),
                      rubrics=_rubrics)
    assert _card(svc)[2:4] == (pytest.approx(100.0 * 25 / 35, abs=0.01), False)  # 25 of 35 points
    with svc.session() as s:
        view = submit_review(s, people.supervisor, "C1", ReviewInput(score=85.0), rubrics=_rubrics)
    assert view.score == 85.0 and _card(svc)[2:4] == (85.0, True)
    # the second review replaced the first: empathy is back to needs review
    assert _finals(svc)["empathy"] == ("needs_review", "needs_review")
    # a failed critical item fails the call whatever score the reviewer gives
    with svc.session() as s:
        submit_review(s, people.supervisor, "C1",
                      ReviewInput(items=(ItemDecision("verification", "fail"),), score=95.0), rubrics=_rubrics)
    assert _card(svc)[2:4] == (95.0, False)
    with svc.session() as s:
        submit_review(s, people.supervisor, "C1", ReviewInput(items=(ItemDecision("closing", "n/a"),)),
                      rubrics=_rubrics)
    assert _card(svc)[2:4] == (100.0, True)  # 20 of 20 applicable points


def test_labels_are_overridden_and_the_classifier_result_stays(any_svc: ServiceContext) -> None:  # noqa: F811
    svc = any_svc
    people = _setup(svc)
    review = ReviewInput(labels=(LabelDecision("contact_reason", ("inquiry", "complaint"), "angry about fees"),
                                 LabelDecision("business_type", ("transfer",))))
    with svc.session() as s:
        view = submit_review(s, people.supervisor, "C1", review, rubrics=_rubrics)
    assert [(v.kind, v.automatic, v.final, v.note) for v in view.labels] == [
        ("contact_reason", ("inquiry",), ("complaint", "inquiry"), "angry about fees"),
        ("business_type", ("card_services",), ("transfer",), "")]
    assert view.result is not None
    assert {(r.kind, r.automatic, r.final) for r in view.result.labels} == {
        ("contact_reason", ("inquiry",), ("complaint", "inquiry")),
        ("business_type", ("card_services",), ("transfer",))}
    with svc.session() as s:
        pk = calls.get(s, "C1").id
        assert results.labels_of(s, pk) == {"business_type": ["transfer"], "contact_reason": ["complaint", "inquiry"]}
        row = s.get(ClassificationRow, pk)
        assert row is not None and row.business_type == "card_services"
        assert row.detail["contact_reasons"] == ["inquiry"]
    # a later review without label decisions gives the classifier's labels back
    with svc.session() as s:
        submit_review(s, people.supervisor, "C1", ReviewInput(comment="labels were right"), rubrics=_rubrics)
        assert results.labels_of(s, calls.get(s, "C1").id) == {"business_type": ["card_services"],
                                                              "contact_reason": ["inquiry"]}


@pytest.mark.parametrize(("review", "field"), [
    (ReviewInput(items=(ItemDecision("hold_music", "pass"),)), "items[0].item_id"),
    (ReviewInput(items=(ItemDecision("closing", "pass"), ItemDecision("closing", "fail"))), "items[1].item_id"),
    (ReviewInput(items=(ItemDecision("closing", "maybe"),)), "items[0].decision"),
    (ReviewInput(items=(ItemDecision("closing", "needs_review"),)), "items[0].decision"),
    (ReviewInput(items=(ItemDecision("empathy", "confirm"),)), "items[0].decision"),
    (ReviewInput(score=100.5), "score"),
    (ReviewInput(score=-1.0), "score"),
    (ReviewInput(score=float("nan")), "score"),
    (ReviewInput(labels=(LabelDecision("outcome", ("accepted",)),)), "labels[0].kind"),
    (ReviewInput(labels=(LabelDecision("business_type", ("transfer", "other")),)), "labels[0].values"),
    (ReviewInput(labels=(LabelDecision("contact_reason", ("gossip",)),)), "labels[0].values"),
    (ReviewInput(labels=(LabelDecision("contact_reason", ()),)), "labels[0].values"),
    (ReviewInput(labels=(LabelDecision("contact_reason", ("praise",)),
                         LabelDecision("contact_reason", ("inquiry",)))), "labels[1].kind"),
])
def test_invalid_reviews_are_refused_with_the_field_and_change_nothing(
        any_svc: ServiceContext, review: ReviewInput, field: str) -> None:  # noqa: F811
    svc = any_svc
    people = _setup(svc)
    with svc.session() as s, pytest.raises(InvalidRequest) as err:
        submit_review(s, people.supervisor, "C1", review, rubrics=_rubrics)
    assert err.value.details["field"] == field
    with svc.session() as s:
        assert s.scalar(select(func.count()).select_from(Review)) == 0
        assert s.scalar(select(func.count()).select_from(AuditEvent)) == 0
    assert _card(svc)[4] == "unreviewed"


def test_who_may_review_which_call(any_svc: ServiceContext) -> None:  # noqa: F811
    svc = any_svc
    people = _setup(svc)
    ok = ReviewInput(items=(ItemDecision("closing", "pass"),))
    with svc.session() as s:
        with pytest.raises(NotFound) as hidden:
            submit_review(s, people.other_supervisor, "C1", ok, rubrics=_rubrics)
        with pytest.raises(NotFound) as missing:
            submit_review(s, people.other_supervisor, "C9", ok, rubrics=_rubrics)
        assert str(hidden.value).replace("C1", "C9") == str(missing.value)  # out of scope looks like missing
        with pytest.raises(PermissionDenied):
            submit_review(s, people.trainer, "C1", ok, rubrics=_rubrics)
        with pytest.raises(PermissionDenied):
            submit_review(s, people.agent, "C1", ok, rubrics=_rubrics)
    with svc.session() as s:
        assert submit_review(s, people.admin, "C1", ok, rubrics=_rubrics).reviewer == "admin"


def test_calls_not_scored_or_in_processing_or_without_their_rubric_are_conflicts(
        any_svc: ServiceContext) -> None:  # noqa: F811
    svc = any_svc
    people = _setup(svc)
    with svc.session() as s:
        add_scored_call(s, "UNSCORED", scored=False)
        add_scored_call(s, "BUSY", state=CallState.PROCESSING)
    for call_id in ("UNSCORED", "BUSY"):
        with svc.session() as s, pytest.raises(Conflict):
            submit_review(s, people.supervisor, call_id, ReviewInput(), rubrics=_rubrics)
    with svc.session() as s, pytest.raises(Conflict, match="no longer loaded"):
        submit_review(s, people.supervisor, "C1", ReviewInput(), rubrics=lambda: ())


def test_history_keeps_superseded_reviews_and_is_audited(any_svc: ServiceContext) -> None:  # noqa: F811
    svc = any_svc
    people = _setup(svc)
    with svc.session() as s:
        first = submit_review(s, people.supervisor, "C1", ReviewInput(items=(ItemDecision("closing", "pass"),),
                                                                      comment="first"), rubrics=_rubrics)
    with svc.session() as s:
        second = submit_review(s, people.admin, "C1", ReviewInput(items=(ItemDecision("greeting", "fail"),),
                                                                  comment="second"), rubrics=_rubrics)
    assert _finals(svc)["closing"] == ("fail", "fail")  # the first review no longer counts
    assert _card(svc)[2:4] == (pytest.approx(100.0 * 10 / 30, abs=0.01), False)
    with svc.session() as s:
        history = review_history(s, people.agent, "C1")  # the agent reads the reviews of their own call
    assert [(v.review_id, v.status, v.comment, v.reviewer) for v in history] == [
        (second.review_id, "submitted", "second", "admin"), (first.review_id, "superseded", "first", "sup1")]
    assert history[0].result is not None and history[1].result is None
    assert [(d.item_id, d.automatic, d.final) for d in history[1].items] == [("closing", "fail", "pass")]
    with svc.session() as s:
        views = s.scalars(select(AuditEvent).where(AuditEvent.action == "view")).all()
        assert [(e.user_id, e.detail) for e in views] == [(people.agent.user_id, {"what": "reviews"})]
        second_event = s.scalars(select(AuditEvent).where(AuditEvent.action == "review")
                                 .order_by(AuditEvent.id.desc())).first()
        assert second_event is not None and second_event.detail["superseded"] == [first.review_id]
        assert s.scalar(select(func.count()).select_from(ReviewOverride)) == 2
    with svc.session() as s, pytest.raises(NotFound):
        review_history(s, people.other_supervisor, "C1")


def test_a_reassessed_call_keeps_its_human_result(any_svc: ServiceContext,  # noqa: F811
                                                  caplog: pytest.LogCaptureFixture) -> None:
    svc = any_svc
    people = _setup(svc)
    with svc.session() as s:
        assert reapply_review(s, calls.get(s, "C1").id, _rubrics) is None  # nothing to apply yet
    review = ReviewInput(items=(ItemDecision("closing", "pass"), ItemDecision("empathy", "fail")),
                         labels=(LabelDecision("business_type", ("transfer",)),))
    with svc.session() as s:
        submit_review(s, people.supervisor, "C1", review, rubrics=_rubrics)
    # assessed again (e.g. after a role swap): the new scorecard has no empathy item, greeting now fails
    new = {"greeting": Outcome.FAIL, "verification": Outcome.PASS, "closing": Outcome.FAIL}
    with svc.session() as s:
        call = calls.get(s, "C1")
        reassess(s, call, new, classification(BusinessType.OTHER, (ContactReason.PRAISE,)))
        assert results.labels_of(s, call.id)["business_type"] == ["other"]
        with caplog.at_level(logging.INFO, logger="qa_service.services.reviews"):
            out = reapply_review(s, call.id, _rubrics)
    assert out is not None and (out.applied, out.skipped, out.rescored) == (("closing",), ("empathy",), True)
    assert "empathy" in caplog.text and "no longer has" in caplog.text
    assert _finals(svc) == {"greeting": ("fail", "fail"), "verification": ("pass", "pass"),
                            "closing": ("fail", "pass")}
    assert _card(svc) == (pytest.approx(33.33), False, pytest.approx(66.67), False, "reviewed")
    with svc.session() as s:
        pk = calls.get(s, "C1").id
        assert results.labels_of(s, pk) == {"business_type": ["transfer"], "contact_reason": ["praise"]}
        before = results.snapshot(s, pk), _finals(svc), _card(svc)
    with svc.session() as s:  # idempotent
        reapply_review(s, pk, _rubrics)
    with svc.session() as s:
        assert (results.snapshot(s, pk), _finals(svc), _card(svc)) == before
    # without the rubric the items are still re-applied; score and verdict stay automatic
    with svc.session() as s:
        reassess(s, calls.get(s, "C1"), new)
        out = reapply_review(s, pk, lambda: ())
    assert out is not None and not out.rescored
    assert _finals(svc)["closing"] == ("fail", "pass") and _card(svc)[2] == pytest.approx(33.33)

