"""Time intervals ``(start, end)`` in seconds: the small set arithmetic the pipeline and the
evaluation both need."""

from __future__ import annotations

from collections.abc import Sequence

Interval = tuple[float, float]


def subtract(spans: Sequence[Interval], holes: Sequence[Interval]) -> list[Interval]:
    """The parts of ``spans`` outside every interval of ``holes`` (in the order of ``spans``)."""
    ordered = sorted(holes)
    out: list[Interval] = []
    for a, b in spans:
        start = a
        for c, d in ordered:
            if d <= start or c >= b:
                continue
            if c > start:
                out.append((start, c))
            start = max(start, d)
        if start < b:
            out.append((start, b))
    return out
