"""The review threshold belongs to the recogniser: a word probability of 0.4 means one thing from
Whisper tiny.en and another from a larger model. The manifest records, per ASR role, the
``review_confidence`` calibrated for its default weights (``qa-service eval --calibrate``); it
replaces the rubrics' own threshold while those weights are in use."""

from __future__ import annotations

from qa_service.settings import Settings
from qa_service.weights.manifest import load_manifest

#: The recogniser role that transcribes each language (English has its own model).
LANGUAGES = ("en", "zh")


def asr_role(language: str | None) -> str:
    return "asr_en" if language == "en" else "asr_multilingual"


def review_confidence_by_language(settings: Settings) -> dict[str, float]:
    """Per language: ``QA_REVIEW_CONFIDENCE_EN`` / ``_ZH`` when set; else the manifest's calibrated
    value for the recogniser's default weights, if those are in use (a model configured at
    ``QA_ASR_MODEL_*`` is uncalibrated: the rubrics' own threshold applies until you set one)."""
    specs = load_manifest(settings.manifest_path)
    chosen: dict[str, float] = {}
    for language in LANGUAGES:
        override = getattr(settings, f"review_confidence_{language}")
        spec = specs.get(asr_role(language))
        if override is not None:
            chosen[language] = override
        elif spec is not None and spec.review_confidence is not None and getattr(settings, spec.setting) is None:
            chosen[language] = spec.review_confidence
    return chosen
