"""Listening to recorded calls: the audio a supervisor hears, PII bleeped for those who may not hear it,
cut to a clip, streamed by HTTP Range.

The supervisor API's audio route is, in order::

    bleep = bleep_spans(transcript) if not may_hear_pii else ()
    rendition = render_audio(settings, audio_path=path, sha256=sha, bleep=bleep, clip=clip_span(start, end))
    rng = parse_range(request_range_header, rendition.size_bytes)   # None → 200, else 206
    body = read_range(rendition.path, rng)
"""

from qa_service.playback.ranges import ByteRange, parse_range, read_range, unsatisfiable_content_range
from qa_service.playback.render import (
    MEDIA_TYPE,
    Rendition,
    drop_cached,
    playback_cache_dir,
    prune_cache,
    render_audio,
)
from qa_service.playback.spans import TimeSpan, bleep_spans, check_clip, clip_span, merge_spans

__all__ = [
    "MEDIA_TYPE",
    "ByteRange",
    "Rendition",
    "TimeSpan",
    "bleep_spans",
    "check_clip",
    "clip_span",
    "drop_cached",
    "merge_spans",
    "parse_range",
    "playback_cache_dir",
    "prune_cache",
    "read_range",
    "render_audio",
    "unsatisfiable_content_range",
]
