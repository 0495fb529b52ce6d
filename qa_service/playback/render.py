"""The WAV a listener gets: the stored recording decoded, PII spans bleeped, cut to the asked clip,
cached on disk so repeated (and Range) requests read the same file.

Output format: PCM16 WAV at :data:`~qa_service.domain.SAMPLE_RATE` (16 kHz, what the project's
decoder yields for every input) with the recording's channels kept (a stereo call stays stereo:
agent and customer on their own sides). Contact-centre audio is 8 kHz telephony, so 16 kHz loses
nothing of it; wide-band uploads lose only the band above 8 kHz, which speech QA does not need.

A bleep replaces the span on every channel with a 1 kHz sine at :data:`TONE_LEVEL` (about −14 dBFS),
its phase taken from the absolute position in the recording (a clip's bleep is sample for sample the
same as the full rendition's); the tone fades in and out over :data:`TONE_RAMP_S` inside the span,
and nothing of the original is kept inside it.

Cache: ``<data_dir>/cache/playback/<sha256[:12]>-<key>.wav``, the key a hash of the recording's
sha256, the bleep spans and the clip (in output samples) and :data:`FORMAT_VERSION`. Files are
written to a temporary name and renamed into place, so a reader never sees a half-written one and two
requests rendering the same key at once both end with a whole file. After each render the cache is
pruned to the newest :data:`CACHE_MAX_FILES` files and :data:`CACHE_MAX_BYTES` bytes (a hit refreshes
a file's mtime, so this is least-recently-used).
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import tempfile
import time
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from qa_service.domain import SAMPLE_RATE, to_pcm16
from qa_service.errors import InvalidRequest, StorageUnavailable
from qa_service.pipeline.decode import decode_audio
from qa_service.playback.spans import TimeSpan, check_clip, merge_spans
from qa_service.settings import Settings

log = logging.getLogger(__name__)

#: Bump when the rendering changes, so cached files of the old rendering are not served.
FORMAT_VERSION = 1
MEDIA_TYPE = "audio/wav"
TONE_HZ = 1000.0
#: Peak amplitude of the bleep tone (full scale = 1.0): about −14 dBFS, clearly audible, not harsh.
TONE_LEVEL = 0.2
TONE_RAMP_S = 0.005
CACHE_MAX_FILES = 256
CACHE_MAX_BYTES = 2 * 1024**3
#: A temporary file older than this is left over from a crashed render and is removed when pruning.
STALE_TMP_S = 600.0
_HEX = frozenset("0123456789abcdef")


@dataclass(frozen=True)
class Rendition:
    """A rendered WAV in the playback cache, ready to stream (whole or by Range)."""

    path: Path
    size_bytes: int
    duration_s: float
    sample_rate: int
    channels: int
    media_type: str = MEDIA_TYPE

    @property
    def etag(self) -> str:
        """A strong ``ETag`` for the file (its cache key: the same bytes whenever it is the same)."""
        return f'"{self.path.stem}"'


def playback_cache_dir(settings: Settings) -> Path:
    return settings.data_dir / "cache" / "playback"


def render_audio(
    settings: Settings,
    *,
    audio_path: Path,
    sha256: str,
    bleep: Sequence[TimeSpan],
    clip: TimeSpan | None,
) -> Rendition:
    """The recording at ``audio_path`` (whose content hash is ``sha256``) as a cached PCM16 WAV, with
    ``bleep`` spans (seconds from the recording's start) replaced by a tone and cut to ``clip``.

    ``clip`` is in seconds from the recording's start; an end past the recording is cut to it
    (``math.inf`` for "to the end"). Raises :class:`InvalidRequest` (``field`` ``"start"``/``"end"``)
    for a clip with ``start < 0``, ``end <= start`` or ``start`` at or past the end of the recording,
    and :class:`~qa_service.errors.AudioDecodeError` when the recording cannot be decoded.
    """
    if len(sha256) != 64 or not _HEX.issuperset(sha256):
        raise InvalidRequest(f"not a sha256 hex digest: {sha256[:80]!r}", field="sha256")
    if clip is not None:
        check_clip(clip)
    spans = _checked_bleep(bleep)
    directory = playback_cache_dir(settings)
    target = directory / f"{sha256[:12]}-{_cache_key(sha256, spans, clip)}.wav"
    cached = _cached(target)
    if cached is not None:
        log.debug("playback cache hit %s", target.name)
        return cached

    started = time.perf_counter()
    audio = decode_audio(audio_path)
    samples = audio.samples
    rate = audio.sample_rate
    first, stop = 0, audio.frames
    if clip is not None:
        check_clip(clip, audio.duration)
        first = math.floor(clip.start * rate)
        stop = max(first + 1, min(audio.frames, _frame_ceil(clip.end, rate, audio.frames)))
    out = np.array(samples[:, first:stop], dtype=np.float32, copy=True)
    for span in spans:
        a = max(first, math.floor(span.start * rate))
        b = min(stop, _frame_ceil(span.end, rate, audio.frames))
        if b > a:
            out[:, a - first : b - first] = _tone_window(span, rate, a, b)
    _write_wav_atomically(target, out, rate)
    rendition = _cached(target) or _describe(target, out, rate)
    log.info("rendered %s: %.1f s, %d channel(s), %d bleep span(s) in %.0f ms", target.name,
             rendition.duration_s, rendition.channels, len(spans), (time.perf_counter() - started) * 1000)
    prune_cache(settings, max_files=CACHE_MAX_FILES, max_bytes=CACHE_MAX_BYTES, keep=target)
    return rendition


def prune_cache(
    settings: Settings,
    *,
    max_files: int = CACHE_MAX_FILES,
    max_bytes: int = CACHE_MAX_BYTES,
    keep: Path | None = None,
) -> int:
    """Remove the least recently used renditions beyond ``max_files``/``max_bytes`` (never ``keep``)
    and stale temporary files; returns how many renditions were removed."""
    directory = playback_cache_dir(settings)
    if not directory.is_dir():
        return 0
    now = time.time()
    entries: list[tuple[float, int, Path]] = []
    for path in directory.iterdir():
        try:
            st = path.stat()
        except FileNotFoundError:
            continue
        if path.suffix == ".tmp":
            if now - st.st_mtime > STALE_TMP_S:
                _unlink(path)
        elif path.suffix == ".wav":
            entries.append((st.st_mtime, st.st_size, path))
    entries.sort(key=lambda e: (e[2] != keep, -e[0]))  # ``keep`` first, then newest first
    removed = 0
    count = total = 0
    for _mtime, size, path in entries:
        if path == keep or (count < max_files and total + size <= max_bytes):
            count += 1
            total += size
            continue
        if _unlink(path):
            removed += 1
    if removed:
        log.info("playback cache: removed %d old rendition(s), %d kept (%.1f MiB)", removed, count, total / 2**20)
    return removed


def drop_cached(settings: Settings, sha256: str) -> int:
    """Remove every cached rendition of the recording ``sha256`` (e.g. when the call is deleted);
    returns how many files were removed."""
    if len(sha256) != 64 or not _HEX.issuperset(sha256):
        raise InvalidRequest(f"not a sha256 hex digest: {sha256[:80]!r}", field="sha256")
    directory = playback_cache_dir(settings)
    if not directory.is_dir():
        return 0
    return sum(_unlink(p) for p in directory.glob(f"{sha256[:12]}-*.wav"))


# ---------------------------------------------------------------------------------------------------
def _cache_key(sha256: str, spans: Sequence[TimeSpan], clip: TimeSpan | None) -> str:
    """A hash of everything the rendered bytes depend on, positions in output samples."""
    rate = SAMPLE_RATE
    parts = [f"v{FORMAT_VERSION}", sha256, f"{rate}Hz", f"tone{TONE_HZ:g}@{TONE_LEVEL:g}/{TONE_RAMP_S:g}"]
    parts.append("bleep:" + ",".join(f"{_frame_floor(s.start, rate)}-{_frame_key(s.end, rate)}" for s in spans))
    parts.append("clip:" + ("-" if clip is None else f"{_frame_floor(clip.start, rate)}-{_frame_key(clip.end, rate)}"))
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:40]


def _checked_bleep(bleep: Sequence[TimeSpan]) -> tuple[TimeSpan, ...]:
    for span in bleep:
        if not math.isfinite(span.start) or math.isnan(span.end):
            raise InvalidRequest(f"bleep span {span.start!r}-{span.end!r} is not a time span", field="bleep")
    return merge_spans(TimeSpan(max(0.0, s.start), s.end) for s in bleep)


def _frame_floor(t: float, rate: int) -> int:
    return max(0, math.floor(t * rate)) if math.isfinite(t) else 0


def _frame_key(t: float, rate: int) -> str:
    return str(math.ceil(t * rate)) if math.isfinite(t) else "end"


def _frame_ceil(t: float, rate: int, frames: int) -> int:
    return min(frames, math.ceil(t * rate)) if math.isfinite(t) else frames


def _tone_window(span: TimeSpan, rate: int, a: int, b: int) -> npt.NDArray[np.float32]:
    """The tone for output frames ``a``..``b`` (absolute), enveloped over the whole span."""
    n = np.arange(a, b, dtype=np.float64)
    tone = TONE_LEVEL * np.sin(2 * np.pi * TONE_HZ * n / rate)
    span_a = math.floor(span.start * rate)
    span_b = math.ceil(span.end * rate) if math.isfinite(span.end) else b
    ramp = max(1.0, min(TONE_RAMP_S * rate, (span_b - span_a) / 2))
    envelope = np.clip(np.minimum(n - span_a + 1, span_b - n) / ramp, 0.0, 1.0)
    return (tone * envelope).astype(np.float32)


def _to_pcm16(samples: npt.NDArray[np.float32]) -> bytes:
    """Float (channels, frames) to interleaved little-endian PCM16 (the inverse of the decoder's /32768)."""
    return np.ascontiguousarray(to_pcm16(samples).T).tobytes()


def _write_wav_atomically(target: Path, samples: npt.NDArray[np.float32], rate: int) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                with wave.open(fh, "wb") as w:
                    w.setnchannels(int(samples.shape[0]))
                    w.setsampwidth(2)
                    w.setframerate(rate)
                    w.writeframes(_to_pcm16(samples))
                fh.flush()
            os.replace(tmp_name, target)
            tmp_name = ""
        finally:
            if tmp_name:
                _unlink(Path(tmp_name))
    except OSError as exc:
        raise StorageUnavailable(f"playback cache {target.parent} is not writable: {exc.strerror or exc}",
                                 root=str(target.parent)) from exc


def _cached(path: Path) -> Rendition | None:
    """The rendition at ``path`` if it is there and whole (its mtime refreshed), else ``None``."""
    try:
        with wave.open(str(path), "rb") as w:
            frames, rate, channels, width = w.getnframes(), w.getframerate(), w.getnchannels(), w.getsampwidth()
        size = path.stat().st_size
        os.utime(path)
    except (OSError, EOFError, wave.Error):
        return None
    if width != 2 or rate <= 0 or size < 44 + frames * channels * 2:
        return None
    return Rendition(path=path, size_bytes=size, duration_s=frames / rate, sample_rate=rate, channels=channels)


def _describe(path: Path, samples: npt.NDArray[np.float32], rate: int) -> Rendition:
    channels, frames = int(samples.shape[0]), int(samples.shape[1])
    return Rendition(path=path, size_bytes=44 + frames * channels * 2, duration_s=frames / rate,
                     sample_rate=rate, channels=channels)


def _unlink(path: Path) -> bool:
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    except OSError as exc:
        log.warning("playback cache: cannot remove %s: %s", path.name, exc.strerror or exc)
        return False
    return True
