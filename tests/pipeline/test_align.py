"""align_words on hand-built ASR results and diarizations."""

from __future__ import annotations

import pytest

from qa_service.domain import AsrResult, AsrSegment, Diarization, SpeakerTurn, Word
from qa_service.pipeline.align import AlignOptions, align_words, assign_speaker, join_words, merge_utterances


def _asr(*words: tuple[str, float, float], channel: int = 0) -> AsrResult:
    ws = tuple(Word(t, s, e) for t, s, e in words)
    return AsrResult("en", (AsrSegment(" ".join(w.text for w in ws), ws[0].start, ws[-1].end, ws),),
                     duration=30.0, channel=channel)


def _diar(*turns: tuple[str, float, float], method: str = "pyannote") -> Diarization:
    ts = tuple(SpeakerTurn(s, a, b) for s, a, b in turns)
    return Diarization(ts, tuple(dict.fromkeys(t.speaker for t in ts)), method=method)


def test_words_go_to_the_turn_they_overlap_most_and_merge_into_utterances() -> None:
    asr = _asr(("Hello,", 0.0, 0.4), ("bank.", 0.5, 0.9), ("Hi", 1.2, 1.4), ("there", 1.5, 1.8),
               ("Welcome", 2.0, 2.6))
    diar = _diar(("A", 0.0, 1.0), ("B", 1.1, 1.9), ("A", 1.95, 3.0))
    utts = align_words(asr, diar)
    assert [(u.speaker, u.text) for u in utts] == [("A", "Hello, bank."), ("B", "Hi there"), ("A", "Welcome")]
    assert utts[0].start == 0.0 and utts[0].end == 1.0  # the turn's last word reaches the turn's end
    assert utts[1].words[0].text == "Hi"
    assert all(u.channel is None for u in utts)


def test_a_word_straddling_a_boundary_goes_to_the_larger_overlap() -> None:
    word = Word("straddle", 0.8, 1.3)
    assert assign_speaker(word, [SpeakerTurn("A", 0.0, 0.9), SpeakerTurn("B", 0.9, 2.0)]) == "B"
    assert assign_speaker(word, [SpeakerTurn("A", 0.0, 1.2), SpeakerTurn("B", 1.2, 2.0)]) == "A"


def test_overlapping_speech_goes_to_the_turn_that_holds_the_midpoint_best() -> None:
    # A talks 0-10; B interjects 4.0-5.0. A word at 4.4-4.6 (midpoint 4.5) is central in B's turn.
    turns = [SpeakerTurn("A", 0.0, 10.0), SpeakerTurn("B", 4.0, 5.0)]
    assert assign_speaker(Word("yes", 4.4, 4.6), turns) == "B"
    # Near the edge of both turns, the word goes to the turn it is relatively deeper in.
    turns2 = [SpeakerTurn("A", 0.0, 4.6), SpeakerTurn("B", 4.45, 9.0)]
    assert assign_speaker(Word("and", 4.48, 4.52), turns2) == "A"


def test_words_outside_every_turn_go_to_the_nearest_turn_and_are_never_dropped() -> None:
    asr = _asr(("early", 0.0, 0.2), ("mid", 3.0, 3.2), ("late", 9.0, 9.5))
    diar = _diar(("A", 1.0, 2.0), ("B", 5.0, 8.0))
    utts = align_words(asr, diar)
    assert [(u.speaker, u.text) for u in utts] == [("A", "early mid"), ("B", "late")] or \
        [(u.speaker, u.text) for u in utts] == [("A", "early"), ("A", "mid"), ("B", "late")]
    assert sum(len(u.words) for u in utts) == 3


def test_no_turns_at_all_keeps_the_words_under_one_speaker() -> None:
    utts = align_words(_asr(("only", 0.0, 0.5), ("words", 0.6, 1.0)), Diarization((), ()))
    assert [(u.speaker, u.text) for u in utts] == [("SPEAKER_00", "only words")]


