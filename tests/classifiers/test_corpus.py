"""The labelled corpus: committed files match the generator, classes are covered, test phrasing is held out."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from qa_service.classifiers.corpus import generate, pools_en, pools_zh
from qa_service.classifiers.dataset import TEST_FILE, TRAIN_FILE, load_records
from qa_service.domain import BusinessType, Campaign, ContactReason, OutboundOutcome, Role


def test_committed_files_are_what_the_generator_writes(tmp_path: Path) -> None:
    generate.write(tmp_path)
    for name in ("train.jsonl", "test.jsonl"):
        assert (tmp_path / name).read_text(encoding="utf-8") == (TRAIN_FILE.parent / name).read_text(encoding="utf-8")


def test_size_languages_and_every_class() -> None:
    train, test = load_records(TRAIN_FILE), load_records(TEST_FILE)
    assert len(train) + len(test) >= 400 and len(test) >= 200
    for calls in (train, test):
        assert Counter(c.transcript.language for c in calls).keys() == {"zh", "en"}
        reasons = Counter(r for c in calls for r in c.labels.contact_reasons)
        assert all(reasons[r] >= 15 for r in ContactReason), reasons
        assert sum(len(c.labels.contact_reasons) > 1 for c in calls) >= 20  # multi-label calls
        business = Counter(c.labels.business_type for c in calls)
        assert all(business[b] >= 15 for b in BusinessType), business
        outcomes = Counter((c.metadata.campaign, c.labels.outcome) for c in calls if c.labels.outcome)
        for campaign in Campaign:
            assert sum(n for (camp, _), n in outcomes.items() if camp == campaign) >= 15
        assert {o for _, o in outcomes} == set(OutboundOutcome)
        assert sum(bool(c.labels.escalation_risk) for c in calls) >= 10
        assert all(c.labels.turns is not None and len(c.labels.turns) == len(c.transcript.utterances)
                   for c in calls)


def test_pool_halves_are_disjoint() -> None:
    for pools in (pools_zh.POOLS, pools_en.POOLS):
        for key, (train, test) in pools.items():
            assert train and test, key
            assert not set(train) & set(test), key


def test_no_labelled_test_utterance_occurs_in_training() -> None:
    """Every utterance that carries a label in the test set is worded differently from all of training."""
    train_texts = {u.text for c in load_records(TRAIN_FILE) for u in c.transcript.utterances}
    for call in load_records(TEST_FILE):
        for u, turn in zip(call.transcript.utterances, call.labels.turns or (), strict=True):
            carries = turn is not None and (turn.reason or turn.escalation or turn.topic
                                            or (turn.sentiment and turn.sentiment.value != "neutral"))
            if carries:
                assert u.text not in train_texts, u.text


def test_records_are_interchange_transcripts_with_roles() -> None:
    line = TEST_FILE.read_text(encoding="utf-8").splitlines()[0]
    raw = json.loads(line)
    assert set(raw) >= {"call_id", "language", "metadata", "transcript", "labels"}
    call = load_records(TEST_FILE)[0]
    assert {u.role for u in call.transcript.utterances} <= {Role.AGENT, Role.CUSTOMER}
