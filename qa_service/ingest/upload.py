"""Upload ingest: recordings sent over the supervisor API, one or many per request, with metadata.

The route (``POST /uploads``) stays thin::

    metadata = parse_upload_metadata(form_metadata, [f.filename or "" for f in files])
    with received_uploads(settings, [(f.file, f.filename or "") for f in files]) as received:
        items = [UploadItem.of(r, m) for r, m in zip(received, metadata, strict=True)]
        report = upload_and_queue(ctx, dispatcher, items, source=f"upload:{user.name}")

What is refused for the whole request, before anything is stored (the route answers 4xx, the
database and audio store are untouched): malformed or mis-shaped metadata JSON
(:class:`InvalidRequest`), too many files or none (:class:`InvalidRequest`), an empty file
(:class:`InvalidRequest`), a file over ``upload_max_bytes`` (:class:`PayloadTooLarge`, nothing of it
kept), content that is not audio whatever its name says (:class:`UnsupportedMediaType`).

What is refused per file, with the same :class:`IngestRejection` records as folder ingest (the same
code path, :func:`qa_service.ingest.run.ingest_candidates`): audio that does not decode
(``unreadable``), metadata that does not validate (``bad_metadata``, the same messages as sidecars),
``duplicate_audio`` and ``duplicate_call_id``.

The client's file name is only a label (the call's ``source_name``), sanitised; nothing is ever written
under it. Metadata per file: explicit fields win over fields the ``ingest_filename_pattern`` finds in
the name; the call id defaults to the name's stem with characters a call id cannot hold replaced by
``_``.
"""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, BinaryIO

from qa_service.errors import AudioDecodeError, InvalidRequest, PayloadTooLarge, UnsupportedMediaType
from qa_service.ingest.metadata import FIELDS, fields_from_name
from qa_service.ingest.run import Candidate, FileObserver, IngestReport, Rejection, ingest_candidates
from qa_service.ingest.sniff import SNIFF_BYTES, AudioKind, describe_content, probe_audio, sniff_audio
from qa_service.settings import Settings

if TYPE_CHECKING:
    from qa_service.services.context import ServiceContext
    from qa_service.services.dispatch import Dispatcher

log = logging.getLogger(__name__)

_CHUNK = 1 << 20
#: Longest label kept from a client's file name (characters; the extension is kept when cutting).
MAX_NAME_CHARS = 200
#: Longest ``metadata`` form field taken (characters).
MAX_METADATA_CHARS = 1 << 20
_FALLBACK_STEM = "upload"
_DRIVE = re.compile(r"^[A-Za-z]:")
_NOT_IN_CALL_ID = re.compile(r"[^\w.:@+-]+")
_ACCEPTED = ", ".join(k.name for k in AudioKind)


@dataclass(frozen=True)
class ReceivedFile:
    """One uploaded file, received into ``path`` (a temporary file the caller removes, see
    :func:`received_uploads`); ``name`` is the sanitised client name, ``kind`` the sniffed container."""

    path: Path
    name: str
    kind: AudioKind
    size_bytes: int


@dataclass(frozen=True)
class UploadItem:
    """One received file and the metadata the client sent for it (raw: validated by ingest)."""

    path: Path
    name: str
    metadata: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "metadata", MappingProxyType(dict(self.metadata)))

    @classmethod
    def of(cls, received: ReceivedFile, metadata: Mapping[str, Any]) -> UploadItem:
        return cls(received.path, received.name, metadata)


# file names -----------------------------------------------------------------------------------
def sanitise_name(raw: str, *, max_chars: int = MAX_NAME_CHARS) -> str:
    """A client-supplied file name as a safe label: the last path component only (``/`` and ``\\``
    both separate; drive letters, ``..``, leading dots and spaces dropped), NUL, control and
    format characters (bidi overrides) removed, Unicode NFC, at most ``max_chars`` characters with the
    extension kept. Empty after all that: ``"upload"``. Idempotent."""
    text = unicodedata.normalize("NFC", raw or "")
    text = "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co", "Cn"))
    text = _DRIVE.sub("", text.replace("\\", "/"))
    last = text.rsplit("/", 1)[-1].strip().strip(".").strip()
    if not last:
        return _FALLBACK_STEM
    if len(last) > max_chars:
        suffix = PurePosixPath(last).suffix
        suffix = suffix if 1 < len(suffix) <= 16 else ""
        last = last[: max_chars - len(suffix)].rstrip(" .") + suffix
    return last or _FALLBACK_STEM


def default_call_id(name: str) -> str:
    """The call id of an upload whose metadata names none: the label's stem, characters a call id
    cannot hold replaced by ``_`` (``my call (1).wav`` → ``my_call_1_``), at most 128 characters."""
    stem = name.split(".")[0] if not name.startswith(".") else name.lstrip(".").split(".")[0]
    cleaned = _NOT_IN_CALL_ID.sub("_", stem)[:128]
    return cleaned or _FALLBACK_STEM


