"""Integration: real `celery worker` processes on Redis, killed with SIGKILL in the middle of a
batch; every task of the batch then has its effect exactly once.

The worker renders certificate PDFs and e-mails them (generate_certificate_pdf). The test holds a
row lock on the third certificate, so that the worker is provably in the middle of that task
(waiting for the lock, nothing written yet) when it is killed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
import redis
from django.db import connection

from certification.models import Certificate
from certification.tasks import generate_certificate_pdf
from tests.certification.factories import make_certificate
from tests.certification.helpers import make_scheme
from tests.factories import UserFactory
from tests.institut.smtp_sink import SMTPSink

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(__file__).resolve().parents[2]
# The broker hands an unacknowledged task to another worker after this many seconds (production
# keeps the default, 1200 s); the redelivery must come within a minute of the new worker.
VISIBILITY_TIMEOUT = 5
REDELIVERY_DEADLINE = 60
CELERY_WORKER = [sys.executable, "-m", "celery", "-A", "institut", "worker", "--loglevel", "INFO"]
CELERY_WORKER += ["--without-gossip", "--without-mingle", "--without-heartbeat"]


@pytest.fixture
def broker():
    """The app publishing to CELERY_BROKER_URL, with an empty queue and no abandoned tasks."""
    url = os.environ.get("CELERY_BROKER_URL")
    if not url:
        pytest.skip("needs a broker: set CELERY_BROKER_URL=redis://127.0.0.1:6379/6 to run it")
    from institut.celery import app

    client = redis.Redis.from_url(url)

    def empty():
        app.control.purge()
        client.delete("unacked", "unacked_index")

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    empty()
    yield app
    app.conf.task_always_eager = previous
    empty()


class Worker:
    """`celery -A institut worker` with one pool process, in a process group of its own."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.log = log
        with log.open("wb") as output:
            self.process = subprocess.Popen(
                [*CELERY_WORKER, "--pool", "prefork", "--concurrency", "1"],
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_ready(self) -> None:
        wait_until(lambda: " ready." in self.output(), 90, "the worker to start", self)

    def pool_processes(self) -> list[int]:
        """The pool's child processes (the main process forks them)."""
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[1]) == self.process.pid:
                children.append(int(stat.parent.name))
        return children

    def kill(self) -> None:
        """SIGKILL to the whole worker: no shutdown, no acknowledgement, nothing given back."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


def wait_until(
    condition: Callable[[], bool], timeout: float, what: str, worker: Worker | None = None
) -> float:
    """Seconds it took for `condition` to hold; fails after `timeout` seconds."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            log = worker.output()[-3000:] if worker else ""
            pytest.fail(f"waited {timeout} s for {what}\n{log}")
        time.sleep(0.2)
    return time.monotonic() - started


def database_settings() -> dict:
    settings = connection.settings_dict
    return {
        "dbname": settings["NAME"],
        "user": settings["USER"],
        "password": settings["PASSWORD"] or None,
        "host": settings["HOST"] or None,
        "port": settings["PORT"] or None,
    }


def worker_env(media: Path, smtp_port: int) -> dict[str, str]:
    """The worker sees the test database, a media folder of its own and the SMTP sink."""
    db = database_settings()
    credentials = quote(db["user"] or "") + (f":{quote(db['password'])}" if db["password"] else "")
    host = f"{db['host'] or '127.0.0.1'}:{db['port'] or 5432}"
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://{credentials}@{host}/{db['dbname']}",
        "MEDIA_ROOT": str(media),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "false",
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
    }


def waiting_for_a_lock() -> int:
    """Database sessions waiting for a row lock (the killed processes' sessions included)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def rendered(certificates: list[Certificate]) -> int:
    return Certificate.objects.filter(
        pk__in=[c.pk for c in certificates], pdf_valid_until__isnull=False
    ).count()


def test_it_runs_every_task_once_after_its_worker_is_killed(broker, tmp_path):
    scheme = make_scheme()
    certificates = [make_certificate(UserFactory(), scheme=scheme) for _ in range(6)]
    in_the_middle = certificates[2]
    media = tmp_path / "media"

    with SMTPSink() as sink:
        env = worker_env(media, sink.port)
        lock = psycopg.connect(**database_settings())
        lock.execute(
            "SELECT 1 FROM certification_certificate WHERE id = %s FOR UPDATE", [in_the_middle.pk]
        )
        first = Worker(env, tmp_path / "first-worker.log")
        try:
            first.wait_ready()
            for certificate in certificates:
                generate_certificate_pdf.delay(certificate.pk)
            wait_until(
                lambda: waiting_for_a_lock() == 1 and rendered(certificates) == 2,
                60,
                "two PDFs, then the third task waiting for its certificate",
                first,
            )
            # The pool process dies (as under the OOM killer): with reject_on_worker_lost the
            # task goes back to the queue at once, and the pool's new process takes it again.
            (pool_process,) = first.pool_processes()
            os.kill(pool_process, signal.SIGKILL)
            wait_until(
                lambda: waiting_for_a_lock() == 2,
                60,
                "the task given back and taken by the new pool process",
                first,
            )
            assert "WorkerLostError" in first.output()
            # Now the whole worker dies with its task unacknowledged (a machine lost).
            first.kill()
        finally:
            first.kill()
            lock.rollback()
            lock.close()
        assert Certificate.objects.get(pk=in_the_middle.pk).pdf_valid_until is None

        second = Worker(env, tmp_path / "second-worker.log")
        try:
            second.wait_ready()
            took = wait_until(
                lambda: rendered([in_the_middle]) == 1,
                REDELIVERY_DEADLINE,
                "the killed task redelivered to the new worker",
                second,
            )
            wait_until(lambda: rendered(certificates) == 6, 60, "every PDF", second)
            wait_until(lambda: len(sink.messages) >= len(certificates), 30, "the e-mails", second)
            time.sleep(VISIBILITY_TIMEOUT + 2)  # room for a wrongful second delivery to show
        finally:
            second.stop()

    assert took < REDELIVERY_DEADLINE
    for certificate in certificates:
        files = list(media.glob(f"certification/certificats/{certificate.number}-*.pdf"))
        assert len(files) == 1, (certificate.number, files)
    recipients = sorted(message["To"] for message in sink.messages)
    assert recipients == sorted(certificate.holder.email for certificate in certificates)
