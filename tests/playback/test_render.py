from __future__ import annotations

import math
import os
import threading
import wave
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from svc_support import write_corrupt, write_wav

from qa_service.errors import AudioDecodeError, InvalidRequest
from qa_service.pipeline.decode import decode_audio
from qa_service.playback import (
    Rendition,
    TimeSpan,
    drop_cached,
    playback_cache_dir,
    prune_cache,
    render,
    render_audio,
)
from qa_service.settings import Settings

RATE = 16_000
SHA = "ab" * 32
SPANS = (TimeSpan(0.5, 1.0), TimeSpan(2.0, 2.25))


def _pcm(path: Path) -> tuple[int, npt.NDArray[np.int64]]:
    """(rate, int samples (channels, frames)) of a PCM16 WAV."""
    with wave.open(str(path), "rb") as w:
        assert w.getsampwidth() == 2
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
        return w.getframerate(), data.reshape(-1, w.getnchannels()).T.astype(np.int64)


def _original(path: Path) -> npt.NDArray[np.int64]:
    """The recording as the project decodes it, in PCM16 steps."""
    return np.rint(decode_audio(path).samples.astype(np.float64) * 32768).astype(np.int64)


def _share_near(x: npt.NDArray[np.float64], hz: float, rate: int = RATE, width: float = 25.0) -> float:
    """Share of the signal's energy within ``width`` Hz of ``hz``."""
    power = np.abs(np.fft.rfft(x * np.hanning(x.size))) ** 2
    freqs = np.fft.rfftfreq(x.size, 1 / rate)
    return float(power[np.abs(freqs - hz) <= width].sum() / power.sum())


def _mask(frames: int, spans: tuple[TimeSpan, ...], offset: float = 0.0) -> npt.NDArray[np.bool_]:
    inside = np.zeros(frames, dtype=bool)
    for s in spans:
        inside[max(0, math.floor((s.start - offset) * RATE)) : max(0, math.ceil((s.end - offset) * RATE))] = True
    return inside


@pytest.fixture
def stereo(tmp_path: Path) -> Path:
    return write_wav(tmp_path / "call.wav", seed=7, seconds=3.0, channels=2)  # 207 Hz tone + noise


def test_bleeps_with_a_tone_and_keeps_the_rest(settings: Settings, stereo: Path) -> None:
    out = render_audio(settings, audio_path=stereo, sha256=SHA, bleep=SPANS, clip=None)
    assert isinstance(out, Rendition)
    assert (out.media_type, out.sample_rate, out.channels) == ("audio/wav", RATE, 2)
    assert out.duration_s == pytest.approx(3.0)
    assert out.size_bytes == out.path.stat().st_size
    assert out.path.parent == settings.data_dir / "cache" / "playback"
    rate, got = _pcm(out.path)
    original = _original(stereo)
    assert rate == RATE and got.shape == original.shape
    inside = _mask(got.shape[1], SPANS)
    np.testing.assert_array_equal(got[:, ~inside], original[:, ~inside])
    for ch in range(2):
        for s in SPANS:
            seg = got[ch, int(s.start * RATE) + 100 : int(s.end * RATE) - 100].astype(np.float64) / 32768
            assert _share_near(seg, 1000.0) > 0.99
            assert _share_near(seg, 207.0) < 1e-3  # nothing of the call is left in the span
            assert np.sqrt(np.mean(seg**2)) == pytest.approx(0.2 / np.sqrt(2), rel=0.02)  # about −17 dBFS RMS
        before = got[ch, : int(0.5 * RATE)].astype(np.float64) / 32768
        assert _share_near(before, 1000.0) < 0.01
        assert _share_near(before, 207.0) > 0.9


def test_no_bleep_is_the_decoded_recording(settings: Settings, stereo: Path) -> None:
    out = render_audio(settings, audio_path=stereo, sha256=SHA, bleep=(), clip=None)
    np.testing.assert_array_equal(_pcm(out.path)[1], _original(stereo))


