"""The load generator of the benchmark: locust, headless, as a library, in its own process.

    python -m benchmarks.load spec.json result.json

The spec names the host, the number of simulated users, the think time, the warm-up and measured
seconds, and the journeys: each is a list of visits, and a visit is a list of requests made in
order (one request for a single-page measurement). Each request's SQL figures come from the
headers that the benchmark settings add (benchmarks/middleware.py). The result is one JSON object
per request label, and the errors seen.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import time
from collections import defaultdict

import gevent
from locust import FastHttpUser, between, constant, task
from locust.env import Environment

from benchmarks.middleware import server_timing

figures: dict[str, dict[str, list[float]]] = defaultdict(
    lambda: {"queries": [], "db": [], "db_made": []}
)


def make_user(journey: dict, wait: tuple[float, float]) -> type[FastHttpUser]:
    """A locust user class that makes the journey's visits again and again."""

    def visit(self):
        for request in random.choice(journey["visits"]):
            headers = {"Cookie": request["cookie"]} if request.get("cookie") else {}
            label = request["label"]
            with self.client.get(
                request["path"], headers=headers, name=label, catch_response=True
            ) as response:
                expected = request.get("status", 200)
                if response.status_code != expected:
                    response.failure(f"{label}: HTTP {response.status_code}, expected {expected}")
                    continue
                queries = response.headers.get("X-Bench-Queries")
                if queries is None:
                    response.failure(f"{label}: no X-Bench-Queries header (not the bench settings)")
                    continue
                figures[label]["queries"].append(int(queries))
                db = server_timing(response.headers.get("Server-Timing", ""), "db")
                if db is not None:
                    figures[label]["db"].append(db)
                    if int(queries):  # made by the view, not answered from the cache
                        figures[label]["db_made"].append(db)

    return type(
        f"Journey_{journey['name']}",
        (FastHttpUser,),
        {
            "host": None,
            "weight": journey.get("weight", 1),
            "wait_time": constant(0) if wait == (0, 0) else between(*wait),
            "tasks": [task(visit)],
        },
    )


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run(spec: dict) -> dict:
    wait = tuple(spec.get("wait", (0, 0)))
    user_classes = [make_user(journey, wait) for journey in spec["journeys"]]
    for cls in user_classes:
        cls.host = spec["host"]
    env = Environment(user_classes=user_classes)
    runner = env.create_local_runner()
    users = spec["users"]
    runner.start(users, spawn_rate=spec.get("spawn_rate", users))
    gevent.sleep(spec["warmup"])
    env.stats.reset_all()
    figures.clear()
    started = time.perf_counter()
    gevent.sleep(spec["seconds"])
    elapsed = time.perf_counter() - started
    runner.quit()

    result: dict = {"seconds": round(elapsed, 2), "users": users, "labels": {}}
    for (label, _method), entry in env.stats.entries.items():
        measured = figures.get(label, {"queries": [], "db": [], "db_made": []})
        result["labels"][label] = {
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "rps": round(entry.num_requests / elapsed, 1),
            "p50_ms": entry.get_response_time_percentile(0.50),
            "p95_ms": entry.get_response_time_percentile(0.95),
            "p99_ms": entry.get_response_time_percentile(0.99),
            "mean_ms": round(entry.avg_response_time, 1),
            "queries_mean": round(statistics.fmean(measured["queries"]), 1)
            if measured["queries"]
            else None,
            "queries_max": max(measured["queries"], default=None),
            "db_ms_mean": round(statistics.fmean(measured["db"]), 2) if measured["db"] else None,
            "db_ms_p95": percentile(measured["db"], 0.95),
            # The same over the requests the view made (not answered from the cache).
            "made": len(measured["db_made"]),
            "db_ms_made_mean": round(statistics.fmean(measured["db_made"]), 2)
            if measured["db_made"]
            else None,
            "db_ms_made_p95": percentile(measured["db_made"], 0.95),
        }
    total = env.stats.total
    result["total"] = {
        "requests": total.num_requests,
        "failures": total.num_failures,
        "rps": round(total.num_requests / elapsed, 1),
        "p50_ms": total.get_response_time_percentile(0.50),
        "p95_ms": total.get_response_time_percentile(0.95),
        "p99_ms": total.get_response_time_percentile(0.99),
    }
    result["errors"] = [
        {"label": error.name, "error": str(error.error), "count": error.occurrences}
        for error in env.stats.errors.values()
    ]
    return result


def main() -> None:
    spec_path, result_path = sys.argv[1:3]
    with open(spec_path) as handle:
        spec = json.load(handle)
    result = run(spec)
    with open(result_path, "w") as handle:
        json.dump(result, handle, indent=2)


if __name__ == "__main__":
    main()
