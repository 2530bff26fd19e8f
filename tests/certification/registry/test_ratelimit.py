"""The registry's rate limit: per client address, for one period counted from the first request."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from institut.ratelimit import parse_rate

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("rate", "expected"),
    [("60/m", (60, 60)), ("5/h", (5, 3600)), ("100/10m", (100, 600)), (" 3 / s ", (3, 1))],
)
def test_it_reads_rates(rate, expected):
    assert parse_rate(rate) == expected


@pytest.mark.parametrize("rate", ["", "60", "60/minute", "-1/m", "abc"])
def test_it_refuses_a_rate_it_cannot_read_with_a_clear_message(rate):
    with pytest.raises(ImproperlyConfigured, match=r"e\.g\. 60/m"):
        parse_rate(rate)


def test_it_lets_the_client_search_again_once_the_period_is_over(client, settings):
    # The in-memory cache reads the clock that time-machine moves (Redis keeps its own).
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "rate-limit-expiry",
        }
    }
    cache.clear()
    settings.REGISTRY_RATE_LIMIT = "2/m"
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        statuses = [client.get("/registre/").status_code for _ in range(3)]
        traveller.shift(timedelta(seconds=61))
        statuses.append(client.get("/registre/").status_code)
    assert statuses == [200, 200, 429, 200]


def test_it_counts_each_client_address_apart(client, settings):
    settings.REGISTRY_RATE_LIMIT = "1/m"
    first = [client.get("/registre/", REMOTE_ADDR="192.0.2.1").status_code for _ in range(2)]
    other = client.get("/registre/", REMOTE_ADDR="192.0.2.2").status_code
    assert first == [200, 429]
    assert other == 200
