"""Verdicts from audio with the real models, on two sample calls' 8 kHz variants (marked ``models``;
the whole set is the bench: ``qa-service eval --verdicts --mode telephony``).

The English recogniser takes the rubric's phrases as hints on telephone audio: with them the required
phrases the agent said are found (pass, or review where the words are unsure), and a closing the agent
did not say is still missing."""

from __future__ import annotations

import pytest

from qa_service.domain import Outcome
from qa_service.evaluation.runner import EvalRow, discover, evaluate_one
from qa_service.evaluation.verdicts import ItemVerdict, row_verdicts
from qa_service.pipeline import load_speech_models
from qa_service.rubrics import load_rubrics
from qa_service.settings import Settings
from qa_service.weights.review import review_confidence_by_language

pytestmark = pytest.mark.models

CALLS = ("en_inbound_card_loss_good", "en_inbound_account_no_closing")


def _verdicts(settings: Settings) -> dict[tuple[str, str], ItemVerdict]:
    items = [i for i in discover(settings.sample_dir, ("telephony",)) if i.name in CALLS]
    assert len(items) == len(CALLS), "the sample calls' 8 kHz variants are missing: run scripts/setup.sh"
    models = load_speech_models(settings)
    rows: list[EvalRow] = [evaluate_one(item, models, settings) for item in items]
    rubrics = load_rubrics(settings.rubric_dir, settings.rubric_vars)
    threshold = review_confidence_by_language(settings).get("en")
    return {(v.call_id, v.item_id): v for row in rows for v in row_verdicts(row, rubrics, threshold)}


def test_rubric_hints_find_the_phrases_said_on_a_telephone_line_and_invent_none() -> None:
    hinted = _verdicts(Settings())
    plain = _verdicts(Settings(asr_rubric_hints_en="off"))  # type: ignore[call-arg]
    said = [key for key, v in hinted.items() if v.expected is Outcome.PASS]
    missed = sum(plain[key].on_audio is Outcome.FAIL for key in said)
    still_missed = sum(hinted[key].on_audio is Outcome.FAIL for key in said)
    assert still_missed < missed, (still_missed, missed)
    assert hinted[("en_inbound_card_loss_good", "greeting")].on_audio is not Outcome.FAIL
    # the agent of this call never closes: the hint "Thank you for calling, goodbye." must not make it so
    assert hinted[("en_inbound_account_no_closing", "closing")].on_audio is Outcome.FAIL
    for key, v in hinted.items():
        if v.expected is Outcome.FAIL:
            assert v.on_audio is not Outcome.PASS, key
