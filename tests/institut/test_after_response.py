"""Small writes that need not delay a page run once it is sent (the lesson visit note)."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from institut.middleware import AfterResponseMiddleware, after_response

# Closing a response sends request_finished, whose receiver looks at the database connection.
pytestmark = pytest.mark.django_db


def test_it_runs_a_task_only_once_the_response_is_closed():
    done = []

    def view(request):
        after_response(request, lambda: done.append("noted"))
        assert done == []
        return HttpResponse("page")

    response = AfterResponseMiddleware(view)(RequestFactory().get("/"))
    assert done == []  # the page is answered first
    response.close()  # what the server does once it has sent it
    assert done == ["noted"]


def test_it_runs_a_task_at_once_outside_the_middleware():
    done = []
    after_response(RequestFactory().get("/"), lambda: done.append("noted"))
    assert done == ["noted"]


def test_it_logs_a_task_that_fails_without_failing_the_response(caplog):
    def view(request):
        after_response(request, lambda: 1 / 0)
        return HttpResponse("page")

    response = AfterResponseMiddleware(view)(RequestFactory().get("/"))
    response.close()
    assert "A task after the response failed" in caplog.text
