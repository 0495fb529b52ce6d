"""Live audio frames to samples: G.711 μ-law (PCMU) and 16-bit linear PCM, interleaved channels, 8 or
16 kHz, decoded to float32 per channel."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from qa_service.errors import LiveProtocolError


def _ulaw_table() -> npt.NDArray[np.float32]:
    """ITU-T G.711 μ-law expansion of every byte value, scaled to [-1, 1]."""
    u = ~np.arange(256, dtype=np.int32) & 0xFF
    sign = u & 0x80
    exponent = (u >> 4) & 0x07
    mantissa = u & 0x0F
    magnitude = ((mantissa << 3) + 0x84) << exponent
    linear = np.where(sign != 0, 0x84 - magnitude, magnitude - 0x84)
    return (linear / 32768.0).astype(np.float32)


ULAW = _ulaw_table()
FORMATS = ("PCMU", "L16")
RATES = (8000, 16000)


def ulaw_encode(samples: npt.NDArray[np.float32]) -> bytes:
    """float32 [-1, 1] → μ-law bytes (for the simulator and tests)."""
    x = np.clip(samples, -1.0, 1.0) * 32767.0
    sign = np.where(x < 0, 0x80, 0x00)
    magnitude = np.minimum(np.abs(x).astype(np.int32) + 0x84, 0x7FFF)
    exponent = np.floor(np.log2(magnitude)).astype(np.int32) - 7
    exponent = np.clip(exponent, 0, 7)
    mantissa = (magnitude >> (exponent + 3)) & 0x0F
    return (~(sign | (exponent << 4) | mantissa) & 0xFF).astype(np.uint8).tobytes()


def decode_frame(frame: bytes, fmt: str, channels: int) -> npt.NDArray[np.float32]:
    """One binary frame → (samples, channels) float32. Raises LiveProtocolError for a frame that does not
    split into whole samples of every channel."""
    if fmt == "PCMU":
        if len(frame) % channels:
            raise LiveProtocolError(f"a PCMU frame of {len(frame)} bytes does not split into {channels} channels",
                                    code=400)
        return ULAW[np.frombuffer(frame, dtype=np.uint8)].reshape(-1, channels)
    if fmt == "L16":
        if len(frame) % (2 * channels):
            raise LiveProtocolError(f"an L16 frame of {len(frame)} bytes does not split into {channels} channels "
                                    "of 16-bit samples", code=400)
        return (np.frombuffer(frame, dtype="<i2").astype(np.float32) / 32768.0).reshape(-1, channels)
    raise LiveProtocolError(f"audio format {fmt!r}: expected one of {', '.join(FORMATS)}", code=415)
