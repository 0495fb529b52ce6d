"""Ingest: store each offered file's audio, create its call (queued for transcription), reject
duplicates and bad input with a reason. Each file is its own unit of work: an interrupted ingest keeps
what it finished and a re-run skips it as a duplicate."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError

from qa_service.errors import IngestError
from qa_service.ingest.metadata import build_metadata
from qa_service.ingest.sources import Offer, plan
from qa_service.settings import Settings
from qa_service.store import calls
from qa_service.store.audio_store import AudioStore
from qa_service.store.db import unit_of_work
from qa_service.store.models import IngestBatch, IngestRejection
from qa_service.store.types import utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IngestOptions:
    sidecar: Path | None = None
    pattern: str | None = None  # None: settings.ingest_filename_pattern
    variant: str = "stereo"  # which rendering of a sample call to take


@dataclass(frozen=True)
class Rejection:
    file: str
    kind: str  # not_found, not_audio, empty, unreadable, bad_metadata, duplicate_audio, duplicate_call_id
    reason: str


@dataclass
class IngestReport:
    batch_id: int
    accepted: list[str] = field(default_factory=list)  # call ids, in order
    rejected: list[Rejection] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.accepted) + len(self.rejected)


#: ``on_file(done, total, file name, call id or None, rejection or None)``
FileObserver = Callable[[int, int, str, str | None, Rejection | None], None]


@dataclass(frozen=True)
class Candidate:
    """One file to store as a call: the unit both folder ingest and upload ingest hand to
    :func:`ingest_candidates` (so storage, dedupe and rejection records are one code path).

    ``name`` is a label (the call's ``source_name`` and the rejection's file name), never a path;
    ``problem`` set: reject the file with ``problem_kind`` without reading it."""

    path: Path
    name: str
    fields: Mapping[str, Any]
    origin: str  # where ``fields`` came from, named in bad_metadata reasons
    default_call_id: str
    extension: str  # stored on the audio blob (".wav", ...)
    problem: str | None = None
    problem_kind: str = ""


def ingest_paths(settings: Settings, paths: Sequence[Path], options: IngestOptions = IngestOptions(),
                 on_file: FileObserver | None = None) -> IngestReport:
    """Ingest files and folders. The caller dispatches the accepted calls (see services.dispatch)."""
    work = plan(paths, sidecar=options.sidecar, pattern=options.pattern or settings.ingest_filename_pattern,
                variant=options.variant)
    return ingest_candidates(settings, ", ".join(str(p) for p in paths),
                             [_candidate(offer) for offer in work.offers], skipped=work.skipped, on_file=on_file)


def _candidate(offer: Offer) -> Candidate:
    return Candidate(path=offer.path, name=offer.path.name, fields=offer.fields, origin=offer.origin,
                     default_call_id=offer.path.stem.split(".")[0], extension=offer.path.suffix.lower(),
                     problem=offer.problem, problem_kind=offer.problem_kind)


def ingest_candidates(settings: Settings, source: str, candidates: Sequence[Candidate], *,
                      skipped: Sequence[str] = (), on_file: FileObserver | None = None) -> IngestReport:
    """Record one :class:`IngestBatch` named ``source``, store each candidate as a queued call or
    record an :class:`IngestRejection` with its reason, and close the batch with the counts. Each file
    is its own unit of work. The caller dispatches the accepted calls."""
    with unit_of_work(settings) as session:
        batch = IngestBatch(source=source[:1024])
        session.add(batch)
        session.flush()
        report = IngestReport(batch_id=batch.id, skipped=list(skipped))
    store = AudioStore(settings.resolved_audio_store_dir)
    total = len(candidates)
    for i, candidate in enumerate(candidates, start=1):
        call_id, rejection = _ingest_one(settings, store, candidate, report.batch_id)
        if rejection is None and call_id is not None:
            report.accepted.append(call_id)
        elif rejection is not None:
            report.rejected.append(rejection)
            _record_rejection(settings, report.batch_id, rejection)
        if on_file is not None:
            on_file(i, total, candidate.name, call_id, rejection)
    with unit_of_work(settings) as session:
        row = session.get(IngestBatch, report.batch_id)
        if row is not None:
            row.accepted, row.rejected, row.finished_at = len(report.accepted), len(report.rejected), utcnow()
    log.info("ingest batch %d: %d accepted, %d rejected, %d skipped", report.batch_id,
             len(report.accepted), len(report.rejected), len(report.skipped))
    return report


def _ingest_one(settings: Settings, store: AudioStore, candidate: Candidate,
                batch_id: int) -> tuple[str | None, Rejection | None]:
    name = candidate.name
    if candidate.problem is not None:
        return None, Rejection(name, candidate.problem_kind, candidate.problem)
    try:
        meta = build_metadata(candidate.fields, default_call_id=candidate.default_call_id, tz=settings.timezone)
    except IngestError as exc:
        return None, Rejection(name, "bad_metadata", f"metadata from {candidate.origin}: {exc.reason}")
    try:
        if candidate.path.stat().st_size == 0:
            return None, Rejection(name, "empty", "empty file (0 bytes)")
    except OSError as exc:
        return None, Rejection(name, "unreadable", f"cannot read the file ({exc.strerror or exc})")
    with unit_of_work(settings) as session:
        existing = calls.by_call_id(session, meta.call_id)
        if existing is not None:
            return None, Rejection(name, "duplicate_call_id",
                                   f"call id {meta.call_id} is already stored (from {existing.source_name})")
    try:
        stored = store.put_file(candidate.path)
    except OSError as exc:
        return None, Rejection(name, "unreadable", f"cannot read the file ({exc.strerror or exc})")
    try:
        with unit_of_work(settings) as session:
            same_audio = calls.by_audio_hash(session, stored.sha256)
            if same_audio is not None:
                return None, Rejection(name, "duplicate_audio",
                                       f"same audio as call {same_audio.call_id} ({same_audio.source_name})")
            calls.add_audio(session, stored, candidate.extension)
            calls.add_call(session, meta, stored.sha256, source_name=name, batch_id=batch_id,
                           salt=settings.customer_ref_salt, tz=settings.timezone, shifts=settings.shifts)
    except IntegrityError:  # a concurrent ingest stored the same call or audio a moment ago
        return None, Rejection(name, "duplicate_call_id",
                               f"call id {meta.call_id} or its audio was stored by another ingest")
    return meta.call_id, None


def _record_rejection(settings: Settings, batch_id: int, rejection: Rejection) -> None:
    with unit_of_work(settings) as session:
        session.add(IngestRejection(batch_id=batch_id, file_name=rejection.file[:1024], kind=rejection.kind,
                                    reason=rejection.reason))
