from __future__ import annotations

import hashlib
import wave
from pathlib import Path

from qa_service.ingest.sources import sidecar_rows
from qa_service.ingest.synthetic import make_batch
from qa_service.settings import PROJECT_ROOT


def test_variant_calls_are_distinct_short_and_described(tmp_path: Path) -> None:
    batch = make_batch(PROJECT_ROOT / "sample_audio", tmp_path / "a", 5, min_s=6.0, max_s=8.0)
    files = sorted((tmp_path / "a").glob("*.wav"))
    assert len(files) == 5 and len(batch.call_ids) == 5
    assert len({hashlib.sha256(f.read_bytes()).hexdigest() for f in files}) == 5
    for f in files:
        with wave.open(str(f)) as w:
            assert w.getnchannels() == 2 and w.getframerate() == 16000
            assert 6.0 <= w.getnframes() / 16000 <= 8.0
    rows = sidecar_rows(batch.sidecar)
    assert {r["call_id"] for r in rows.values()} == set(batch.call_ids)
    assert all(r["language"] in ("zh", "en") and r["agent_channel"] in ("0", "1") for r in rows.values())
    again = make_batch(PROJECT_ROOT / "sample_audio", tmp_path / "b", 5, min_s=6.0, max_s=8.0)
    assert [p.read_bytes() for p in files] == [p.read_bytes() for p in sorted((tmp_path / "b").glob("*.wav"))]
    assert again.call_ids == batch.call_ids
    other = make_batch(PROJECT_ROOT / "sample_audio", tmp_path / "c", 1, min_s=6.0, max_s=8.0, prefix="warm")
    assert (tmp_path / "c" / f"{other.call_ids[0]}.wav").read_bytes() != files[0].read_bytes()
