"""The supervisor API (FastAPI). Routes are thin: parse, call a service function of
``qa_service.services``, commit once. Public surface: :func:`create_app`."""

from api.app import create_app

__all__ = ["create_app"]
