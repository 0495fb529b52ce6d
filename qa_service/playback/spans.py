"""Which stretches of a recording to bleep, and the clip a listener asked for, as time spans.

A transcript in the store is already redacted: :mod:`qa_service.redact` masks PII character for
character with ``"*"`` and keeps every word's timing. The only contract relied on here is that
masked text contains ``"*"``; a word that does is bleeped over its own timing. An utterance whose text
holds more ``"*"`` than its words together (no words at all, or words the redaction missed) is
bleeped whole, so a redaction the words do not show still covers the audio ("fail closed").
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from qa_service.domain import CallTranscript, Interval, Utterance
from qa_service.errors import InvalidRequest

#: A stretch of the recording in seconds from its start (``start``, ``end``, ``duration``).
TimeSpan = Interval

#: The character :mod:`qa_service.redact` masks PII with.
MASK = "*"


def bleep_spans(transcript: CallTranscript, *, pad_s: float = 0.15) -> tuple[TimeSpan, ...]:
    """The spans of the recording that carry redacted PII, sorted, padded by ``pad_s`` on both sides,
    merged where they overlap or touch, and clipped to ``[0, transcript.duration]`` (no upper clip
    when the duration is unknown, i.e. 0). Empty when nothing was redacted."""
    if not math.isfinite(pad_s) or pad_s < 0:
        raise InvalidRequest(f"bleep padding must be a non-negative number of seconds, not {pad_s!r}",
                             field="pad_s")
    upper = transcript.duration if transcript.duration > 0 else math.inf
    raw: list[TimeSpan] = []
    for utt in transcript.utterances:
        for start, end in _masked_times(utt):
            lo = max(0.0, start - pad_s)
            hi = min(upper, max(start, end) + pad_s)
            if hi > lo:
                raw.append(TimeSpan(lo, hi))
    return merge_spans(raw)


def merge_spans(spans: Iterable[TimeSpan]) -> tuple[TimeSpan, ...]:
    """``spans`` sorted, with overlapping or touching ones joined (empty spans dropped)."""
    out: list[TimeSpan] = []
    for span in sorted((s for s in spans if s.end > s.start), key=lambda s: (s.start, s.end)):
        if out and span.start <= out[-1].end:
            if span.end > out[-1].end:
                out[-1] = TimeSpan(out[-1].start, span.end)
        else:
            out.append(span)
    return tuple(out)


def clip_span(start: float | None, end: float | None) -> TimeSpan | None:
    """The clip asked for by ``?start=&end=`` (seconds); ``None`` when neither is given.

    A missing ``start`` is the beginning, a missing ``end`` the end of the call (``math.inf``; the
    renderer cuts it to the recording's length). Checks what it can without the audio: both finite,
    ``start >= 0``, ``start < end`` (:class:`InvalidRequest` naming the field); whether ``start``
    falls inside the recording is checked by :func:`qa_service.playback.render_audio`.
    """
    if start is None and end is None:
        return None
    span = TimeSpan(0.0 if start is None else float(start), math.inf if end is None else float(end))
    check_clip(span)
    return span


def check_clip(clip: TimeSpan, duration: float | None = None) -> None:
    """Raise :class:`InvalidRequest` (``field`` ``"start"`` or ``"end"``) unless ``clip`` is a usable
    clip: ``0 <= start < end`` and, when ``duration`` is known, ``start < duration``. An ``end`` past
    the duration is fine (it is cut to the duration)."""
    if not math.isfinite(clip.start) or clip.start < 0:
        raise InvalidRequest(f"clip start must be a number of seconds ≥ 0, not {clip.start!r}", field="start")
    if math.isnan(clip.end) or clip.end <= clip.start:
        raise InvalidRequest(f"clip end ({clip.end!r} s) must be after its start ({clip.start!r} s)", field="end")
    if duration is not None and clip.start >= duration:
        raise InvalidRequest(f"clip start ({clip.start:g} s) is past the end of the recording ({duration:.2f} s)",
                             field="start", duration_s=duration)


def _masked_times(utt: Utterance) -> list[tuple[float, float]]:
    """The masked words' times; the whole utterance when its text shows more masking than its words."""
    in_text = utt.text.count(MASK)
    in_words = sum(w.text.count(MASK) for w in utt.words)
    if in_text > in_words:
        return [(utt.start, utt.end)]
    return [(w.start, w.end) for w in utt.words if MASK in w.text]
