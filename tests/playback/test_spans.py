from __future__ import annotations

import math

import pytest

from qa_service.domain import CallTranscript, Utterance, Word
from qa_service.errors import InvalidRequest
from qa_service.playback import TimeSpan, bleep_spans, check_clip, clip_span, merge_spans
from qa_service.redact import redact_transcript


def _approx(spans: tuple[TimeSpan, ...]) -> list[tuple[float, float]]:
    return [(round(s.start, 6), round(s.end, 6)) for s in spans]


def _transcript(*utts: Utterance, duration: float = 30.0) -> CallTranscript:
    return CallTranscript("en", utts, duration=duration)


def test_masked_words_by_their_own_times_unmasked_untouched() -> None:
    words = (Word("my", 1.0, 1.2), Word("card", 1.2, 1.5), Word("is", 1.5, 1.6),
             Word("****", 2.0, 2.6), Word("****", 2.7, 3.3), Word("1234", 3.4, 4.0), Word("thanks", 6.0, 6.5))
    utt = Utterance("A", 1.0, 6.5, "my card is **** **** 1234 thanks", words)
    clean = Utterance("B", 7.0, 9.0, "thank you very much", (Word("thank", 7.0, 7.5),))
    spans = bleep_spans(_transcript(utt, clean), pad_s=0.1)
    # the two masked words are 0.1 s apart: padded, they touch and merge; "1234" (kept digits) is not bleeped
    assert _approx(spans) == [(1.9, 3.4)]


def test_utterance_without_words_is_bleeped_whole() -> None:
    utt = Utterance("A", 10.0, 14.0, "卡号是************7890")
    assert _approx(bleep_spans(_transcript(utt), pad_s=0.15)) == [(9.85, 14.15)]


def test_text_masked_more_than_words_fails_closed_to_whole_utterance() -> None:
    words = (Word("call", 3.0, 3.3), Word("me", 3.3, 3.5), Word("on", 3.5, 3.6), Word("1380", 3.6, 4.4))
    utt = Utterance("A", 3.0, 5.0, "call me on *******0000", words)
    assert _approx(bleep_spans(_transcript(utt), pad_s=0.0)) == [(3.0, 5.0)]


def test_no_redaction_no_spans() -> None:
    utt = Utterance("A", 0.0, 2.0, "hello, how can I help", (Word("hello,", 0.0, 0.5),))
    assert bleep_spans(_transcript(utt)) == ()
    assert bleep_spans(_transcript()) == ()


def test_clipped_to_the_call_and_merged_across_utterances() -> None:
    first = Utterance("A", 0.0, 0.5, "*", (Word("*", 0.05, 0.4),))
    second = Utterance("B", 0.45, 0.9, "*", (Word("*", 0.5, 0.8),))
    last = Utterance("A", 9.8, 10.0, "**", (Word("**", 9.85, 9.95),))
    spans = bleep_spans(_transcript(last, second, first, duration=10.0), pad_s=0.15)
    assert _approx(spans) == [(0.0, 0.95), (9.7, 10.0)]


def test_unknown_duration_is_not_an_upper_bound() -> None:
    utt = Utterance("A", 40.0, 41.0, "****")
    assert _approx(bleep_spans(_transcript(utt, duration=0.0), pad_s=0.5)) == [(39.5, 41.5)]


def test_zero_padding_and_bad_padding() -> None:
    utt = Utterance("A", 1.0, 2.0, "* *", (Word("*", 1.0, 1.2), Word("*", 1.5, 1.7)))
    assert _approx(bleep_spans(_transcript(utt), pad_s=0.0)) == [(1.0, 1.2), (1.5, 1.7)]
    for bad in (-0.1, math.nan, math.inf):
        with pytest.raises(InvalidRequest) as err:
            bleep_spans(_transcript(utt), pad_s=bad)
        assert err.value.details["field"] == "pad_s"


def test_spans_follow_the_real_redactor() -> None:
    digits = ["six", "two", "one", "seven", "zero", "zero", "one", "two",
              "three", "four", "five", "six", "seven", "eight", "nine", "zero"]
    words = [Word("my", 0.0, 0.2), Word("card", 0.2, 0.5), Word("is", 0.5, 0.6)]
    words += [Word(d, 1.0 + 0.3 * i, 1.25 + 0.3 * i) for i, d in enumerate(digits)]
    text = " ".join(w.text for w in words)
    call = redact_transcript(CallTranscript("en", (Utterance("C", 0.0, 6.0, text, tuple(words)),), duration=8.0))
    masked = [w for w in call.utterances[0].words if "*" in w.text]
    assert masked, "the redactor no longer masks a spoken card number"
    spans = bleep_spans(call, pad_s=0.05)
    for w in masked:
        assert any(s.start <= w.start and w.end <= s.end for s in spans)
    assert all(not (s.start <= 0.3 <= s.end) for s in spans)  # "card" stays audible


def test_merge_spans() -> None:
    spans = [TimeSpan(5, 6), TimeSpan(1, 2), TimeSpan(2, 3), TimeSpan(1.5, 1.8), TimeSpan(4, 4)]
    assert merge_spans(spans) == (TimeSpan(1, 3), TimeSpan(5, 6))


def test_clip_span() -> None:
    assert clip_span(None, None) is None
    assert clip_span(None, 5) == TimeSpan(0.0, 5.0)
    assert clip_span(2.5, None) == TimeSpan(2.5, math.inf)
    assert clip_span(1, 2) == TimeSpan(1.0, 2.0)
    for start, end, field in [(5, 3, "end"), (2, 2, "end"), (-1, 2, "start"), (math.nan, 2, "start"),
                              (math.inf, None, "start"), (1, math.nan, "end")]:
        with pytest.raises(InvalidRequest) as err:
            clip_span(start, end)
        assert err.value.details["field"] == field, (start, end)


def test_check_clip_against_duration() -> None:
    check_clip(TimeSpan(9.9, 100.0), 10.0)
    with pytest.raises(InvalidRequest) as err:
        check_clip(TimeSpan(10.0, 12.0), 10.0)
    assert err.value.details["field"] == "start"
