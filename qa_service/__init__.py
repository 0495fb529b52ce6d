"""QA speech analytics for bank contact centers: the library.

Data flows one way:
decode → transcribe → diarize → align → roles → metrics → score → classify → redact → store → serve.
This package knows nothing of FastAPI, Celery or the database engine lifecycle; those live in
``api/``, ``workers/`` and the store sessions the callers own.
"""

from qa_service.runtime import enforce_offline

__version__ = "0.1.0"
PIPELINE_VERSION = "1"

enforce_offline()

__all__ = ["PIPELINE_VERSION", "__version__"]
