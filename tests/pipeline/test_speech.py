"""transcribe_call composition with a fake recogniser and diarizer (the models are not the point here)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pytest

from qa_service.domain import (
    SAMPLE_RATE,
    AsrResult,
    AsrSegment,
    Audio,
    CallMetadata,
    Diarization,
    Direction,
    RecognitionHints,
    Role,
    SpeakerTurn,
    Word,
)
from qa_service.errors import ConfigError
from qa_service.pipeline import SpeechModels, SpeechOptions, analyze_speech, transcribe_call
from qa_service.progress import ProgressHook, no_progress
from qa_service.settings import Settings

AGENT = [(0.5, 2.5, "Thank you for calling Construction Bank, this is agent 1023, how may I help you?"),
         (5.5, 7.0, "May I have your full name?"), (9.5, 10.5, "Thank you for calling, goodbye.")]
CUSTOMER = [(3.0, 5.0, "I'd like to check my card."), (7.5, 9.0, "David Miller.")]
SCRIPT = AGENT + CUSTOMER
DURATION = 11.0


def _tone(samples: np.ndarray, start: float, end: float, level: float = 0.1) -> None:
    a, b = int(start * SAMPLE_RATE), int(end * SAMPLE_RATE)
    samples[a:b] += level * np.sin(np.arange(b - a) * 2 * np.pi * 220 / SAMPLE_RATE).astype(np.float32)


def _channel(spans: Sequence[tuple[float, float, str]]) -> np.ndarray:
    x = np.zeros(int(DURATION * SAMPLE_RATE), np.float32)
    for s, e, _ in spans:
        _tone(x, s, e)
    return x


@dataclass
class FakeTranscriber:
    """'Recognises' the scripted line wherever the audio has sound; records the languages asked for."""

    script: Sequence[tuple[float, float, str]]
    calls: list[str | None] = field(default_factory=list)
    hints: list[tuple[str, ...]] = field(default_factory=list)

    def transcribe(self, audio: Audio, language: str | None, hook: ProgressHook = no_progress,
                   hints: Sequence[str] = ()) -> AsrResult:
        self.calls.append(language)
        self.hints.append(tuple(hints))
        segments = []
        for s, e, text in sorted(self.script):
            chunk = audio.samples[0, int(s * SAMPLE_RATE) : int(e * SAMPLE_RATE)]
            if chunk.size and float(np.abs(chunk).mean()) > 0.01:
                tokens = text.split()
                step = (e - s) / len(tokens)
                words = tuple(Word(t, s + i * step, s + (i + 1) * step - 0.01, 0.9)
                              for i, t in enumerate(tokens))
                segments.append(AsrSegment(text, s, e, words))
            hook("transcribe", e, audio.duration)
        return AsrResult(language or "en", tuple(segments), audio.duration)


@dataclass
class FakeDiarizer:
    turns: tuple[SpeakerTurn, ...]
    asked: list[int | None] = field(default_factory=list)

    def diarize(self, audio: Audio, num_speakers: int | None = None,
                hook: ProgressHook = no_progress) -> Diarization:
        assert audio.channels == 1
        self.asked.append(num_speakers)
        return Diarization(self.turns, tuple(dict.fromkeys(t.speaker for t in self.turns)))


def _models(transcriber: FakeTranscriber, diarizer: FakeDiarizer | None = None,
            detected: str = "en") -> SpeechModels:
    def no_diarizer() -> FakeDiarizer:
        raise AssertionError("stereo calls must not be diarized")

    return SpeechModels(transcriber=lambda language: transcriber,
                        diarizer=(lambda: diarizer) if diarizer else no_diarizer,
                        detect_language=lambda audio, candidates: (detected, 0.9))


def _mono_turns() -> tuple[SpeakerTurn, ...]:
    # diarization labels in order of appearance; the agent happens to be SPEAKER_01 here
    return tuple(SpeakerTurn("SPEAKER_01" if (s, e, t) in AGENT else "SPEAKER_00", s - 0.1, e + 0.1)
                 for s, e, t in sorted(SCRIPT))


def test_stereo_call_takes_speakers_from_channels_and_roles_from_the_channel_map() -> None:
    audio = Audio(np.stack([_channel(CUSTOMER), _channel(AGENT)]), source="call.wav")  # agent on channel 1
    fake = FakeTranscriber(SCRIPT)
    options = SpeechOptions(language="en", agent_channel=1)
    result = analyze_speech(audio, None, _models(fake), options)
    t = result.transcript
    assert fake.calls == ["en", "en"]  # one pass per channel
    agent, customer = Role.AGENT, Role.CUSTOMER
    assert [u.role for u in t.utterances] == [agent, customer, agent, customer, agent]
    assert [u.channel for u in t.utterances] == [1, 0, 1, 0, 1]
    assert t.utterances[0].text.startswith("Thank you for calling")
    assert t.roles is not None and t.roles.method == "channel" and t.roles.confidence == 1.0
    assert t.diarization_method == "channels" and result.diarization.method == "channels"
    assert dict(t.meta)["mode"] == "stereo" and t.duration == pytest.approx(DURATION)


def test_the_recogniser_gets_the_hints_of_the_calls_language() -> None:
    audio = Audio(np.stack([_channel(CUSTOMER), _channel(AGENT)]))
    hints = RecognitionHints((("zh", ("您好。",)), ("en", ("Goodbye.",))))
    stereo, mono = FakeTranscriber(SCRIPT), FakeTranscriber(SCRIPT)
    analyze_speech(audio, None, _models(stereo), SpeechOptions(language="en", agent_channel=1, hints=hints))
    assert stereo.hints == [("Goodbye.",), ("Goodbye.",)]
    analyze_speech(audio, None, _models(mono, FakeDiarizer(_mono_turns())),
                   SpeechOptions(language="zh", force_mono=True, hints=hints))
    assert mono.hints == [("您好。",)]


def test_mono_call_is_diarized_and_roles_come_from_content() -> None:
    audio = Audio((_channel(AGENT) + _channel(CUSTOMER))[None, :])
    diarizer = FakeDiarizer(_mono_turns())
    metadata = CallMetadata("c1", language="en")
    options = SpeechOptions.from_settings(Settings(num_speakers=2), metadata)
    t = transcribe_call(audio, metadata, _models(FakeTranscriber(SCRIPT), diarizer), options)
    assert diarizer.asked == [2]
    assert [(u.speaker, u.role) for u in t.utterances[:2]] == [("SPEAKER_01", Role.AGENT),
                                                              ("SPEAKER_00", Role.CUSTOMER)]
    assert t.roles is not None and t.roles.method == "content" and not t.roles.low_confidence
    assert t.diarization_method == "pyannote"


def test_speech_free_audio_gives_an_empty_transcript_without_diarizing() -> None:
    silent = Audio(np.zeros((1, 5 * SAMPLE_RATE), np.float32))
    diarizer = FakeDiarizer(())
    options = SpeechOptions(language="en")
    t = transcribe_call(silent, None, _models(FakeTranscriber(SCRIPT), diarizer), options)
    assert t.utterances == () and diarizer.asked == []
    stereo = Audio(np.zeros((2, 5 * SAMPLE_RATE), np.float32) + np.float32(1e-4) * np.array([[1], [-1]],
                                                                                           np.float32))
    t2 = transcribe_call(stereo, None, _models(FakeTranscriber(SCRIPT)), SpeechOptions(language="en"))
    assert t2.utterances == ()


def test_a_stereo_file_with_identical_channels_is_treated_as_mono() -> None:
    mix = _channel(AGENT) + _channel(CUSTOMER)
    diarizer = FakeDiarizer(_mono_turns())
    t = transcribe_call(Audio(np.stack([mix, mix])), None, _models(FakeTranscriber(SCRIPT), diarizer),
                        SpeechOptions(language="en"))
    assert diarizer.asked and dict(t.meta)["mode"] == "mono"


def test_fake_stereo_is_transcribed_once_with_roles_from_diarization() -> None:
    """A mono recording saved as stereo, the copy delayed and quieter (as call recorders do)."""
    mix = _channel(AGENT) + _channel(CUSTOMER)
    fake, diarizer = FakeTranscriber(SCRIPT), FakeDiarizer(_mono_turns())
    copy = 0.5 * np.roll(mix, 16)
    t = transcribe_call(Audio(np.stack([mix, copy]), source="fake.flac"), None, _models(fake, diarizer),
                        SpeechOptions(language="en"))
    meta = dict(t.meta)
    assert len(fake.calls) == 1 and diarizer.asked == [2]
    assert meta["mode"] == "mono" and meta["channel_layout"] == "dual_mono" and "same signal" in \
        meta["channel_layout_reason"]
    assert len(t.utterances) == len(SCRIPT)  # each line once, not twice
    agent_text = " ".join(u.text for u in t.utterances if u.role is Role.AGENT)
    assert "Construction Bank" in agent_text and "David Miller" not in agent_text


def test_a_silent_channel_is_dropped_and_the_other_diarized() -> None:
    mix = _channel(AGENT) + _channel(CUSTOMER)
    fake, diarizer = FakeTranscriber(SCRIPT), FakeDiarizer(_mono_turns())
    silent = np.float32(1e-5) * np.ones_like(mix)
    t = transcribe_call(Audio(np.stack([silent, mix])), None, _models(fake, diarizer), SpeechOptions(language="en"))
    meta = dict(t.meta)
    assert len(fake.calls) == 1 and diarizer.asked == [2] and meta["channel_layout"] == "one_silent"
    assert "channel 0 is silent" in meta["channel_layout_reason"] and len(t.utterances) == len(SCRIPT)
    assert {u.role for u in t.utterances} == {Role.AGENT, Role.CUSTOMER}


def test_force_mono_diarizes_a_stereo_call() -> None:
    audio = Audio(np.stack([_channel(AGENT), _channel(CUSTOMER)]))
    diarizer = FakeDiarizer(_mono_turns())
    t = transcribe_call(audio, None, _models(FakeTranscriber(SCRIPT), diarizer),
                        SpeechOptions(language="en", force_mono=True, num_speakers=3))
    assert diarizer.asked == [3] and t.diarization_method == "pyannote"


def test_language_is_detected_only_where_allowed() -> None:
    audio = Audio(np.stack([_channel(AGENT), _channel(CUSTOMER)]))
    fake = FakeTranscriber(SCRIPT)
    t = transcribe_call(audio, None, _models(fake, detected="zh"), SpeechOptions(language=None))
    assert t.language == "zh" and fake.calls == ["zh", "zh"]
    assert dict(t.meta)["language_source"].startswith("detected")
    with pytest.raises(ConfigError, match="language"):
        transcribe_call(audio, None, _models(fake), SpeechOptions(language=None, allow_detection=False))


def test_progress_is_reported_through_the_hook() -> None:
    seen: list[tuple[str, float, float]] = []
    audio = Audio(np.stack([_channel(AGENT), _channel(CUSTOMER)]))
    transcribe_call(audio, None, _models(FakeTranscriber(SCRIPT)), SpeechOptions(language="en"),
                    lambda stage, done, total: seen.append((stage, done, total)))
    stages = [s for s, _, _ in seen]
    assert "transcribe" in stages and stages[-1] == "done"
    assert all(0 <= done <= total for _, done, total in seen)
    progress = [done for s, done, _ in seen if s == "transcribe"]
    assert progress == sorted(progress)  # channel 1 continues where channel 0 ended


def test_options_from_settings_metadata_and_overrides() -> None:
    settings = Settings(language="zh", agent_channel=0, num_speakers=2, role_confidence_threshold=0.7,
                        rubric_vars={"bank_name": "工商银行", "bank_name_en": "ICBC"})
    base = SpeechOptions.from_settings(settings)
    assert (base.language, base.agent_channel, base.num_speakers) == ("zh", 0, 2)
    assert base.roles.bank_name == "工商银行" and base.roles.confidence_threshold == 0.7
    meta = CallMetadata("c", direction=Direction.OUTBOUND, language="en", agent_channel=1)
    from_meta = SpeechOptions.from_settings(settings, meta)
    assert (from_meta.language, from_meta.agent_channel, from_meta.roles.outbound) == ("en", 1, True)
    over = SpeechOptions.from_settings(settings, meta, language="auto", agent_channel=0, num_speakers=None)
    assert (over.language, over.agent_channel, over.num_speakers) == (None, 0, 2)
    assert SpeechOptions.from_settings(Settings(language="auto")).language is None


def test_an_agent_channel_the_recording_lacks_is_a_config_error() -> None:
    audio = Audio(np.stack([_channel(AGENT), _channel(CUSTOMER)]))
    with pytest.raises(ConfigError, match="agent channel 2"):
        transcribe_call(audio, None, _models(FakeTranscriber(SCRIPT)),
                        SpeechOptions(language="en", agent_channel=2))
