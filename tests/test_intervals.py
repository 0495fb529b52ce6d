from __future__ import annotations

from qa_service.intervals import subtract


def test_subtract_cuts_holes_out_of_spans() -> None:
    assert subtract([(0.0, 10.0)], [(2.0, 3.0), (5.0, 6.0)]) == [(0.0, 2.0), (3.0, 5.0), (6.0, 10.0)]


def test_subtract_sorts_holes_and_drops_covered_spans() -> None:
    assert subtract([(0.0, 4.0), (5.0, 6.0), (7.0, 9.0)], [(8.0, 12.0), (-1.0, 1.0), (4.5, 6.5)]) == [
        (1.0, 4.0), (7.0, 8.0)]


def test_subtract_without_holes_keeps_spans() -> None:
    assert subtract([(1.0, 2.0)], []) == [(1.0, 2.0)]
