"""Evaluation metrics on domain objects: WER/CER (jiwer), DER (pyannote.metrics), role accuracy.

Every metric returns counts that add up over files, so the overall figure is corpus-level (total
errors / total reference), not a mean of per-file rates.

- WER (English): words after :func:`qa_service.text.normalize_for_wer` (case, punctuation, number
  words → digits).
- CER (Mandarin): characters after :func:`qa_service.text.normalize_for_cer` (traditional →
  simplified, full → half width, punctuation and spaces removed, Chinese numerals → digits).
- DER: pyannote.metrics ``DiarizationErrorRate(collar=c)``; pyannote's collar is the *total* width
  removed around each reference boundary (0.25 → ±0.125 s). Overlapped speech is scored.
- Speaker role decisions: each hypothesis speaker's role against the reference role of the speech it
  covers most (the role stage alone, without diarization errors).
- Role accuracy: matched / (matched + confused) over reference speech time, per reference role r:
  matched where the hypothesis also has role r; confused where it lacks r but names a role the
  reference does not have then (the agent's speech labelled customer). Time the hypothesis leaves
  unattributed, or gives only to the other speaker who really is talking too (overlapped speech), is
  missed, not confused: DER counts that; ``coverage`` = (matched + confused) / reference time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from qa_service.domain import Role, SpeakerTurn, Utterance
from qa_service.intervals import Interval, subtract
from qa_service.text import normalize_for_cer, normalize_for_wer


@dataclass(frozen=True)
class ErrorCounts:
    """Edit-distance counts of one transcript against its reference (words or characters)."""

    unit: str  # "WER" or "CER"
    substitutions: int
    deletions: int
    insertions: int
    reference_length: int

    @property
    def errors(self) -> int:
        return self.substitutions + self.deletions + self.insertions

    @property
    def rate(self) -> float:
        if self.reference_length == 0:
            return 0.0 if self.errors == 0 else 1.0
        return self.errors / self.reference_length

    def __add__(self, other: ErrorCounts) -> ErrorCounts:
        return ErrorCounts(self.unit if self.unit == other.unit else "WER/CER",
                           self.substitutions + other.substitutions, self.deletions + other.deletions,
                           self.insertions + other.insertions, self.reference_length + other.reference_length)


def error_unit(language: str) -> str:
    return "CER" if language.startswith("zh") else "WER"


def transcript_errors(reference: str, hypothesis: str, language: str) -> ErrorCounts:
    """WER for English (and other space-delimited languages), CER for Mandarin."""
    import jiwer

    if error_unit(language) == "CER":
        ref, hyp = normalize_for_cer(reference), normalize_for_cer(hypothesis)
        ref_units, hyp_units = list(ref), list(hyp)
    else:
        ref_units, hyp_units = normalize_for_wer(reference).split(), normalize_for_wer(hypothesis).split()
    if not ref_units:
        return ErrorCounts(error_unit(language), 0, 0, len(hyp_units), 0)
    if not hyp_units:
        return ErrorCounts(error_unit(language), 0, len(ref_units), 0, len(ref_units))
    out = jiwer.process_words(" ".join(ref_units), " ".join(hyp_units))
    return ErrorCounts(error_unit(language), out.substitutions, out.deletions, out.insertions, len(ref_units))


@dataclass(frozen=True)
class DerCounts:
    """pyannote's DER components in seconds."""

    confusion: float
    missed: float
    false_alarm: float
    total: float  # reference speech

    @property
    def rate(self) -> float:
        if self.total == 0:
            return 0.0 if self.false_alarm == 0 else 1.0
        return (self.confusion + self.missed + self.false_alarm) / self.total

    def __add__(self, other: DerCounts) -> DerCounts:
        return DerCounts(self.confusion + other.confusion, self.missed + other.missed,
                         self.false_alarm + other.false_alarm, self.total + other.total)


def diarization_errors(reference: Sequence[SpeakerTurn], hypothesis: Sequence[SpeakerTurn],
                       collar: float = 0.0) -> DerCounts:
    """DER components with pyannote.metrics (optimal speaker mapping; labels need not match)."""
    from pyannote.core import Segment, Timeline
    from pyannote.metrics.diarization import DiarizationErrorRate

    metric = DiarizationErrorRate(collar=collar, skip_overlap=False)
    spans = [(t.start, t.end) for t in (*reference, *hypothesis)]
    uem = Timeline([Segment(min(a for a, _ in spans), max(b for _, b in spans))]) if spans else None
    parts = metric.compute_components(_annotation(reference), _annotation(hypothesis), uem=uem)
    return DerCounts(float(parts["confusion"]), float(parts["missed detection"]),
                     float(parts["false alarm"]), float(parts["total"]))


