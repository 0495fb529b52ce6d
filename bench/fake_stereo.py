"""Fake stereo, end to end (issue: a mono call saved as 44.1 kHz stereo came out with WER > 100%).

Each English sample call's mono rendering is written as a 44.1 kHz stereo FLAC with the same signal on
both channels, and once with one channel silent; `analyze_speech` transcribes each with the default
models. Prints the channel-layout decision and WER beside the plain mono file's WER.

    .venv/bin/python bench/fake_stereo.py [--calls 3]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import av
import numpy as np

from qa_service.evaluation.metrics import transcript_errors
from qa_service.pipeline import SpeechOptions, analyze_speech, decode_audio, load_speech_models
from qa_service.samples import iter_samples
from qa_service.settings import get_settings


def write_flac(path: Path, samples: np.ndarray, rate: int = 44100) -> None:
    with av.open(str(path), "w", format="flac") as out:
        stream = out.add_stream("flac", rate=rate, layout="stereo")
        pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2")
        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(pcm.T.reshape(1, -1)), format="s16", layout="stereo")
        frame.rate = rate
        for packet in stream.encode(frame):
            out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)


def upsample(x: np.ndarray, src: int, dst: int) -> np.ndarray:
    t = np.arange(int(x.size * dst / src)) / dst
    return np.interp(t, np.arange(x.size) / src, x).astype(np.float32)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=3)
    args = parser.parse_args()
    settings = get_settings()
    models = load_speech_models(settings)
    samples = [s for s in iter_samples(settings.sample_dir) if s.language == "en"][: args.calls]
    print(f"{'call':40} {'file':12} {'layout':11} {'WER':>6}")
    with tempfile.TemporaryDirectory() as tmp:
        for sample in samples:
            mono = decode_audio(sample.mono_path)
            x = upsample(mono.samples[0], mono.sample_rate, 44100)
            files = {"mono": sample.mono_path, "stereo": sample.stereo_path}
            for kind, pair in (("dual-mono", np.stack([x, x])), ("one-silent", np.stack([x, np.zeros_like(x)]))):
                files[kind] = Path(tmp) / f"{sample.call_id}.{kind}.flac"
                write_flac(files[kind], pair)
            for kind, path in files.items():
                audio = decode_audio(path)
                t = analyze_speech(audio, None, models, SpeechOptions(language="en")).transcript
                hyp = " ".join(u.text for u in t.utterances)
                reference = " ".join(t.text for t in sample.turns)
                wer = transcript_errors(reference, hyp, "en").rate
                layout = dict(t.meta).get("channel_layout", "-")
                print(f"{sample.call_id:40} {kind:12} {layout:11} {100 * wer:5.1f}%", flush=True)


if __name__ == "__main__":
    main()
