"""Ingest recordings: a folder or a list of files, metadata from a sidecar (CSV/JSON, or the per-call
JSON of the sample calls) or from file names by a configurable pattern; duplicates (same audio hash,
same call id) are recognised and each rejected file gets a reason."""

from qa_service.ingest.run import IngestOptions, IngestReport, Rejection, ingest_paths

__all__ = ["IngestOptions", "IngestReport", "Rejection", "ingest_paths"]
