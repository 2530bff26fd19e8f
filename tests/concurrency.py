"""Concurrency tests on PostgreSQL: run the same work in several threads released at once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from django.db import connection


def run_together(count, work):
    """Run work(i) in `count` threads released at the same moment; return results or errors."""
    barrier = threading.Barrier(count)

    def worker(index):
        try:
            barrier.wait()
            return work(index)
        except Exception as error:
            return error
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(worker, range(count)))