# receiving ------------------------------------------------------------------------------------
def upload_tmp_dir(settings: Settings) -> Path:
    """Where uploads are received before ingest (inside the data dir, never in the audio store)."""
    return settings.data_dir / "tmp" / "uploads"


def receive_upload(stream: BinaryIO, *, name: str, limit_bytes: int, tmp_dir: Path) -> ReceivedFile:
    """Copy an upload's body to a temporary file in ``tmp_dir`` in chunks and check it is audio.

    Raises (the partial file is deleted in every case): :class:`PayloadTooLarge` as soon as more than
    ``limit_bytes`` arrived (``details['limit_bytes']``); :class:`InvalidRequest` for 0 bytes;
    :class:`UnsupportedMediaType` when the content is not an audio container (sniffed; the name's
    extension is not trusted). Decodability is checked later, per file, by :func:`ingest_upload`."""
    label = sanitise_name(name)
    tmp_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=tmp_dir, prefix="upload-", suffix=".part")
    size = 0
    head = bytearray()
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                if size > limit_bytes:
                    raise PayloadTooLarge(f"{label}: larger than the upload limit of {_mib(limit_bytes)}",
                                          limit_bytes=limit_bytes, file=label)
                if len(head) < SNIFF_BYTES:
                    head += chunk[: SNIFF_BYTES - len(head)]
                out.write(chunk)
        if size == 0:
            raise InvalidRequest(f"{label}: empty file (0 bytes)", field="files", file=label)
        kind = sniff_audio(bytes(head))
        if kind is None:
            raise UnsupportedMediaType(f"{label}: the content is {describe_content(bytes(head))}, not audio "
                                       f"(accepted: {_ACCEPTED})", file=label)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    log.debug("received %s: %d bytes of %s", label, size, kind.value)
    return ReceivedFile(Path(tmp_name), label, kind, size)


@contextmanager
def received_uploads(settings: Settings, parts: Sequence[tuple[BinaryIO, str]]) -> Iterator[list[ReceivedFile]]:
    """Receive every ``(stream, client file name)`` of a request with :func:`receive_upload` (limit
    ``upload_max_bytes``, at most ``upload_max_files`` files); the temporary files are removed on
    leaving, also when a later file is refused (then nothing of the request is kept)."""
    check_file_count(settings, len(parts))
    received: list[ReceivedFile] = []
    try:
        for stream, name in parts:
            received.append(receive_upload(stream, name=name, limit_bytes=settings.upload_max_bytes,
                                           tmp_dir=upload_tmp_dir(settings)))
        yield received
    finally:
        for r in received:
            r.path.unlink(missing_ok=True)


def check_file_count(settings: Settings, count: int) -> None:
    """:class:`InvalidRequest` for no files or more than ``upload_max_files``."""
    if count < 1:
        raise InvalidRequest("no files in the upload", field="files")
    if count > settings.upload_max_files:
        raise InvalidRequest(f"{count} files in one upload; at most {settings.upload_max_files} are taken",
                             field="files", limit=settings.upload_max_files)


def _mib(n: int) -> str:
    return f"{n / (1 << 20):g} MiB" if n >= 1 << 20 else f"{n} bytes"


# metadata -------------------------------------------------------------------------------------
def parse_upload_metadata(raw: str | None, names: Sequence[str]) -> list[dict[str, Any]]:
    """The ``metadata`` form field of an upload as one field mapping per file, in file order.

    Two shapes: a JSON **object** applies to every file (it may name a ``call_id`` only when there is
    one file); a JSON **list** of objects gives one per file, in the order the files were sent, and
    must have as many entries as files. Missing, empty or ``null``: no metadata. Keys are the
    metadata fields (``call_id``, ``agent_id``, ``team``, ``queue``, ``direction``, ``campaign``,
    ``language``, ``started_at``, ``customer_ref``, ``agent_channel``); values are strings, integers
    or null. Values are validated later, per file, by ingest (``bad_metadata`` rejections).
    Raises :class:`InvalidRequest` (``details['field'] == 'metadata'``) on malformed JSON, another
    shape, a wrong count, unknown keys or values that are not strings/integers."""
    count = len(names)
    if raw is None or not raw.strip():
        return [{} for _ in range(count)]
    if len(raw) > MAX_METADATA_CHARS:
        raise InvalidRequest(f"metadata: longer than {MAX_METADATA_CHARS} characters", field="metadata")
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InvalidRequest(f"metadata: not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})",
                             field="metadata") from None
    except RecursionError:
        raise InvalidRequest("metadata: nested too deeply", field="metadata") from None
    if data is None:
        return [{} for _ in range(count)]
    if isinstance(data, dict):
        shared = _fields(data, "metadata")
        if count > 1 and shared.get("call_id") is not None:
            raise InvalidRequest(f"metadata: one call_id for {count} files; send a list with one object per "
                                 "file to give each its call id", field="metadata")
        return [dict(shared) for _ in range(count)]
    if isinstance(data, list):
        if len(data) != count:
            raise InvalidRequest(f"metadata: {len(data)} entries for {count} files; send one object per file, "
                                 "in the order of the files (or one object for all)", field="metadata")
        out: list[dict[str, Any]] = []
        for i, (entry, name) in enumerate(zip(data, names, strict=True)):
            where = f"metadata[{i}] ({sanitise_name(name)})"
            if not isinstance(entry, dict):
                raise InvalidRequest(f"{where}: expected an object, got {_json_type(entry)}", field="metadata",
                                     index=i)
            out.append(_fields(entry, where, index=i))
        return out
    raise InvalidRequest(f"metadata: expected an object (for all files) or a list of objects (one per file), "
                         f"got {_json_type(data)}", field="metadata")


