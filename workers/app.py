"""The Celery app, made by a factory from settings (nothing is built at import).

Queues: ``gpu`` (transcribe: ASR + diarization) and ``cpu`` (assess: metrics, scoring,
classification). Late acks, prefetch 1 and reject-on-worker-lost: a message is only gone once its
stage is stored, and a worker holds at most the message it is working on.

``celery -A workers.app worker`` also works: the module's ``app`` attribute is created on first access.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from celery import Celery
from kombu import Queue

from qa_service.errors import ConfigError
from qa_service.settings import Settings, get_settings
from qa_service.store.states import STAGE_QUEUE


def create_app(settings: Settings | None = None) -> Celery:
    settings = settings or get_settings()
    if not settings.broker_url:
        raise ConfigError("broker_url is not set: workers need a broker (e.g. QA_BROKER_URL=redis://host:6379/0);"
                          " without one, `qa-service process` runs the embedded worker", setting="broker_url")
    app = Celery("qa_service", broker=settings.broker_url, backend=settings.result_backend,
                 set_as_current=False)
    app.conf.update(
        task_acks_late=True,
        worker_prefetch_multiplier=1,
        task_reject_on_worker_lost=True,
        task_queues=tuple(Queue(q) for q in sorted(set(STAGE_QUEUE.values()))),
        task_default_queue="cpu",
        task_serializer="json",
        accept_content=["json"],
        task_ignore_result=settings.result_backend is None,
        broker_connection_retry_on_startup=True,
        broker_connection_max_retries=None,  # a broker restart: keep reconnecting
        broker_transport_options={"visibility_timeout": int(max(3600.0, 6 * settings.lease_timeout_s))},
        worker_cancel_long_running_tasks_on_connection_loss=False,
        task_publish_retry_policy={"max_retries": 3, "interval_start": 0.2, "interval_step": 0.5,
                                   "interval_max": 1.0},
        worker_send_task_events=False,
        worker_hijack_root_logger=False,
    )
    from workers.signals import connect_signals
    from workers.tasks import register_tasks

    register_tasks(app, settings)
    connect_signals(app, settings)
    return app


@lru_cache(maxsize=1)
def get_app() -> Celery:
    """The app for this process's settings (for ``celery -A workers.app``)."""
    return create_app(get_settings())


def __getattr__(name: str) -> Any:
    if name in ("app", "celery"):
        return get_app()
    raise AttributeError(name)
