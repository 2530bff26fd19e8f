"""Settings of the benchmark: production settings, plus a bare view and per-request SQL figures.

Only `make bench` uses this module (DJANGO_SETTINGS_MODULE=benchmarks.settings); nothing here is
reachable in a normal deployment.
"""

from institut import settings as _site

# Every setting of the site (upper-case names, as Django reads them), then the benchmark's own.
globals().update({name: value for name, value in vars(_site).items() if name.isupper()})

ROOT_URLCONF = "benchmarks.urls"
# Outermost, so that the figures include what every other middleware costs (session, user...).
MIDDLEWARE = ["benchmarks.middleware.QueryMetricsMiddleware", *_site.MIDDLEWARE]
