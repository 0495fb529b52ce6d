"""`train-classifier` end to end on a tiny subset, including supervisors' review labels."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa_service.classifiers import build_neural_classifier
from qa_service.classifiers.dataset import TEST_FILE, TRAIN_FILE
from qa_service.classifiers.model import CARD_FILE, CONFIG_FILE, HEADS_FILE
from qa_service.classifiers.train import TrainOptions
from qa_service.classifiers.workflow import train_classifier
from qa_service.settings import Settings

pytestmark = pytest.mark.models

REVIEW = {
    "call_id": "review-7",
    "language": "zh",
    "metadata": {"direction": "inbound", "campaign": None},
    "transcript": {"language": "zh", "utterances": [
        {"role": "agent", "start": 0.0, "end": 2.0, "text": "您好，请问有什么可以帮您？"},
        {"role": "customer", "start": 2.5, "end": 6.0, "text": "你们网点排队太久了，我等了一个半小时。"},
    ]},
    "labels": {"contact_reasons": ["complaint"], "business_type": "other", "escalation_risk": False},
}


def _head(src: Path, dst: Path, n: int) -> Path:
    dst.write_text("".join(src.read_text(encoding="utf-8").splitlines(keepends=True)[:n]), encoding="utf-8")
    return dst


def test_tiny_training_run_writes_a_loadable_model(settings: Settings, tmp_path: Path) -> None:
    review = tmp_path / "review.jsonl"
    review.write_text(json.dumps(REVIEW, ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "model"
    result = train_classifier(
        settings, out, extra_files=[review], train_file=_head(TRAIN_FILE, tmp_path / "train.jsonl", 12),
        test_file=_head(TEST_FILE, tmp_path / "test.jsonl", 6),
        options=TrainOptions(epochs=1, members=2), steps_limit=3,
    )
    assert {CONFIG_FILE, HEADS_FILE, CARD_FILE} <= {p.name for p in out.iterdir()}
    assert result.train_calls == 13 and result.review_calls == 1
    config = json.loads((out / CONFIG_FILE).read_text())
    assert config["training"]["review_calls"] == 1 and config["heads"]["members"] == 2
    assert set(config["metrics"]) == {"model", "baseline"}
    assert "contact_reason" in config["metrics"]["model"]
    card = (out / CARD_FILE).read_text()
    assert "## Data" in card and "## Metrics" in card and "business_type" in card
    # the written model loads back (through the loader that checks the base encoder) and classifies
    clf = build_neural_classifier(out, settings)
    from qa_service.interchange import transcript_from_dict

    result_call = clf.classify(transcript_from_dict(REVIEW["transcript"]))
    assert result_call.business_type_scores and 0.0 <= result_call.escalation_score <= 1.0


def test_training_is_deterministic(settings: Settings, tmp_path: Path) -> None:
    train = _head(TRAIN_FILE, tmp_path / "train.jsonl", 10)
    test = _head(TEST_FILE, tmp_path / "test.jsonl", 4)
    opts = TrainOptions(epochs=1, members=1)
    for name in ("a", "b"):
        train_classifier(settings, tmp_path / name, train_file=train, test_file=test, options=opts, steps_limit=4)
    assert (tmp_path / "a" / HEADS_FILE).read_bytes() == (tmp_path / "b" / HEADS_FILE).read_bytes()
