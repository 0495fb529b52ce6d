"""PII redaction on the labelled set: recall and precision, per kind and per language, and speed.

    .venv/bin/python bench/pii.py [--show]
"""

from __future__ import annotations

import argparse
import time

from qa_service.evaluation.pii_set import build, score
from qa_service.redact import redact_text


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", action="store_true", help="print misses and false alarms")
    args = parser.parse_args()
    items = build()
    s = score(items)
    negatives = sum(1 for i in items if not i.pii)
    print(f"labelled set: {len(items)} utterances ({sum(i.lang == 'zh' for i in items)} zh, "
          f"{sum(i.lang == 'en' for i in items)} en), {s.labelled} PII numbers, {negatives} utterances without PII")
    verdict = "PASS" if s.recall >= 0.99 else "FAIL"
    print(f"recall    {s.recall:.4f}  ({s.found}/{s.labelled})   target >= 0.99  {verdict}")
    print(f"precision {s.precision:.4f}  ({s.masked_stretches - s.false_positives}/{s.masked_stretches} masked "
          f"stretches inside a label)   target >= 0.95  {'PASS' if s.precision >= 0.95 else 'FAIL'}")
    for name, table in (("kind", s.by_kind), ("language", s.by_language)):
        print(f"by {name}: " + ", ".join(f"{k} {f}/{n}" for k, (f, n) in table.items()))
    began = time.perf_counter()
    rounds = 20
    for _ in range(rounds):
        for item in items:
            redact_text(item.text, item.lang)
    per = (time.perf_counter() - began) / (rounds * len(items))
    print(f"speed: {per * 1e6:.0f} µs per utterance (one core)")
    if args.show:
        print("misses:", *s.misses, sep="\n  ")
        print("false alarms:", *s.false_alarms, sep="\n  ")


if __name__ == "__main__":
    main()
