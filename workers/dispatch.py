"""Sending a call's next stage to the Celery queues (the library's Dispatcher on the scale path)."""

from __future__ import annotations

import logging

from celery import Celery
from kombu.exceptions import ChannelError

from qa_service.settings import Settings
from qa_service.store.states import STAGE_QUEUE, Stage

log = logging.getLogger(__name__)

TASK_NAMES: dict[Stage, str] = {Stage.TRANSCRIBE: "qa.transcribe", Stage.ASSESS: "qa.assess"}


class CeleryDispatcher:
    def __init__(self, app: Celery) -> None:
        self._app = app

    @classmethod
    def from_settings(cls, settings: Settings) -> CeleryDispatcher:
        from workers.app import create_app

        return cls(create_app(settings))

    def send(self, call_id: str, stage: Stage) -> None:
        """Only the call id travels (audio and transcripts are PII). A failed send is logged, not
        raised: the call stays queued in the database and the sweeper sends it again."""
        try:
            self._app.send_task(TASK_NAMES[stage], args=(call_id,), queue=STAGE_QUEUE[stage])
        except Exception as exc:  # kombu/redis raise many types when the broker is away
            log.warning("call %s: could not send %s to the broker (%s); the sweeper will re-send it",
                        call_id, stage.value, exc)

    def backlog(self, stage: Stage) -> int | None:
        """Messages waiting in the stage's queue (0 when Redis has dropped the empty list); None when
        the broker cannot be asked."""
        try:
            with self._app.connection_for_read() as conn:
                conn.ensure_connection(max_retries=1)
                try:
                    declared = conn.default_channel.queue_declare(queue=STAGE_QUEUE[stage], passive=True)
                except ChannelError as exc:
                    if "NOT_FOUND" in str(exc):
                        return 0
                    raise
                return int(declared.message_count)
        except Exception as exc:
            log.debug("backlog of %s unknown: %s", stage.value, exc)
            return None
