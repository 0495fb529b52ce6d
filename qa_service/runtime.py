"""Process-wide guarantees the service enforces itself: no hub access, no telemetry.

These are environment switches read by the libraries at import time, so they are set as soon as
``qa_service`` is imported, before any model library is.
"""

from __future__ import annotations

import os

#: Environment the service forces. ``PYANNOTE_METRICS_ENABLED=0`` switches pyannote.audio's
#: OpenTelemetry metrics off; the ``HF_*`` switches stop huggingface_hub and transformers from
#: reaching a hub; the last ones stop tqdm/transformers from phoning home or nagging.
OFFLINE_ENV: dict[str, str] = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "DO_NOT_TRACK": "1",
    "PYANNOTE_METRICS_ENABLED": "0",
    # FastAPI (0.16x) carries native OpenTelemetry and the OTLP exporters; these stop it configuring
    # exporters from the environment and the OpenTelemetry SDK from starting (api/app.py also turns
    # every FastAPI telemetry switch off in code)
    "FASTAPI_OTEL_AUTO_CONFIGURE": "false",
    "OTEL_SDK_DISABLED": "true",
}


def enforce_offline() -> None:
    """Force the offline/no-telemetry environment, overriding whatever the user set."""
    for key, value in OFFLINE_ENV.items():
        os.environ[key] = value
    # OpenMP threads (torch's and CTranslate2's libgomp) sleep instead of spinning while they wait:
    # on a shared or oversubscribed CPU, spinning made pyannote 20x slower (9 s vs 183 s for 20 s of
    # audio on 2 busy cores). Read when the libraries load, so set here, before they are imported.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    # transformers' "Loading weights" bars would land in worker logs and CLI stderr (users may re-enable)
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")


def pyannote_telemetry_enabled() -> bool:
    """Ask pyannote.audio itself whether it would send metrics (imports pyannote)."""
    enforce_offline()
    from pyannote.audio.telemetry.metrics import is_metrics_enabled

    return bool(is_metrics_enabled())
