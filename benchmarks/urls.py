"""The site's URLs, plus the bare view that measures the ceiling of the stack."""

from django.http import HttpResponse
from django.urls import path

from institut.urls import urlpatterns as site_urlpatterns


def bare(request):
    """A constant, through every middleware of the site: the fastest any page can be."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *site_urlpatterns]