def _annotation(turns: Sequence[SpeakerTurn]):  # type: ignore[no-untyped-def]  # pyannote is untyped
    from pyannote.core import Annotation, Segment

    annotation = Annotation()
    for i, t in enumerate(turns):
        if t.end > t.start:
            annotation[Segment(t.start, t.end), i] = t.speaker
    return annotation


@dataclass(frozen=True)
class RoleCounts:
    matched: float  # seconds of reference speech attributed to the right role
    attributed: float  # seconds of reference speech attributed to any role
    reference: float  # seconds of reference speech

    @property
    def accuracy(self) -> float | None:
        return self.matched / self.attributed if self.attributed > 0 else None

    @property
    def coverage(self) -> float | None:
        return self.attributed / self.reference if self.reference > 0 else None

    def __add__(self, other: RoleCounts) -> RoleCounts:
        return RoleCounts(self.matched + other.matched, self.attributed + other.attributed,
                          self.reference + other.reference)


def role_errors(reference: Iterable[tuple[Role, float, float]],
                hypothesis: Iterable[Utterance]) -> RoleCounts:
    """Compare reference (role, start, end) turns with the hypothesis utterances' roles over time."""
    ref_u = _speech_by_role(reference)
    hyp_u = _speech_by_role((u.role, u.start, u.end) for u in hypothesis if u.role != Role.UNKNOWN)
    # where the hypothesis names a role the reference does not have at that time
    wrong = {r: subtract(hyp_u[r], ref_u.get(r, [])) for r in hyp_u}
    matched = confused = total = 0.0
    for role, ref in ref_u.items():
        total += _length(ref)
        hyp = hyp_u.get(role, [])
        matched += _length(_intersect(ref, hyp))
        others_wrong = _union(iv for r, ivs in wrong.items() if r != role for iv in ivs)
        confused += _length(_intersect(subtract(ref, hyp), others_wrong))
    return RoleCounts(matched, matched + confused, total)


@dataclass(frozen=True)
class SpeakerRoleCounts:
    """Role decisions per hypothesis speaker: the role-assignment stage on its own."""

    right: int
    speakers: int

    @property
    def accuracy(self) -> float | None:
        return self.right / self.speakers if self.speakers else None

    def __add__(self, other: SpeakerRoleCounts) -> SpeakerRoleCounts:
        return SpeakerRoleCounts(self.right + other.right, self.speakers + other.speakers)


def speaker_role_decisions(reference: Iterable[tuple[Role, float, float]],
                           hypothesis: Iterable[Utterance]) -> SpeakerRoleCounts:
    """Was each hypothesis speaker given the role of the reference speech it covers most? Speech the
    diarizer put under the wrong speaker counts against :func:`role_errors`, not here; a speaker
    covering no reference speech is not counted."""
    ref_u = _speech_by_role(reference)
    given: dict[str, Role] = {}
    covered: dict[str, dict[Role, float]] = {}
    for u in hypothesis:
        if u.role == Role.UNKNOWN:
            continue
        given[u.speaker] = u.role
        shares = covered.setdefault(u.speaker, {})
        for role, ivs in ref_u.items():
            shares[role] = shares.get(role, 0.0) + _length(_intersect([(u.start, u.end)], ivs))
    judged = [(given[s], max(shares, key=lambda r: shares[r])) for s, shares in covered.items()
              if shares and max(shares.values()) > 0]
    return SpeakerRoleCounts(sum(g == truth for g, truth in judged), len(judged))


def _speech_by_role(turns: Iterable[tuple[Role, float, float]]) -> dict[Role, list[Interval]]:
    """Each role's speech as sorted, disjoint intervals."""
    by_role: dict[Role, list[Interval]] = {}
    for role, start, end in turns:
        by_role.setdefault(role, []).append((start, end))
    return {r: _union(ivs) for r, ivs in by_role.items()}


def _union(intervals: Iterable[Interval]) -> list[Interval]:
    out: list[Interval] = []
    for a, b in sorted(iv for iv in intervals if iv[1] > iv[0]):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _intersect(xs: Sequence[Interval], ys: Sequence[Interval]) -> list[Interval]:
    out: list[Interval] = []
    i = j = 0
    while i < len(xs) and j < len(ys):
        a, b = max(xs[i][0], ys[j][0]), min(xs[i][1], ys[j][1])
        if b > a:
            out.append((a, b))
        if xs[i][1] < ys[j][1]:
            i += 1
        else:
            j += 1
    return out


def _length(intervals: Iterable[Interval]) -> float:
    return sum(b - a for a, b in intervals)
