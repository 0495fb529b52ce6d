"""Ingest: folders, file lists, sidecars, file-name patterns, duplicates and rejection reasons."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select

from qa_service.ingest import IngestOptions, ingest_paths
from qa_service.settings import Settings
from qa_service.store import calls
from qa_service.store.audio_store import AudioStore
from qa_service.store.db import unit_of_work
from qa_service.store.models import AudioBlob, Call, IngestBatch, IngestRejection


def _count(settings: Settings, table: type) -> int:
    with unit_of_work(settings) as s:
        return int(s.scalar(select(func.count()).select_from(table)) or 0)


def test_folder_by_file_names_with_duplicates_and_bad_files(ingest_settings: Settings, tmp_path: Path,
                                                            wav: Callable[..., Path]) -> None:
    folder = tmp_path / "rec"
    wav(folder / "Q1_AGENT_1023_DT_20261102T091400.wav", seed=1)
    wav(folder / "sub" / "Q2_AGENT_1024_DT_20261102T231500.wav", seed=2)
    copy = wav(folder / "Q3_AGENT_1025_DT_20261102T100000.wav", seed=1)  # same bytes as Q1
    (folder / "Q4_empty.wav").write_bytes(b"")
    (folder / "notes.txt").write_text("not audio")
    (folder / ".hidden" / "x.wav").parent.mkdir()
    wav(folder / ".hidden" / "x.wav", seed=9)
    seen: list[str] = []
    report = ingest_paths(ingest_settings, [folder], on_file=lambda d, t, name, cid, rej: seen.append(name))
    assert report.accepted == ["Q1_AGENT_1023_DT_20261102T091400", "Q2_AGENT_1024_DT_20261102T231500"]
    kinds = {r.file: (r.kind, r.reason) for r in report.rejected}
    assert kinds[copy.name][0] == "duplicate_audio" and "Q1_AGENT_1023" in kinds[copy.name][1]
    assert kinds["Q4_empty.wav"] == ("empty", "empty file (0 bytes)")
    assert len(seen) == 4  # the .txt and the hidden folder are not offered
    with unit_of_work(ingest_settings) as s:
        q2 = calls.get(s, "Q2_AGENT_1024_DT_20261102T231500")
        assert (q2.agent_id, str(q2.local_date), q2.shift, q2.state, q2.stage) == \
            ("1024", "2026-11-02", "night", "queued", "transcribe")
        assert AudioStore(ingest_settings.resolved_audio_store_dir).verify(q2.audio_sha256)
        rejected = s.scalars(select(IngestRejection).order_by(IngestRejection.id)).all()
        assert [(r.batch_id, r.kind) for r in rejected] == [(report.batch_id, "duplicate_audio"),
                                                            (report.batch_id, "empty")]
    # the same batch again: nothing new, every file rejected with a reason
    again = ingest_paths(ingest_settings, [folder])
    assert again.accepted == []
    assert sorted(r.kind for r in again.rejected) == [
        "duplicate_audio", "duplicate_call_id", "duplicate_call_id", "empty"]
    assert all(r.reason for r in again.rejected)
    assert _count(ingest_settings, Call) == 2 and _count(ingest_settings, AudioBlob) == 2
    with unit_of_work(ingest_settings) as s:
        batch = s.get(IngestBatch, again.batch_id)
        assert batch is not None and (batch.accepted, batch.rejected) == (0, 4)


def test_csv_sidecar_metadata_wins_and_bad_rows_are_rejected(ingest_settings: Settings, tmp_path: Path,
                                                             wav: Callable[..., Path]) -> None:
    wav(tmp_path / "a.wav", seed=1)
    wav(tmp_path / "b.wav", seed=2)
    wav(tmp_path / "c_AGENT_7_DT_20261102T080000.wav", seed=3)
    sidecar = tmp_path / "meta.csv"
    sidecar.write_text(
        "file,call_id,agent_id,team,direction,campaign,language,started_at,customer_ref,agent_channel\n"
        "a.wav,CALL-A,1023,T1,outbound,marketing,zh,2026-11-02T09:14:00+08:00,C-88213,0\n"
        "b.wav,CALL-B,1024,T1,sideways,,,,,\n"
        "missing.wav,CALL-M,1,T1,inbound,,,,,\n"
        "c_AGENT_7_DT_20261102T080000.wav,CALL-C,,T2,,,en,,,\n", encoding="utf-8")
    report = ingest_paths(ingest_settings, [tmp_path / "a.wav", tmp_path / "b.wav"],
                          IngestOptions(sidecar=sidecar))
    assert report.accepted == ["CALL-A", "CALL-C"]  # c and the missing file come from the sidecar
    kinds = {r.file: r for r in report.rejected}
    assert kinds["b.wav"].kind == "bad_metadata" and "sideways" in kinds["b.wav"].reason
    assert kinds["missing.wav"].kind == "not_found"
    with unit_of_work(ingest_settings) as s:
        a = calls.get(s, "CALL-A")
        assert (a.campaign, a.direction, a.language, a.agent_channel) == ("marketing", "outbound", "zh", 0)
        assert a.customer_ref_hash == calls.hash_customer_ref("C-88213", "pepper")
        c = calls.get(s, "CALL-C")
        assert (c.agent_id, c.team, c.language) == ("7", "T2", "en")  # file name fills what the sidecar lacks


def test_json_sidecar_and_sample_call_sidecars(ingest_settings: Settings, tmp_path: Path,
                                               wav: Callable[..., Path]) -> None:
    samples = tmp_path / "samples"
    wav(samples / "s1.stereo.wav", seed=11)
    wav(samples / "s1.mono.wav", seed=12, channels=1)
    (samples / "s1.json").write_text(json.dumps({
        "call_id": "s1", "language": "en",
        "audio": {"stereo": "s1.stereo.wav", "mono": "s1.mono.wav", "telephony": None, "agent_channel": 1},
        "metadata": {"agent_id": "2001", "team": "T9", "direction": "inbound", "campaign": None,
                     "started_at": "2026-11-03T14:00:00+08:00", "customer_ref": "C-1"}}), encoding="utf-8")
    report = ingest_paths(ingest_settings, [samples])
    assert report.accepted == ["s1"] and report.rejected == []
    assert report.skipped == ["s1.mono.wav: another rendering of call s1"]
    with unit_of_work(ingest_settings) as s:
        s1 = calls.get(s, "s1")
        assert (s1.agent_id, s1.team, s1.language) == ("2001", "T9", "en")
        assert (s1.agent_channel, s1.shift) == (1, "early")
    wav(tmp_path / "x.wav", seed=21)
    listed = tmp_path / "calls.json"
    listed.write_text(json.dumps({"calls": [{"file": "x.wav", "call_id": "X1", "direction": "outbound",
                                             "campaign": "return_visit"}]}), encoding="utf-8")
    (tmp_path / "readme.txt").write_text("hi")
    report = ingest_paths(ingest_settings, [tmp_path / "readme.txt", tmp_path / "nothing_here.wav"],
                          IngestOptions(sidecar=listed))
    assert report.accepted == ["X1"]
    assert sorted(r.kind for r in report.rejected) == ["not_audio", "not_found"]