def test_a_long_pause_splits_one_speakers_words_into_two_utterances() -> None:
    asr = _asr(("one", 0.0, 0.5), ("two", 0.6, 1.0), ("three", 2.5, 3.0))
    utts = align_words(asr, _diar(("A", 0.0, 3.0)), AlignOptions(max_gap=1.0))
    assert [u.text for u in utts] == ["one two", "three"]


def test_channel_turns_mark_utterances_with_their_channel() -> None:
    asr = _asr(("hello", 0.0, 0.5), channel=1)
    utts = align_words(asr, _diar(("CHANNEL_1", 0.0, 1.0), method="channels"))
    assert utts[0].channel == 1


def test_empty_asr_gives_no_utterances() -> None:
    assert align_words(AsrResult("en", (), 5.0), _diar(("A", 0.0, 1.0))) == ()


def test_inputs_are_not_mutated_and_merge_orders_by_time() -> None:
    asr = _asr(("a", 2.0, 2.5))
    other = _asr(("b", 1.0, 1.5))
    diar = _diar(("A", 0.0, 3.0))
    merged = merge_utterances(align_words(asr, diar), align_words(other, diar))
    assert [u.text for u in merged] == ["b", "a"]
    assert asr.words[0].text == "a"


def test_join_words_spaces_latin_words_and_not_chinese() -> None:
    assert join_words(["Hello,", "world"]) == "Hello, world"
    assert join_words(["您好", "，", "建设", "银行", "工号", "1023"]) == "您好，建设银行工号1023"
    assert join_words(["请", "拨打", "95533", "or", "call", "us"]) == "请拨打95533 or call us"


def test_words_sticking_out_of_their_turn_are_trimmed_to_it() -> None:
    asr = _asr(("Thank", 0.08, 0.7), ("you", 0.7, 1.0), ("bye", 1.1, 2.6))
    utts = align_words(asr, _diar(("A", 0.4, 2.45)))
    assert (utts[0].start, utts[0].end) == (0.4, 2.45)
    assert utts[0].words[0] == Word("Thank", 0.4, 0.7) and asr.words[0].start == 0.08


def test_a_word_running_on_into_the_silence_after_its_turn_is_pinned_to_the_turn_end() -> None:
    # Whisper: 什么 12.14-12.74, 事? 12.74-13.34; the channel's speech ends at 12.73
    asr = _asr(("什么", 12.14, 12.74), ("事?", 12.74, 13.34), channel=1)
    utts = align_words(asr, _diar(("B", 11.71, 12.73), ("B", 24.4, 27.0), method="channels"))
    assert [(u.speaker, u.start, u.end) for u in utts] == [("B", 11.71, 12.73)]  # onset hugged too
    assert utts[0].words[1].start == pytest.approx(12.63) and utts[0].words[1].end == 12.73
    far = align_words(_asr(("late", 14.0, 14.5)), _diar(("B", 11.71, 12.73)))
    assert (far[0].start, far[0].end) == (14.0, 14.5)  # too far to be a timestamp overshoot: kept


def test_a_turns_first_and_last_words_reach_its_edges_when_just_short_of_them() -> None:
    # Whisper's onset is 0.33 s late after a silence; the channel's speech starts at 10.47
    asr = _asr(("Thank", 10.8, 10.9), ("you,", 10.9, 11.12), ("goodbye.", 11.6, 12.34), ("Later", 14.5, 14.8),
               channel=0)
    utts = align_words(asr, _diar(("A", 10.47, 12.45), ("A", 13.6, 15.0), method="channels"))
    assert [(u.start, u.end) for u in utts] == [(10.47, 12.45), (14.5, 15.0)]  # onset 0.9 s away: kept
    assert [(w.start, w.end) for w in utts[0].words] == [(10.47, 10.9), (10.9, 11.12), (11.6, 12.45)]
