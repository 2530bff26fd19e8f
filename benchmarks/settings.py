"""Settings of the benchmark: production settings, plus a bare view and per-request SQL figures.

Only `make bench` uses this module (DJANGO_SETTINGS_MODULE=benchmarks.settings); nothing here is
reachable in a normal deployment.
"""

from institut.settings import *  # noqa: F403
from institut.settings import MIDDLEWARE

ROOT_URLCONF = "benchmarks.urls"
# Outermost, so that the figures include what every other middleware costs (session, user...).
MIDDLEWARE = ["benchmarks.middleware.QueryMetricsMiddleware", *MIDDLEWARE]
