"""Rubric verdicts from audio: agreement with the sample answers, review share, accuracy of the
verdicts not reviewed, and the choice of review_confidence on the calibration calls."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from qa_service.domain import CallTranscript, Outcome, Utterance, Word
from qa_service.errors import InvalidRequest
from qa_service.evaluation.runner import EvalRow, discover
from qa_service.evaluation.verdict_report import all_verdicts, format_calibration, format_verdicts, verdicts_json
from qa_service.evaluation.verdicts import VerdictStats, calibrate, row_verdicts, split_of, total
from qa_service.rubrics import load_rubrics, with_review_confidence
from qa_service.settings import Settings
from qa_service.weights.review import review_confidence_by_language


@pytest.fixture(scope="module")
def rubrics() -> tuple:
    s = Settings()
    return load_rubrics(s.rubric_dir, s.rubric_vars)


def _words(u: Utterance, confidence: float) -> tuple[Word, ...]:
    tokens = u.text.split() if " " in u.text else list(u.text)
    step = (u.end - u.start) / max(1, len(tokens))
    return tuple(Word(tok, u.start + k * step, u.start + (k + 1) * step, confidence) for k, tok in enumerate(tokens))


def _unsure(t: CallTranscript, confidence: float) -> CallTranscript:
    """The reference as a recogniser unsure of every word would give it (words evenly timed)."""
    return replace(t, utterances=tuple(replace(u, words=_words(u, confidence)) for u in t.utterances))


def _rows(confidence: float, language: str = "en") -> list[EvalRow]:
    items = [i for i in discover(Settings().sample_dir, ("stereo",)) if i.language == language]
    return [EvalRow(i, language, 10.0, 1.0, transcript=_unsure(i.reference_transcript, confidence))
            for i in items if i.reference_transcript is not None]


def test_the_reference_itself_agrees_with_every_answer(rubrics: tuple) -> None:
    verdicts = all_verdicts(_rows(1.0), rubrics)
    assert verdicts and total(verdicts).agreement == 1.0 and total(verdicts, on_reference=True).agreement == 1.0
    assert total(verdicts).review_share == 0.0


def test_unsure_words_go_to_review_under_the_threshold_only(rubrics: tuple) -> None:
    rows = _rows(0.3)
    strict = total(v for r in rows for v in row_verdicts(r, rubrics))  # the rubric's own 0.5
    lenient = total(v for r in rows for v in row_verdicts(r, rubrics, 0.2))
    assert strict.review_share is not None and strict.review_share > 0.2
    assert strict.agreement is not None and strict.agreement < 1.0  # needs review counts half
    assert lenient.review_share == 0.0 and lenient.decided_accuracy == 1.0


def test_stats_count_needs_review_as_half() -> None:
    s = VerdictStats().add(Outcome.PASS, Outcome.PASS).add(Outcome.NEEDS_REVIEW, Outcome.PASS)
    s = s.add(Outcome.FAIL, Outcome.PASS)
    assert s.n == 3 and s.agreement == pytest.approx(1.5 / 3) and s.review_share == pytest.approx(1 / 3)
    assert s.decided_accuracy == pytest.approx(0.5)


def test_calibration_lowers_the_threshold_when_it_costs_no_accuracy(rubrics: tuple) -> None:
    rows = _rows(0.3)
    assert {split_of(r.item.name) for r in rows} == {"calibration", "held_out"}
    c = calibrate(rows, rubrics, "en")
    assert c.threshold <= 0.3 and dict(c.sweep)[c.threshold].review_share == 0.0
    text = format_calibration(rows, rubrics, [c])
    assert "held-out" in text and "← chosen" in text
    with pytest.raises(InvalidRequest):
        calibrate(rows, rubrics, "fr")


def test_reports_name_every_item(rubrics: tuple) -> None:
    verdicts = all_verdicts(_rows(0.3), rubrics, {"en": 0.2})
    text = format_verdicts(verdicts)
    assert "greeting" in text and "closing" in text and "stereo" in text
    data = verdicts_json(verdicts)
    assert data["all"]["audio"]["review_share"] == 0.0 and len(data["items"]) == len(verdicts)


def test_the_recognisers_threshold_replaces_the_rubrics_own(rubrics: tuple, tmp_path: Path) -> None:
    assert review_confidence_by_language(Settings()) == {"en": 0.0, "zh": 0.0}  # the manifest's calibration
    assert review_confidence_by_language(Settings(asr_model_en=tmp_path)) == {"zh": 0.0}  # uncalibrated model
    s = Settings(review_confidence_en=0.1, asr_model_en=tmp_path)
    assert review_confidence_by_language(s)["en"] == 0.1  # the setting wins
    changed = with_review_confidence(rubrics, {"en": 0.1})
    assert {r.review_confidence for r in changed if r.language == "en"} == {0.1}
    assert [r.review_confidence for r in changed if r.language == "zh"] == [
        r.review_confidence for r in rubrics if r.language == "zh"]
