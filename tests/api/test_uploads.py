"""Uploads through the API: accepted and queued, or refused with a clear 4xx and nothing stored."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from api import create_app
from qa_service.services.context import ServiceContext
from qa_service.settings import Settings
from qa_service.store.models import AudioBlob, Call, IngestRejection

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services"))
from svc_support import write_corrupt, write_wav

Tokens = Callable[[str], dict[str, str]]


def _count(settings: Settings, table: type) -> int:
    with ServiceContext(settings).session() as s:
        return s.scalar(select(func.count()).select_from(table)) or 0


def _files(*paths: Path) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("files", (p.name, p.read_bytes(), "application/octet-stream")) for p in paths]


def test_upload_many_with_metadata_is_queued(client: TestClient, token_of: Tokens, api_settings: Settings,
                                             tmp_path: Path) -> None:
    a, b = write_wav(tmp_path / "one.wav", 11), write_wav(tmp_path / "two.wav", 12)
    meta = [{"call_id": "UP-1", "agent_id": "A1", "team": "A"}, {"call_id": "UP-2", "agent_id": "A2", "team": "A"}]
    r = client.post("/uploads", headers=token_of("sup_a"), files=_files(a, b), data={"metadata": json.dumps(meta)})
    assert r.status_code == 201, r.text
    assert r.json()["accepted"] == ["UP-1", "UP-2"] and r.json()["rejected"] == []
    detail = client.get("/calls/UP-1", headers=token_of("sup_a")).json()
    assert (detail["state"], detail["stage"], detail["team"]) == ("queued", "transcribe", "A")
    again = client.post("/uploads", headers=token_of("sup_a"), files=_files(a), data={"metadata": "{}"})
    assert again.status_code == 422 and "duplicate" in again.json()["detail"]
    assert _count(api_settings, IngestRejection) == 1


def test_bad_uploads_store_nothing(client: TestClient, token_of: Tokens, api_settings: Settings,
                                   tmp_path: Path) -> None:
    h = token_of("sup_a")
    before = (_count(api_settings, Call), _count(api_settings, AudioBlob))
    pdf = tmp_path / "statement.wav"
    pdf.write_bytes(b"%PDF-1.7\n" + b"x" * 2000)
    r = client.post("/uploads", headers=h, files=_files(pdf))
    assert r.status_code == 415 and "not audio" in r.json()["detail"]
    broken = client.post("/uploads", headers=h, files=_files(write_corrupt(tmp_path / "broken.wav")))
    assert broken.status_code in (415, 422) and broken.json()["detail"]
    good = write_wav(tmp_path / "good.wav", 21)
    for metadata in ("{not json", json.dumps([{}, {}]), json.dumps({"shoe_size": 42}), json.dumps("text")):
        r = client.post("/uploads", headers=h, files=_files(good), data={"metadata": metadata})
        assert r.status_code == 422 and r.json()["field"] == "metadata", (metadata, r.text)
    bad_field = client.post("/uploads", headers=h, files=_files(good), data={"metadata": '{"direction": "sideways"}'})
    assert bad_field.status_code == 422 and "direction" in bad_field.json()["detail"]
    assert client.post("/uploads", headers=h, data={"metadata": "{}"}).status_code == 422  # no files
    trick = tmp_path / "x.wav"
    write_wav(trick, 22)
    r = client.post("/uploads", headers=h,
                    files=[("files", ("../../etc/passwd.wav", trick.read_bytes(), "audio/wav"))], data={})
    assert r.status_code == 201, r.text
    with ServiceContext(api_settings).session() as s:
        source = s.scalar(select(Call.source_name).where(Call.call_id == r.json()["accepted"][0]))
    assert source is not None and "/" not in source and ".." not in source
    assert (_count(api_settings, Call), _count(api_settings, AudioBlob)) == (before[0] + 1, before[1] + 1)


def test_oversized_upload_is_refused(api_settings: Settings, tmp_path: Path) -> None:
    small = api_settings.model_copy(update={"upload_max_bytes": 10_000, "upload_max_files": 2})
    with TestClient(create_app(small, start_worker=False)) as c:
        token = c.post("/auth/token", data={"username": "sup_a", "password": "correct-horse-battery"})
        h = {"Authorization": f"Bearer {token.json()['access_token']}"}
        big = write_wav(tmp_path / "big.wav", 31, seconds=2.0)
        r = c.post("/uploads", headers=h, files=_files(big))
        assert r.status_code == 413 and r.json()["limit_bytes"] == 10_000
        huge = c.post("/uploads", headers={**h, "Content-Length": str(10**9), "Content-Type": "multipart/form-data"},
                      content=b"")
        assert huge.status_code == 413
    assert _count(api_settings, Call) == 3 and not list((small.data_dir / "tmp" / "uploads").glob("*"))


def test_a_body_that_grows_past_the_limit_is_cut_off(api_settings: Settings, tmp_path: Path) -> None:
    """Chunked, with no Content-Length: the limit holds as the body arrives, not only when declared."""
    small = api_settings.model_copy(update={"upload_max_bytes": 10_000, "upload_max_files": 1})
    boundary = "qa-boundary"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big.wav\"\r\n"
            "Content-Type: audio/wav\r\n\r\n").encode()
    audio = write_wav(tmp_path / "big.wav", 32, seconds=4.0).read_bytes()
    assert len(audio) > 10_000 + 64 * 1024  # past the whole request limit, not just the per-file one

    def chunks() -> Iterator[bytes]:
        yield head
        for k in range(0, len(audio), 8192):
            yield audio[k:k + 8192]
        yield f"\r\n--{boundary}--\r\n".encode()

    with TestClient(create_app(small, start_worker=False)) as c:
        token = c.post("/auth/token", data={"username": "sup_a", "password": "correct-horse-battery"})
        h = {"Authorization": f"Bearer {token.json()['access_token']}",
             "Content-Type": f"multipart/form-data; boundary={boundary}"}
        r = c.post("/uploads", headers=h, content=chunks())
        assert "content-length" not in {k.lower() for k in r.request.headers}
        assert r.status_code == 413, r.text
        assert r.json()["limit_bytes"] == 10_000
    assert _count(api_settings, Call) == 3 and _count(api_settings, IngestRejection) == 0
    assert not list((small.data_dir / "tmp" / "uploads").glob("*"))
