"""Content-addressed audio on disk: ``<root>/<ab>/<cd>/<sha256>`` (the database never holds audio).

Writes go to a temporary file in ``<root>/.tmp`` and are renamed into place, so a reader never sees a
half-written file and two ingests of the same recording end with one file. Every worker that reads
audio must see the same root (a shared volume on the scale path).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from qa_service.errors import NotFound, StorageUnavailable

_CHUNK = 1 << 20


@dataclass(frozen=True)
class StoredAudio:
    sha256: str
    size_bytes: int
    path: Path


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


class AudioStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path_for(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a sha256 hex digest: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def contains(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def put_file(self, source: Path) -> StoredAudio:
        """Copy ``source`` in (hashing while copying); a file already stored is not written again."""
        with open(source, "rb") as fh:
            return self.put_stream(fh)

    def put_bytes(self, data: bytes) -> StoredAudio:
        import io

        return self.put_stream(io.BytesIO(data))

    def put_stream(self, stream: BinaryIO) -> StoredAudio:
        tmp_dir = self.root / ".tmp"
        try:
            tmp_dir.mkdir(parents=True, exist_ok=True)
            h = hashlib.sha256()
            size = 0
            fd, tmp_name = tempfile.mkstemp(dir=tmp_dir)
            try:
                with os.fdopen(fd, "wb") as out:
                    for chunk in iter(lambda: stream.read(_CHUNK), b""):
                        h.update(chunk)
                        out.write(chunk)
                        size += len(chunk)
                    out.flush()
                    os.fsync(out.fileno())
                digest = h.hexdigest()
                target = self.path_for(digest)
                if target.is_file() and target.stat().st_size == size:
                    return StoredAudio(digest, size, target)
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(tmp_name, target)
                tmp_name = ""
                return StoredAudio(digest, size, target)
            finally:
                if tmp_name:
                    os.unlink(tmp_name)
        except OSError as exc:
            raise StorageUnavailable(f"audio store {self.root} is not writable: {exc.strerror or exc}",
                                     root=str(self.root)) from exc

    def open_path(self, sha256: str) -> Path:
        """The stored file's path; :class:`NotFound` if it is missing (a lost volume, a bad restore)."""
        path = self.path_for(sha256)
        if not path.is_file():
            raise NotFound(f"audio {sha256[:12]}… is missing from the audio store at {self.root}",
                           sha256=sha256)
        return path

    def verify(self, sha256: str) -> bool:
        """Whether the stored bytes still hash to their name."""
        return sha256_of(self.open_path(sha256)) == sha256
