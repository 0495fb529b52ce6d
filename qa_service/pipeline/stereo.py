"""Stereo calls: one speaker per channel, so speakers come from channels and nothing is diarized.

Each channel is transcribed on its own (VAD skips the stretches where only the other side talks).
Echo and cross-talk (the agent's voice leaking faintly into the customer's channel) would otherwise be
transcribed twice: a word is dropped from a channel when the other channel is much louder at that time
and says near-identical text there (or most of its segment is such an echo). Speaker turns are the
stretches where a channel is active in its own right (level above its noise floor and not just the
other channel's echo) and where the channel's recognised words lie.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from qa_service.domain import AsrResult, AsrSegment, Audio, Diarization, SpeakerTurn, Word
from qa_service.pipeline.roles import channel_label
from qa_service.pipeline.transcribe import Transcriber, speech_regions
from qa_service.progress import ProgressHook, no_progress

FRAME_S = 0.01  # level frames of 10 ms


@dataclass(frozen=True)
class CrosstalkOptions:
    echo_db: float = 12.0  # the other channel this much louder → this channel's signal may be its echo
    min_similarity: float = 75.0  # rapidfuzz ratio (0-100) for "near-identical text"
    search_s: float = 0.5  # how far around a word to look for its twin on the other channel
    fill_gap_s: float = 0.6  # pauses shorter than this inside one channel's speech stay in the turn
    min_turn_s: float = 0.15


def transcribe_channels(audio: Audio, transcriber: Transcriber, language: str | None,
                        hook: ProgressHook = no_progress, hints: Sequence[str] = ()) -> tuple[AsrResult, ...]:
    """Each channel transcribed separately; results carry their channel index."""
    results = []
    total = audio.duration * audio.channels
    for ch in range(audio.channels):
        channel_hook = _OffsetHook(hook, ch * audio.duration, total)
        result = transcriber.transcribe(audio.channel(ch), language, channel_hook, hints)
        segments = tuple(replace(s, channel=ch) for s in result.segments)
        results.append(replace(result, segments=segments, channel=ch))
    return tuple(results)


@dataclass(frozen=True)
class _OffsetHook:
    """Reports one channel's progress as part of the whole call's."""

    hook: ProgressHook
    offset: float
    total: float

    def __call__(self, stage: str, completed: float, total: float) -> None:
        self.hook(stage, self.offset + completed, self.total)


def channel_levels(audio: Audio) -> npt.NDArray[np.float64]:
    """Per channel, the level of every 10 ms frame in dBFS: shape (channels, frames)."""
    hop = round(FRAME_S * audio.sample_rate)
    n = audio.frames // hop
    frames = audio.samples[:, : n * hop].reshape(audio.channels, n, hop).astype(np.float64)
    power = np.mean(frames**2, axis=2)
    return 10.0 * np.log10(np.maximum(power, 1e-10))


def suppress_crosstalk(results: Sequence[AsrResult], audio: Audio,
                       options: CrosstalkOptions = CrosstalkOptions()) -> tuple[AsrResult, ...]:
    """Drop echoed words: the other channel much louder there and saying near-identical text."""
    if len(results) != 2 or audio.channels != 2:
        return tuple(results)
    levels = channel_levels(audio)
    cleaned = []
    for res in results:
        other = results[1 - res.channel]
        segments = []
        for seg in res.segments:
            echo = [_is_louder_elsewhere(w, levels, res.channel, options) for w in seg.words]
            twin = [e and _has_twin(w, other.words, options) for w, e in zip(seg.words, echo, strict=True)]
            mostly_echo = sum(twin) >= max(1, len(seg.words) // 2)
            kept = tuple(w for w, e, t in zip(seg.words, echo, twin, strict=True)
                         if not (t or (e and mostly_echo)))
            if kept:
                segments.append(_with_words(seg, kept))
        cleaned.append(replace(res, segments=tuple(segments)))
    return tuple(cleaned)


def _with_words(seg: AsrSegment, words: tuple[Word, ...]) -> AsrSegment:
    if words == seg.words:
        return seg
    from qa_service.pipeline.align import join_words

    return replace(seg, words=words, text=join_words(w.text for w in words),
                   start=words[0].start, end=words[-1].end)


def _span(levels: npt.NDArray[np.float64], start: float, end: float) -> slice:
    a = max(0, int(start / FRAME_S))
    return slice(a, max(a + 1, int(np.ceil(end / FRAME_S))))


def _is_louder_elsewhere(word: Word, levels: npt.NDArray[np.float64], channel: int,
                         options: CrosstalkOptions) -> bool:
    span = _span(levels, word.start, word.end)
    own = _mean_db(levels[channel, span])
    other = _mean_db(levels[1 - channel, span])
    return other - own >= options.echo_db


def _mean_db(values: npt.NDArray[np.float64]) -> float:
    if values.size == 0:
        return -100.0
    return float(10.0 * np.log10(np.mean(10.0 ** (values / 10.0))))


def _has_twin(word: Word, others: Sequence[Word], options: CrosstalkOptions) -> bool:
    from rapidfuzz import fuzz

    text = _norm(word.text)
    if not text:
        return True  # punctuation only, inside the other channel's speech
    lo, hi = word.start - options.search_s, word.end + options.search_s
    near = [w for w in others if w.end >= lo and w.start <= hi]
    if not near:
        return False
    joined = "".join(_norm(w.text) for w in near)
    return any(fuzz.ratio(text, _norm(w.text)) >= options.min_similarity for w in near) or (
        len(text) >= 2 and fuzz.partial_ratio(text, joined) >= options.min_similarity
    )


def _norm(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def channel_turns(results: Sequence[AsrResult], audio: Audio,
                  options: CrosstalkOptions = CrosstalkOptions()) -> Diarization:
    """Speaker turns per channel: own-signal activity (not the other side's echo) that is speech by
    Silero VAD or holds the channel's recognised words; words outside such activity add their span."""
    levels = channel_levels(audio)
    turns: list[SpeakerTurn] = []
    for res in results:
        speaker = channel_label(res.channel)
        regions = _active_regions(levels, res.channel, options)
        speech = [(w.start, w.end) for w in res.words] + speech_regions(audio.samples[res.channel])
        confirmed = [(a, b) for a, b in regions if any(e > a and s < b for s, e in speech)]
        words = res.words
        # Whisper's last word of a turn often runs on into the silence after it: words close to the
        # channel's speech belong to it; only words far from any add a turn of their own.
        gap = options.fill_gap_s
        orphan = [w for w in words if not any(w.end > a - gap and w.start < b + gap for a, b in confirmed)]
        spans = sorted(confirmed + [(w.start, w.end) for w in orphan])
        turns.extend(SpeakerTurn(speaker, a, b) for a, b in _merge(spans, options.fill_gap_s))
    turns.sort(key=lambda t: (t.start, t.speaker))
    speakers = tuple(dict.fromkeys(t.speaker for t in turns))
    all_speakers = speakers + tuple(channel_label(r.channel) for r in results
                                    if channel_label(r.channel) not in speakers)
    return Diarization(tuple(turns), all_speakers, method="channels")


def _active_regions(levels: npt.NDArray[np.float64], channel: int,
                    options: CrosstalkOptions) -> list[tuple[float, float]]:
    own = levels[channel]
    if own.size == 0:
        return []
    noise, speech = float(np.percentile(own, 10)), float(np.percentile(own, 99))
    threshold = max(noise + 10.0, speech - 35.0)
    active = own > threshold
    if levels.shape[0] == 2:
        active &= own > levels[1 - channel] - options.echo_db
    edges = np.flatnonzero(np.diff(np.concatenate(([0], active.astype(np.int8), [0]))))
    raw = [(s * FRAME_S, e * FRAME_S) for s, e in zip(edges[::2], edges[1::2], strict=True)]
    return [r for r in _merge(raw, options.fill_gap_s) if r[1] - r[0] >= options.min_turn_s]


def _merge(spans: Sequence[tuple[float, float]], gap: float) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for a, b in sorted(spans):
        if out and a - out[-1][1] <= gap:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def channel_only(diarization: Diarization, channel: int) -> Diarization:
    """The turns of one channel's speaker (stereo words are aligned within their own channel)."""
    label = channel_label(channel)
    turns = tuple(t for t in diarization.turns if t.speaker == label)
    return Diarization(turns, (label,), method=diarization.method)
