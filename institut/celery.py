"""The Celery application; tasks are discovered in each app's tasks.py.

Every task of ours says in its decorator whether it may run again after a crash (idempotent:
``acks_late=True, reject_on_worker_lost=True``) or must run at most once (``acks_late=False``),
and why in its docstring; tests/institut/test_tasks.py holds them to it.
"""

import importlib
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "institut.settings")

app = Celery("institut")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Mail-server and file errors are OSErrors: retried with a growing countdown, up to 600 s.
RETRY_ON_OS_ERROR = {"autoretry_for": (OSError,), "retry_backoff": True, "max_retries": 5}

OUR_APPS = ("institut.", "home.", "courses.", "supervision.", "certification.")


def our_tasks() -> list:
    """The tasks of this project (Celery's own are left out), sorted by name."""
    # Every tasks.py and CELERY_IMPORTS module, as a worker imports them.
    app.autodiscover_tasks(force=True)
    for module in app.conf.imports:
        importlib.import_module(module)
    return sorted(
        (task for name, task in app.tasks.items() if name.startswith(OUR_APPS)),
        key=lambda task: task.name,
    )


def longest_countdown(task) -> int:
    """The longest time, in seconds, a retry of this task waits in a worker before it runs."""
    if not getattr(task, "autoretry_for", ()):
        return 0
    if task.retry_backoff:
        return getattr(task, "retry_backoff_max", 600)  # Celery's default cap
    return task.default_retry_delay