def test_clip_cuts_the_time_range(settings: Settings, stereo: Path) -> None:
    full = render_audio(settings, audio_path=stereo, sha256=SHA, bleep=SPANS, clip=None)
    clip = render_audio(settings, audio_path=stereo, sha256=SHA, bleep=SPANS, clip=TimeSpan(1.0, 2.5))
    assert clip.path != full.path
    assert clip.duration_s == pytest.approx(1.5)
    _, whole = _pcm(full.path)
    _, part = _pcm(clip.path)
    assert part.shape == (2, 24_000)
    np.testing.assert_array_equal(part, whole[:, 16_000:40_000])  # same bleep, same phase


def test_clip_end_past_the_recording_is_cut(settings: Settings, stereo: Path) -> None:
    out = render_audio(settings, audio_path=stereo, sha256=SHA, bleep=(), clip=TimeSpan(2.0, math.inf))
    assert out.duration_s == pytest.approx(1.0)
    out = render_audio(settings, audio_path=stereo, sha256=SHA, bleep=(), clip=TimeSpan(2.5, 60.0))
    np.testing.assert_array_equal(_pcm(out.path)[1], _original(stereo)[:, 40_000:])


@pytest.mark.parametrize(("clip", "field"), [(TimeSpan(3.0, 4.0), "start"), (TimeSpan(7.0, 9.0), "start"),
                                             (TimeSpan(-0.5, 1.0), "start"), (TimeSpan(2.0, 1.0), "end"),
                                             (TimeSpan(1.0, 1.0), "end"), (TimeSpan(math.nan, 1.0), "start")])
def test_bad_clip(settings: Settings, stereo: Path, clip: TimeSpan, field: str) -> None:
    with pytest.raises(InvalidRequest) as err:
        render_audio(settings, audio_path=stereo, sha256=SHA, bleep=(), clip=clip)
    assert err.value.details["field"] == field
    assert not list(playback_cache_dir(settings).glob("*.wav"))


def test_mono_telephony_rate_comes_out_16k_mono(settings: Settings, tmp_path: Path) -> None:
    path = write_wav(tmp_path / "tel.wav", seed=3, seconds=2.0, channels=1, rate=8000)
    out = render_audio(settings, audio_path=path, sha256=SHA, bleep=(TimeSpan(0.5, 1.5),), clip=None)
    assert (out.channels, out.sample_rate) == (1, RATE)
    assert out.duration_s == pytest.approx(2.0)
    _, got = _pcm(out.path)
    seg = got[0, 9000:23000].astype(np.float64) / 32768
    assert _share_near(seg, 1000.0) > 0.99


