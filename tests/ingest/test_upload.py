"""Upload ingest without the API: names as labels only, metadata shapes, receiving with a size limit,
and the same rejection records as folder ingest."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from qa_service.errors import InvalidRequest, PayloadTooLarge, UnsupportedMediaType
from qa_service.ingest.sniff import AudioKind
from qa_service.ingest.upload import (
    UploadItem,
    default_call_id,
    ingest_upload,
    parse_upload_metadata,
    receive_upload,
    received_uploads,
    sanitise_name,
    upload_tmp_dir,
)
from qa_service.settings import Settings
from qa_service.store.db import unit_of_work
from qa_service.store.models import AudioBlob, Call, IngestRejection


@pytest.mark.parametrize(("raw", "label"), [
    ("call.wav", "call.wav"),
    ("../../etc/passwd", "passwd"),
    ("C:\\Users\\me\\rec 1.wav", "rec 1.wav"),
    ("/abs/path/x.flac", "x.flac"),
    ("..", "upload"),
    ("", "upload"),
    ("a\x00b\u202e.wav", "ab.wav"),
    (".hidden.wav", "hidden.wav"),
    ("x" * 300 + ".wav", "x" * 196 + ".wav"),
])
def test_client_names_become_safe_labels(raw: str, label: str) -> None:
    assert sanitise_name(raw) == label
    assert sanitise_name(label) == label  # idempotent


def test_default_call_id_from_the_name() -> None:
    assert default_call_id("my call (1).wav") == "my_call_1_"
    assert default_call_id("CALL-0001.tar.wav") == "CALL-0001"
    assert default_call_id("呼叫.wav") == "呼叫"


def test_metadata_shapes() -> None:
    assert parse_upload_metadata(None, ["a", "b"]) == [{}, {}]
    assert parse_upload_metadata("null", ["a"]) == [{}]
    assert parse_upload_metadata('{"team": "A", "agent_id": null}', ["a", "b"]) == [{"team": "A"}, {"team": "A"}]
    assert parse_upload_metadata('[{"call_id": "X"}, {"call_id": 7}]', ["a", "b"]) == [{"call_id": "X"},
                                                                                        {"call_id": 7}]
    for raw, says in [("{not json", "not valid JSON"), ('{"call_id": "X"}', "one call_id for 2 files"),
                      ("[{}]", "1 entries for 2 files"), ('[{}, 3]', "expected an object"),
                      ('{"shoe": 1}', "unknown keys shoe"), ('{"team": [1]}', "team must be a string"),
                      ('{"team": true}', "team must be a string"), ('"x"', "expected an object"),
                      ("[" * 100000 + "]" * 100000, "nested too deeply")]:
        with pytest.raises(InvalidRequest, match=says) as err:
            parse_upload_metadata(raw, ["a", "b"])
        assert err.value.details["field"] == "metadata"


def test_receiving_checks_size_and_content_and_leaves_no_partial_file(tmp_path: Path,
                                                                     wav: Callable[..., Path]) -> None:
    tmp_dir = tmp_path / "tmp"
    data = wav(tmp_path / "a.wav", 1).read_bytes()
    got = receive_upload(io.BytesIO(data), name="../a.wav", limit_bytes=len(data), tmp_dir=tmp_dir)
    assert (got.name, got.kind, got.size_bytes) == ("a.wav", AudioKind.WAV, len(data))
    assert got.path.read_bytes() == data and got.path.parent == tmp_dir
    got.path.unlink()
    with pytest.raises(PayloadTooLarge) as big:
        receive_upload(io.BytesIO(data), name="a.wav", limit_bytes=len(data) - 1, tmp_dir=tmp_dir)
    assert big.value.details["limit_bytes"] == len(data) - 1
    with pytest.raises(UnsupportedMediaType, match="a PDF document"):
        receive_upload(io.BytesIO(b"%PDF-1.4 " * 100), name="statement.wav", limit_bytes=10**6, tmp_dir=tmp_dir)
    with pytest.raises(InvalidRequest, match="empty file"):
        receive_upload(io.BytesIO(b""), name="e.wav", limit_bytes=10, tmp_dir=tmp_dir)
    assert list(tmp_dir.iterdir()) == []


def test_one_bad_file_refuses_the_request_and_removes_the_rest(ingest_settings: Settings, tmp_path: Path,
                                                               wav: Callable[..., Path]) -> None:
    good = wav(tmp_path / "g.wav", 2).read_bytes()
    with pytest.raises(UnsupportedMediaType), received_uploads(
            ingest_settings, [(io.BytesIO(good), "g.wav"), (io.BytesIO(b"<html>hi</html>"), "x.wav")]):
        pytest.fail("not reached")
    assert list(upload_tmp_dir(ingest_settings).iterdir()) == []
    too_many = [(io.BytesIO(good), f"{i}.wav") for i in range(ingest_settings.upload_max_files + 1)]
    with pytest.raises(InvalidRequest, match="at most"), received_uploads(ingest_settings, too_many):
        pytest.fail("not reached")


def test_upload_ingest_shares_folder_ingest_records(ingest_settings: Settings, tmp_path: Path,
                                                    wav: Callable[..., Path]) -> None:
    a, b = wav(tmp_path / "in" / "a.wav", 5), wav(tmp_path / "in" / "b.wav", 6)
    truncated = tmp_path / "in" / "t.wav"
    truncated.write_bytes(a.read_bytes()[:44])
    items = [
        UploadItem(a, "a.wav", {"call_id": "U-1", "agent_id": "A1", "team": "T", "direction": "inbound"}),
        UploadItem(b, "b.wav", {"call_id": "U-2", "direction": "sideways"}),  # bad metadata
        UploadItem(a, "a-again.wav", {"call_id": "U-3"}),  # same audio as U-1
        UploadItem(truncated, "t.wav", {"call_id": "U-4"}),
    ]
    report = ingest_upload(ingest_settings, items, source="upload:sup_a")
    assert report.accepted == ["U-1"]
    kinds = {r.file: r.kind for r in report.rejected}
    assert kinds == {"b.wav": "bad_metadata", "a-again.wav": "duplicate_audio", "t.wav": "unreadable"}
    with unit_of_work(ingest_settings) as s:
        call = s.scalars(select(Call)).one()
        assert (call.call_id, call.agent_id, call.team, call.source_name) == ("U-1", "A1", "T", "a.wav")
        assert s.scalar(select(func.count()).select_from(AudioBlob)) == 1
        stored = {r.file_name: r.kind for r in s.scalars(select(IngestRejection))}
    assert stored == kinds
    assert a.exists() and b.exists()  # received files are only read
    again = ingest_upload(ingest_settings, [UploadItem(b, "b.wav", {"call_id": "U-1"})], source="upload:sup_a")
    assert [r.kind for r in again.rejected] == ["duplicate_call_id"]
    assert json.dumps(kinds)  # rejection kinds are plain strings (the API returns them)
