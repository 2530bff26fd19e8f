"""Per-request figures for the load generator: SQL queries, database time and total time."""

from __future__ import annotations

import time

from django.db import connection


class QueryMetricsMiddleware:
    """Adds `X-Bench-Queries` and `Server-Timing: db;dur=…, app;dur=…` to every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        figures = {"queries": 0, "db": 0.0}

        def measure(execute, sql, params, many, context):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                figures["queries"] += 1
                figures["db"] += time.perf_counter() - started

        started = time.perf_counter()
        with connection.execute_wrapper(measure):
            response = self.get_response(request)
        elapsed = time.perf_counter() - started
        response["X-Bench-Queries"] = str(figures["queries"])
        response["Server-Timing"] = (
            f"db;dur={figures['db'] * 1000:.2f}, app;dur={elapsed * 1000:.2f}"
        )
        return response


def server_timing(header: str, metric: str) -> float | None:
    """One duration (ms) of a `Server-Timing` header, or None: `db;dur=3.2, app;dur=9` -> 3.2."""
    for part in header.split(","):
        name, _, rest = part.strip().partition(";")
        if name == metric and rest.startswith("dur="):
            return float(rest[4:])
    return None
