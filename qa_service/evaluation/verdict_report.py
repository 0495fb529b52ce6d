"""The verdict tables of ``qa-service eval --verdicts`` and ``--calibrate``, as text and JSON."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from qa_service.evaluation.runner import EvalRow
from qa_service.evaluation.verdicts import (
    Calibration,
    ItemVerdict,
    VerdictStats,
    calibrate,
    calls_needing_review,
    row_verdicts,
    split_of,
    tally,
    total,
)
from qa_service.rubrics import Rubric


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def _stats_json(s: VerdictStats) -> dict[str, Any]:
    return {"n": s.n, "agreement": s.agreement, "review_share": s.review_share,
            "decided_accuracy": s.decided_accuracy}


def all_verdicts(rows: Sequence[EvalRow], rubrics: Sequence[Rubric],
                 review_confidence: dict[str, float] | None = None) -> list[ItemVerdict]:
    """Every item verdict of every row (``review_confidence`` per language replaces the rubrics')."""
    chosen = review_confidence or {}
    return [v for r in rows for v in row_verdicts(r, rubrics, chosen.get(r.item.language or r.language))]


def format_verdicts(verdicts: Sequence[ItemVerdict]) -> str:
    """Per language and mode, then per item: agreement with the answers on audio and on the reference
    transcript, the review share and the accuracy of the verdicts not sent to review."""
    lines = ["rubric verdicts vs the sample calls' answers (needs review counts half)",
             f"{'lang':5s} {'mode':10s} {'items':>5s} {'on audio':>9s} {'on ref':>8s} {'review':>8s} "
             f"{'decided ok':>10s} {'ref review':>10s} {'calls rev':>9s}"]
    audio = tally(verdicts, lambda v: (v.language, v.mode))
    ref = tally(verdicts, lambda v: (v.language, v.mode), on_reference=True)
    for key in sorted(audio):
        a, r = audio[key], ref[key]
        flagged, calls = calls_needing_review(v for v in verdicts if (v.language, v.mode) == key)
        lines.append(f"{key[0]:5s} {key[1]:10s} {a.n:5d} {_pct(a.agreement):>9s} {_pct(r.agreement):>8s} "
                     f"{_pct(a.review_share):>8s} {_pct(a.decided_accuracy):>10s} {_pct(r.review_share):>10s} "
                     f"{f'{flagged}/{calls}':>9s}")
    a, r = total(verdicts), total(verdicts, on_reference=True)
    flagged, calls = calls_needing_review(verdicts)
    lines.append(f"{'all':5s} {'':10s} {a.n:5d} {_pct(a.agreement):>9s} {_pct(r.agreement):>8s} "
                 f"{_pct(a.review_share):>8s} {_pct(a.decided_accuracy):>10s} {_pct(r.review_share):>10s} "
                 f"{f'{flagged}/{calls}':>9s}")
    modes = sorted({v.mode for v in verdicts})
    lines += ["", "per item: agreement on audio by mode | on the reference transcript",
              f"{'lang':5s} {'item':26s} " + " ".join(f"{m:>10s}" for m in modes) + f" {'reference':>10s}"]
    per = tally(verdicts, lambda v: (v.language, v.item_id, v.mode))
    per_ref = tally(verdicts, lambda v: (v.language, v.item_id), on_reference=True)
    for lang, item in sorted({(v.language, v.item_id) for v in verdicts}):
        cells = " ".join(f"{_pct(per[(lang, item, m)].agreement) if (lang, item, m) in per else '-':>10s}"
                         for m in modes)
        lines.append(f"{lang:5s} {item:26s} {cells} {_pct(per_ref[(lang, item)].agreement):>10s}")
    return "\n".join(lines)


def format_calibration(rows: Sequence[EvalRow], rubrics: Sequence[Rubric],
                       calibrations: Sequence[Calibration]) -> str:
    """The sweep on the calibration calls, and before (the rubrics' own ``review_confidence``) and
    after (the chosen one) on the held-out calls."""
    lines: list[str] = []
    for c in calibrations:
        lines += [f"{c.language}: review_confidence sweep on the calibration calls "
                  f"(target: decided accuracy ≥ {_pct(c.target_accuracy)})",
                  f"  {'threshold':>9s} {'review':>8s} {'decided ok':>10s} {'agreement':>9s}"]
        lines += [f"  {t:9.2f} {_pct(s.review_share):>8s} {_pct(s.decided_accuracy):>10s} {_pct(s.agreement):>9s}"
                  + ("  ← chosen" if t == c.threshold else "") for t, s in c.sweep]
        held = [r for r in rows if (r.item.language or r.language) == c.language
                and split_of(r.item.name) == "held_out"]
        was = [v for r in held for v in row_verdicts(r, rubrics, with_reference=False)]
        now = [v for r in held for v in row_verdicts(r, rubrics, c.threshold, with_reference=False)]
        before, after = total(was), total(now)
        (b_rev, n), (a_rev, _) = calls_needing_review(was), calls_needing_review(now)
        calls = len({r.item.name for r in held})
        lines += [f"  held-out ({calls} calls, {n} call recordings, {before.n} verdicts):",
                  f"    before (the rubric's own): review {_pct(before.review_share)} of verdicts, "
                  f"{b_rev}/{n} recordings need review; decided ok {_pct(before.decided_accuracy)}; "
                  f"agreement {_pct(before.agreement)}",
                  f"    after ({c.threshold:g}): review {_pct(after.review_share)} of verdicts, "
                  f"{a_rev}/{n} recordings need review; decided ok {_pct(after.decided_accuracy)}; "
                  f"agreement {_pct(after.agreement)}", ""]
    return "\n".join(lines)


def calibrations(rows: Sequence[EvalRow], rubrics: Sequence[Rubric]) -> list[Calibration]:
    """One calibration per language that has calibration calls among ``rows``."""
    answered = [r for r in rows if r.item.expected is not None and r.transcript is not None]
    languages = sorted({r.item.language or r.language for r in answered if split_of(r.item.name) == "calibration"})
    return [calibrate(rows, rubrics, lang) for lang in languages]


def verdicts_json(verdicts: Sequence[ItemVerdict]) -> dict[str, Any]:
    return {
        "by_language_mode": {f"{k[0]}/{k[1]}": {"audio": _stats_json(s), "reference": _stats_json(
            tally(verdicts, lambda v: (v.language, v.mode), on_reference=True)[k])}
            for k, s in sorted(tally(verdicts, lambda v: (v.language, v.mode)).items())},
        "all": {"audio": _stats_json(total(verdicts)), "reference": _stats_json(total(verdicts, on_reference=True))},
        "items": [{"call": v.call_id, "mode": v.mode, "language": v.language, "item": v.item_id,
                   "expected": v.expected.value, "on_audio": v.on_audio.value, "on_reference": v.on_reference.value}
                  for v in verdicts],
    }
