"""Rubric verdicts from audio: each item's outcome on what the recogniser heard, beside its outcome on
the reference transcript, against the sample call's answer. This is what a QA team judges the
product by — the scorecard of a real call — rather than WER.

Agreement counts a ``needs_review`` verdict as half right (a person will look at it). The review
share is how many verdicts go to a person; the accuracy of the rest is how often the machine is right
when it decides alone. :func:`calibrate` picks the ``review_confidence`` (the word confidence below
which a match needs review) that keeps that accuracy while sending the fewest verdicts to people,
on one set of calls, to be reported on another."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from qa_service.domain import CallTranscript, Outcome
from qa_service.errors import InvalidRequest
from qa_service.evaluation.runner import EvalRow
from qa_service.rubrics import Rubric, score_call

#: What a needs-review verdict counts for in :attr:`VerdictStats.agreement`.
NEEDS_REVIEW_CREDIT = 0.5
#: The thresholds :func:`calibrate` tries.
THRESHOLDS = (0.0, 0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7)


@dataclass(frozen=True)
class ItemVerdict:
    call_id: str
    mode: str
    language: str
    item_id: str
    expected: Outcome
    on_audio: Outcome
    on_reference: Outcome


@dataclass(frozen=True)
class VerdictStats:
    n: int = 0
    agreed: float = 0.0  # needs-review counts NEEDS_REVIEW_CREDIT
    review: int = 0
    decided_right: int = 0  # verdicts not sent to review that equal the answer

    @property
    def agreement(self) -> float | None:
        return self.agreed / self.n if self.n else None

    @property
    def review_share(self) -> float | None:
        return self.review / self.n if self.n else None

    @property
    def decided_accuracy(self) -> float | None:
        decided = self.n - self.review
        return self.decided_right / decided if decided else None

    def add(self, got: Outcome, expected: Outcome) -> VerdictStats:
        review = got is Outcome.NEEDS_REVIEW
        right = got == expected
        return VerdictStats(self.n + 1, self.agreed + (NEEDS_REVIEW_CREDIT if review else float(right)),
                            self.review + review, self.decided_right + (right and not review))


def _with_threshold(rubric: Rubric, review_confidence: float | None) -> Rubric:
    return rubric if review_confidence is None else replace(rubric, review_confidence=review_confidence)


def row_verdicts(row: EvalRow, rubrics: Sequence[Rubric], review_confidence: float | None = None,
                 reference: CallTranscript | None = None, *, with_reference: bool = True) -> tuple[ItemVerdict, ...]:
    """Each rubric item of a sample call, scored on the row's transcript and on the reference
    (``review_confidence`` replaces the rubric's; the reference is scored with the rubric's own, unless
    ``with_reference`` is off: a threshold sweep reads the audio side only).
    Empty for rows without an answer or a transcript (plain folders, failed files)."""
    item = row.item
    if item.expected is None or row.transcript is None:
        return ()
    reference = reference or item.reference_transcript
    rubric = next((r for r in rubrics if r.id == item.expected.rubric_id), None)
    if rubric is None:  # the sidecar names a rubric this set does not have
        return ()
    on_audio = {f.item_id: f.outcome for f in score_call(row.transcript, _with_threshold(rubric, review_confidence),
                                                         item.metadata).findings}
    on_ref = ({f.item_id: f.outcome for f in score_call(reference, rubric, item.metadata).findings}
              if reference is not None and with_reference else {})
    return tuple(ItemVerdict(item.name, item.mode, item.language or row.language, item_id, expected,
                             on_audio.get(item_id, Outcome.NOT_APPLICABLE),
                             on_ref.get(item_id, Outcome.NOT_APPLICABLE))
                 for item_id, expected in item.expected.rubric)


Key = Callable[[ItemVerdict], tuple[str, ...]]


def tally(verdicts: Iterable[ItemVerdict], key: Key, *, on_reference: bool = False) -> dict[tuple[str, ...],
                                                                                             VerdictStats]:
    """Verdict statistics per ``key`` (e.g. language and mode, or item)."""
    out: dict[tuple[str, ...], VerdictStats] = {}
    for v in verdicts:
        k = key(v)
        out[k] = out.get(k, VerdictStats()).add(v.on_reference if on_reference else v.on_audio, v.expected)
    return out


def total(verdicts: Iterable[ItemVerdict], *, on_reference: bool = False) -> VerdictStats:
    return tally(verdicts, lambda v: (), on_reference=on_reference).get((), VerdictStats())


def calls_needing_review(verdicts: Iterable[ItemVerdict]) -> tuple[int, int]:
    """How many calls (call × mode) have at least one verdict for a person, and how many calls."""
    calls: dict[tuple[str, str], bool] = {}
    for v in verdicts:
        key = (v.call_id, v.mode)
        calls[key] = calls.get(key, False) or v.on_audio is Outcome.NEEDS_REVIEW
    return sum(calls.values()), len(calls)


def split_of(call_id: str) -> str:
    """``calibration`` or ``held_out``: a fixed split by call, from a hash of its id (so every mode
    of a call falls on the same side)."""
    return "calibration" if hashlib.sha256(call_id.encode()).digest()[0] % 2 == 0 else "held_out"


@dataclass(frozen=True)
class Calibration:
    language: str
    threshold: float
    target_accuracy: float
    sweep: tuple[tuple[float, VerdictStats], ...]  # on the calibration calls


def calibrate(rows: Sequence[EvalRow], rubrics: Sequence[Rubric], language: str, *,
              target_accuracy: float | None = None,
              thresholds: Sequence[float] = THRESHOLDS) -> Calibration:
    """The ``review_confidence`` that sends the fewest verdicts of the calibration calls of
    ``language`` to review while the rest stay as accurate as the rubric's own threshold makes them
    (or ``target_accuracy``); of thresholds that do equally well, the highest (most cautious)."""
    mine = [r for r in rows if (r.item.language or r.language) == language and split_of(r.item.name) == "calibration"]
    if not mine:
        raise InvalidRequest(f"no calibration calls in {language!r}", field="language")
    sweep = tuple((t, total(v for r in mine for v in row_verdicts(r, rubrics, t, with_reference=False)))
                  for t in thresholds)
    if target_accuracy is None:
        baseline = total(v for r in mine for v in row_verdicts(r, rubrics, with_reference=False))
        target_accuracy = baseline.decided_accuracy or 0.0
    good = [(s.review_share or 0.0, -t) for t, s in sweep if (s.decided_accuracy or 0.0) >= target_accuracy]
    chosen = -min(good)[1] if good else max(thresholds)  # fewest reviews; of equals, the most cautious
    return Calibration(language, chosen, target_accuracy, sweep)
