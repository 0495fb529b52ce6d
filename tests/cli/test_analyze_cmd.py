"""``qa-service analyze`` and ``qa-service eval`` output, with fake models (the CLI is the point here)."""

from __future__ import annotations

import json
import wave
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import qa_service.pipeline as pipeline
from qa_service.cli.main import build_app, main
from qa_service.domain import SAMPLE_RATE, AsrResult, AsrSegment, Audio, Diarization, SpeakerTurn, Word
from qa_service.pipeline import SpeechModels
from qa_service.progress import ProgressHook, no_progress

LINES = {0: (0.5, 2.5, "Thank you for calling Construction Bank, how may I help you?"),
         1: (3.0, 4.5, "I'd like to check my card.")}


class FakeTranscriber:
    """Recognises channel 0's or channel 1's line depending on where the sound is."""

    def transcribe(self, audio: Audio, language: str | None, hook: ProgressHook = no_progress,
                   hints: Sequence[str] = ()) -> AsrResult:
        segments = []
        for start, end, text in LINES.values():
            chunk = audio.samples[0, int(start * SAMPLE_RATE) : int(end * SAMPLE_RATE)]
            if float(np.abs(chunk).mean()) > 0.01:
                tokens = text.split()
                step = (end - start) / len(tokens)
                words = tuple(Word(t, start + i * step, start + (i + 1) * step) for i, t in enumerate(tokens))
                segments.append(AsrSegment(text, start, end, words))
        hook("transcribe", audio.duration, audio.duration)
        return AsrResult(language or "en", tuple(segments), audio.duration)


class FakeDiarizer:
    def diarize(self, audio: Audio, num_speakers: int | None = None,
                hook: ProgressHook = no_progress) -> Diarization:
        turns = tuple(SpeakerTurn(f"SPEAKER_0{ch}", s, e) for ch, (s, e, _) in LINES.items())
        return Diarization(turns, ("SPEAKER_00", "SPEAKER_01"))


@pytest.fixture(autouse=True)
def fake_models(monkeypatch: pytest.MonkeyPatch) -> None:
    models = SpeechModels(transcriber=lambda lang: FakeTranscriber(), diarizer=FakeDiarizer,
                          detect_language=lambda audio, candidates: ("en", 1.0))
    monkeypatch.setattr(pipeline, "load_speech_models", lambda settings: models)


def _call(path: Path, stereo: bool = True) -> Path:
    n = 5 * SAMPLE_RATE
    x = np.zeros((2, n), np.float32)
    for ch, (s, e, _) in LINES.items():
        a, b = int(s * SAMPLE_RATE), int(e * SAMPLE_RATE)
        x[ch, a:b] = 0.2 * np.sin(np.arange(b - a))
    if not stereo:
        x = x.sum(axis=0, keepdims=True)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(x.shape[0])
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE)
        w.writeframes((x.T * 32767).astype("<i2").tobytes())
    return path


runner = CliRunner()


