"""Reading labelled calls and supervisors' review exports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa_service.classifiers.dataset import LabelledCall, load_records, write_records
from qa_service.domain import BusinessType, ContactReason
from qa_service.errors import ClassifierError

REVIEW = {
    "call_id": "review-1",
    "language": "en",
    "source": "review",
    "metadata": {"direction": "inbound", "campaign": None},
    "transcript": {"language": "en", "utterances": [
        {"role": "agent", "start": 0.0, "end": 2.0, "text": "Thanks for calling, how can I help?"},
        {"role": "customer", "start": 2.5, "end": 6.0, "text": "Your app logs me out every five minutes."},
    ]},
    "labels": {"contact_reasons": ["complaint"], "business_type": "other"},
}


def _write(path: Path, *records: dict) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


def test_review_export_needs_only_call_labels(tmp_path: Path) -> None:
    (call,) = load_records(_write(tmp_path / "r.jsonl", REVIEW))
    assert isinstance(call, LabelledCall) and call.source == "review"
    assert call.labels.contact_reasons == (ContactReason.COMPLAINT,)
    assert call.labels.business_type == BusinessType.OTHER
    assert call.labels.turns is None and call.labels.escalation_risk is None


def test_round_trip(tmp_path: Path) -> None:
    calls = load_records(_write(tmp_path / "r.jsonl", REVIEW))
    write_records(tmp_path / "out.jsonl", calls)
    assert load_records(tmp_path / "out.jsonl") == calls


@pytest.mark.parametrize(("patch", "field"), [
    ({"labels": {"contact_reasons": ["anger"], "business_type": "other"}}, "contact_reasons"),
    ({"labels": {"contact_reasons": [], "business_type": "mortgages"}}, "business_type"),
    ({"labels": {"contact_reasons": []}}, "business_type"),
    ({"labels": {"contact_reasons": [], "business_type": "other", "turns": [None]}}, "turns"),
    ({"metadata": {"direction": "sideways"}}, "direction"),
    ({"transcript": {"language": "en", "utterances": [{"role": "boss", "start": 0, "end": 1, "text": "x"}]}},
     "transcript"),
])
def test_bad_records_name_the_field(tmp_path: Path, patch: dict, field: str) -> None:
    with pytest.raises(ClassifierError) as err:
        load_records(_write(tmp_path / "bad.jsonl", {**REVIEW, **patch}))
    assert field in err.value.reason and "bad.jsonl:1" in err.value.reason


def test_not_json_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(REVIEW) + "\n{oops\n", encoding="utf-8")
    with pytest.raises(ClassifierError, match=r"bad.jsonl:2"):
        load_records(path)
