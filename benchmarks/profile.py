"""`make bench BENCH_ARGS=--profile`: CPU time and SQL per page, in-process, against the bare view.

The application is called in this process (django.test.Client through every middleware, DEBUG
off, the benchmark settings) with the personas' sessions; each page is requested a few times to
warm the caches, then `runs` times measured. The CPU time of the process (`time.process_time`,
so PostgreSQL's own work is not counted, nor other programs on the machine) is steady on a
shared machine where requests per second are not.
"""

from __future__ import annotations

import statistics
import time
from http.cookies import SimpleCookie

# The signed-in pages of issue 16 and the uncached registry search, against the ceiling.
PROFILE_PAGES = [
    "bare view",
    "lesson (enrolled)",
    "/espace/",
    "/certification/",
    "/supervision/",
    "review queue",
    "registry by region, uncached",
]

# Targets of issue 16, per request in-process.
MAX_CPU_RATIO = 4.0
MAX_SIGNED_IN_QUERIES = 8


def _client(cookie: str | None):
    from django.test import Client

    client = Client()
    if cookie:
        parsed = SimpleCookie()
        parsed.load(cookie)
        for name, morsel in parsed.items():
            client.cookies[name] = morsel.value
    return client


def measure(requests: list[dict], *, runs: int, warmup: int) -> dict:
    """CPU ms (median, p90) and SQL per request of one page; `requests` are cycled through.

    Every request is made once first (cold: "queries_first" is the most any of them made), then
    `warmup` more, then `runs` measured.
    """
    from django.db import connection

    counted = {"queries": 0}

    def count(execute, sql, params, many, context):
        counted["queries"] += 1
        return execute(sql, params, many, context)

    clients = {}
    cpu, queries, first_queries, statuses = [], [], 0, set()
    cold = len(requests)
    with connection.execute_wrapper(count):
        for index in range(cold + warmup + runs):
            request = requests[index % len(requests)]
            cookie = request.get("cookie")
            client = clients.setdefault(cookie, _client(cookie))
            counted["queries"] = 0
            started = time.process_time()
            response = client.get(request["path"])
            elapsed = time.process_time() - started
            statuses.add(response.status_code)
            if index < cold:
                first_queries = max(first_queries, counted["queries"])
            if index >= cold + warmup:
                cpu.append(elapsed * 1000)
                queries.append(counted["queries"])
    cpu.sort()
    return {
        "cpu_ms": round(statistics.median(cpu), 2),
        "cpu_ms_p90": round(cpu[min(len(cpu) - 1, int(len(cpu) * 0.9))], 2),
        "queries": round(statistics.mean(queries), 1),
        "queries_max": max(queries),
        "queries_first": first_queries,
        "statuses": sorted(statuses),
        "runs": runs,
    }


def profile(pages: dict, *, runs: int = 30, warmup: int = 5, only: str = "") -> dict:
    """Every page of PROFILE_PAGES (or those named in `only`) measured, with its ratio to bare."""
    wanted = {name.strip() for name in only.split(",") if name.strip()}
    results = {}
    for name in PROFILE_PAGES:
        if name not in pages or (wanted and name not in wanted and name != "bare view"):
            continue
        _kind, visits = pages[name]
        requests = [visit[0] for visit in visits]
        results[name] = measure(requests, runs=runs, warmup=warmup)
    bare = results["bare view"]["cpu_ms"] or 0.01
    for name, figures in results.items():
        figures["cpu_ratio"] = round(figures["cpu_ms"] / bare, 1)
        signed_in = name != "bare view" and "registry" not in name
        figures["targets"] = {
            "cpu": figures["cpu_ratio"] <= MAX_CPU_RATIO,
            "queries": figures["queries_max"] <= MAX_SIGNED_IN_QUERIES if signed_in else None,
            "status": figures["statuses"] == [200],
        }
    return results


def profile_table(results: dict) -> list[str]:
    """The profile as a markdown table."""

    def mark(ok):
        return "—" if ok is None else ("yes" if ok else "NO")

    lines = [
        "| page | CPU ms (median) | CPU ms (p90) | x bare | SQL warm (max) | SQL first "
        f"| ≤ {MAX_CPU_RATIO:g}x bare | ≤ {MAX_SIGNED_IN_QUERIES} SQL |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, f in results.items():
        lines.append(
            f"| {name} | {f['cpu_ms']} | {f['cpu_ms_p90']} | {f['cpu_ratio']} "
            f"| {f['queries']} ({f['queries_max']}) | {f['queries_first']} "
            f"| {mark(f['targets']['cpu'])} | {mark(f['targets']['queries'])} |"
        )
    return lines
