"""How SpeechModels is configured from settings (no model is loaded here)."""

from __future__ import annotations

import os

from qa_service.pipeline.models import (
    asr_role,
    beam_size,
    compute_threads,
    load_speech_models,
    resolve_device,
)
from qa_service.settings import Settings


def test_device_and_compute_type() -> None:
    assert resolve_device(Settings(device="cpu")) == ("cpu", "int8")
    assert resolve_device(Settings(device="cuda")) == ("cuda", "float16")
    assert resolve_device(Settings(device="cpu", compute_type="float32")) == ("cpu", "float32")
    device, compute = resolve_device(Settings(device="auto"))
    assert (device, compute) in {("cpu", "int8"), ("cuda", "float16")}


def test_threads_and_beams() -> None:
    assert compute_threads(Settings(cpu_threads=3)) == 3
    assert compute_threads(Settings(cpu_threads=0)) == (os.cpu_count() or 1)
    s = Settings(asr_beam_size=1, asr_beam_size_en=5)
    assert beam_size(s, "en") == 5 and beam_size(s, "zh") == 1
    assert beam_size(Settings(asr_beam_size=2, asr_beam_size_en=None), "en") == 2


def test_english_gets_the_english_model_and_everything_else_the_multilingual_one() -> None:
    assert asr_role("en") == "asr_en"
    assert asr_role("zh") == asr_role(None) == "asr_multilingual"


def test_loading_speech_models_loads_nothing_yet() -> None:
    models = load_speech_models(Settings(device="cpu", cpu_threads=2))
    assert dict(models.description) == {"device": "cpu", "compute_type": "int8", "threads": "2"}
