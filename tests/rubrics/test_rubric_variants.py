"""Per-item precision and recall on the labelled variants (tests/rubrics/data/variants.jsonl).

The set is written by make_variants.py (committed, deterministic): correct phrasing, paraphrases
that must pass, near misses that must fail and recognition errors, in both languages. Every item
outcome of every variant is compared with its label; for the ``pass`` and ``fail`` classes of each
rubric item, precision and recall must be at least 0.95.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from qa_service.interchange import transcript_from_dict
from qa_service.rubrics import load_rubrics, score_call
from qa_service.settings import PROJECT_ROOT

HERE = Path(__file__).resolve().parent
DATA = HERE / "data" / "variants.jsonl"
MIN_SCORE = 0.95


def _variants() -> list[dict]:
    return [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_data_file_is_what_the_generator_writes() -> None:
    spec = importlib.util.spec_from_file_location("make_variants", HERE / "make_variants.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    try:
        spec.loader.exec_module(module)
        expected = [json.dumps(v, ensure_ascii=False, sort_keys=True) for v in module.variants()]
    finally:
        del sys.modules[spec.name]
    assert DATA.read_text(encoding="utf-8").splitlines() == expected, "run tests/rubrics/make_variants.py"


def test_the_set_is_big_and_covers_both_languages_and_all_categories() -> None:
    variants = _variants()
    assert len(variants) >= 200
    assert {v["language"] for v in variants} == {"zh", "en"}
    by_lang = Counter((v["language"], v["category"]) for v in variants)
    for lang in ("zh", "en"):
        for category in ("correct", "paraphrase", "near_miss", "asr"):
            assert by_lang[(lang, category)] >= 5, (lang, category)


def _prf(pairs: list[tuple[str, str]], cls: str) -> tuple[float, float, int]:
    tp = sum(1 for exp, got in pairs if exp == cls and got == cls)
    fp = sum(1 for exp, got in pairs if exp != cls and got == cls)
    fn = sum(1 for exp, got in pairs if exp == cls and got != cls)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, tp + fn


def test_per_item_precision_and_recall(capsys: pytest.CaptureFixture[str]) -> None:
    rubrics = {r.id: r for r in load_rubrics(PROJECT_ROOT / "rubrics")}
    pairs: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    targeted: Counter[tuple[str, str]] = Counter()
    wrong: list[str] = []
    for v in _variants():
        transcript = transcript_from_dict({"language": v["language"], "utterances": v["utterances"]})
        result = score_call(transcript, rubrics[v["rubric"]])
        targeted[(v["rubric"], v["item"])] += 1
        for finding in result.findings:
            expected = v["expected"][finding.item_id]
            pairs[(v["rubric"], finding.item_id)].append((expected, finding.outcome.value))
            if expected != finding.outcome.value:
                wrong.append(
                    f"{v['id']} [{v['category']}] {finding.item_id}: expected {expected}, "
                    f"got {finding.outcome.value} — {v['note']}"
                )
    lines = [
        f"{'rubric / item':<44} {'n':>4} {'tgt':>4}  {'P(pass)':>7} {'R(pass)':>7}  "
        f"{'P(fail)':>7} {'R(fail)':>7}  {'review':>6} {'n/a':>4}"
    ]
    low: list[str] = []
    for (rubric_id, item_id), got in sorted(pairs.items()):
        pp, rp, _ = _prf(got, "pass")
        pf, rf, _ = _prf(got, "fail")
        n_review = sum(1 for exp, _ in got if exp == "needs_review")
        n_na = sum(1 for exp, _ in got if exp == "n/a")
        lines.append(
            f"{rubric_id + ' / ' + item_id:<44} {len(got):>4} {targeted[(rubric_id, item_id)]:>4}  "
            f"{pp:>7.3f} {rp:>7.3f}  {pf:>7.3f} {rf:>7.3f}  {n_review:>6} {n_na:>4}"
        )
        if min(pp, rp, pf, rf) < MIN_SCORE:
            low.append(f"{rubric_id}/{item_id}")
    total = sum(len(g) for g in pairs.values())
    exact = sum(1 for g in pairs.values() for exp, got in g if exp == got)
    lines.append(f"item outcomes matching their label: {exact}/{total} ({exact / total:.1%})")
    with capsys.disabled():
        print("\n" + "\n".join(lines))  # noqa: T201
        for w in wrong:
            print("  mismatch:", w)  # noqa: T201
    assert not low, f"precision/recall below {MIN_SCORE}: {low}"
