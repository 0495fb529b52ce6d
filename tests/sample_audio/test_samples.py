"""The sample calls: every sidecar checked against calls.yaml and against its (decoded) audio.

A session fixture runs ``sample_audio/generate.py``, which does nothing when the audio is up to date
(its ``.generated`` stamp matches calls.yaml and the generator) and synthesises it otherwise. Audio is
decoded here with PyAV directly, independent of the project's decode stage.
"""

from __future__ import annotations

import subprocess
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

import av
import numpy as np
import numpy.typing as npt
import pytest
import yaml

from qa_service.domain import CallTranscript, Direction, Outcome, Role
from qa_service.samples import RUBRIC_ITEMS, SampleCall, iter_samples, load_rttm, load_sample
from qa_service.settings import PROJECT_ROOT

SAMPLE_DIR = PROJECT_ROOT / "sample_audio"
SPEC = yaml.safe_load((SAMPLE_DIR / "calls.yaml").read_text(encoding="utf-8"))
SPEC_CALLS: dict[str, dict[str, Any]] = {c["call_id"]: c for c in SPEC["calls"]}
CALL_IDS = sorted(SPEC_CALLS)

REQUIRED_SCENARIOS = {
    "account_inquiry", "bill_payment", "transfer", "card_loss", "complaint_handled", "suggestion", "praise",
    "outbound_marketing", "return_visit", "repayment_reminder",
    "missing_greeting", "forbidden_phrase", "missing_closing", "marketing_missing_disclosure",
    "complaint_no_apology",
}
FORBIDDEN = {"zh": ("不知道", "没办法", "这不归我管", "你听不懂吗"),
             "en": ("i don't know", "that's not my job", "not my problem")}
