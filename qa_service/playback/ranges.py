"""HTTP byte ranges (RFC 9110 §14): parse a ``Range`` header for one resource and read that range.

Only the ``bytes`` unit, and one range per response: a header asking for several ranges is answered
with the single range that spans all the satisfiable ones (RFC 9110 §14.2 lets a server coalesce
ranges; the client learns what it got from ``Content-Range``), so no multipart/byteranges body is
ever needed. A header that does not parse is ignored (``None``: send the whole resource, 200), as
§14.2 says; a header that parses but selects nothing raises :class:`RangeNotSatisfiable` (416).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from qa_service.errors import RangeNotSatisfiable

#: More range-specs than this in one header is treated as abuse and the header ignored.
MAX_RANGE_SPECS = 64
#: Positions with more digits than this are beyond any file (and would be slow to parse).
_MAX_DIGITS = 18
_SPEC = re.compile(r"(?P<first>[0-9]*)-(?P<last>[0-9]*)")  # DIGIT is ASCII only
_UNIT = re.compile(r"bytes=(?P<set>.*)", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class ByteRange:
    """Bytes ``start``..``end`` (both inclusive) of a resource of ``size`` bytes."""

    start: int
    end: int
    size: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end < self.size:
            raise ValueError(f"not a byte range of a {self.size}-byte resource: {self.start}-{self.end}")

    @property
    def length(self) -> int:
        """The ``Content-Length`` of the 206 response."""
        return self.end - self.start + 1

    @property
    def content_range(self) -> str:
        """The ``Content-Range`` header value of the 206 response: ``bytes a-b/size``."""
        return f"bytes {self.start}-{self.end}/{self.size}"


def unsatisfiable_content_range(size: int) -> str:
    """The ``Content-Range`` header value of a 416 response: ``bytes */size``."""
    return f"bytes */{size}"


def parse_range(header: str | None, size: int) -> ByteRange | None:
    """The range a ``Range`` header selects from a ``size``-byte resource.

    ``None``: no header, another unit, or a syntactically invalid header (serve the whole resource).
    ``bytes=a-b`` (``b`` past the end is cut to the end), ``bytes=a-``, ``bytes=-n`` (the last ``n``
    bytes; all of them when ``n >= size``). Raises :class:`RangeNotSatisfiable` (``details['size']``)
    when no range-spec is satisfiable: every start at or past the end, or only ``bytes=-0``.
    """
    if header is None:
        return None
    unit = _UNIT.fullmatch(header.strip())
    if unit is None:
        return None
    specs = [s.strip() for s in unit.group("set").split(",")]
    specs = [s for s in specs if s]  # RFC 9110 §5.6.1: empty list elements are allowed
    if not specs or len(specs) > MAX_RANGE_SPECS:
        return None
    parsed: list[tuple[int | None, int | None]] = []
    for spec in specs:
        m = _SPEC.fullmatch(spec)
        if m is None or (not m.group("first") and not m.group("last")):
            return None
        first = _position(m.group("first"))
        last = _position(m.group("last"))
        if first is not None and last is not None and last < first:
            return None  # invalid int-range: the whole header is ignored
        parsed.append((first, last))
    if size <= 0:
        if any(first is None and last for first, last in parsed):
            return None  # a non-zero suffix of an empty resource: the (empty) whole of it
        raise RangeNotSatisfiable("requested range not satisfiable: the resource is empty", size=size)
    selected = [r for r in (_resolve(first, last, size) for first, last in parsed) if r is not None]
    if not selected:
        raise RangeNotSatisfiable(f"requested range not satisfiable for a {size}-byte resource: {header.strip()!r}",
                                  size=size)
    return ByteRange(min(a for a, _ in selected), max(b for _, b in selected), size)


def read_range(path: Path, rng: ByteRange | None, chunk: int = 64 * 1024) -> Iterator[bytes]:
    """The bytes of ``path`` that ``rng`` selects (the whole file for ``None``), ``chunk`` at a time.

    The file is opened when this is called, not when iteration starts, so a file replaced or evicted
    from a cache between the call and the first read still streams whole; it is closed when the
    iterator is exhausted or closed. A file shorter than the range ends the stream early.
    """
    if chunk <= 0:
        raise ValueError(f"chunk must be positive, not {chunk}")
    fh = open(path, "rb")  # noqa: SIM115 - closed by _stream (or by its finaliser if never iterated)
    return _stream(fh, rng, chunk)


def _stream(fh: BinaryIO, rng: ByteRange | None, chunk: int) -> Iterator[bytes]:
    with fh:
        if rng is None:
            while data := fh.read(chunk):
                yield data
            return
        fh.seek(rng.start)
        left = rng.length
        while left > 0:
            data = fh.read(min(chunk, left))
            if not data:
                return
            left -= len(data)
            yield data


def _position(digits: str) -> int | None:
    if not digits:
        return None
    significant = digits.lstrip("0") or "0"
    return 10**_MAX_DIGITS if len(significant) > _MAX_DIGITS else int(significant)


def _resolve(first: int | None, last: int | None, size: int) -> tuple[int, int] | None:
    """One range-spec as inclusive positions in the resource, or ``None`` if it is unsatisfiable."""
    if first is None:  # suffix-range "-n"
        assert last is not None
        return (max(0, size - last), size - 1) if last > 0 else None
    if first >= size:
        return None
    return first, size - 1 if last is None else min(last, size - 1)
