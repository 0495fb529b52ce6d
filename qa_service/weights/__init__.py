"""Offline model registry: resolve each model role to local weights (see models/manifest.toml)."""

from qa_service.weights.manifest import ModelSpec, load_manifest
from qa_service.weights.resolve import ResolvedModel, list_roles, resolve_model, sha256_file

__all__ = ["ModelSpec", "ResolvedModel", "list_roles", "load_manifest", "resolve_model", "sha256_file"]
