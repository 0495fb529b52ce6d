from __future__ import annotations

import os
import pickle
import subprocess
import sys

from qa_service.errors import AudioDecodeError, ModelNotFound, QAError, StorageUnavailable, TransientError


def test_pyannote_telemetry_is_off_even_when_the_user_turned_it_on() -> None:
    code = (
        "import qa_service, os\n"
        "from qa_service.runtime import pyannote_telemetry_enabled\n"
        "assert os.environ['HF_HUB_OFFLINE'] == '1'\n"
        "print(pyannote_telemetry_enabled())\n"
    )
    env = dict(os.environ, PYANNOTE_METRICS_ENABLED="1", HF_HUB_OFFLINE="0")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "False"


def test_errors_survive_pickling_with_details() -> None:
    for err in (
        ModelNotFound("model 'asr_en' missing; set QA_ASR_MODEL_EN", setting="asr_model_en"),
        AudioDecodeError("empty file"),
        StorageUnavailable("db down"),
    ):
        back = pickle.loads(pickle.dumps(err))
        assert type(back) is type(err)
        assert back.reason == err.reason and back.details == err.details
        assert isinstance(back, QAError)
    assert isinstance(StorageUnavailable("x"), TransientError)


def test_model_loading_progress_bars_are_off_unless_the_user_asks_for_them() -> None:
    code = "import qa_service, huggingface_hub.utils as u\nprint(u.are_progress_bars_disabled())\n"
    quiet = {k: v for k, v in os.environ.items() if k != "HF_HUB_DISABLE_PROGRESS_BARS"}
    for env, expected in ((quiet, "True"), (dict(quiet, HF_HUB_DISABLE_PROGRESS_BARS="0"), "False")):
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        assert out.stdout.strip().splitlines()[-1] == expected
