"""Reviews of calls and the human result beside the automatic one.

The automatic values (``findings.outcome``, ``scorecards.score/passed``, ``classifications``) are
never changed here; a review writes the final ones (``findings.final_outcome``,
``scorecards.final_score/final_passed``, the ``call_labels`` rows of the labels it overrides) and
keeps its corrections as ``review_overrides``. Functions take a Session and never commit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from qa_service.store.models import (
    Call,
    CallLabel,
    ClassificationRow,
    FindingRow,
    Review,
    ReviewOverride,
    Scorecard,
    User,
)
from qa_service.store.scope import Visibility
from qa_service.store.states import LabelKind, ReviewState, ReviewStatus

#: ``review_overrides.target`` values.
TARGET_FINDING = "finding"
TARGET_LABEL = "label"
#: Several label values (contact reasons) are stored in one override, joined by this.
LABEL_SEPARATOR = ","


@dataclass(frozen=True)
class OverrideSpec:
    """One correction to store: a finding (``key`` = item id) or a label (``key`` = LabelKind)."""

    target: str
    key: str
    original: str | None
    value: str
    note: str = ""


def join_labels(values: Sequence[str]) -> str:
    return LABEL_SEPARATOR.join(values)


def split_labels(text: str | None) -> tuple[str, ...]:
    return tuple(v for v in (text or "").split(LABEL_SEPARATOR) if v)


# --------------------------------------------------------------------------- calls
def visible_call_for_update(session: Session, call_id: str, visibility: Visibility) -> Call | None:
    """The call if ``visibility`` allows it, row-locked on PostgreSQL (serialises reviews and
    corrections of one call); None when missing or out of scope."""
    stmt = select(Call).where(Call.call_id == call_id, *visibility.conditions()).with_for_update()
    return session.scalars(stmt).one_or_none()


# --------------------------------------------------------------------------- reviews
def latest_submitted(session: Session, call_pk: int) -> Review | None:
    stmt = (select(Review).where(Review.call_pk == call_pk, Review.status == ReviewStatus.SUBMITTED.value)
            .order_by(Review.id.desc()).limit(1))
    return session.scalars(stmt).first()


def supersede_submitted(session: Session, call_pk: int) -> list[int]:
    """Mark the call's submitted reviews superseded (they are kept); their ids."""
    ids = list(session.scalars(select(Review.id).where(Review.call_pk == call_pk,
                                                       Review.status == ReviewStatus.SUBMITTED.value)
                               .order_by(Review.id)))
    if ids:
        session.execute(update(Review).where(Review.id.in_(ids))
                        .values(status=ReviewStatus.SUPERSEDED.value)
                        .execution_options(synchronize_session="fetch"))
    return ids


def add_review(session: Session, call_pk: int, *, reviewer_id: int, comment: str, score: float | None,
               overrides: Sequence[OverrideSpec]) -> Review:
    review = Review(call_pk=call_pk, reviewer_id=reviewer_id, status=ReviewStatus.SUBMITTED.value,
                    comment=comment, score=score)
    session.add(review)
    session.flush()
    session.add_all(ReviewOverride(review_id=review.id, target=o.target, key=o.key[:64],
                                   original=None if o.original is None else o.original[:64],
                                   value=o.value[:64], note=o.note) for o in overrides)
    session.flush()
    return review


def overrides_of(session: Session, review_ids: Sequence[int]) -> dict[int, list[ReviewOverride]]:
    out: dict[int, list[ReviewOverride]] = {i: [] for i in review_ids}
    if not review_ids:
        return out
    for row in session.scalars(select(ReviewOverride).where(ReviewOverride.review_id.in_(review_ids))
                               .order_by(ReviewOverride.id)):
        out[row.review_id].append(row)
    return out


def reviews_of(session: Session, call_pk: int) -> list[tuple[Review, str | None]]:
    """Every review of the call with its reviewer's user name, newest first."""
    stmt = (select(Review, User.username).outerjoin(User, User.id == Review.reviewer_id)
            .where(Review.call_pk == call_pk).order_by(Review.id.desc()))
    return [(r, u) for r, u in session.execute(stmt).all()]


def username_of(session: Session, user_id: int) -> str | None:
    return session.scalar(select(User.username).where(User.id == user_id))


# --------------------------------------------------------------------------- final values
def findings_of(session: Session, call_pk: int) -> list[FindingRow]:
    return list(session.scalars(select(FindingRow).where(FindingRow.call_pk == call_pk)
                                .order_by(FindingRow.position)))


def write_final(session: Session, call_pk: int, *, outcomes: Mapping[str, str], final_score: float,
                final_passed: bool) -> None:
    """Set every finding's final outcome (items not in ``outcomes`` get their automatic one back), the
    scorecard's final score and verdict, and mark the call reviewed."""
    for row in findings_of(session, call_pk):
        row.final_outcome = outcomes.get(row.item_id, row.outcome)
    card = session.get(Scorecard, call_pk)
    if card is not None:
        card.final_score = final_score
        card.final_passed = final_passed
    session.execute(update(Call).where(Call.id == call_pk).values(review_state=ReviewState.REVIEWED.value)
                    .execution_options(synchronize_session="fetch"))


def automatic_labels(session: Session, call_pk: int) -> dict[LabelKind, tuple[str, ...]] | None:
    """The classifier's contact reasons and business type (None: the call was not classified)."""
    row = session.get(ClassificationRow, call_pk)
    if row is None:
        return None
    reasons = tuple(sorted(str(r) for r in (row.detail or {}).get("contact_reasons", ())))
    return {LabelKind.CONTACT_REASON: reasons, LabelKind.BUSINESS_TYPE: (row.business_type,)}


def set_labels(session: Session, call_pk: int, kind: LabelKind, values: Sequence[str]) -> None:
    """Replace the call's counted labels of one kind."""
    session.execute(delete(CallLabel).where(CallLabel.call_pk == call_pk, CallLabel.kind == kind.value))
    session.add_all(CallLabel(call_pk=call_pk, kind=kind.value, label=v) for v in sorted(set(values)))
    session.flush()


def labels_by_kind(session: Session, call_pk: int, kind: LabelKind) -> tuple[str, ...]:
    return tuple(session.scalars(select(CallLabel.label).where(CallLabel.call_pk == call_pk,
                                                               CallLabel.kind == kind.value)
                                 .order_by(CallLabel.label)))
