"""The Celery app factory: queues, routing and reliability settings come from settings alone."""

from __future__ import annotations

import warnings

import pytest
from celery.exceptions import DuplicateTaskNameWarning

from qa_service.errors import ConfigError
from qa_service.settings import Settings
from workers.app import create_app
from workers.dispatch import TASK_NAMES


def test_app_is_configured_for_late_acks_and_separate_queues() -> None:
    app = create_app(Settings(broker_url="redis://127.0.0.1:1/0", lease_timeout_s=900))
    conf = app.conf
    assert conf.task_acks_late is True and conf.worker_prefetch_multiplier == 1
    assert conf.task_reject_on_worker_lost is True
    assert sorted(q.name for q in conf.task_queues) == ["cpu", "gpu"]
    assert conf.broker_transport_options["visibility_timeout"] == 5400
    assert conf.task_ignore_result is True and conf.accept_content == ["json"]
    for stage, name in TASK_NAMES.items():
        task = app.tasks[name]
        assert task.acks_late and task.reject_on_worker_lost and task.max_retries is None, stage
    assert conf.broker_connection_max_retries is None  # a restarted broker is waited for


def test_no_broker_is_a_config_error_naming_the_setting() -> None:
    with pytest.raises(ConfigError, match="broker_url is not set") as err:
        create_app(Settings(broker_url=None))
    assert err.value.details["setting"] == "broker_url"


def test_each_app_runs_its_own_settings_tasks() -> None:
    """A second app in one process (tests, or a tool embedding two) must not inherit the first app's
    tasks, which would run with the first app's settings."""
    create_app(Settings(broker_url="redis://127.0.0.1:1/0", task_max_retries=1)).finalize()
    with warnings.catch_warnings():
        warnings.simplefilter("error", DuplicateTaskNameWarning)
        second = create_app(Settings(broker_url="redis://127.0.0.1:1/1", task_max_retries=7))
        second.finalize()
    for name in TASK_NAMES.values():
        assert second.tasks[name].app is second
