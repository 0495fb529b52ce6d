"""Logging configuration for the CLI, workers and API (the library itself only gets loggers)."""

from __future__ import annotations

import logging
import warnings


def configure_logging(verbose: bool = False) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # Libraries we drive are chatty at INFO; keep our own logs readable.
    for noisy in ("faster_whisper", "pytorch_lightning", "lightning", "speechbrain", "httpx", "numba"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    warnings.filterwarnings("ignore", module="pyannote")
    warnings.filterwarnings("ignore", module="torchaudio")
