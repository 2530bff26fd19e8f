"""Every task says whether it may run again after a crash, and the broker waits long enough."""

from __future__ import annotations

import pytest
from django.core.checks import run_checks

from institut.celery import longest_countdown, our_tasks

TASKS = our_tasks()


def test_it_finds_the_tasks_of_every_app():
    apps = {task.name.split(".")[0] for task in TASKS}
    assert {"courses", "supervision", "certification"} <= apps
    assert len(TASKS) >= 12


@pytest.mark.parametrize("task", TASKS, ids=lambda task: task.name)
def test_it_runs_again_after_a_crash_only_what_says_it_is_idempotent(task):
    doc = task.__doc__ or ""
    idempotent = "\n    Idempotent: " in doc
    not_idempotent = "\n    Not idempotent: " in doc
    assert idempotent != not_idempotent, f"{task.name} must say whether it is idempotent, and why"
    assert task.acks_late is idempotent
    assert bool(task.reject_on_worker_lost) is idempotent


def test_it_keeps_a_waiting_retry_from_a_second_worker(settings):
    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    longest = max(longest_countdown(task) for task in TASKS)
    assert longest >= 600  # the retries back off up to ten minutes
    assert timeout > longest


def test_it_warns_when_the_visibility_timeout_is_below_a_retry_countdown(settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/2"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 300}
    (warning,) = [m for m in run_checks() if m.id == "institut.W001"]
    assert "300 s" in warning.msg
    assert "600 s" in warning.msg

    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 1200}
    assert not [m for m in run_checks() if m.id == "institut.W001"]
