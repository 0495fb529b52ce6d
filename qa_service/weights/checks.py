"""Does a resolved model actually load? One small check per model kind (imports are lazy)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from qa_service.errors import ModelLoadError, QAError
from qa_service.settings import Settings
from qa_service.weights.resolve import ResolvedModel


def _whisper(path: Path, settings: Settings) -> str:
    from faster_whisper import WhisperModel

    model = WhisperModel(str(path), device="cpu", compute_type="int8", cpu_threads=1)
    return "multilingual" if model.model.is_multilingual else "English-only"


def _segmentation(path: Path, settings: Settings) -> str:
    from pyannote.audio import Model

    model = Model.from_pretrained(str(path))
    if model is None:
        raise ValueError("pyannote returned no model for this checkpoint")
    params = sum(int(p.numel()) for p in model.parameters())
    return f"{type(model).__name__}, {params:,} parameters"


def _onnx(path: Path, settings: Settings) -> str:
    import onnxruntime

    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return f"{len(session.get_inputs())} inputs"


#: kind → checker, or "module:function" for checks owned by the stage that uses the model
#: (the function takes (path, settings) and returns a short description).
CHECKS: dict[str, Callable[[Path, Settings], str] | str] = {
    "whisper-ct2": _whisper,
    "pyannote-segmentation": _segmentation,
    "silero-onnx": _onnx,
    "campplus": "qa_service.pipeline.campplus:check_model",
    "text-encoder": "qa_service.classifiers.e5_convert:check_model",
    "call-classifier": "qa_service.classifiers.model:check_model",
}


def check_loads(resolved: ResolvedModel, settings: Settings) -> str:
    """Load the model once; return a short description or raise :class:`ModelLoadError`."""
    check = CHECKS.get(resolved.spec.kind)
    if check is None:
        return "no load check for this kind"
    try:
        if isinstance(check, str):
            module_name, _, func_name = check.partition(":")
            check = getattr(importlib.import_module(module_name), func_name)
        return check(resolved.path, settings)
    except QAError:
        raise
    except Exception as exc:
        hint = f"set {resolved.spec.env_var}" if resolved.spec.setting else "reinstall its package"
        raise ModelLoadError(
            f"model '{resolved.role}' at {resolved.path} does not load ({type(exc).__name__}: {exc}); {hint}",
            role=resolved.role, setting=resolved.spec.setting,
        ) from exc
