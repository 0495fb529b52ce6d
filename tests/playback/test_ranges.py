from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from svc_support import write_wav

from qa_service.errors import InvalidRequest, RangeNotSatisfiable
from qa_service.playback import ByteRange, TimeSpan, parse_range, read_range, render_audio, unsatisfiable_content_range
from qa_service.settings import Settings

SIZE = 1000


@pytest.mark.parametrize(("header", "expected"), [
    ("bytes=0-499", (0, 499)),
    ("bytes=500-", (500, 999)),
    ("bytes=-200", (800, 999)),
    ("bytes=0-0", (0, 0)),
    ("bytes=999-999", (999, 999)),
    ("bytes=999-", (999, 999)),
    ("bytes=-1", (999, 999)),
    ("bytes=-2000", (0, 999)),  # suffix longer than the resource: all of it
    ("bytes=990-5000", (990, 999)),  # last-pos past the end: cut to the end
    ("bytes=0-99999999999999999999999999999", (0, 999)),
    ("bytes=-" + "9" * 5000, (0, 999)),
    ("bytes=" + "0" * 5000 + "-", (0, 999)),
    ("bytes=007-010", (7, 10)),
    ("BYTES=0-1", (0, 1)),  # the unit is case-insensitive
    ("  bytes=0-1  ", (0, 1)),
    ("bytes=0-1, 5-9", (0, 9)),  # several ranges: the one range spanning them
    ("bytes=-10,0-1", (0, 999)),
    ("bytes=0-1,2000-3000", (0, 1)),  # unsatisfiable parts are dropped
    ("bytes=,0-1,", (0, 1)),  # empty list elements are allowed
])
def test_parse_range(header: str, expected: tuple[int, int]) -> None:
    rng = parse_range(header, SIZE)
    assert rng is not None
    assert (rng.start, rng.end, rng.size) == (*expected, SIZE)


@pytest.mark.parametrize("header", [
    None, "", "bytes", "bytes=", "bytes=,", "bytes=abc", "bytes=5-1", "bytes=0-1,5-1", "items=0-1", "bytes=--1",
    "bytes=1-2-3", "bytes=-", "bytes 0-1", "bytes=0x10-", "bytes=+1-2", "bytes=1 - 2", "bytes=0-1;q=1",
    "bytes=٣-٤",  # non-ASCII digits are not DIGIT
    "bytes=" + ",".join(["0-1"] * 65),
])
def test_invalid_header_is_ignored(header: str | None) -> None:
    assert parse_range(header, SIZE) is None


@pytest.mark.parametrize("header", ["bytes=1000-", "bytes=1000-2000", "bytes=5000-", "bytes=-0",
                                    "bytes=99999999999999999999999-", "bytes=1000-,-0,2000-2001"])
def test_unsatisfiable(header: str) -> None:
    with pytest.raises(RangeNotSatisfiable) as err:
        parse_range(header, SIZE)
    assert err.value.details["size"] == SIZE
    assert isinstance(err.value, InvalidRequest)


def test_empty_resource() -> None:
    with pytest.raises(RangeNotSatisfiable):
        parse_range("bytes=0-", 0)
    assert parse_range("bytes=-5", 0) is None  # a non-zero suffix of nothing: the (empty) whole
    assert parse_range(None, 0) is None


def test_byte_range_headers() -> None:
    rng = ByteRange(0, 0, 10)
    assert rng.length == 1 and rng.content_range == "bytes 0-0/10"
    assert ByteRange(5, 9, 10).length == 5
    assert ByteRange(5, 9, 10).content_range == "bytes 5-9/10"
    assert unsatisfiable_content_range(10) == "bytes */10"
    for bad in ((5, 4, 10), (0, 10, 10), (-1, 3, 10)):
        with pytest.raises(ValueError):
            ByteRange(*bad)


@pytest.fixture
def blob(tmp_path: Path) -> tuple[Path, bytes]:
    data = np.random.default_rng(1).integers(0, 256, 200_003, dtype=np.uint8).tobytes()
    path = tmp_path / "blob.bin"
    path.write_bytes(data)
    return path, data


@pytest.mark.parametrize("chunk", [1 << 16, 1000, 7])
def test_read_range_yields_exactly_the_bytes(blob: tuple[Path, bytes], chunk: int) -> None:
    path, data = blob
    size = len(data)
    assert b"".join(read_range(path, None, chunk)) == data
    for header in ("bytes=0-0", "bytes=-1", "bytes=65535-65536", "bytes=100-", "bytes=-70000", "bytes=3-131075"):
        rng = parse_range(header, size)
        assert rng is not None
        parts = list(read_range(path, rng, chunk))
        assert b"".join(parts) == data[rng.start : rng.end + 1]
        assert sum(map(len, parts)) == rng.length
        assert all(0 < len(p) <= chunk for p in parts)


def test_read_range_opens_the_file_when_called(blob: tuple[Path, bytes], tmp_path: Path) -> None:
    path, data = blob
    stream = read_range(path, ByteRange(10, 20, len(data)))
    replacement = tmp_path / "new.bin"
    replacement.write_bytes(b"x" * len(data))
    os.replace(replacement, path)  # the cache re-rendered or evicted the file meanwhile
    assert b"".join(stream) == data[10:21]


def test_read_range_stops_at_a_short_file(blob: tuple[Path, bytes]) -> None:
    path, data = blob
    assert b"".join(read_range(path, ByteRange(199_000, 299_999, 300_000))) == data[199_000:]
    with pytest.raises(ValueError):
        read_range(path, None, 0)
    with pytest.raises(FileNotFoundError):
        read_range(path.with_name("gone.bin"), None)


def test_rendition_by_range(settings: Settings, tmp_path: Path) -> None:
    audio = write_wav(tmp_path / "call.wav", seed=2, seconds=1.0)
    out = render_audio(settings, audio_path=audio, sha256="ef" * 32, bleep=(TimeSpan(0.2, 0.4),), clip=None)
    whole = out.path.read_bytes()
    rng = parse_range("bytes=44-", out.size_bytes)  # everything after the WAV header
    assert rng is not None and rng.content_range == f"bytes 44-{out.size_bytes - 1}/{out.size_bytes}"
    assert b"".join(read_range(out.path, rng)) == whole[44:]
    assert b"".join(read_range(out.path, None)) == whole