def _fields(entry: dict[str, Any], where: str, *, index: int | None = None) -> dict[str, Any]:
    extra = {} if index is None else {"index": index}
    unknown = sorted(str(k) for k in entry if k not in FIELDS)
    if unknown:
        raise InvalidRequest(f"{where}: unknown keys {', '.join(unknown)}; known: {', '.join(FIELDS)}",
                             field="metadata", **extra)
    for key, value in entry.items():
        if value is not None and (isinstance(value, bool) or not isinstance(value, str | int)):
            raise InvalidRequest(f"{where}: {key} must be a string, an integer or null, got {_json_type(value)}",
                                 field="metadata", key=key, **extra)
    return {k: v for k, v in entry.items() if v is not None}


def _json_type(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "true/false", int: "a number",
            float: "a number", type(None): "null"}.get(type(value), type(value).__name__)


# ingest ---------------------------------------------------------------------------------------
def ingest_upload(settings: Settings, files: Sequence[UploadItem], *, source: str,
                  on_file: FileObserver | None = None) -> IngestReport:
    """Ingest received uploads as one batch named ``source`` (``"upload:<user>"``), through the same
    code path as folder ingest: one :class:`IngestBatch`, an :class:`IngestRejection` per refused file.

    Per file, before storing: the content is sniffed again (``not_audio``) and its first packets are
    decoded (``unreadable``); then metadata validation (``bad_metadata``), dedupe (``duplicate_call_id``,
    ``duplicate_audio``) and storage are folder ingest's. The received files are only read. The caller
    dispatches the accepted calls (or use :func:`upload_and_queue`)."""
    check_file_count(settings, len(files))
    candidates = [_candidate(settings, item) for item in files]
    return ingest_candidates(settings, source, candidates, on_file=on_file)


def _candidate(settings: Settings, item: UploadItem) -> Candidate:
    name = sanitise_name(item.name)
    fields: dict[str, Any] = dict(fields_from_name(name, settings.ingest_filename_pattern))
    origin = "file name" if fields else "upload"
    if item.metadata:
        fields.update(item.metadata)
        origin = "upload"
    check = _check_content(item.path, name)
    return Candidate(item.path, name, fields, origin, default_call_id(name), check.extension, check.problem,
                     check.problem_kind)


@dataclass(frozen=True)
class _ContentCheck:
    """What sniffing and probing found: the stored extension, or why the file is refused."""

    extension: str = ""
    problem: str | None = None
    problem_kind: str = ""


def _check_content(path: Path, name: str) -> _ContentCheck:
    try:
        with open(path, "rb") as fh:
            head = fh.read(SNIFF_BYTES)
    except OSError as exc:
        return _ContentCheck(problem=f"cannot read the file ({exc.strerror or exc})", problem_kind="unreadable")
    if not head:
        return _ContentCheck(problem="empty file (0 bytes)", problem_kind="empty")
    sniffed = sniff_audio(head)
    if sniffed is None:
        return _ContentCheck(problem=f"the content is {describe_content(head)}, not audio (accepted: {_ACCEPTED})",
                             problem_kind="not_audio")
    try:
        probe_audio(path, name=name)
    except AudioDecodeError as exc:
        return _ContentCheck(problem=exc.reason, problem_kind="unreadable")
    return _ContentCheck(extension=sniffed.extension)


def upload_and_queue(ctx: ServiceContext, dispatcher: Dispatcher, files: Sequence[UploadItem],
                     source: str) -> IngestReport:
    """:func:`ingest_upload`, sending each accepted call to transcription as soon as it is stored
    (as ``qa-service ingest`` does)."""
    from qa_service.store.states import Stage

    def queue(done: int, total: int, name: str, call_id: str | None, rejection: Rejection | None) -> None:
        if call_id is not None:
            dispatcher.send(call_id, Stage.TRANSCRIBE)

    report = ingest_upload(ctx.settings, files, source=source, on_file=queue)
    log.info("upload %s: batch %d, %d accepted, %d rejected", source, report.batch_id, len(report.accepted),
             len(report.rejected))
    return report
