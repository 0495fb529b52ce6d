"""Concurrent clients for the latency benchmarks (``bench/api.py``, ``bench/search.py``): each client
runs a request mix for some rounds and times every request; the figures are merged per case.

Clients run as threads (requests that spend their time in the database, not in Python) or as
processes (HTTP clients: a Python HTTP client is CPU-bound enough that eight of them in one
interpreter queue on its lock and measure each other, not the server)."""

from __future__ import annotations

import multiprocessing
import random
import statistics
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Generic, TypeVar

C = TypeVar("C")

#: Sends one request of a case; raises on a wrong answer.
Send = Callable[[C], None]


@dataclass(frozen=True)
class Load(Generic[C]):
    """What every client runs: ``rounds`` shuffled passes over ``mix``, with ``connect()`` giving the
    client its own ``send`` (its own connection). Module-level callables, so processes can take it."""

    mix: Sequence[C]
    name: Callable[[C], str]
    connect: Callable[[], Send[C]]
    rounds: int


def _client(load: Load[C], seed: int) -> dict[str, list[float]]:
    send = load.connect()
    order = list(load.mix)
    rng = random.Random(seed)
    times: dict[str, list[float]] = {}
    for _ in range(load.rounds):
        rng.shuffle(order)
        for case in order:
            started = time.perf_counter()
            send(case)
            times.setdefault(load.name(case), []).append((time.perf_counter() - started) * 1000)
    return times


def run_clients(load: Load[C], clients: int, *, processes: bool) -> tuple[dict[str, list[float]], float]:
    """Every client's times merged per case name, and the wall time in seconds."""
    pool: Executor = (ProcessPoolExecutor(clients, mp_context=multiprocessing.get_context("fork"))
                      if processes else ThreadPoolExecutor(clients))
    with pool:
        started = time.perf_counter()
        results = list(pool.map(_client, [load] * clients, range(clients)))
        wall = time.perf_counter() - started
    merged: dict[str, list[float]] = {}
    for times in results:
        for name, values in times.items():
            merged.setdefault(name, []).extend(values)
    return merged, wall


def percentile(values: Sequence[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def summary(values: Sequence[float]) -> str:
    """``p50 p95 p99 max`` in ms, aligned for a table."""
    return (f"{statistics.median(values):8.1f} {percentile(values, 0.95):8.1f} {percentile(values, 0.99):8.1f} "
            f"{max(values):8.1f}")
