"""Error reports: Sentry starts only with SENTRY_DSN, and what it sends names nobody.

The DSN points at a local stand-in of Sentry's ingestion endpoint: the SDK's own HTTP transport
sends it real envelopes, and nothing leaves the machine.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlencode

import pytest
import sentry_sdk
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test import Client
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from institut.sentry import scrub, sentry_init

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import sentry_sdk; client = sentry_sdk.get_client(); "
    "print(client.is_active(), client.options['environment'], client.options['release'], "
    "client.options['send_default_pii'], sorted(client.integrations))"
)


@csrf_exempt
def fail(request):
    raise RuntimeError(f"Échec en traitant la demande de {request.user.email}")


urlpatterns = [path("echec/", fail)]


class SentryStandIn(ThreadingHTTPServer):
    """Accepts envelopes at /api/<project>/envelope/ and keeps their events."""

    def __init__(self) -> None:
        events = self.events = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                encoding = self.headers.get("Content-Encoding")
                if encoding == "gzip":
                    body = gzip.decompress(body)
                elif encoding == "br":  # the SDK's choice when brotli is installed
                    import brotli

                    body = brotli.decompress(body)
                lines = body.split(b"\n")
                for header, payload in zip(lines[1::2], lines[2::2], strict=False):
                    if json.loads(header).get("type") == "event":
                        events.append((payload.decode(), json.loads(payload)))
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)

    def __enter__(self):
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()


@pytest.fixture
def sentry():
    """Sentry started as settings.py starts it, pointed at the stand-in; stopped afterwards."""
    with SentryStandIn() as standin:
        sentry_init(
            dsn=f"http://publickey@127.0.0.1:{standin.server_address[1]}/1",
            environment="recette",
            release="institut@test",
        )
        try:
            yield standin
        finally:
            sentry_sdk.get_client().close()
            sentry_sdk.get_global_scope().set_client(None)
    assert not sentry_sdk.get_client().is_active()


def run_python(code: str, **env: str) -> str:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("SENTRY_")}
    done = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={**environ, "DJANGO_SETTINGS_MODULE": "institut.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_it_does_not_start_sentry_without_a_dsn():
    assert run_python(PROBE).startswith("False ")


def test_it_starts_sentry_for_the_web_and_celery_with_its_environment_and_release():
    out = run_python(
        PROBE,
        SENTRY_DSN="http://publickey@127.0.0.1:9/1",
        SENTRY_ENVIRONMENT="recette",
        SENTRY_RELEASE="institut@2026.12",
    )
    active, environment, release, pii, integrations = out.split(" ", 4)
    assert (active, environment, release, pii) == ("True", "recette", "institut@2026.12", "False")
    assert "'django'" in integrations
    assert "'celery'" in integrations


def wsgi_post(path: str, form: dict, **environ) -> int:
    """POST through the WSGI application, as gunicorn calls it (where Sentry hooks in)."""
    body = urlencode(form).encode()
    status = []
    # As Django's test client does: keep the test's database connection open.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        response = WSGIHandler()(
            {
                "REQUEST_METHOD": "POST",
                "PATH_INFO": path,
                "SERVER_NAME": "testserver",
                "SERVER_PORT": "80",
                "SERVER_PROTOCOL": "HTTP/1.1",
                "wsgi.url_scheme": "http",
                "wsgi.input": io.BytesIO(body),
                "wsgi.errors": io.StringIO(),
                "CONTENT_LENGTH": str(len(body)),
                "CONTENT_TYPE": "application/x-www-form-urlencoded",
                **environ,
            },
            lambda code, headers, exc_info=None: status.append(code),
        )
        response.close()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    return int(status[0].split()[0])


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_it_reports_an_error_in_a_view_without_personal_data(sentry, trainee):
    client = Client()
    client.force_login(trainee)
    session = client.cookies["sessionid"].value
    personal = [trainee.email, trainee.full_name, "203.0.113.7", "2001:db8::17", session]

    status = wsgi_post(
        "/echec/",
        {"email": trainee.email, "nom": trainee.full_name, "telephone": "06 12 34 56 78"},
        QUERY_STRING=urlencode({"email": trainee.email}),
        REMOTE_ADDR="203.0.113.7",
        HTTP_X_FORWARDED_FOR="2001:db8::17, 203.0.113.7",
        HTTP_COOKIE=f"sessionid={session}",
        HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0",
        HTTP_REFERER=f"http://testserver/profil/?email={trainee.email}",
    )
    sentry_sdk.flush(timeout=10)

    assert status == 500
    ((raw, event),) = sentry.events
    (exception,) = event["exception"]["values"]
    assert exception["type"] == "RuntimeError"
    assert exception["value"] == "Échec en traitant la demande de [email]"
    assert exception["stacktrace"]["frames"][-1]["function"] == "fail"
    assert (event["environment"], event["release"]) == ("recette", "institut@test")
    request = event["request"]
    assert (request["method"], request["url"]) == ("POST", "http://testserver/echec/")
    assert request["query_string"] == "email=[email]"
    assert request["headers"]["User-Agent"].startswith("Mozilla/5.0")
    assert request["data"] == dict.fromkeys(["email", "nom", "telephone"], "[Filtered]")
    for value in [*personal, "06 12 34 56 78"]:
        assert value not in raw
    assert "user" not in event or set(event["user"]) <= {"id"}


def test_it_keeps_only_the_id_of_the_user_and_no_address():
    event = scrub(
        {
            "user": {"id": "42", "email": "camille@example.org", "ip_address": "203.0.113.7"},
            "request": {
                "cookies": {"sessionid": "s3cr3t"},
                "headers": {"X-Real-Ip": "203.0.113.7", "User-Agent": "Firefox"},
                "env": {"REMOTE_ADDR": "203.0.113.7", "SERVER_NAME": "web-1"},
                "data": "email=camille%40example.org",
            },
            "breadcrumbs": {"values": [{"message": "Login of camille@example.org from ::1"}]},
        }
    )
    assert event["user"] == {"id": "42"}
    assert event["request"] == {
        "headers": {"User-Agent": "Firefox"},
        "env": {"SERVER_NAME": "web-1"},
        "data": "[Filtered]",
    }
    assert event["breadcrumbs"]["values"][0]["message"] == "Login of [email] from [ip]"
