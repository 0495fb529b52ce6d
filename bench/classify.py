"""Inference cost of the call classifier on CPU, per 5-minute call.

    .venv/bin/python bench/classify.py [--calls 6] [--threads 1 2] [--minutes 5]

Builds 5-minute transcripts (zh and en) from the held-out corpus calls, loads the embedded default
classifier (and the base encoder) once, warms up, then times ``classify`` call by call for each
thread count of its forward passes (the service always runs them at ``CLASSIFIER_THREADS``, so that a
call's scores do not depend on the cores; the other counts show what that costs). Prints ms per
call, calls per second and the size of the calls; the keyword baseline is timed beside it.
Loading time is reported separately.
"""

from __future__ import annotations

import argparse
import statistics
import time

from qa_service.classifiers import KeywordClassifier, load_call_classifier
from qa_service.classifiers.dataset import TEST_FILE, LabelledCall, load_records
from qa_service.classifiers.model import NeuralCallClassifier
from qa_service.classifiers.threads import CLASSIFIER_THREADS
from qa_service.domain import CallMetadata, CallTranscript, Direction, Utterance
from qa_service.settings import get_settings


def long_call(calls: list[LabelledCall], language: str, seconds: float, offset: int) -> CallTranscript:
    """Concatenate inbound held-out calls of one language until the call lasts ``seconds``."""
    pool = [c for c in calls if c.transcript.language == language and c.metadata.direction == Direction.INBOUND]
    utts: list[Utterance] = []
    t = 0.0
    k = offset
    while t < seconds:
        for u in pool[k % len(pool)].transcript.utterances:
            dur = u.end - u.start
            utts.append(Utterance(u.speaker, t, t + dur, u.text, role=u.role))
            t += dur + 0.5
        k += 1
    return CallTranscript(language, tuple(utts), duration=t)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=6, help="calls per thread setting (half zh, half en)")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--minutes", type=float, default=5.0)
    args = parser.parse_args()

    records = list(load_records(TEST_FILE))
    calls = [long_call(records, ("zh", "en")[i % 2], args.minutes * 60, 7 * i) for i in range(args.calls)]
    meta = CallMetadata(call_id="bench")
    started = time.perf_counter()
    clf = load_call_classifier(get_settings())
    assert isinstance(clf, NeuralCallClassifier), "bench/classify.py times the trained classifier"
    clf.classify(calls[0], meta)  # warm-up
    print(f"load + warm-up: {time.perf_counter() - started:.1f} s")
    n_utts = statistics.mean(len(c.utterances) for c in calls)
    n_chars = statistics.mean(sum(len(u.text) for u in c.utterances) for c in calls)
    print(f"calls: {len(calls)} x {args.minutes:g} min, {n_utts:.0f} utterances and {n_chars:.0f} characters "
          "per call on average")
    for threads in args.threads:
        clf.threads = threads
        times = []
        for call in calls:
            t0 = time.perf_counter()
            clf.classify(call, meta)
            times.append(time.perf_counter() - t0)
        mean = statistics.mean(times)
        fixed = " (the service's)" if threads == CLASSIFIER_THREADS else ""
        print(f"model    threads={threads}{fixed}: {mean * 1000:8.0f} ms/call (min {min(times) * 1000:.0f}, "
              f"max {max(times) * 1000:.0f}), {1 / mean:6.2f} calls/s")
    kw = KeywordClassifier()
    t0 = time.perf_counter()
    for call in calls:
        kw.classify(call, meta)
    mean = (time.perf_counter() - t0) / len(calls)
    print(f"baseline           : {mean * 1000:8.1f} ms/call, {1 / mean:6.0f} calls/s")


if __name__ == "__main__":
    main()