def test_repeated_request_reads_the_cache(settings: Settings, stereo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    decodes: list[Path] = []

    def counting(path: Path) -> object:
        decodes.append(path)
        return decode_audio(path)

    monkeypatch.setattr(render, "decode_audio", counting)
    first = render_audio(settings, audio_path=stereo, sha256=SHA, bleep=SPANS, clip=None)
    os.utime(first.path, (1_000_000, 1_000_000))
    again = render_audio(settings, audio_path=stereo, sha256=SHA, bleep=list(SPANS), clip=None)
    assert len(decodes) == 1
    assert again == first
    assert first.path.stat().st_mtime > 1_000_000  # a hit refreshes the file for the LRU
    other = render_audio(settings, audio_path=stereo, sha256=SHA, bleep=SPANS[:1], clip=None)
    clipped = render_audio(settings, audio_path=stereo, sha256=SHA, bleep=SPANS, clip=TimeSpan(0.0, 1.0))
    other_sha = render_audio(settings, audio_path=stereo, sha256="cd" * 32, bleep=SPANS, clip=None)
    assert len(decodes) == 4
    assert len({first.path, other.path, clipped.path, other_sha.path}) == 4
    assert first.etag == f'"{first.path.stem}"'
    assert not list(playback_cache_dir(settings).glob("*.tmp"))


def test_truncated_cache_file_is_rendered_again(settings: Settings, stereo: Path) -> None:
    first = render_audio(settings, audio_path=stereo, sha256=SHA, bleep=SPANS, clip=None)
    good = first.path.read_bytes()
    first.path.write_bytes(good[: len(good) // 2])
    again = render_audio(settings, audio_path=stereo, sha256=SHA, bleep=SPANS, clip=None)
    assert again.path.read_bytes() == good


def test_concurrent_renders_of_one_key_all_get_a_whole_file(settings: Settings, stereo: Path) -> None:
    results: list[bytes] = []
    errors: list[BaseException] = []

    def one() -> None:
        try:
            out = render_audio(settings, audio_path=stereo, sha256=SHA, bleep=SPANS, clip=None)
            results.append(out.path.read_bytes())
        except BaseException as exc:  # collected and re-raised by the test
            errors.append(exc)

    threads = [threading.Thread(target=one) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(results) == 6 and len(set(results)) == 1
    assert len(results[0]) == 44 + 3 * RATE * 2 * 2
    assert not list(playback_cache_dir(settings).glob("*.tmp"))


def test_unreadable_audio(settings: Settings, tmp_path: Path) -> None:
    with pytest.raises(AudioDecodeError):
        render_audio(settings, audio_path=write_corrupt(tmp_path / "bad.wav"), sha256=SHA, bleep=(), clip=None)
    with pytest.raises(AudioDecodeError):
        render_audio(settings, audio_path=tmp_path / "missing.wav", sha256=SHA, bleep=(), clip=None)


def test_bad_arguments(settings: Settings, stereo: Path) -> None:
    for sha in ("../../etc/passwd", "AB" * 32, "ab" * 31):
        with pytest.raises(InvalidRequest) as err:
            render_audio(settings, audio_path=stereo, sha256=sha, bleep=(), clip=None)
        assert err.value.details["field"] == "sha256"
    with pytest.raises(InvalidRequest) as err:
        render_audio(settings, audio_path=stereo, sha256=SHA, bleep=(TimeSpan(math.nan, 1.0),), clip=None)
    assert err.value.details["field"] == "bleep"


def test_prune_keeps_the_newest(settings: Settings, stereo: Path) -> None:
    outs = [render_audio(settings, audio_path=stereo, sha256=SHA, bleep=(), clip=TimeSpan(0.0, 0.5 + i * 0.1))
            for i in range(4)]
    for i, out in enumerate(outs):
        os.utime(out.path, (1_000_000 + i, 1_000_000 + i))
    stale = playback_cache_dir(settings) / ".x.tmp"
    stale.write_bytes(b"half")
    os.utime(stale, (1_000_000, 1_000_000))
    fresh_tmp = playback_cache_dir(settings) / ".y.tmp"
    fresh_tmp.write_bytes(b"being written")
    assert prune_cache(settings, max_files=2, keep=outs[0].path) == 2
    assert [o.path.exists() for o in outs] == [True, False, False, True]
    assert not stale.exists() and fresh_tmp.exists()
    assert prune_cache(settings, max_bytes=outs[3].size_bytes) == 1  # the oldest goes first
    assert [o.path.exists() for o in outs] == [False, False, False, True]


def test_cache_is_bounded_while_rendering(
    settings: Settings, stereo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(render, "CACHE_MAX_FILES", 3)
    for i in range(6):
        render_audio(settings, audio_path=stereo, sha256=SHA, bleep=(), clip=TimeSpan(0.0, 0.5 + i * 0.1))
    assert len(list(playback_cache_dir(settings).glob("*.wav"))) == 3


def test_drop_cached_removes_one_recording(settings: Settings, stereo: Path) -> None:
    mine = render_audio(settings, audio_path=stereo, sha256=SHA, bleep=(), clip=None)
    mine_clip = render_audio(settings, audio_path=stereo, sha256=SHA, bleep=(), clip=TimeSpan(0.0, 1.0))
    other = render_audio(settings, audio_path=stereo, sha256="cd" * 32, bleep=(), clip=None)
    assert drop_cached(settings, SHA) == 2
    assert not mine.path.exists() and not mine_clip.path.exists() and other.path.exists()
