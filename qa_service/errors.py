"""The domain error tree. Every error the library raises on purpose is a :class:`QAError`.

``TransientError`` subclasses may succeed on retry (a database blip, a broker restart);
``PermanentError`` subclasses will not (a corrupt file, a malformed rubric) and mark a call failed
with :attr:`QAError.reason`, a sentence a supervisor can read.

All errors are pickleable (Celery carries them between processes): each keeps the arguments it was
built with in ``self.args`` order and rebuilds from them.
"""

from __future__ import annotations

from typing import Any


class QAError(Exception):
    """Base of every error the service raises on purpose."""

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details: dict[str, Any] = dict(details)

    @property
    def reason(self) -> str:
        """A readable one-line reason (shown to supervisors, stored on failed calls)."""
        return self.message

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.message, self.details))

    def __str__(self) -> str:
        return self.message


def _rebuild(cls: type[QAError], message: str, details: dict[str, Any]) -> QAError:
    err = cls.__new__(cls)
    QAError.__init__(err, message, **details)
    return err


class TransientError(QAError):
    """May succeed if tried again later (the task layer retries these with backoff)."""


class PermanentError(QAError):
    """Will fail again the same way; the call is marked failed with the reason."""


# configuration and models -------------------------------------------------------------------
class ConfigError(PermanentError):
    """A setting is missing or wrong. ``details['setting']`` names the setting to fix."""


class ModelNotFound(ConfigError):
    """A model's weights are not where its setting points."""


class ModelCorrupt(ConfigError):
    """A model's files exist but are incomplete or fail their checksum."""


class ModelLoadError(ConfigError):
    """The files are there but the library could not load them."""


# audio and pipeline -------------------------------------------------------------------------
class AudioError(PermanentError):
    """The audio cannot be used."""


class AudioDecodeError(AudioError):
    """Empty, truncated, non-audio or unsupported input."""


class PipelineError(PermanentError):
    """A pipeline stage failed on valid input."""


# transcripts, rubrics, classifiers ----------------------------------------------------------
class TranscriptFormatError(PermanentError):
    """A transcript file is not in the documented interchange form."""


class RubricError(PermanentError):
    """A rubric is malformed. ``details`` carry ``file``, ``line`` and ``field`` where known."""


class ClassifierError(PermanentError):
    """A classifier could not be trained or applied."""


# storage --------------------------------------------------------------------------------------
class StorageError(QAError):
    """Base for store errors."""


class NotFound(StorageError, PermanentError):
    """A call, review or other record does not exist."""


class DuplicateCall(StorageError, PermanentError):
    """The call (same audio hash or same call id) is already stored."""


class StorageUnavailable(StorageError, TransientError):
    """The database or audio store cannot be reached right now."""


class IngestError(PermanentError):
    """A file offered for ingest was rejected; the reason says why."""


# requests from people (the supervisor API and the CLI) --------------------------------------
class InvalidRequest(PermanentError):
    """A request a service function cannot carry out as asked (``details['field']`` where known):
    an end before a start, an unknown rubric item, a filter value out of range."""


class RangeNotSatisfiable(InvalidRequest):
    """A byte range outside the resource (``details['size']`` is the resource's length)."""


class Conflict(PermanentError):
    """The request clashes with the stored state (e.g. reviewing a call that is not scored yet)."""


class AccessError(PermanentError):
    """Base for authentication and authorisation refusals."""


class NotAuthenticated(AccessError):
    """No valid credentials: a wrong password, an expired or revoked token, a disabled user."""


class PermissionDenied(AccessError):
    """The person is known but their role or scope does not allow this."""


class LoginThrottled(AccessError):
    """Too many failed log-ins; ``details['retry_after_s']`` says when to try again."""


class PayloadTooLarge(InvalidRequest):
    """An upload over the size limit (``details['limit_bytes']``); nothing of it is kept."""


class UnsupportedMediaType(InvalidRequest):
    """An upload whose content is not audio this service decodes (the type is sniffed, not trusted)."""


# live listening ----------------------------------------------------------------------------
class LiveProtocolError(PermanentError):
    """A live-audio peer broke the protocol (bad message, frame or sequence number): the session gets a
    protocol error (``details['code']``, an HTTP-like status) and is closed; the server goes on."""


class SignatureError(AccessError):
    """A live-audio connection's API key or HMAC message signature is missing, unknown or wrong."""
