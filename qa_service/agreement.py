"""Agreement between reviewers who scored the same calls (calibration): percent agreement, Fleiss'
kappa, the consensus verdict, and each rater's distance from it. Pure functions on plain values.

Fleiss' kappa (Fleiss 1971), with the number of ratings allowed to differ between subjects:
for subject *i* with *n_i ≥ 2* ratings and *n_ij* of them in category *j*,
``P_i = (Σ_j n_ij² − n_i) / (n_i (n_i − 1))`` is the share of agreeing rater pairs; ``P̄`` is their
mean (the *percent agreement*); ``p_j`` is category *j*'s share of all ratings, ``P_e = Σ_j p_j²``
the agreement expected by chance, and ``κ = (P̄ − P_e) / (1 − P_e)``. When every rating falls in one
category ``P_e = 1`` and κ is undefined (None): the percent agreement (1.0) says all there is.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import median


@dataclass(frozen=True)
class Agreement:
    subjects: int  # subjects with at least two ratings (the others say nothing about agreement)
    ratings: int
    percent: float | None  # P̄: mean share of agreeing rater pairs
    kappa: float | None  # Fleiss' kappa; None when undefined (no subjects, or chance agreement is 1)


def fleiss(subjects: Sequence[Sequence[str]]) -> Agreement:
    """Agreement over ``subjects``, each the categories its raters gave."""
    rated = [list(s) for s in subjects if len(s) >= 2]
    if not rated:
        return Agreement(0, 0, None, None)
    pairs = []
    totals: Counter[str] = Counter()
    for ratings in rated:
        n = len(ratings)
        counts = Counter(ratings)
        totals.update(counts)
        pairs.append((sum(c * c for c in counts.values()) - n) / (n * (n - 1)))
    n_ratings = sum(totals.values())
    p_bar = sum(pairs) / len(pairs)
    p_e = sum((c / n_ratings) ** 2 for c in totals.values())
    kappa = None if p_e >= 1.0 - 1e-12 else (p_bar - p_e) / (1.0 - p_e)
    return Agreement(len(rated), n_ratings, p_bar, kappa)


def consensus(ratings: Sequence[str]) -> str | None:
    """The verdict most raters gave; None on a tie for the most (no consensus) or no ratings."""
    if not ratings:
        return None
    ranked = Counter(ratings).most_common()
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return None
    return ranked[0][0]


def consensus_score(scores: Sequence[float]) -> float | None:
    """The median of the reviewers' scores (robust to one reviewer far off)."""
    return float(median(scores)) if scores else None


@dataclass(frozen=True)
class Distance:
    """How far one rater (a reviewer, or the machine) is from the consensus."""

    compared: int  # verdicts with a consensus to compare against
    disagreements: int
    disagreement_rate: float | None
    mean_abs_score_diff: float | None  # mean |score − consensus score| over the calls they scored


def distance(verdicts: Mapping[tuple[str, str], str], agreed: Mapping[tuple[str, str], str | None],
             scores: Mapping[str, float], agreed_scores: Mapping[str, float | None]) -> Distance:
    """``verdicts``: the rater's verdict per (subject, item); ``agreed``: the consensus per (subject,
    item); ``scores`` / ``agreed_scores``: per subject."""
    compared = [(k, v) for k, v in verdicts.items() if agreed.get(k) is not None]
    wrong = sum(1 for k, v in compared if agreed[k] != v)
    diffs = [abs(s - c) for subject, s in scores.items() if (c := agreed_scores.get(subject)) is not None]
    return Distance(compared=len(compared), disagreements=wrong,
                    disagreement_rate=wrong / len(compared) if compared else None,
                    mean_abs_score_diff=sum(diffs) / len(diffs) if diffs else None)
