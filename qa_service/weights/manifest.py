"""Read ``models/manifest.toml`` into typed specs."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa_service.errors import ConfigError


@dataclass(frozen=True)
class PackageFile:
    package: str  # import name, located without importing it
    path: str  # relative to the package directory
    size: int | None = None


@dataclass(frozen=True)
class FileCheck:
    name: str  # relative to the model directory; "" when the model is a single file
    size: int | None = None
    sha256: str | None = None


@dataclass(frozen=True)
class DefaultSource:
    type: str  # package | assembled | converter | project
    package: str = ""
    path: str = ""
    target: str = ""
    function: str = ""
    dist: str = ""


@dataclass(frozen=True)
class ModelSpec:
    role: str
    setting: str  # Settings field name; "" when not configurable
    kind: str
    description: str
    license: str
    default: DefaultSource
    checks: tuple[FileCheck, ...] = ()
    parts: tuple[PackageFile, ...] = ()
    assembled_name: str = ""
    companions: tuple[PackageFile, ...] = ()
    sources: tuple[PackageFile, ...] = ()  # converter inputs
    review_confidence: float | None = None  # ASR: calibrated for the default weights (weights/review.py)

    @property
    def env_var(self) -> str:
        return f"QA_{self.setting.upper()}" if self.setting else ""


_TYPES = {"package", "assembled", "converter", "project"}


def _files(raw: Any, cls: type[PackageFile] | type[FileCheck], where: str) -> tuple[Any, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ConfigError(f"{where}: expected a list", field=where)
    try:
        return tuple(cls(**item) for item in raw)
    except TypeError as exc:
        raise ConfigError(f"{where}: {exc}", field=where) from exc


def _spec(role: str, raw: dict[str, Any], path: Path) -> ModelSpec:
    where = f"{path} [{role}]"
    try:
        default = DefaultSource(**raw["default"])
    except (KeyError, TypeError) as exc:
        raise ConfigError(f"{where}: bad or missing 'default' ({exc})", field=f"{role}.default") from exc
    if default.type not in _TYPES:
        raise ConfigError(f"{where}: default.type must be one of {sorted(_TYPES)}", field=f"{role}.default")
    return ModelSpec(
        role=role,
        setting=str(raw.get("setting", "")),
        kind=str(raw.get("kind", "")),
        description=str(raw.get("description", "")),
        license=str(raw.get("license", "")),
        default=default,
        checks=_files(raw.get("checks"), FileCheck, f"{where}.checks"),
        parts=_files(raw.get("parts"), PackageFile, f"{where}.parts"),
        assembled_name=str(raw.get("assembled_name", "")),
        companions=_files(raw.get("companions"), PackageFile, f"{where}.companions"),
        sources=_files(raw.get("sources"), PackageFile, f"{where}.sources"),
        review_confidence=_unit(raw.get("review_confidence"), f"{where}.review_confidence"),
    )


def _unit(raw: Any, where: str) -> float | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not 0 <= raw <= 1:
        raise ConfigError(f"{where}: expected a number from 0 to 1, not {raw!r}", field=where)
    return float(raw)


def load_manifest(path: Path) -> dict[str, ModelSpec]:
    """All model specs by role, in manifest order."""
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"model manifest not found: {path} (setting QA_MANIFEST_PATH)",
                          setting="manifest_path") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})", setting="manifest_path") from exc
    return {role: _spec(role, body, path) for role, body in raw.items() if isinstance(body, dict)}
