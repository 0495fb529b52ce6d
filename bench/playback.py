"""Cost of serving a recorded call for listening: render (decode + bleep + WAV write), cache hit, Range reads.

    .venv/bin/python bench/playback.py [--minutes 10] [--bleeps 20] [--repeat 5]

Synthesises a stereo 8 kHz PCM16 call of ``--minutes`` (telephony, as recorders write it) in a temporary
data dir, then times: a cold render with ``--bleeps`` one-second bleep spans (cache miss: decode to 16 kHz,
tone, write), the same request again (cache hit), a clipped render (one minute), a full read of the
rendition by ``read_range`` and a 1 MiB Range read from its middle. Prints the median of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import wave
from collections.abc import Callable
from pathlib import Path

import numpy as np

from qa_service.playback import TimeSpan, parse_range, read_range, render_audio
from qa_service.settings import Settings


def synth_call(path: Path, minutes: float, rate: int = 8000) -> Path:
    rng = np.random.default_rng(0)
    t = np.arange(int(minutes * 60 * rate)) / rate
    data = np.stack([0.2 * np.sin(2 * np.pi * f * t) + 0.02 * rng.standard_normal(t.size) for f in (220, 330)], 1)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes((np.clip(data, -1, 1) * 32767).astype("<i2").tobytes())
    return path


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--bleeps", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        settings = Settings(data_dir=root / "data")
        audio = synth_call(root / "call.wav", args.minutes)
        in_mib = audio.stat().st_size / 2**20
        seconds = args.minutes * 60
        bleep = tuple(TimeSpan(s, s + 1.0) for s in np.linspace(5, seconds - 5, args.bleeps))
        sha = iter(f"{i:064x}" for i in range(10**6))  # a fresh key per cold render

        cold = median_ms(lambda: render_audio(settings, audio_path=audio, sha256=next(sha), bleep=bleep, clip=None),
                         args.repeat)
        key = next(sha)
        out = render_audio(settings, audio_path=audio, sha256=key, bleep=bleep, clip=None)
        hit = median_ms(lambda: render_audio(settings, audio_path=audio, sha256=key, bleep=bleep, clip=None),
                        args.repeat)
        clip = TimeSpan(seconds / 2, seconds / 2 + 60)
        clipped = median_ms(lambda: render_audio(settings, audio_path=audio, sha256=next(sha), bleep=bleep,
                                                 clip=clip), args.repeat)
        full = median_ms(lambda: sum(map(len, read_range(out.path, None))), args.repeat)
        mid = out.size_bytes // 2
        rng = parse_range(f"bytes={mid}-{mid + (1 << 20) - 1}", out.size_bytes)
        part = median_ms(lambda: sum(map(len, read_range(out.path, rng))), args.repeat)
        parse_us = median_ms(lambda: [parse_range("bytes=1000-2000", out.size_bytes) for _ in range(1000)], 3)

    print(f"call: {args.minutes:g} min stereo 8 kHz PCM16 ({in_mib:.1f} MiB in), "
          f"{args.bleeps} bleeps; rendition {out.size_bytes / 2**20:.1f} MiB, {out.channels} ch, {out.sample_rate} Hz")
    print(f"render, cache miss:       {cold:8.1f} ms")
    print(f"render, cache hit:        {hit:8.2f} ms")
    print(f"render 60 s clip (miss):  {clipped:8.1f} ms")
    print(f"read_range whole file:    {full:8.1f} ms")
    print(f"read_range 1 MiB:         {part:8.2f} ms")
    print(f"parse_range (per header): {parse_us:8.2f} µs")


if __name__ == "__main__":
    main()
