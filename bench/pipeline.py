"""Speech-pipeline throughput against a naive baseline, on the same sample calls, side by side.

    .venv/bin/python bench/pipeline.py [--per-language 2] [--modes stereo mono] [--threads 2]
                                       [--device cpu] [--samples DIR] [--json OUT]

Figures: audio seconds processed per wall second (decode + ASR + diarization/channels + align + roles,
models already loaded), model-load time, peak resident memory, and the quality on the same files
(WER for English, CER for Mandarin, DER at collar 0.25 = ±0.125 s).

- pipeline: ``qa_service.pipeline`` (stereo: per-channel VAD-filtered ASR, speakers from channels, no
  diarization; mono: ASR, then the CAM++ diarizer; Whisper and torch limited to ``--threads``).
- naive: what a first script would do, sequentially in one process: faster-whisper on the file (its
  own decoder mixes stereo to mono; no VAD), then the stock pyannote ``SpeakerDiarization`` pipeline
  (``build_stock_pyannote_pipeline``) on the mix, words given to the speaker turn they overlap most.
  Same Whisper model, same decoding options (beam, temperature, word timestamps) and the same thread
  limits, so the difference is the pipeline's design.

Every (system, mode) runs in its own fresh process, so its peak memory is its own. Models are loaded
before the clock starts. Run it on an otherwise idle machine: the figures are wall-clock.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SYSTEMS = ("pipeline", "naive")


def _pick(samples_dir: Path, per_language: int) -> list[Any]:
    from qa_service.samples import iter_samples

    chosen: list[Any] = []
    for lang in ("en", "zh"):
        chosen += [s for s in iter_samples(samples_dir) if s.language == lang][:per_language]
    return chosen


def _settings(args: argparse.Namespace) -> Any:
    from qa_service.settings import Settings

    return Settings(cpu_threads=args.threads, device=args.device)


def _score(sample: Any, text: str, turns: Any) -> dict[str, Any]:
    from qa_service.evaluation.metrics import diarization_errors, transcript_errors

    ref_text = "\n".join(t.text for t in sample.turns)
    return {"text": transcript_errors(ref_text, text, sample.language),
            "der": diarization_errors(sample.reference_turns(), turns, collar=0.25)}


# --------------------------------------------------------------------------------------- workers
def run_pipeline(args: argparse.Namespace, samples: list[Any]) -> dict[str, Any]:
    from qa_service.pipeline import SpeechOptions, analyze_speech, decode_audio, load_speech_models

    settings = _settings(args)
    models = load_speech_models(settings)
    began = time.perf_counter()
    for lang in {s.language for s in samples}:
        models.transcriber(lang)
    if args.mode == "mono":
        models.diarizer()
    load = time.perf_counter() - began
    scores, wall, audio_s = [], 0.0, 0.0
    for sample in samples:
        path = sample.stereo_path if args.mode == "stereo" else sample.mono_path
        options = SpeechOptions.from_settings(settings, sample.metadata, force_mono=args.mode == "mono")
        t0 = time.perf_counter()
        result = analyze_speech(decode_audio(path), sample.metadata, models, options)
        wall += time.perf_counter() - t0
        audio_s += result.transcript.duration
        text = "\n".join(u.text for u in result.transcript.utterances)
        scores.append(_score(sample, text, result.diarization.turns))
    return {"load": load, "wall": wall, "audio": audio_s, "scores": scores}


def run_naive(args: argparse.Namespace, samples: list[Any]) -> dict[str, Any]:
    import torch
    from faster_whisper import WhisperModel, decode_audio

    from qa_service.domain import SpeakerTurn, Word
    from qa_service.pipeline.align import assign_speaker, join_words
    from qa_service.pipeline.diarize import build_stock_pyannote_pipeline
    from qa_service.pipeline.models import asr_role, beam_size, resolve_device
    from qa_service.pipeline.transcribe import WhisperConfig
    from qa_service.weights import resolve_model

    settings = _settings(args)
    torch.set_num_threads(args.threads)
    device, compute = resolve_device(settings)
    began = time.perf_counter()
    whisper = {lang: WhisperModel(str(resolve_model(asr_role(lang), settings).path), device=device,
                                  compute_type=compute, cpu_threads=args.threads)
               for lang in {s.language for s in samples}}
    diarization = build_stock_pyannote_pipeline(settings)
    load = time.perf_counter() - began
    scores, wall, audio_s = [], 0.0, 0.0
    for sample in samples:
        path = sample.stereo_path if args.mode == "stereo" else sample.mono_path
        t0 = time.perf_counter()
        config = WhisperConfig(beam_size=beam_size(settings, sample.language))
        kwargs = config.decode_kwargs(sample.language)
        segments, info = whisper[sample.language].transcribe(str(path), **kwargs)
        words = [w for seg in segments for w in (seg.words or [])]
        mix = decode_audio(str(path))  # what the naive script would pass on: the mono mix
        waveform = torch.from_numpy(mix).unsqueeze(0)
        output = diarization({"waveform": waveform, "sample_rate": 16000}, num_speakers=2)
        annotation: Any = getattr(output, "speaker_diarization", output)
        turns = tuple(SpeakerTurn(str(label), float(seg.start), float(seg.end))
                      for seg, _, label in annotation.itertracks(yield_label=True))
        lines: dict[str, list[str]] = {}
        for w in words:  # naive alignment: each word to its most-overlapping turn
            speaker = assign_speaker(Word(w.word.strip(), w.start, w.end), turns) or "?"
            lines.setdefault(speaker, []).append(w.word.strip())
        wall += time.perf_counter() - t0
        audio_s += float(info.duration)
        text = "\n".join(join_words(ws) for ws in lines.values())
        scores.append(_score(sample, text, turns))
    return {"load": load, "wall": wall, "audio": audio_s, "scores": scores}


def worker(args: argparse.Namespace) -> None:
    from qa_service.logging_setup import configure_logging

    configure_logging(False)
    samples = _pick(args.samples, args.per_language)
    result = (run_pipeline if args.system == "pipeline" else run_naive)(args, samples)
    out = {"system": args.system, "mode": args.mode, "files": len(samples), **_summary(result),
           "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    print("RESULT " + json.dumps(out), flush=True)


def _summary(result: dict[str, Any]) -> dict[str, Any]:
    from functools import reduce

    scores = result["scores"]
    out: dict[str, Any] = {"load_s": result["load"], "wall_s": result["wall"], "audio_s": result["audio"],
                           "x_realtime": result["audio"] / result["wall"] if result["wall"] else None}
    for unit in ("WER", "CER"):
        counts = [sc["text"] for sc in scores if sc["text"].unit == unit]
        out[unit.lower()] = reduce(lambda a, b: a + b, counts).rate if counts else None
    der = reduce(lambda a, b: a + b, [sc["der"] for sc in scores]) if scores else None
    out["der_c025"] = der.rate if der else None
    return out


# --------------------------------------------------------------------------------------- driver
def _fmt(value: Any, pattern: str) -> str:
    return "-" if value is None else pattern.format(value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=Path, default=ROOT / "sample_audio")
    parser.add_argument("--per-language", type=int, default=2, help="sample calls per language (en, zh)")
    parser.add_argument("--modes", nargs="+", default=["stereo", "mono"], choices=["stereo", "mono"])
    parser.add_argument("--systems", nargs="+", default=list(SYSTEMS), choices=SYSTEMS)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda", "auto"])
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--system", choices=SYSTEMS, help=argparse.SUPPRESS)  # worker mode
    parser.add_argument("--mode", choices=["stereo", "mono"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.system:
        worker(args)
        return 0
    results = []
    for mode in args.modes:
        for system in args.systems:
            cmd = [sys.executable, __file__, "--system", system, "--mode", mode,
                   "--samples", str(args.samples), "--per-language", str(args.per_language),
                   "--threads", str(args.threads), "--device", args.device]
            print(f"running {system} on {mode} calls ...", file=sys.stderr, flush=True)
            proc = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=ROOT)
            line = next((x for x in proc.stdout.splitlines() if x.startswith("RESULT ")), None)
            if proc.returncode != 0 or line is None:
                print(proc.stderr[-4000:], file=sys.stderr)
                return 1
            results.append(json.loads(line[len("RESULT "):]))
    header = f"{'mode':7} {'system':9} {'files':>5} {'audio s':>8} {'wall s':>7} {'audio s/s':>9} " \
             f"{'load s':>6} {'peak MB':>8} {'WER':>6} {'CER':>6} {'DER.25':>6}"
    print(header)
    for r in results:
        print(f"{r['mode']:7} {r['system']:9} {r['files']:5d} {r['audio_s']:8.1f} {r['wall_s']:7.1f} "
              f"{_fmt(r['x_realtime'], '{:9.2f}')} {r['load_s']:6.1f} {r['peak_rss_mb']:8.0f} "
              f"{_fmt(r['wer'], '{:6.1%}')} {_fmt(r['cer'], '{:6.1%}')} {_fmt(r['der_c025'], '{:6.1%}')}")
    for mode in args.modes:
        by = {r["system"]: r for r in results if r["mode"] == mode}
        if {"pipeline", "naive"} <= by.keys() and by["naive"]["x_realtime"]:
            print(f"{mode}: pipeline {by['pipeline']['x_realtime'] / by['naive']['x_realtime']:.2f}x "
                  "the naive baseline's throughput")
    print(f"threads={args.threads} device={args.device} calls per language={args.per_language}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