APOLOGY = {"zh": ("抱歉", "致歉", "对不起"), "en": ("sorry", "apolog")}
CLOSING = {"zh": "再见", "en": "goodbye"}
RECORDING = {"zh": "录音", "en": "recorded"}
RISK = {"zh": "理财非存款", "en": "not deposits"}
MAX_DURATION_ERROR = 0.05  # seconds
SPEECH_OVER_FLOOR = 20.0  # a turn's RMS on its channel vs the channel's noise floor
EDGE_OVER_FLOOR = 2.0  # first/last 50 ms of a turn still carry speech
QUIET_OVER_FLOOR = 1.5  # where a channel has no speech it stays at the floor


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    """Generate the sample audio if it is missing or stale (a no-op when the stamp is current)."""
    result = subprocess.run(
        [sys.executable, str(SAMPLE_DIR / "generate.py")],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert result.returncode == 0, f"sample generation failed:\n{result.stdout}\n{result.stderr}"
    check = subprocess.run([sys.executable, str(SAMPLE_DIR / "generate.py"), "--check"],
                           capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stderr
    return SAMPLE_DIR


@pytest.fixture(scope="session")
def samples(sample_dir: Path) -> dict[str, SampleCall]:
    return {s.call_id: s for s in iter_samples(sample_dir)}


@lru_cache(maxsize=8)
def decode(path: Path) -> tuple[npt.NDArray[np.float64], int, str]:
    """(samples (channels, frames) in [-1, 1], sample rate, codec name) straight from PyAV."""
    chunks = []
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        channels = stream.codec_context.channels
        for frame in container.decode(stream):
            data = frame.to_ndarray()
            if not frame.format.is_planar:
                data = data.reshape(-1, channels).T
            chunks.append(data)
        rate, codec = int(stream.rate), str(stream.codec_context.name)
    audio = np.concatenate(chunks, axis=1)
    assert audio.dtype == np.int16, f"{path.name}: expected 16-bit samples, got {audio.dtype}"
    return audio.astype(np.float64) / 32768.0, rate, codec


def rms(x: npt.NDArray[np.float64]) -> float:
    return float(np.sqrt(np.mean(x**2))) if x.size else 0.0


def span(t: float, rate: int) -> int:
    return round(t * rate)


# ------------------------------------------------------------------------------------ the set
def test_sample_set_is_complete(samples: dict[str, SampleCall]) -> None:
    assert sorted(samples) == CALL_IDS, "every call in calls.yaml has a sidecar, and nothing else does"
    assert len(samples) >= 12
    by_lang = {lang: [s for s in samples.values() if s.language == lang] for lang in ("zh", "en")}
    assert all(len(v) >= 6 for v in by_lang.values()), {k: len(v) for k, v in by_lang.items()}
    covered = {sc for s in samples.values() for sc in s.scenarios}
    assert covered >= REQUIRED_SCENARIOS, f"missing scenarios: {REQUIRED_SCENARIOS - covered}"
    telephony = [s for s in samples.values() if s.telephony_path is not None]
    assert len(telephony) >= 4 and {s.language for s in telephony} == {"zh", "en"}
    assert sum(s.agent_channel == 1 for s in samples.values()) >= 2
    assert any(s.expected.rubric_passed for s in samples.values())
    assert any(not s.expected.rubric_passed for s in samples.values())
    assert {s.expected.rubric_id.rsplit("_", 1)[0] for s in samples.values()} == set(RUBRIC_ITEMS)


# ------------------------------------------------------------------------------------ per call
@pytest.mark.parametrize("call_id", CALL_IDS)
def test_sidecar_matches_spec(samples: dict[str, SampleCall], call_id: str) -> None:
    sample, spec = samples[call_id], SPEC_CALLS[call_id]
    assert load_sample(sample.sidecar_path) == sample
    assert sample.language == spec["language"] and sample.agent_channel == spec.get("agent_channel", 0)
    assert (sample.telephony_path is not None) == bool(spec.get("telephony"))
    assert [(t.role.value, t.text) for t in sample.turns] == [(t["role"], t["text"]) for t in spec["turns"]]
    assert all(t.speaker == t.role.value for t in sample.turns)
    exp, spec_exp = sample.expected, spec["expected"]
    assert dict((k, v.value) for k, v in exp.rubric) == spec_exp["rubric"]
    assert [r.value for r in exp.contact_reasons] == spec_exp["contact_reasons"]
    assert exp.business_type.value == spec_exp["business_type"]
    assert (exp.outcome.value if exp.outcome else None) == spec_exp["outcome"]
    md = sample.metadata
    assert md.call_id == call_id and md.language == sample.language
    assert md.agent_channel == sample.agent_channel
    assert md.agent_id is not None and len(md.agent_id) == 4 and md.agent_id.isdigit()
    assert md.started_at is not None and md.started_at.utcoffset() is not None
    assert {Role.AGENT, Role.CUSTOMER} <= {t.role for t in sample.turns}
    assert 6 <= len(sample.turns) <= 14


@pytest.mark.parametrize("call_id", CALL_IDS)
def test_expected_labels_agree_with_the_script(samples: dict[str, SampleCall], call_id: str) -> None:
    """The reference answers must be true of the dialogue (a cheap lint of calls.yaml)."""
    s = samples[call_id]
    exp, lang = s.expected, s.language
    agent = [t for t in s.turns if t.role == Role.AGENT]
    agent_text = " ".join(t.text.lower() for t in agent)
    assert exp.rubric_passed == (not exp.failed_items)
    assert (s.metadata.direction == Direction.INBOUND) == (exp.rubric_id.startswith("inbound_service"))
    said_forbidden = any(p in agent_text for p in FORBIDDEN[lang])
    assert (exp.item("forbidden_phrases") == Outcome.FAIL) == said_forbidden
    first_agent = agent[0]
    greets = str(s.metadata.agent_id) in first_agent.text and first_agent.start < 15.0
    assert (exp.item("greeting") == Outcome.PASS) == greets
    closes = CLOSING[lang] in agent[-1].text.lower() and agent[-1].end > s.duration - 30.0
    assert (exp.item("closing") == Outcome.PASS) == closes
    if exp.rubric_id.startswith("inbound_service"):
        apology = exp.item("apology_on_complaint")
        if "complaint" in {r.value for r in exp.contact_reasons}:
            assert (apology == Outcome.PASS) == any(p in agent_text for p in APOLOGY[lang])
        else:
            assert apology == Outcome.NOT_APPLICABLE
    if exp.rubric_id.startswith("outbound_marketing"):
        assert (exp.item("recording_disclosure") == Outcome.PASS) == (RECORDING[lang] in agent_text)
        assert (exp.item("risk_disclosure") == Outcome.PASS) == (RISK[lang] in agent_text)


@pytest.mark.parametrize("call_id", CALL_IDS)
def test_audio_files_and_durations(samples: dict[str, SampleCall], call_id: str) -> None:
    s = samples[call_id]
    stereo, rate, codec = decode(s.stereo_path)
    assert (codec, rate, stereo.shape[0]) == ("flac", s.sample_rate, 2) and s.sample_rate == 16_000
    mono, mono_rate, mono_codec = decode(s.mono_path)
    assert (mono_codec, mono_rate, mono.shape[0]) == ("flac", 16_000, 1)
    for audio, r in ((stereo, rate), (mono, mono_rate)):
        assert abs(audio.shape[1] / r - s.duration) <= MAX_DURATION_ERROR
    if s.telephony_path is not None:
        tel, tel_rate, tel_codec = decode(s.telephony_path)
        assert (tel_codec, tel_rate, tel.shape[0]) == ("pcm_mulaw", 8_000, 1)
        assert abs(tel.shape[1] / tel_rate - s.duration) <= MAX_DURATION_ERROR
        # same content as the mono mix: 80 ms loudness envelopes agree
        n = min(mono.shape[1] // 1280, tel.shape[1] // 640)
        env_mono = np.sqrt((mono[0, : n * 1280].reshape(n, 1280) ** 2).mean(axis=1))
        env_tel = np.sqrt((tel[0, : n * 640].reshape(n, 640) ** 2).mean(axis=1))
        assert np.corrcoef(env_mono, env_tel)[0, 1] > 0.98


@pytest.mark.parametrize("call_id", CALL_IDS)
def test_mono_is_the_mix_of_the_stereo_channels(samples: dict[str, SampleCall], call_id: str) -> None:
    stereo, _, _ = decode(samples[call_id].stereo_path)
    mono, _, _ = decode(samples[call_id].mono_path)
    assert mono.shape[1] == stereo.shape[1]
    assert np.max(np.abs(mono[0] - stereo.mean(axis=0))) <= 1.0 / 32768 + 1e-12


@pytest.mark.parametrize("call_id", CALL_IDS)
def test_turns_are_where_the_speech_is(samples: dict[str, SampleCall], call_id: str) -> None:
    s = samples[call_id]
    stereo, rate, _ = decode(s.stereo_path)
    frames = stereo.shape[1]
    for prev, turn in zip(s.turns, s.turns[1:], strict=False):
        assert turn.start >= prev.start
        if turn.start < prev.end:  # overlaps: rare, short, and only between the two speakers
            assert turn.role != prev.role and prev.end - turn.start <= 0.5, (prev, turn)
    assert sum(b.start < a.end for a, b in zip(s.turns, s.turns[1:], strict=False)) <= 1
    assert all(0.0 <= t.start < t.end <= frames / rate + 1e-3 for t in s.turns)

    busy = {ch: np.zeros(frames, dtype=bool) for ch in (0, 1)}
    for t in s.turns:
        busy[s.channel_of(t.role)][span(t.start, rate) : span(t.end, rate)] = True
    floors = {ch: rms(stereo[ch][~busy[ch]]) for ch in (0, 1)}
    for ch, floor in floors.items():
        assert 1e-5 < floor < 3e-3, f"channel {ch}: noise floor {floor} (digital silence or too loud)"

    guard, edge = round(0.005 * rate), round(0.05 * rate)
    for i, t in enumerate(s.turns):
        ch = s.channel_of(t.role)
        a, b = span(t.start, rate), span(t.end, rate)
        where = f"{call_id} turn {i} ({t.role}, {t.start}-{t.end})"
        own = stereo[ch]
        assert rms(own[a:b]) > SPEECH_OVER_FLOOR * floors[ch], f"{where}: no speech on channel {ch}"
        assert rms(own[a + guard : a + edge]) > EDGE_OVER_FLOOR * floors[ch], f"{where}: starts late"
        assert rms(own[b - edge : b - guard]) > EDGE_OVER_FLOOR * floors[ch], f"{where}: ends early"
        before = own[max(0, a - 8 * guard) : max(0, a - guard)]
        after = own[b + guard : b + 8 * guard]
        for side, seg in (("before", before), ("after", after)):
            assert rms(seg) < QUIET_OVER_FLOOR * floors[ch], f"{where}: speech right {side} the turn"
        other = 1 - ch
        quiet = stereo[other][a:b][~busy[other][a:b]]
        assert rms(quiet) < QUIET_OVER_FLOOR * floors[other], f"{where}: other channel not quiet"


@pytest.mark.parametrize("call_id", CALL_IDS)
def test_rttm_matches_the_turns(samples: dict[str, SampleCall], call_id: str) -> None:
    s = samples[call_id]
    rttm = load_rttm(s.rttm_path)
    assert [t.speaker for t in rttm] == [t.role.value for t in s.turns]
    for ref, turn in zip(rttm, s.turns, strict=True):
        assert abs(ref.start - turn.start) < 1e-3 and abs(ref.end - turn.end) < 2e-3
    file_ids = {line.split()[1] for line in s.rttm_path.read_text(encoding="utf-8").splitlines()}
    assert file_ids == {call_id}


def test_reference_transcript(samples: dict[str, SampleCall]) -> None:
    for s in samples.values():
        transcript = s.reference_transcript()
        assert isinstance(transcript, CallTranscript)
        assert transcript.language == s.language and transcript.duration == s.duration
        assert [u.text for u in transcript.utterances] == [t.text for t in s.turns]
        assert all(u.channel == s.channel_of(u.role) for u in transcript.utterances)
        assert transcript.roles is not None and transcript.roles.role_of("agent") == Role.AGENT
        assert transcript.by_role(Role.CUSTOMER)
