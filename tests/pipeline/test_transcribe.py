"""The faster-whisper adapter's edge: type conversion, simplified Chinese, loop cutting, language choice.

A stand-in for the CTranslate2 model returns faster-whisper-shaped objects; the real model runs in
test_speech_models.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from qa_service.domain import Audio, Word
from qa_service.pipeline.transcribe import WhisperConfig, WhisperTranscriber, collapse_repeats


def _w(text: str, start: float, end: float, p: float = 0.9) -> SimpleNamespace:
    return SimpleNamespace(word=text, start=start, end=end, probability=p)


def _seg(text: str, words: list[SimpleNamespace]) -> SimpleNamespace:
    start, end = (words[0].start, words[-1].end) if words else (0.0, 0.0)
    return SimpleNamespace(text=text, start=start, end=end, words=words, avg_logprob=-0.2,
                           no_speech_prob=0.01)


@dataclass
class FakeWhisper:
    segments: list[SimpleNamespace]
    language: str = "en"
    probs: list[tuple[str, float]] = field(default_factory=list)
    kwargs: dict[str, Any] = field(default_factory=dict)

    def transcribe(self, audio: np.ndarray, **kwargs: Any) -> tuple[Any, Any]:
        self.kwargs = kwargs
        info = SimpleNamespace(language=kwargs.get("language") or self.language, language_probability=0.97)
        return iter(self.segments), info

    def detect_language(self, audio: np.ndarray, **kwargs: Any) -> tuple[str, float, list[tuple[str, float]]]:
        return self.probs[0][0], self.probs[0][1], self.probs


AUDIO = Audio(np.zeros((1, 16000 * 5), np.float32))


def _transcriber(model: FakeWhisper, **config: Any) -> WhisperTranscriber:
    return WhisperTranscriber(model, WhisperConfig(**config))  # type: ignore[arg-type]


def test_segments_and_words_become_domain_objects() -> None:
    words = [_w(" Thank", 0.1, 0.4), _w(" you", 0.4, 0.6), _w(" for", 0.6, 0.8), _w(" calling.", 0.8, 1.3)]
    model = FakeWhisper([_seg(" Thank you for calling.", words)])
    seen: list[tuple[str, float, float]] = []
    result = _transcriber(model, hotwords=("Construction Bank",)).transcribe(
        AUDIO, "en", lambda s, d, t: seen.append((s, d, t)))
    assert result.language == "en" and result.duration == 5.0
    seg = result.segments[0]
    assert seg.text == "Thank you for calling." and (seg.start, seg.end) == (0.1, 1.3)
    assert seg.words[0] == Word("Thank", 0.1, 0.4, 0.9)
    assert model.kwargs["word_timestamps"] is True and model.kwargs["vad_filter"] is True
    assert model.kwargs["hotwords"] == "Construction Bank" and model.kwargs["temperature"] == [0.0]
    assert seen[-1] == ("transcribe", 5.0, 5.0)


def test_mandarin_is_forced_converted_to_simplified_and_split_latin_is_glued() -> None:
    words = [_w("您好，", 0.0, 0.5), _w("建設", 0.5, 0.8), _w("銀行，", 0.8, 1.1), _w("我是", 1.1, 1.3),
             _w("W", 1.3, 1.4), _w("ake", 1.4, 1.5), _w("26", 1.5, 1.7)]
    model = FakeWhisper([_seg("您好，建設銀行，我是W", words)])
    result = _transcriber(model).transcribe(AUDIO, "zh")
    assert model.kwargs["language"] == "zh"
    assert result.segments[0].text == "您好，建设银行，我是W"
    assert [w.text for w in result.words] == ["您好，", "建设", "银行，", "我是", "Wake26"]
    assert result.words[-1].start == 1.3 and result.words[-1].end == 1.7


def test_segments_without_words_are_dropped() -> None:
    model = FakeWhisper([_seg(" ...", []), _seg(" Hi.", [_w(" Hi.", 1.0, 1.2)])])
    assert [s.text for s in _transcriber(model).transcribe(AUDIO, "en").segments] == ["Hi."]


def test_decoding_loops_are_cut_across_segments() -> None:
    loop = [_seg("您设计您是其为您。", [_w("您", t, t + 0.1), _w("设计", t + 0.1, t + 0.3),
                                    _w("您是", t + 0.3, t + 0.5), _w("其为您。", t + 0.5, t + 0.9)])
            for t in (1.0, 2.0, 3.0, 4.0)]
    model = FakeWhisper([_seg("您好", [_w("您好", 0.0, 0.5)]), *loop])
    result = _transcriber(model).transcribe(AUDIO, "zh")
    assert "".join(w.text for w in result.words) == "您好您设计您是其为您。"


def test_collapse_repeats_keeps_ordinary_repetition() -> None:
    words = [Word(t, i, i + 1) for i, t in enumerate(["no", "no", "I", "said", "no", "no"])]
    assert collapse_repeats(words) == tuple(words)
    digits = [Word(t, i, i + 1) for i, t in enumerate(["6", "0", "0", "0", "0", "1"])]
    assert collapse_repeats(digits) == tuple(digits)  # four zeros in a card number stay
    loop = [Word(t, i, i + 1) for i, t in enumerate(["hello", "hello", "hello", "hello", "hello", "hello"])]
    assert [w.text for w in collapse_repeats(loop)] == ["hello"]


@pytest.mark.parametrize(("probs", "expected"), [
    ([("th", 0.6), ("zh", 0.3), ("en", 0.1)], "zh"),  # Whisper's favourite is not a candidate
    ([("en", 0.8), ("zh", 0.1)], "en"),
])
def test_language_detection_picks_among_the_candidates(probs: list[tuple[str, float]], expected: str) -> None:
    language, p = _transcriber(FakeWhisper([], probs=probs)).detect_language(AUDIO, ("zh", "en"))
    assert language == expected and 0.5 < p <= 1.0


@dataclass
class ScriptedWhisper(FakeWhisper):
    """Answers each ``transcribe`` call with the next script entry (first pass, then re-decodings)."""

    script: list[list[SimpleNamespace]] = field(default_factory=list)

    def transcribe(self, audio: np.ndarray, **kwargs: Any) -> tuple[Any, Any]:
        self.segments = self.script.pop(0)
        return super().transcribe(audio, **kwargs)


def test_loops_in_re_decoded_skipped_speech_are_cut_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("qa_service.pipeline.transcribe.speech_regions", lambda samples: [(0.0, 4.5)])
    first = [_seg("您好", [_w("您好", 0.0, 0.5)])]  # the first pass jumps over 1-4.5 s of speech
    retry = [_seg("才准" + "许" * 20, [_w("才准", 0.6, 1.0)] + [_w("许", 1.0 + i * 0.1, 1.1 + i * 0.1)
                                                               for i in range(20)])]
    model = ScriptedWhisper([], script=[first, retry])
    result = _transcriber(model).transcribe(AUDIO, "zh")
    assert model.kwargs["beam_size"] == 1  # the retry ran
    assert "".join(w.text for w in result.words) == "您好才准许"


def test_live_clips_cap_the_tokens_by_their_length() -> None:
    model = FakeWhisper([])
    _transcriber(model, max_tokens_per_s=12.0).transcribe(AUDIO, "zh")  # 5 s
    assert model.kwargs["max_new_tokens"] == 12 * 5 + 16
    _transcriber(model, max_tokens_per_s=12.0).transcribe(Audio(np.zeros((1, 16000 * 60), np.float32)), "zh")
    assert model.kwargs["max_new_tokens"] == 440  # never above Whisper's own limit
    _transcriber(model).transcribe(AUDIO, "zh")  # recordings: no cap
    assert "max_new_tokens" not in model.kwargs


def test_the_live_transcriber_decodes_greedily_with_a_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    from qa_service.pipeline import models
    from qa_service.settings import Settings

    monkeypatch.setattr(models, "resolve_model", lambda role, settings: SimpleNamespace(path="/weights"))
    model = FakeWhisper([])
    monkeypatch.setattr(models, "load_whisper", lambda *args: model)
    models.live_transcriber(Settings(asr_beam_size_en=5), "en").transcribe(AUDIO, "en")  # type: ignore[call-arg]
    assert model.kwargs["beam_size"] == 1 and model.kwargs["max_new_tokens"] == 76
    assert model.kwargs["vad_filter"] is True


def test_the_live_transcriber_decodes_a_telephone_chunk_as_a_telephone_call(monkeypatch: pytest.MonkeyPatch) -> None:
    """Live 8 kHz chunks get what recorded 8 kHz calls get: the loop guard and (English) the rubric hints."""
    from qa_service.pipeline import models
    from qa_service.settings import Settings

    monkeypatch.setattr(models, "resolve_model", lambda role, settings: SimpleNamespace(path="/weights"))
    model = FakeWhisper([])
    monkeypatch.setattr(models, "load_whisper", lambda *args: model)
    phone = Audio(np.zeros((1, 16000 * 5), np.float32), original_sample_rate=8000)
    live = models.live_transcriber(Settings(), "en")
    live.transcribe(phone, "en", hints=("Goodbye.",))
    assert model.kwargs["hotwords"] == "Goodbye." and model.kwargs["no_repeat_ngram_size"] == 3
    live.transcribe(AUDIO, "en", hints=("Goodbye.",))
    assert model.kwargs["hotwords"] is None and model.kwargs["no_repeat_ngram_size"] == 0
    models.live_transcriber(Settings(), "zh").transcribe(phone, "zh", hints=("再见。",))
    assert model.kwargs["hotwords"] is None


def test_telephone_band_audio_may_not_repeat_trigrams_and_wideband_is_left_alone() -> None:
    model = FakeWhisper([])
    transcriber = _transcriber(model, no_repeat_ngram_size_narrowband=3)
    transcriber.transcribe(Audio(np.zeros((1, 16000 * 5), np.float32), original_sample_rate=8000), "zh")
    assert model.kwargs["no_repeat_ngram_size"] == 3
    transcriber.transcribe(Audio(np.zeros((1, 16000 * 5), np.float32), original_sample_rate=44100), "zh")
    assert model.kwargs["no_repeat_ngram_size"] == 0
    transcriber.transcribe(AUDIO, "zh")  # rate unknown: wideband
    assert model.kwargs["no_repeat_ngram_size"] == 0


def test_the_batch_transcriber_takes_the_band_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    from qa_service.pipeline import models
    from qa_service.settings import Settings

    monkeypatch.setattr(models, "resolve_model", lambda role, settings: SimpleNamespace(path="/weights"))
    model = FakeWhisper([])
    monkeypatch.setattr(models, "load_whisper", lambda *args: model)
    phone = Audio(np.zeros((1, 16000 * 5), np.float32), original_sample_rate=8000)
    models.whisper_transcriber(Settings(), "zh").transcribe(phone, "zh")
    assert model.kwargs["no_repeat_ngram_size"] == 3  # the default for 8 kHz calls
    settings = Settings(asr_no_repeat_ngram_size_8k=0, asr_no_repeat_ngram_size=4)  # type: ignore[call-arg]
    models.whisper_transcriber(settings, "zh").transcribe(phone, "zh")
    assert model.kwargs["no_repeat_ngram_size"] == 0
    models.whisper_transcriber(settings, "zh").transcribe(AUDIO, "zh")
    assert model.kwargs["no_repeat_ngram_size"] == 4


def test_the_calls_hints_join_the_hotwords_on_the_bands_configured() -> None:
    model = FakeWhisper([])
    phone = Audio(np.zeros((1, 16000 * 5), np.float32), original_sample_rate=8000)
    hints = ("Thank you for calling, Construction Bank, agent.", "Goodbye.")
    transcriber = _transcriber(model, hotwords=("Dragon Card",), hints_narrowband=True)
    transcriber.transcribe(phone, "en", hints=hints)
    assert model.kwargs["hotwords"] == "Dragon Card Thank you for calling, Construction Bank, agent. Goodbye."
    transcriber.transcribe(AUDIO, "en", hints=hints)  # wideband: the settings' hotwords only
    assert model.kwargs["hotwords"] == "Dragon Card"
    _transcriber(model, hints_wideband=True).transcribe(AUDIO, "en", hints=hints)
    assert model.kwargs["hotwords"] == " ".join(hints)
    _transcriber(model).transcribe(phone, "en", hints=hints)  # hints off
    assert model.kwargs["hotwords"] is None


def test_rubric_hints_are_set_per_recogniser(monkeypatch: pytest.MonkeyPatch) -> None:
    """By default the English model takes hints on 8 kHz calls and the multilingual one never (Whisper
    base writes Chinese hints into the transcript where no one said them)."""
    from qa_service.pipeline import models
    from qa_service.settings import Settings

    monkeypatch.setattr(models, "resolve_model", lambda role, settings: SimpleNamespace(path="/weights"))
    model = FakeWhisper([])
    monkeypatch.setattr(models, "load_whisper", lambda *args: model)
    phone = Audio(np.zeros((1, 16000 * 5), np.float32), original_sample_rate=8000)
    models.whisper_transcriber(Settings(), "en").transcribe(phone, "en", hints=("Goodbye.",))
    assert model.kwargs["hotwords"] == "Goodbye."
    models.whisper_transcriber(Settings(), "en").transcribe(AUDIO, "en", hints=("Goodbye.",))
    assert model.kwargs["hotwords"] is None
    models.whisper_transcriber(Settings(), "zh").transcribe(phone, "zh", hints=("再见。",))
    assert model.kwargs["hotwords"] is None
    every = Settings(asr_rubric_hints="all", asr_rubric_hints_en=None)  # type: ignore[call-arg]
    models.whisper_transcriber(every, "en").transcribe(AUDIO, "en", hints=("Goodbye.",))
    assert model.kwargs["hotwords"] == "Goodbye."
