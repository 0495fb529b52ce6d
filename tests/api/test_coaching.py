"""Coaching sets through the API: a trainer builds an ordered set of clips (good and bad examples) and
exports it as a zip of bleeped clips, transcripts and an index; who may not, may not."""

from __future__ import annotations

import csv
import io
import wave
import zipfile
from collections.abc import Callable

import numpy as np
from fastapi.testclient import TestClient

Tokens = Callable[[str], dict[str, str]]


def _build(client: TestClient, h: dict[str, str]) -> dict:
    r = client.post("/coaching/sets", headers=h, json={"name": "Greetings 问候语", "note": "week 49"})
    assert r.status_code == 201, r.text
    set_id = r.json()["set_id"]
    assert r.json()["team"] == "A"  # the trainer's one team
    for body in ({"call_id": "A-2", "start_s": 0.0, "end_s": 1.8, "example": "good", "title": "standard greeting"},
                 {"call_id": "A-1", "start_s": 1.5, "end_s": 4.0, "example": "bad", "title": "card number read out",
                  "note": "never repeat the card number"}):
        r = client.post(f"/coaching/sets/{set_id}/clips", headers=h, json=body)
        assert r.status_code == 201, r.text
    return r.json()


def test_trainer_builds_reorders_and_exports_a_set(client: TestClient, token_of: Tokens) -> None:
    h = token_of("trainer_a")
    built = _build(client, h)
    set_id = built["set_id"]
    ids = [c["clip_id"] for c in built["clips"]]
    assert [c["title"] for c in built["clips"]] == ["standard greeting", "card number read out"]
    r = client.put(f"/coaching/sets/{set_id}/order", headers=h, json={"clip_ids": ids[::-1]})
    assert [c["clip_id"] for c in r.json()["clips"]] == ids[::-1]
    assert client.put(f"/coaching/sets/{set_id}/order", headers=h, json={"clip_ids": ids[:1]}).status_code == 422
    r = client.patch(f"/coaching/sets/{set_id}/clips/{ids[0]}", headers=h, json={"note": "listen for the pause"})
    assert next(c for c in r.json()["clips"] if c["clip_id"] == ids[0])["note"] == "listen for the pause"
    assert client.get("/coaching/sets", headers=token_of("sup_a")).json()[0]["clips"] == 2
    export = client.get(f"/coaching/sets/{set_id}/export", headers=token_of("sup_pii"))
    assert export.status_code == 200 and export.headers["content-type"] == "application/zip"
    zf = zipfile.ZipFile(io.BytesIO(export.content))
    names = zf.namelist()
    assert {"index.html", "index.csv"} <= set(names)
    index = list(csv.DictReader(io.StringIO(zf.read("index.csv").decode("utf-8-sig"))))
    shown = client.get(f"/coaching/sets/{set_id}", headers=h).json()["clips"]
    assert [(x["call_id"], x["title"], x["example"]) for x in index] == [
        (c["call_id"], c["title"], c["example"]) for c in shown]
    bad = index[0]
    assert bad["example"] == "bad" and bad["note"] == "never repeat the card number"
    with wave.open(io.BytesIO(zf.read(bad["audio"]))) as w:
        assert abs(w.getnframes() / w.getframerate() - 2.5) < 0.05
        frames = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").reshape(-1, w.getnchannels())
    # the card number (2.5–3.5 s of the call, 1.0–2.0 s into the clip) is bleeped even for a PII-cleared user
    original = client.get("/calls/A-1/audio", headers=token_of("sup_pii"), params={"start": 1.5, "end": 4.0})
    with wave.open(io.BytesIO(original.content)) as w:
        plain = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").reshape(-1, w.getnchannels())
    rate = 16000
    inside = slice(int(1.2 * rate), int(1.8 * rate))
    assert not np.array_equal(frames[inside], plain[inside])
    assert np.array_equal(frames[: int(0.5 * rate)], plain[: int(0.5 * rate)])
    text = zf.read(bad["transcript"]).decode()
    assert "************7890" in text and "card number read out" in text
    assert bad["audio"] in zf.read("index.html").decode()
    events = client.get("/audit", headers=token_of("auditor"), params={"action": "export"}).json()["items"]
    assert events[0]["detail"] == {"what": "coaching_set", "set_id": set_id, "clips": 2, "bleeped": True}


def test_coaching_refusals(client: TestClient, token_of: Tokens) -> None:
    h = token_of("trainer_a")
    set_id = _build(client, h)["set_id"]
    assert client.post(f"/coaching/sets/{set_id}/clips", headers=h,
                       json={"call_id": "B-1", "start_s": 0, "end_s": 1}).status_code == 404  # not their team
    assert client.post(f"/coaching/sets/{set_id}/clips", headers=h,
                       json={"call_id": "A-1", "start_s": 3, "end_s": 2}).status_code == 422
    assert client.post(f"/coaching/sets/{set_id}/clips", headers=h,
                       json={"call_id": "A-1", "start_s": 60, "end_s": 70}).status_code == 422  # past the end
    assert client.post("/coaching/sets", headers=h, json={"name": "x", "team": "B"}).status_code == 422
    assert client.post("/coaching/sets", headers=token_of("sup_a"), json={"name": "x"}).status_code == 403
    assert client.get(f"/coaching/sets/{set_id}", headers=token_of("sup_b")).status_code == 404
    assert client.get(f"/coaching/sets/{set_id}/export", headers=token_of("agent_a1")).status_code == 403
    assert client.get(f"/coaching/sets/{set_id}/export", headers=token_of("auditor")).status_code == 403
    assert client.delete(f"/coaching/sets/{set_id}/clips/99999", headers=h).status_code == 404
    assert len(client.get(f"/coaching/sets/{set_id}", headers=h).json()["clips"]) == 2  # nothing lost
