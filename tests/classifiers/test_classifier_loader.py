"""Loading the trained classifier: settings, missing or corrupt models, base-encoder checksum."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from qa_service.classifiers import CallClassifier, KeywordClassifier, build_neural_classifier, load_call_classifier
from qa_service.classifiers.model import read_config
from qa_service.domain import CallTranscript, Classification, Role, Utterance
from qa_service.errors import ModelCorrupt, ModelLoadError, ModelNotFound
from qa_service.settings import PROJECT_ROOT, Settings

DEFAULT_MODEL = PROJECT_ROOT / "models" / "call-classifier"


def _call() -> CallTranscript:
    return CallTranscript("zh", (
        Utterance("agent", 0.0, 2.0, "您好，请问有什么可以帮您？", role=Role.AGENT),
        Utterance("customer", 2.5, 6.0, "我的银行卡丢了，想挂失。", role=Role.CUSTOMER),
    ))


def test_missing_configured_model_names_the_setting(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, classifier_model=tmp_path / "nope")
    with pytest.raises(ModelNotFound) as err:
        load_call_classifier(settings)
    assert "QA_CLASSIFIER_MODEL" in err.value.reason
    assert err.value.details["setting"] == "classifier_model"


def test_directory_without_a_model_names_the_setting(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelNotFound) as err:
        read_config(tmp_path / "empty")
    assert "QA_CLASSIFIER_MODEL" in err.value.reason and err.value.details["setting"] == "classifier_model"


def test_unreadable_config_is_reported_corrupt(tmp_path: Path) -> None:
    model = tmp_path / "m"
    shutil.copytree(DEFAULT_MODEL, model)
    (model / "config.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelCorrupt):
        read_config(model)
    raw = json.loads((DEFAULT_MODEL / "config.json").read_text())
    raw["labels"]["business_types"] = ["account_inquiry"]
    (model / "config.json").write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(ModelCorrupt, match="label vocabularies"):
        read_config(model)


def test_missing_text_encoder_names_its_setting(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, text_encoder_model=tmp_path / "no-encoder")
    with pytest.raises(ModelNotFound) as err:
        build_neural_classifier(DEFAULT_MODEL, settings)
    assert err.value.details["setting"] == "text_encoder_model"


@pytest.mark.models
def test_base_encoder_checksum_must_match(settings: Settings, tmp_path: Path) -> None:
    model = tmp_path / "m"
    shutil.copytree(DEFAULT_MODEL, model)
    raw = json.loads((model / "config.json").read_text())
    raw["base_model"]["sha256"] = "0" * 64
    (model / "config.json").write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(ModelLoadError) as err:
        build_neural_classifier(model, settings)
    assert "QA_TEXT_ENCODER_MODEL" in err.value.reason and "retrain" in err.value.reason


@pytest.mark.models
def test_default_loads_once_per_process_and_classifies(settings: Settings) -> None:
    first = load_call_classifier(settings)
    assert load_call_classifier(settings) is first
    assert isinstance(first, CallClassifier)
    result = first.classify(_call())
    assert isinstance(result, Classification)
    assert result.business_type.value == "card_services"
    assert [s.utterance_index for s in result.sentiment] == [1]  # customer turns only
    assert result.outcome is None  # inbound (no metadata)


def test_keyword_baseline_satisfies_the_protocol() -> None:
    assert isinstance(KeywordClassifier(), CallClassifier)