def test_analyze_prints_a_readable_transcript(tmp_path: Path) -> None:
    result = runner.invoke(build_app(), ["analyze", str(_call(tmp_path / "c.wav")), "--language", "en"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert lines[-2].startswith("[00:00.500 → 00:02.500] agent") and "Construction Bank" in lines[-2]
    assert lines[-1].startswith("[00:03.000 → 00:04.500] customer")


@pytest.mark.parametrize(("flag", "check"), [
    ("--json", lambda out: json.loads(out)["utterances"][1]["role"] == "customer"),
    ("--srt", lambda out: out.startswith("1\n00:00:00,500 --> 00:00:02,500\nagent: Thank you")),
    ("--vtt", lambda out: out.startswith("WEBVTT") and "<v customer>I'd like" in out),
    ("--rttm", lambda out: out.splitlines()[1].split()[7] == "customer"),
])
def test_analyze_output_forms(tmp_path: Path, flag: str, check: object) -> None:
    result = runner.invoke(build_app(), ["analyze", str(_call(tmp_path / "c.flac.wav")), flag, "-l", "en",
                                         "--agent-channel", "0"])
    assert result.exit_code == 0, result.output
    assert callable(check) and check(result.stdout)


def test_analyze_swapped_agent_channel_and_mono(tmp_path: Path) -> None:
    swapped = runner.invoke(build_app(), ["analyze", str(_call(tmp_path / "c.wav")), "--json", "-l", "en",
                                          "--agent-channel", "1"])
    assert json.loads(swapped.stdout)["utterances"][0]["role"] == "customer"
    right = runner.invoke(build_app(), ["analyze", str(_call(tmp_path / "c.wav")), "--json", "-l", "en",
                                        "--agent-channel", "right"])
    assert json.loads(right.stdout)["utterances"] == json.loads(swapped.stdout)["utterances"]
    left = runner.invoke(build_app(), ["analyze", str(_call(tmp_path / "c.wav")), "--json", "-l", "en",
                                       "--agent-channel", "Left"])
    assert json.loads(left.stdout)["utterances"][0]["role"] == "agent"
    bad = runner.invoke(build_app(), ["analyze", str(_call(tmp_path / "c.wav")), "--agent-channel", "middle"])
    assert bad.exit_code != 0 and "left or right" in bad.output
    mono = runner.invoke(build_app(), ["analyze", str(_call(tmp_path / "m.wav", stereo=False)), "--json",
                                       "-l", "en", "--speakers", "2"])
    data = json.loads(mono.stdout)
    assert data["roles"]["method"] == "content" and data["utterances"][0]["role"] == "agent"


def test_analyze_rejects_two_output_forms(tmp_path: Path) -> None:
    result = runner.invoke(build_app(), ["analyze", str(_call(tmp_path / "c.wav")), "--json", "--srt"])
    assert result.exit_code != 0


def test_bad_audio_is_a_readable_error_with_exit_code_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "notes.wav"
    bad.write_bytes(b"this is not audio" * 50)
    monkeypatch.setattr("sys.argv", ["qa-service", "analyze", str(bad), "-l", "en"])
    with pytest.raises(SystemExit) as info:
        main()
    assert info.value.code == 2
    assert "error: notes.wav: cannot decode audio" in capsys.readouterr().err


def test_eval_over_a_folder_of_audio_with_rttm_and_txt(tmp_path: Path) -> None:
    _call(tmp_path / "call1.wav")
    (tmp_path / "call1.rttm").write_text(
        "SPEAKER call1 1 0.500 2.000 <NA> <NA> agent <NA> <NA>\n"
        "SPEAKER call1 1 3.000 1.500 <NA> <NA> customer <NA> <NA>\n", encoding="utf-8")
    (tmp_path / "call1.txt").write_text(
        "Thank you for calling Construction Bank, how may I help you? I'd like to check my card.",
        encoding="utf-8")
    result = runner.invoke(build_app(), ["eval", str(tmp_path), "--json", "--language", "en"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    row = data["rows"][0]
    assert row["file"] == "call1" and row["unit"] == "WER" and row["error_rate"] == 0.0
    assert row["der_collar_0.0"] == 0.0 and row["role_accuracy"] == 1.0
    assert data["overall"]["wer"] == 0.0 and data["overall"]["failed"] == 0
    table = runner.invoke(build_app(), ["eval", str(tmp_path), "--language", "en"])
    assert "call1" in table.stdout and "WER 0.0%" in table.stdout and "ALL file" in table.stdout


def test_eval_verdicts_and_calibration_on_sample_calls() -> None:
    from qa_service.settings import Settings

    folder = str(Settings().sample_dir)
    result = runner.invoke(build_app(), ["eval", folder, "--mode", "stereo", "--limit", "4", "--language", "en",
                                         "--verdicts", "--json"])
    assert result.exit_code == 0, result.output
    verdicts = json.loads(result.stdout)["verdicts"]
    assert verdicts["items"] and {"on_audio", "on_reference", "expected"} <= set(verdicts["items"][0])
    assert verdicts["all"]["reference"]["agreement"] == 1.0  # the references agree with their answers
    assert verdicts["all"]["audio"]["agreement"] < 1.0  # the fake recogniser hears two stock lines only
    table = runner.invoke(build_app(), ["eval", folder, "--mode", "stereo", "--limit", "4", "--language", "en",
                                        "--calibrate"])
    assert table.exit_code == 0, table.output
    assert "rubric verdicts" in table.stdout and "review_confidence sweep" in table.stdout


def test_eval_live_follows_sample_calls_and_tallies_their_alerts(monkeypatch: pytest.MonkeyPatch) -> None:
    from qa_service.services import live
    from qa_service.settings import Settings

    def silent(ctx: object) -> object:  # hears nothing: every expected alert is missed, none false
        return lambda chunk, language, hints: []

    monkeypatch.setattr(live, "whisper_recogniser", silent)
    folder = str(Settings().sample_dir)
    result = runner.invoke(build_app(), ["eval", folder, "--live", "--limit", "2", "--language", "en", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [c["call_id"] for c in data["cases"]] == ["en_inbound_account_no_closing",
                                                     "en_inbound_bill_payment_forbidden"]
    by = {(t["kind"], t["language"]): t for t in data["tally"]}
    assert by[("forbidden_phrase", "en")]["missed"] == 1  # the forbidden phrase was not heard
    assert by[("greeting_missing", "en")]["false_alarms"] == 2  # nor the greetings
    table = runner.invoke(build_app(), ["eval", folder, "--live", "--limit", "1", "--language", "en"])
    assert table.exit_code == 0 and "greeting_missing" in table.stdout and "real-time factor" in table.stdout
