"""What a file's content is, whatever its name says: audio containers recognised by their magic bytes
(:func:`sniff_audio`), a short description of common non-audio content for error messages
(:func:`describe_content`), and a cheap check that the audio decodes (:func:`probe_audio`)."""

from __future__ import annotations

import logging
from enum import StrEnum
from pathlib import Path

from qa_service.errors import AudioDecodeError

log = logging.getLogger(__name__)

#: Bytes of the start of a file :func:`sniff_audio` looks at (more is ignored, less may not be enough).
SNIFF_BYTES = 4096


class AudioKind(StrEnum):
    """An audio container this service decodes (PyAV's FFmpeg), recognised by content."""

    WAV = "wav"  # RIFF/RF64/BW64 ... WAVE
    FLAC = "flac"
    MP3 = "mp3"  # ID3 tag or an MPEG audio frame header
    AAC = "aac"  # ADTS stream
    OGG = "ogg"  # Ogg (Vorbis, FLAC, Speex)
    OPUS = "opus"  # Ogg with an OpusHead
    MP4 = "mp4"  # ISO base media (ftyp): M4A, MP4, 3GP, QuickTime
    WEBM = "webm"  # EBML: WebM / Matroska
    AMR = "amr"  # AMR-NB or AMR-WB storage format
    AU = "au"  # Sun/NeXT .snd
    AIFF = "aiff"  # FORM ... AIFF / AIFC
    WMA = "wma"  # ASF container

    @property
    def extension(self) -> str:
        """The file extension stored with the audio (``.m4a`` for ISO media: recorders' usual audio form)."""
        return ".m4a" if self is AudioKind.MP4 else f".{self.value}"


#: ftyp brands of still images (HEIF/AVIF/Canon raw), not audio, though the box looks the same.
_IMAGE_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1",
                           b"msf1", b"avif", b"avis", b"crx "})
_ASF_GUID = bytes.fromhex("3026b2758e66cf11a6d900aa0062ce6c")
_MPEG_BITRATE_BAD = 0x0F
_MPEG_RATE_BAD = 0x03


def sniff_audio(head: bytes) -> AudioKind | None:
    """The audio container ``head`` (the first :data:`SNIFF_BYTES` or so of a file) starts, or None
    when it is not one this service decodes (a PDF, a ZIP, HTML, text, an executable, an image...)."""
    if len(head) >= 12 and head[:4] in (b"RIFF", b"RF64", b"BW64") and head[8:12] == b"WAVE":
        return AudioKind.WAV
    if head.startswith(b"fLaC"):
        return AudioKind.FLAC
    if head.startswith(b"ID3"):
        return _after_id3(head)
    if head.startswith(b"OggS"):
        return AudioKind.OPUS if b"OpusHead" in head[:128] else AudioKind.OGG
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return None if head[8:12] in _IMAGE_BRANDS else AudioKind.MP4
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return AudioKind.WEBM
    if head.startswith((b"#!AMR\n", b"#!AMR-WB\n")):
        return AudioKind.AMR
    if head.startswith(b".snd"):
        return AudioKind.AU
    if len(head) >= 12 and head.startswith(b"FORM") and head[8:12] in (b"AIFF", b"AIFC"):
        return AudioKind.AIFF
    if head.startswith(_ASF_GUID):
        return AudioKind.WMA
    return _frame_sync(head)


def _after_id3(head: bytes) -> AudioKind:
    """An ID3v2 tag usually precedes MP3; some tools put one before FLAC or ADTS too."""
    if len(head) >= 10:
        size = (head[6] & 0x7F) << 21 | (head[7] & 0x7F) << 14 | (head[8] & 0x7F) << 7 | (head[9] & 0x7F)
        rest = head[10 + size + (10 if head[5] & 0x10 else 0):]
        if rest.startswith(b"fLaC"):
            return AudioKind.FLAC
        if _frame_sync(rest) is AudioKind.AAC:
            return AudioKind.AAC
    return AudioKind.MP3


def _frame_sync(head: bytes) -> AudioKind | None:
    """An MPEG audio frame header (11 set bits, valid version, layer, bitrate and rate) or ADTS."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return None
    version, layer = (head[1] >> 3) & 0x03, (head[1] >> 1) & 0x03
    if layer == 0:  # ADTS: 12 sync bits, layer 00, a valid sampling index
        return AudioKind.AAC if head[1] & 0xF0 == 0xF0 and (head[2] >> 2) & 0x0F < 13 else None
    if version == 1 or (head[2] >> 4) == _MPEG_BITRATE_BAD or (head[2] >> 2) & 0x03 == _MPEG_RATE_BAD:
        return None
    return AudioKind.MP3


_KNOWN_OTHER: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\x7fELF", "an executable (ELF)"),
    (b"MZ", "an executable (Windows)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
)


def describe_content(head: bytes) -> str:
    """A few words on what non-audio content looks like, for a readable refusal."""
    if not head:
        return "empty"
    for magic, what in _KNOWN_OTHER:
        if head.startswith(magic):
            return what
    if head[:4] == b"RIFF" and len(head) >= 12:
        return f"a RIFF file of type {head[8:12].decode('latin-1')!r}, not WAVE"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html")):
        return "an HTML page"
    if text.startswith(b"<?xml") or text.startswith(b"<svg"):
        return "an XML document"
    if text.startswith((b"{", b"[")):
        return "JSON or other text"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "binary data of an unknown kind"
    return "text"


#: Decoded audio the probe wants to see before it calls a file decodable (the decoder's own minimum).
_PROBE_SECONDS = 0.01
#: Packets the probe reads at most looking for that much audio.
_PROBE_PACKETS = 256


def probe_audio(path: Path, *, name: str = "") -> None:
    """Check that the file holds an audio stream whose first packets decode, without decoding it all
    (the full decode happens in the pipeline). Raises :class:`AudioDecodeError` with a readable reason
    for the same input :func:`qa_service.pipeline.decode.decode_audio` refuses at its start: no audio
    stream, an unreadable or truncated header, no samples."""
    display = name or path.name
    import av  # PyAV, as the decoder

    try:
        with av.open(str(path), mode="r", metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise AudioDecodeError(f"{display}: no audio stream in the file (not an audio recording?)",
                                       source=display)
            stream = container.streams.audio[0]
            seconds = 0.0
            for i, packet in enumerate(container.demux(stream)):
                if i >= _PROBE_PACKETS or seconds >= _PROBE_SECONDS:
                    break
                try:
                    frames = packet.decode()
                except av.error.InvalidDataError:
                    continue  # the decoder skips a corrupt packet too
                seconds += sum(f.samples / (f.sample_rate or 1) for f in frames)
    except AudioDecodeError:
        raise
    except (av.error.FFmpegError, ValueError, OSError, EOFError) as exc:
        text = str(exc).strip() or type(exc).__name__
        raise AudioDecodeError(f"{display}: cannot decode audio ({text[:160]}); "
                               "the file is corrupt or its header is truncated", source=display) from exc
    if seconds < _PROBE_SECONDS:
        raise AudioDecodeError(f"{display}: the file holds no audio samples (empty or truncated)",
                               source=display)
    log.debug("%s: probe decoded %.3f s", display, seconds)
