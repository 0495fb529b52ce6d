"""Listening: Range requests, clips, bleeped PII for users without the PII permission, audit events."""

from __future__ import annotations

import io
import wave
from collections.abc import Callable
from dataclasses import replace

import numpy as np
from fastapi.testclient import TestClient
from seed import transcript as seed_transcript
from sqlalchemy import select

from qa_service.domain import Word
from qa_service.services.context import ServiceContext
from qa_service.settings import Settings
from qa_service.store.models import AuditEvent, Call
from qa_service.store.results import save_transcript

Tokens = Callable[[str], dict[str, str]]


def _samples(body: bytes) -> tuple[np.ndarray, int]:
    with wave.open(io.BytesIO(body)) as w:
        rate, channels = w.getframerate(), w.getnchannels()
        data = np.frombuffer(w.readframes(w.getnframes()), "<i2").reshape(-1, channels)
    return data.astype(np.float32) / 32768, rate


def _energy_at(x: np.ndarray, rate: int, hz: float) -> float:
    spectrum = np.abs(np.fft.rfft(x * np.hanning(x.size)))
    freqs = np.fft.rfftfreq(x.size, 1 / rate)
    band = (freqs > hz - 20) & (freqs < hz + 20)
    return float(spectrum[band].sum() / spectrum.sum())


def test_whole_file_and_ranges(client: TestClient, token_of: Tokens) -> None:
    h = token_of("sup_pii")
    whole = client.get("/calls/A-1/audio", headers=h)
    assert whole.status_code == 200 and whole.headers["content-type"] == "audio/wav"
    assert whole.headers["accept-ranges"] == "bytes" and whole.headers["x-pii-bleeped"] == "false"
    size = len(whole.content)
    part = client.get("/calls/A-1/audio", headers={**h, "Range": "bytes=100-1123"})
    assert part.status_code == 206 and part.content == whole.content[100:1124]
    assert part.headers["content-range"] == f"bytes 100-1123/{size}"
    tail = client.get("/calls/A-1/audio", headers={**h, "Range": "bytes=-10"})
    assert tail.status_code == 206 and tail.content == whole.content[-10:]
    bad = client.get("/calls/A-1/audio", headers={**h, "Range": f"bytes={size}-"})
    assert bad.status_code == 416 and bad.headers["content-range"] == f"bytes */{size}"


def test_pii_is_bleeped_for_users_without_the_permission(client: TestClient, token_of: Tokens) -> None:
    plain, rate = _samples(client.get("/calls/A-1/audio", headers=token_of("sup_pii")).content)
    bleeped, _ = _samples(client.get("/calls/A-1/audio", headers=token_of("sup_a")).content)
    card = slice(int(2.7 * rate), int(3.3 * rate))  # the masked card number is said at 2.5–3.5 s
    assert _energy_at(bleeped[card, 1], rate, 1000) > 0.9 and _energy_at(plain[card, 1], rate, 1000) < 0.05
    clean = slice(int(0.2 * rate), int(1.5 * rate))  # the greeting has no PII: untouched
    assert np.array_equal(bleeped[clean], plain[clean])


def test_clip_and_bad_clip(client: TestClient, token_of: Tokens) -> None:
    h = token_of("sup_a")
    clip, rate = _samples(client.get("/calls/A-1/audio", headers=h, params={"start": 1, "end": 2.5}).content)
    assert abs(clip.shape[0] / rate - 1.5) < 0.01
    for params in ({"start": 3, "end": 2}, {"start": 100, "end": 200}, {"start": -1}):
        r = client.get("/calls/A-1/audio", headers=h, params=params)
        assert r.status_code == 422, (params, r.status_code)


def test_listens_are_audited_once_per_listen(client: TestClient, token_of: Tokens, api_settings: Settings) -> None:
    h = token_of("sup_a")
    for rng in ("bytes=0-999", "bytes=1000-1999", "bytes=2000-"):
        assert client.get("/calls/A-1/audio", headers={**h, "Range": rng}).status_code == 206
    client.get("/calls/A-1/audio", headers=h, params={"start": 1, "end": 2})
    assert client.get("/calls/B-1/audio", headers=h).status_code == 404
    with ServiceContext(api_settings).session() as s:
        details = s.scalars(select(AuditEvent.detail).where(AuditEvent.action == "listen")).all()
    assert sorted(str(d["clip"]) for d in details) == ["None", "[1.0, 2.0]"]
    assert all(d["bleeped"] for d in details)


def test_a_listen_counts_as_a_monitored_call(client: TestClient, token_of: Tokens) -> None:
    h = token_of("admin")
    assert client.get("/reports/service", headers=h).json()["monitored_calls"] == 0
    client.get("/calls/A-1/audio", headers=token_of("sup_a"), params={"start": 0, "end": 1})
    client.get("/calls/A-1/audio", headers=token_of("agent_a1"))
    assert client.get("/reports/service", headers=h).json()["monitored_calls"] == 1


def test_a_new_transcript_is_bleeped_by_its_own_spans(client: TestClient, token_of: Tokens,
                                                      api_settings: Settings) -> None:
    """Bleep spans are cached per transcript version: a re-transcribed call (PII now in the greeting,
    none where the card was) is bleeped where the new transcript says, on the very next request."""
    h = token_of("sup_a")
    before, rate = _samples(client.get("/calls/A-1/audio", headers=h).content)
    greeting, card = slice(int(0.2 * rate), int(0.8 * rate)), slice(int(2.7 * rate), int(3.3 * rate))
    assert _energy_at(before[card, 1], rate, 1000) > 0.9 and _energy_at(before[greeting, 0], rate, 1000) < 0.05
    old = seed_transcript()
    moved = replace(old, utterances=(
        replace(old.utterances[0], text="您好，我的手机号是***********",
                words=(Word("您好", 0.0, 0.1), Word("***********", 0.1, 0.9))),
        replace(old.utterances[1], text="卡号说完了。", words=(Word("卡号说完了", 2.0, 3.5),)),
        old.utterances[2]))
    with ServiceContext(api_settings).session() as s:
        pk = s.scalar(select(Call.id).where(Call.call_id == "A-1"))
        assert pk is not None
        save_transcript(s, pk, moved, pipeline_version="test", redacted=True)
    after, _ = _samples(client.get("/calls/A-1/audio", headers=h).content)
    assert _energy_at(after[greeting, 0], rate, 1000) > 0.9
    assert _energy_at(after[card, 1], rate, 1000) < 0.05
