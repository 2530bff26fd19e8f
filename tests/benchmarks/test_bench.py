"""The benchmark's own parts: per-request SQL figures, the load generator, the targets."""

import json
import subprocess
import sys
import threading
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from benchmarks import run
from benchmarks.middleware import server_timing
from institut.settings import MIDDLEWARE
from tests.certification.helpers import make_scheme
from tests.certification.registry.helpers import practitioner

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def bench_settings(settings):
    settings.ROOT_URLCONF = "benchmarks.urls"
    settings.MIDDLEWARE = ["benchmarks.middleware.QueryMetricsMiddleware", *MIDDLEWARE]
    return settings


@pytest.mark.django_db
def test_it_serves_the_bare_view_through_every_middleware_without_sql(client, bench_settings):
    response = client.get("/bench/bare/")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["X-Bench-Queries"] == "0"
    assert response["X-Frame-Options"] == "DENY"  # the site's middleware ran


def test_it_has_no_bare_view_outside_the_benchmark(client, db):
    assert client.get("/bench/bare/").status_code == 404


@pytest.mark.django_db
def test_it_counts_every_query_of_a_request(client, bench_settings, trainee):
    client.force_login(trainee)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/espace/")
    assert response.status_code == 200
    assert int(response["X-Bench-Queries"]) == len(queries) > 0
    assert server_timing(response["Server-Timing"], "db") >= 0
    assert server_timing(response["Server-Timing"], "app") > 0


def test_it_reads_server_timing_metrics():
    header = "db;dur=3.25, app;dur=12.50"
    assert server_timing(header, "db") == 3.25
    assert server_timing(header, "app") == 12.5
    assert server_timing(header, "cache") is None


@pytest.mark.parametrize(
    ("kind", "share", "queries", "failures", "expected"),
    [
        ("dynamic", 0.30, 12, 0, {"queries": True, "throughput": True, "errors": True}),
        ("dynamic", 0.20, 12, 0, {"queries": True, "throughput": False, "errors": True}),
        ("dynamic", 0.30, 21, 0, {"queries": False, "throughput": True, "errors": True}),
        ("cached", 0.55, 0, 0, {"queries": True, "throughput": False, "errors": True}),
        ("cached", 0.65, 0, 2, {"queries": True, "throughput": True, "errors": False}),
        ("ceiling", 1.0, 0, 0, {"queries": True, "throughput": None, "errors": True}),
    ],
)
def test_it_judges_each_page_against_the_targets(kind, share, queries, failures, expected):
    figures = {"kind": kind, "share_of_bare": share, "queries_max": queries, "failures": failures}
    verdict = run.targets(figures)
    assert {key: verdict[key] for key in expected} == expected


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def constant_app(environ, start_response):
    """A stand-in of the benchmark server: 3 queries per page, 404 on /missing/."""
    if environ["PATH_INFO"] == "/missing/":
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"no"]
    headers = [
        ("Content-Type", "text/plain"),
        ("X-Bench-Queries", "3"),
        ("Server-Timing", "db;dur=1.50, app;dur=2.00"),
    ]
    start_response("200 OK", headers)
    return [b"ok"]


def test_it_measures_a_page_with_locust_and_reports_its_figures(tmp_path):
    server = make_server("127.0.0.1", 0, constant_app, handler_class=QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    spec = {
        "host": f"http://127.0.0.1:{server.server_port}",
        "users": 2,
        "seconds": 1.5,
        "warmup": 0.5,
        "journeys": [
            {
                "name": "page",
                "visits": [
                    [{"label": "page", "path": "/"}],
                    [{"label": "gone", "path": "/missing/"}],
                ],
            }
        ],
    }
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    try:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "benchmarks.load",
                tmp_path / "spec.json",
                tmp_path / "out.json",
            ],
            cwd=ROOT,
            check=True,
            timeout=60,
        )
    finally:
        server.shutdown()
    result = json.loads((tmp_path / "out.json").read_text())
    page, gone = result["labels"]["page"], result["labels"]["gone"]
    assert page["requests"] > 0
    assert page["failures"] == 0
    assert page["queries_max"] == 3
    assert page["db_ms_mean"] == 1.5
    assert page["made"] == page["requests"]  # every answer made by the "view" (3 queries)
    assert page["db_ms_made_mean"] == 1.5
    assert page["p50_ms"] is not None
    assert gone["failures"] == gone["requests"] > 0
    assert any("HTTP 404" in error["error"] for error in result["errors"])


@pytest.mark.postgres
@pytest.mark.django_db
def test_it_explains_both_registry_searches_with_their_plans():
    scheme = make_scheme()
    practitioner("Hélène Lefèvre", scheme=scheme, region="bre")
    practitioner("Noël Guérin", scheme=scheme, region="bre")
    practitioner("Zoé Martin", scheme=scheme, region="idf")
    plans = run.registry_plans()
    # The family name of the first practitioner in the registry's order (by family name).
    assert plans["registry by name"]["query"] == "guerin"
    assert plans["registry by region"]["query"] == "bre"
    for found in plans.values():
        assert "Execution Time" in found["page_plan"]
        assert "Execution Time" in found["count_plan"]
        assert isinstance(found["uses_trigram_index"], bool)


def test_it_copies_the_latest_table_into_the_readme(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# Titre\n\n<!-- bench:start -->\nancien\n<!-- bench:end -->\n\nSuite.\n")
    figures = {
        "kind": "ceiling",
        "rps": 1500.0,
        "p50_ms": 7,
        "p95_ms": 10,
        "p99_ms": 12,
        "queries_mean": 0.0,
        "queries_max": 0,
        "db_ms_mean": 0.0,
        "failures": 0,
        "share_of_bare": 1.0,
    }
    figures["targets"] = run.targets(figures)
    report = {
        "finished": "2026-11-24 10:00",
        "machine": {"cpu": "CPU", "cores": 2, "memory": "24 GiB", "postgresql": "15"},
        "pages": {"bare view": figures},
        "load_test": {"total": {"requests": 900, "p95_ms": 80, "failures": 0}},
    }
    run.update_readme(readme, report, run.parse_args([]))
    text = readme.read_text()
    assert "ancien" not in text
    assert "| bare view | ceiling | 1500 |" in text
    assert "900 requests, p95 80 ms, 0 errors." in text
    assert text.startswith("# Titre\n") and text.endswith("\n\nSuite.\n")
