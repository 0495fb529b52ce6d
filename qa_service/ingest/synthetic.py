"""Synthetic batches for load tests and the throughput benchmark: many distinct short calls cut from
the bundled sample calls (the first ``min_s``–``max_s`` seconds of each, so greetings are in), each with
a tiny per-call gain change and dither so every file has its own audio hash. Writes 16 kHz 16-bit
stereo WAVs and a CSV sidecar with the sample's metadata (agent channel, language, campaign, ...)."""

from __future__ import annotations

import csv
import wave
import zlib
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import numpy as np

from qa_service.domain import SAMPLE_RATE


@dataclass(frozen=True)
class SyntheticBatch:
    folder: Path
    sidecar: Path
    call_ids: tuple[str, ...]
    audio_seconds: float


def _write_wav(path: Path, samples: np.ndarray) -> None:
    pcm = (np.clip(samples.T, -1.0, 1.0) * 32767.0).round().astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(samples.shape[0])
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE)
        w.writeframes(pcm.tobytes())


def make_batch(sample_dir: Path, out_dir: Path, n: int, *, min_s: float = 6.0, max_s: float = 10.0,
               languages: tuple[str, ...] = ("zh", "en"), prefix: str = "syn") -> SyntheticBatch:
    """``n`` calls in ``out_dir`` (+ ``calls.csv``); the same arguments always give the same bytes."""
    from qa_service.pipeline import decode_audio
    from qa_service.samples import iter_samples

    samples = [s for s in iter_samples(sample_dir) if s.language in languages]
    if not samples:
        raise ValueError(f"no sample calls in {sample_dir} (run sample_audio/generate.py)")
    out_dir.mkdir(parents=True, exist_ok=True)
    decoded = {s.call_id: decode_audio(s.stereo_path).samples for s in samples[:n]}
    rows: list[dict[str, str]] = []
    total = 0.0
    for i in range(n):
        sample = samples[i % len(samples)]
        round_ = i // len(samples)
        seconds = min_s + (max_s - min_s) * ((i * 7919) % 1000) / 999.0
        audio = decoded[sample.call_id][:, : int(seconds * SAMPLE_RATE)]
        rng = np.random.default_rng([i, zlib.crc32(prefix.encode())])
        varied = audio * (1.0 - 0.003 * round_) + rng.normal(0.0, 2e-4, audio.shape).astype(np.float32)
        call_id = f"{prefix}{i:03d}_{sample.call_id}"
        name = f"{call_id}.wav"
        _write_wav(out_dir / name, varied)
        total += audio.shape[1] / SAMPLE_RATE
        meta = sample.metadata
        started = meta.started_at + timedelta(minutes=7 * i) if meta.started_at else None
        rows.append({
            "file": name, "call_id": call_id, "agent_id": meta.agent_id or "", "team": meta.team or "",
            "queue": meta.queue or "", "direction": meta.direction.value,
            "campaign": meta.campaign.value if meta.campaign else "", "language": sample.language,
            "started_at": started.isoformat() if started else "", "customer_ref": meta.customer_ref or "",
            "agent_channel": str(sample.agent_channel),
        })
    sidecar = out_dir / "calls.csv"
    with open(sidecar, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return SyntheticBatch(out_dir, sidecar, tuple(r["call_id"] for r in rows), total)
