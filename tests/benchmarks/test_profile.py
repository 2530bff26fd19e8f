"""The in-process profile of `make bench BENCH_ARGS=--profile`: CPU and SQL per page vs bare."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from benchmarks import run
from benchmarks.profile import MAX_SIGNED_IN_QUERIES, measure, profile, profile_table
from institut.settings import MIDDLEWARE


@pytest.fixture
def bench_settings(settings):
    settings.ROOT_URLCONF = "benchmarks.urls"
    settings.MIDDLEWARE = ["benchmarks.middleware.QueryMetricsMiddleware", *MIDDLEWARE]
    return settings


def _pages(cookie):
    return {
        "bare view": ("ceiling", [[{"label": "bare view", "path": "/bench/bare/"}]]),
        "/espace/": ("dynamic", [[{"label": "/espace/", "path": "/espace/", "cookie": cookie}]]),
        "home": ("cached", [[{"label": "home", "path": "/"}]]),
    }


@pytest.mark.django_db
def test_it_profiles_the_signed_in_pages_against_the_bare_view(bench_settings, trainee):
    bench_settings.PERSONAL_PAGE_SECONDS = 0  # made each time, so that its queries are counted
    cookie = run.session_cookie(trainee)
    results = profile(_pages(cookie), runs=3, warmup=1)
    assert list(results) == ["bare view", "/espace/"]  # only the pages of the profile
    bare, space = results["bare view"], results["/espace/"]
    assert bare["queries_max"] == 0
    assert bare["cpu_ratio"] == 1.0
    assert space["statuses"] == [200]  # the persona's session was used: no redirect to login
    assert space["queries_max"] > 0
    assert space["cpu_ms"] > 0 and space["runs"] == 3
    assert space["targets"]["queries"] == (space["queries_max"] <= MAX_SIGNED_IN_QUERIES)
    assert bare["targets"]["queries"] is None


@pytest.mark.django_db
def test_it_counts_the_queries_the_page_makes(bench_settings, trainee, client):
    cookie = run.session_cookie(trainee)
    measure([{"path": "/espace/", "cookie": cookie}], runs=1, warmup=1)  # caches warm
    figures = measure([{"path": "/espace/", "cookie": cookie}], runs=1, warmup=0)
    client.cookies.load(cookie)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/espace/").status_code == 200
    assert figures["queries_max"] == len(queries)


@pytest.mark.django_db
def test_it_reports_a_page_that_fails(bench_settings):
    results = profile(
        {
            "bare view": ("ceiling", [[{"path": "/bench/bare/"}]]),
            "/espace/": ("dynamic", [[{"path": "/espace/"}]]),  # no session: a redirect
        },
        runs=1,
        warmup=0,
    )
    assert results["/espace/"]["statuses"] == [302]
    assert results["/espace/"]["targets"]["status"] is False
    table = profile_table(results)
    assert table[0].startswith("| page | CPU ms (median)")
    assert any(line.startswith("| /espace/ |") for line in table)


def test_it_takes_the_profile_options():
    args = run.parse_args(["--profile", "--runs", "7", "--profile-warmup", "2"])
    assert args.profile and args.runs == 7 and args.profile_warmup == 2
    assert not run.parse_args([]).profile
