"""ASR behind a small protocol; the faster-whisper adapter converts its types to the domain's at the edge.

Word timestamps and Silero VAD are always on. Mandarin is forced with ``language='zh'`` where the call's
language is known (Whisper base mistakes short Mandarin clips for Thai) and converted traditional →
simplified at the edge (prompting in simplified Chinese made Whisper base echo the prompt as text, so
it is off by default). Hotwords from settings (bank and product names) go into Whisper's prompt.
Decoding loops ("您好,您好,您好,…"), which Whisper produces on hard audio, are cut at the edge too.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import numpy.typing as npt

from qa_service.domain import SAMPLE_RATE, AsrResult, AsrSegment, Audio, Word
from qa_service.errors import ModelLoadError
from qa_service.intervals import subtract
from qa_service.pipeline.align import join_words
from qa_service.progress import ProgressHook, no_progress
from qa_service.text import ToSimplified

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

log = logging.getLogger(__name__)

_T2S = ToSimplified(phrases=True)

#: Speech this long (s) with no recognised word in it is transcribed again (see ``_recover_skipped``).
_MIN_SKIPPED_S = 2.0
_COVER_PAD_S = 0.3

_TOKEN_ALLOWANCE = 16  # tokens on top of the per-second cap (timestamps, punctuation)
_MAX_NEW_TOKENS = 440  # below Whisper's 448-token context, less its prompt

#: Prompt that steers Whisper towards simplified characters and punctuation for Mandarin.
ZH_PROMPT = "以下是普通话的句子，使用简体中文。"


class Transcriber(Protocol):
    def transcribe(self, audio: Audio, language: str | None, hook: ProgressHook = no_progress,
                   hints: Sequence[str] = ()) -> AsrResult:
        """Recognise mono ``audio``; ``language`` None means detect (multilingual models only);
        ``hints``: phrases the call is expected to contain (the rubric's, see :mod:`qa_service.rubrics.hints`)."""
        ...


@dataclass(frozen=True)
class WhisperConfig:
    beam_size: int = 1
    batch_size: int = 8
    batched: bool = False  # BatchedInferencePipeline (helps on GPU; sequential is as fast on 2 CPU cores)
    vad_filter: bool = True
    hotwords: tuple[str, ...] = ()
    zh_prompt: bool = False  # prompt in simplified Chinese (Whisper base echoes the prompt back: off)
    #: No temperature fallback by default: on hard audio the fallback costs 3-5x the time and returns
    #: no better text; decoding loops are cut by :func:`collapse_repeats` instead.
    temperatures: tuple[float, ...] = (0.0,)
    #: Short clips (live utterances): at most this many tokens per second of audio, plus
    #: :data:`_TOKEN_ALLOWANCE`. A decoding loop otherwise runs to Whisper's 448-token limit before
    #: :func:`collapse_repeats` cuts it (on Mandarin chunks a third of the decoding time). None: no cap.
    max_tokens_per_s: float | None = None
    #: Whisper may not repeat any n-gram of this many tokens inside one window (0: off) on wideband
    #: audio, and on telephone-band audio (recorded at 8 kHz or less). On 8 kHz calls it stops the
    #: decoding loops ("Ka-o-o-o-…") that swallow the rest of a window, and their seconds of speech.
    no_repeat_ngram_size: int = 0
    no_repeat_ngram_size_narrowband: int = 0
    #: Whether the call's hints (the rubric's phrases) join the hotwords, on wideband and on
    #: telephone-band audio.
    hints_wideband: bool = False
    hints_narrowband: bool = False

    def decode_kwargs(self, language: str | None, duration: float | None = None, *,
                      narrowband: bool = False, hints: Sequence[str] = ()) -> dict[str, Any]:
        """faster-whisper ``transcribe`` arguments (the benchmark's naive baseline uses them too)."""
        takes_hints = self.hints_narrowband if narrowband else self.hints_wideband
        hotwords = (*self.hotwords, *hints) if takes_hints else self.hotwords
        cap = {} if self.max_tokens_per_s is None or duration is None else {
            "max_new_tokens": min(_MAX_NEW_TOKENS, int(self.max_tokens_per_s * duration) + _TOKEN_ALLOWANCE)}
        return {
            **cap,
            "language": language,
            "beam_size": self.beam_size,
            "temperature": list(self.temperatures),
            "word_timestamps": True,
            "condition_on_previous_text": False,
            "hotwords": " ".join(hotwords) or None,
            "initial_prompt": ZH_PROMPT if language == "zh" and self.zh_prompt else None,
            "no_repeat_ngram_size": self.no_repeat_ngram_size_narrowband if narrowband else self.no_repeat_ngram_size,
        }


@lru_cache(maxsize=4)
def load_whisper(path: str, device: str, compute_type: str, cpu_threads: int) -> WhisperModel:
    """Load a CTranslate2 Whisper model once per process (per path/device/type/threads)."""
    from faster_whisper import WhisperModel

    try:
        return WhisperModel(path, device=device, compute_type=compute_type, cpu_threads=cpu_threads,
                            num_workers=1, local_files_only=True)
    except (RuntimeError, ValueError, OSError) as exc:
        raise ModelLoadError(f"cannot load Whisper model from {path}: {exc}", path=path) from exc


class WhisperTranscriber:
    """:class:`Transcriber` over a faster-whisper model (stateless apart from the shared model)."""

    def __init__(self, model: WhisperModel, config: WhisperConfig) -> None:
        self._model = model
        self._config = config

    def detect_language(self, audio: Audio, candidates: Sequence[str] = ("zh", "en")) -> tuple[str, float]:
        """The most likely of ``candidates`` (Whisper alone picks exotic languages on short clips)."""
        _, _, probs = self._model.detect_language(audio.samples[0], vad_filter=True,
                                                  language_detection_segments=2)
        scores = {lang: p for lang, p in probs if lang in candidates}
        if not scores:
            return candidates[0], 0.0
        best = max(scores, key=lambda k: scores[k])
        total = sum(scores.values()) or 1.0
        return best, scores[best] / total

    def transcribe(self, audio: Audio, language: str | None, hook: ProgressHook = no_progress,
                   hints: Sequence[str] = ()) -> AsrResult:
        cfg = self._config
        kwargs = {**cfg.decode_kwargs(language, audio.duration, narrowband=is_narrowband(audio), hints=hints),
                  "vad_filter": cfg.vad_filter}
        if cfg.batched:
            from faster_whisper import BatchedInferencePipeline

            segments, info = BatchedInferencePipeline(self._model).transcribe(
                audio.samples[0], batch_size=cfg.batch_size, without_timestamps=False, **kwargs)
        else:
            segments, info = self._model.transcribe(audio.samples[0], **kwargs)
        lang = str(info.language)
        converted = _drop_loops(tuple(_segments(segments, lang, audio.duration, hook)))
        if cfg.vad_filter:  # the greedy re-decoding of skipped stretches can loop too
            converted = _drop_loops(self._recover_skipped(audio, converted, {**kwargs, "language": lang}))
        hook("transcribe", audio.duration, audio.duration)
        return AsrResult(language=lang, segments=converted, duration=audio.duration,
                         language_probability=float(info.language_probability))


    def _recover_skipped(self, audio: Audio, segments: tuple[AsrSegment, ...],
                         kwargs: dict[str, Any]) -> tuple[AsrSegment, ...]:
        """Whisper sometimes jumps over seconds of clear speech (a timestamp token skips ahead; seen
        with beam search on 8 kHz calls). Stretches that VAD calls speech but hold no recognised word
        are transcribed again on their own, greedily, and merged in."""
        covered = [(w.start - _COVER_PAD_S, w.end + _COVER_PAD_S) for s in segments for w in s.words]
        gaps = [(a, b) for a, b in subtract(speech_regions(audio.samples[0]), covered)
                if b - a >= _MIN_SKIPPED_S]
        if not gaps:
            return segments
        recovered: list[AsrSegment] = []
        retry = {**kwargs, "beam_size": 1, "vad_filter": False}
        for a, b in gaps:
            lo = max(0, int((a - _COVER_PAD_S) * SAMPLE_RATE))
            clip = audio.samples[0, lo : int((b + _COVER_PAD_S) * SAMPLE_RATE)]
            raw, _ = self._model.transcribe(clip, **retry)
            offset = lo / SAMPLE_RATE
            for seg in _segments(raw, str(kwargs["language"]), audio.duration, no_progress):
                words = tuple(replace(w, start=w.start + offset, end=w.end + offset) for w in seg.words)
                words = tuple(w for w in words if a - _COVER_PAD_S <= (w.start + w.end) / 2 <= b + _COVER_PAD_S)
                if words:
                    recovered.append(replace(seg, words=words, text=join_words(w.text for w in words),
                                             start=words[0].start, end=words[-1].end))
        log.info("re-transcribed %d skipped speech stretch(es) of %s: %d segment(s) recovered",
                 len(gaps), audio.source or "audio", len(recovered))
        return tuple(sorted((*segments, *recovered), key=lambda s: s.start))


#: Audio recorded at this rate or below carries the telephone band only (up to 4 kHz).
NARROWBAND_MAX_RATE = 8000


def is_narrowband(audio: Audio) -> bool:
    """Whether ``audio`` was recorded at telephone bandwidth (8 kHz μ-law/A-law/PCM, resampled since)."""
    return audio.original_sample_rate is not None and audio.original_sample_rate <= NARROWBAND_MAX_RATE


def speech_regions(samples: npt.NDArray[np.float32]) -> list[tuple[float, float]]:
    """Silero VAD (the model bundled with faster-whisper) speech stretches of one channel, in seconds."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    found = get_speech_timestamps(samples, VadOptions(min_silence_duration_ms=200, speech_pad_ms=30))
    return [(r["start"] / SAMPLE_RATE, r["end"] / SAMPLE_RATE) for r in found]


def _segments(raw: Iterable[Any], language: str, duration: float, hook: ProgressHook) -> Iterable[AsrSegment]:
    """faster-whisper Segments → domain AsrSegments (the generator runs the model as it is consumed)."""
    for seg in raw:
        hook("transcribe", min(float(seg.end), duration), duration)
        words = _words(seg.words or (), language)
        if not words:
            continue
        text = _clean(seg.text, language).strip()
        yield AsrSegment(text=text, start=words[0].start, end=words[-1].end, words=words,
                         avg_logprob=float(seg.avg_logprob), no_speech_prob=float(seg.no_speech_prob))


def _drop_loops(segments: tuple[AsrSegment, ...]) -> tuple[AsrSegment, ...]:
    """Remove decoding loops across the whole channel (a loop often spans several segments)."""
    words = [w for s in segments for w in s.words]
    kept = {id(w) for w in collapse_repeats(words)}
    if len(kept) == len(words):
        return segments
    out = []
    for seg in segments:
        survivors = tuple(w for w in seg.words if id(w) in kept)
        if survivors == seg.words:
            out.append(seg)
        elif survivors:
            out.append(replace(seg, words=survivors, text=join_words(w.text for w in survivors),
                               start=survivors[0].start, end=survivors[-1].end))
    return tuple(out)


def collapse_repeats(words: Sequence[Word], min_repeats: int = 3, single_repeats: int = 5,
                    max_block: int = 8) -> tuple[Word, ...]:
    """Cut decoding loops ("您好,您好,您好,…"): a block of words repeated back to back ``min_repeats``
    times or more (``single_repeats`` for one-word blocks) is kept once. Text is compared case- and
    punctuation-insensitively."""
    keys = [_key(w.text) for w in words]
    out: list[Word] = []
    i = 0
    while i < len(words):
        loop = _loop_at(keys, i, min_repeats, single_repeats, max_block)
        if loop is None:
            out.append(words[i])
            i += 1
        else:
            block, reps = loop
            out.extend(words[i : i + block])
            i += block * reps
    return tuple(out)


def _loop_at(keys: Sequence[str], i: int, min_repeats: int, single_repeats: int,
             max_block: int) -> tuple[int, int] | None:
    """(block length, repeats) of the shortest block repeated enough times from ``i``, if any."""
    for k in range(1, max_block + 1):
        block = list(keys[i : i + k])
        if len(block) < k:
            return None
        if not any(block):
            continue
        reps = 1
        while list(keys[i + reps * k : i + (reps + 1) * k]) == block:
            reps += 1
        if reps >= (single_repeats if k == 1 else min_repeats):
            return k, reps
    return None


def _key(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _words(raw: Iterable[Any], language: str) -> tuple[Word, ...]:
    """Whisper words → domain words. In Mandarin output Whisper splits Latin words and numbers into
    pieces without a leading space ("W", "ake", "y"); those are glued back into one word."""
    out: list[Word] = []
    for item in raw:
        text = _clean(item.word, language)
        start, end, prob = float(item.start), float(item.end), float(item.probability)
        if out and _latin(text[:1]) and _latin(out[-1].text[-1:]):
            prev = out.pop()
            glued = prev.text + text.strip()
            out.append(Word(glued, prev.start, max(prev.end, end), min(prev.confidence, prob)))
        elif text.strip():
            out.append(Word(text.strip(), start, max(start, end), prob))
    return tuple(out)


def _latin(ch: str) -> bool:
    """A Latin-script, digit or ASCII punctuation character (no space): glued when Whisper glues it."""
    return len(ch) == 1 and ch.isascii() and not ch.isspace()


def _clean(text: str, language: str) -> str:
    return _T2S(text) if language == "zh" else text
