"""The real pipeline for the integration test, with one interim substitution: until the trained call
classifier ships (manifest role ``classifier``), classification uses the keyword baseline
:class:`qa_service.classifiers.KeywordClassifier` (a real classifier, not a fake). Speech, redaction,
metrics and rubric scoring are the production code paths of :class:`PipelineBackend`.

Once ``qa_service.classifiers.load_call_classifier(settings)`` resolves a trained model, set
``INTEGRATION_BACKEND = ""`` in test_integration_100.py (the production backend) and delete this file.
"""

from __future__ import annotations

from typing import Any

from qa_service.services.backend import PipelineBackend
from qa_service.settings import Settings


class KeywordClassifierPipeline(PipelineBackend):
    def classifier(self) -> Any:
        from qa_service.classifiers import KeywordClassifier

        return KeywordClassifier()


def create_backend(settings: Settings) -> KeywordClassifierPipeline:
    return KeywordClassifierPipeline(settings)
