"""How many live calls one CPU core follows in real time, per recogniser, and how soon alerts fire.

    .venv/bin/python bench/live.py [--max-calls 8] [--latency-target 5]

For each recogniser (tiny.en on the English sample calls, Whisper base on the Mandarin ones), with one
recognition thread of one CPU thread (``QA_CPU_THREADS=1``, ``QA_LIVE_ASR_WORKERS=1``), N calls are fed
in real time (200 ms frames, 8 kHz stereo, through :class:`qa_service.live.call.LiveCall` and the
hub's chunk transcription — everything the WebSocket endpoint does but the socket) for N = 1, 2, 3, …
until the p95 latency from audio arrival to final text passes ``--latency-target`` seconds. It prints,
per N, the latency p50/p95, the alert delays after the triggering words (p50/p95) and the CPU use;
the largest N within the target is "calls per core"."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from concurrent.futures import Future
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from qa_service.domain import Direction, Role
from qa_service.live.call import Alert
from qa_service.live.simulate import FRAME_S, SimCall, load_call
from qa_service.services.context import ServiceContext
from qa_service.services.live import LiveHub, LiveStart
from qa_service.settings import Settings
from qa_service.store.migrate import upgrade

SAMPLES = Path(__file__).resolve().parents[1] / "sample_audio"


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    v = sorted(values)
    return v[min(len(v) - 1, int(q * (len(v) - 1) + 0.5))]


def calls_of(language: str) -> list[SimCall]:
    out = []
    for path in sorted(SAMPLES.glob(f"{language}_inbound_*.json")):
        a = json.loads(path.read_text(encoding="utf-8"))
        out.append(load_call(SAMPLES / a["audio"]["stereo"], call_id=a["call_id"], language=language,
                             agent_channel=a["audio"]["agent_channel"], team=a["metadata"]["team"]))
    return out


def trial(hub: LiveHub, calls: list[SimCall], n: int) -> dict[str, float]:
    latencies: list[float] = []
    delays: list[float] = []
    lock = threading.Lock()

    def run(i: int, sim: SimCall) -> None:
        call = hub.start(LiveStart(f"{sim.call_id}-{n}-{i}", None, sim.team, Direction.INBOUND, sim.language, 8000,
                                   (Role.AGENT, Role.CUSTOMER), "bench"))
        futures: list[Future[list[Alert]]] = []
        step = int(FRAME_S * 8000)
        start = time.monotonic()
        for k, j in enumerate(range(0, sim.audio.shape[0], step)):
            ahead = start + (k + 1) * FRAME_S - time.monotonic()
            if ahead > 0:
                time.sleep(ahead)
            for cid, chunk in call.feed(sim.audio[j:j + step]):
                futures.append(hub.submit(call, cid, chunk))
            call.tick()
        for cid, chunk in call.end():
            futures.append(hub.submit(call, cid, chunk))
        for f in futures:
            f.result()
        with lock:
            latencies.extend(u.latency_s for u in call.utterances)
            delays.extend(a.delay_s for a in call.alerts if a.delay_s is not None)

    cpu0 = time.process_time()
    wall0 = time.monotonic()
    threads = [threading.Thread(target=run, args=(i, calls[i % len(calls)])) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - wall0
    return {"p50": pct(latencies, 0.5), "p95": pct(latencies, 0.95), "alert_p50": pct(delays, 0.5),
            "alert_p95": pct(delays, 0.95), "cpu": (time.process_time() - cpu0) / wall}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--max-calls", type=int, default=8)
    parser.add_argument("--latency-target", type=float, default=5.0)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), cpu_threads=1, live_asr_workers=1)
        upgrade(settings)
        for language, model in (("en", "tiny.en"), ("zh", "Whisper base")):
            hub = LiveHub(ServiceContext(settings), workers=1)
            calls = calls_of(language)
            best = 0
            print(f"\n{model} ({language} sample calls), one recognition thread of one CPU thread")
            print(f"{'calls':>5s} {'ASR p50 s':>10s} {'ASR p95 s':>10s} {'alert p50 s':>12s} {'alert p95 s':>12s} "
                  f"{'CPU':>5s}")
            for n in range(1, args.max_calls + 1):
                r = trial(hub, calls, n)
                print(f"{n:5d} {r['p50']:10.2f} {r['p95']:10.2f} {r['alert_p50']:12.2f} {r['alert_p95']:12.2f} "
                      f"{r['cpu']:5.2f}", flush=True)
                if r["p95"] > args.latency_target:
                    break
                best = n
            print(f"{model}: {best} concurrent call(s) per core within a p95 ASR latency of {args.latency_target:g} s")
            hub.close()
    print(f"\nmachine: {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
