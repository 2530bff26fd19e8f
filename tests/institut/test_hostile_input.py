"""Every address the site serves answers hostile input without a server error, quickly.

The addresses are read from the URL map itself, so a new one is covered the day it is added:
each path parameter gets values that do not fit (an integer past bigint, a NUL byte, invalid
UTF-8, 10 KB of text, markup), each page without parameters gets a query string of every
parameter a view reads, spoiled the same ways, and every address gets a POST of spoiled fields,
an empty body and a body that is not what it says. Each is asked by a visitor, a trainee and a
person who holds every role; the answer must not be a 5xx, and must come quickly.
"""

from __future__ import annotations

import io
import re
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from institut.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]

# Addresses left out, and why.
LEFT_OUT = {
    "account_logout",  # signs the visitor out: the walk would lose its session
}
# Modules whose admin views are ours (the rest of /admin/ is Wagtail's and Django's own).
OUR_MODULES = ("courses.", "certification.", "supervision.", "institut.", "home.")

SLOW = 3.0  # seconds: a hostile value must not make any answer slow

NUL = "%00"
BAD_UTF8 = "%ED%A0%80%FF"  # a lone surrogate's bytes, then a byte no UTF-8 text has
BIGINT = "9" * 30  # past PostgreSQL's bigint
LONG = "a" * 10_000
SCRIPT = '<script>alert("x")</script>'
MARKUP = quote(SCRIPT)
DATE = "2026-13-45"

# Values for each kind of path parameter; `int`'s converter only lets digits through.
PATH_VALUES = {
    "int": [BIGINT, "0"],
    "str": [NUL, BAD_UTF8, LONG, MARKUP, "TST-2026-%00", BIGINT],
    "path": [NUL, BAD_UTF8, LONG, MARKUP, "..%2F..%2Fetc%2Fpasswd"],
    "slug": ["a" * 2000, BIGINT],
    "uuid": ["00000000-0000-0000-0000-000000000000"],
}

# Every query parameter a view reads (test_every_query_parameter_read_is_walked keeps it whole).
QUERY_NAMES = [
    "q",
    "page",
    "numero",
    "statut",
    "format",
    "questionnaire",
    "formation",
    "next",
    "reprendre",
    "envoye",
    "annee",
    "etape",
    "prix",
    "region",
    "langue",
    "domaine",
    "year",
    "lang",
]
# A request line is at most a few KB behind the proxy (gunicorn: 4094 bytes); a megabyte of text
# comes in a body (POSTS).
QUERY_VALUES = [NUL, BAD_UTF8, BIGINT, "-1", DATE, "a" * 200]

POSTS = [
    ("application/x-www-form-urlencoded", "&".join(f"{n}={NUL}" for n in QUERY_NAMES)),
    ("application/x-www-form-urlencoded", "action=%00&text=%ED%A0%80&pk=" + BIGINT),
    ("application/x-www-form-urlencoded", ""),
    ("application/x-www-form-urlencoded", "q=" + "a" * 1_000_000),
    ("application/json", '{"number": "\\u0000", "credential": {"a": ['),
    ("multipart/form-data; boundary=nope", "--nope\r\nbroken"),
    ("text/plain", "\x00\xff"),
]


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def _ours(route: str, pattern: URLPattern) -> bool:
    if pattern.name in LEFT_OUT or route.startswith("^media/"):
        return False
    if route.startswith("admin/"):
        return getattr(pattern.callback, "__module__", "").startswith(OUR_MODULES)
    return True


ROUTES = sorted(
    {route for route, pattern in _walk(get_resolver().url_patterns) if _ours(route, pattern)}
)
CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
REGEX_GROUP = re.compile(r"\(\?P<\w+>[^)]*\)|\([^)]*\)")


def addresses(route: str) -> list[str]:
    """The route with each of its parameters spoiled in turn (the others given a plain value)."""
    route = route.replace("^", "").replace("$", "")
    if REGEX_GROUP.search(route):  # allauth's and Wagtail's regex routes: a few spoiled paths
        base = REGEX_GROUP.sub("x", route).replace("\\", "")
        stems = [REGEX_GROUP.sub(value, route).replace("\\", "") for value in (NUL, BAD_UTF8)]
        return ["/" + base, *("/" + stem for stem in stems)]
    params = CONVERTER.findall(route)
    if not params:
        return ["/" + route]
    plain = {"int": "1", "uuid": "00000000-0000-0000-0000-000000000000"}
    found = []
    for index, (kind, _name) in enumerate(params):
        for value in PATH_VALUES[kind or "str"]:
            values = [
                value if i == index else plain.get(other or "str", "x")
                for i, (other, _n) in enumerate(params)
            ]
            parts = CONVERTER.split(route)  # text, kind, name, text, kind, name, ..., text
            spoiled = "".join(
                part if i % 3 == 0 else values[i // 3] if i % 3 == 1 else ""
                for i, part in enumerate(parts)
            )
            found.append("/" + spoiled)
    return found


@pytest.fixture
def people(db):
    trainee = UserFactory(full_name="Camille Martin", roles=[Role.TRAINEE])
    everyone = UserFactory(
        full_name="Toutes Fonctions",
        roles=list(Role),
        is_staff=True,
        is_superuser=True,
        second_factor=True,
    )
    return [None, trainee, everyone]


def _timed(send, *args, **kwargs):
    """The response to `send(*args, **kwargs)`, its worst status and its time in seconds. An
    answer slower than SLOW is asked for once more and the faster time kept: a hostile value that
    stalls the site stalls it every time, while a loaded shared machine slows one answer now and
    then."""
    statuses, timings = [], []
    for _attempt in range(2):
        started = time.monotonic()
        response = send(*args, **kwargs)
        timings.append(time.monotonic() - started)
        statuses.append(response.status_code)
        if timings[-1] <= SLOW:
            break
    return response, max(statuses), min(timings)


def _ask(client, method, address, **extra):
    _response, status, elapsed = _timed(client.generic, method, address, **extra)
    return status, elapsed


@pytest.mark.parametrize("route", ROUTES)
def test_it_answers_hostile_input_on_every_address_without_a_server_error(
    route, people, settings, tmp_path
):
    from tests.conftest import Client

    settings.MEDIA_ROOT = tmp_path
    failures = []
    for person in people:
        client = Client(raise_request_exception=False)
        if person is not None:
            client.force_login(person)
        asks = [("GET", address, {}) for address in addresses(route)]
        if not CONVERTER.search(route) and not REGEX_GROUP.search(route):
            address = "/" + route.replace("^", "").replace("$", "")
            for value in QUERY_VALUES:
                query = "&".join(f"{name}={value}" for name in QUERY_NAMES)
                asks.append(("GET", f"{address}?{query}&{query}", {}))
        for address in addresses(route)[:2]:
            for content_type, body in POSTS:
                asks.append(("POST", address, {"data": body, "content_type": content_type}))
        for method, address, extra in asks:
            status, elapsed = _ask(client, method, address, **extra)
            if status >= 500 or elapsed > SLOW:
                who = person and person.full_name
                failures.append((who, method, address[:120], status, round(elapsed, 2)))
    assert failures == []


def test_every_query_parameter_read_is_walked():
    """Each `request.GET.get("name")` of the site's code is among the names the walk spoils."""
    read = set()
    for path in ROOT.glob("*/**/*.py"):
        if ".venv" in path.parts or "tests" in path.parts or "benchmarks" in path.parts:
            continue
        read |= set(re.findall(r"request\.GET\.get\(\s*\"(\w+)\"", path.read_text()))
    assert read - set(QUERY_NAMES) == set()


@pytest.mark.parametrize(
    "address",
    [
        "/attestations/verifier/ATT-2026-AAAAAA/",
        "/attestations/verifier/?numero=ATT-2026-AAAAA",
        "/certificats-de-realisation/verifier/CR-2026-AAAAAA/",
        "/certificats-de-realisation/verifier/?numero=CR-2026-AAAAA",
        "/certificats-de-realisation/CR-2026-AAAAAA/financeur/jeton/",
    ],
)
def test_the_public_lookups_of_a_number_are_rate_limited(client, settings, address):
    settings.REGISTRY_RATE_LIMIT = "2/m"

    statuses = [client.get(address).status_code for _ in range(3)]

    assert 429 not in statuses[:2]
    assert statuses[2] == 429


# --- The pages and forms a person reaches, in the demo world ------------------------------------

DEMO_PEOPLE = [
    None,
    "stagiaire@demo.institut.test",
    "stagiaire3@demo.institut.test",
    "formatrice@demo.institut.test",
    "commission@demo.institut.test",
    "admin@demo.institut.test",
]
NOT_FOLLOWED = re.compile(
    r"^/(en/)?(admin/(?!formations/)|comptes/(logout|supprimer)|static/|media/)"
)
MAX_PAGES = 120  # per person


class Links(HTMLParser):
    """The site's own addresses a page links to, and its POST forms with their field names."""

    def __init__(self):
        super().__init__()
        self.links: set[str] = set()
        self.forms: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and (attrs.get("href") or "").startswith("/"):
            href = urlsplit(attrs["href"])
            if href.netloc in ("", "testserver"):
                self.links.add(href.path + (f"?{href.query}" if href.query else ""))
        elif tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.forms.append((attrs.get("action") or "", []))
        elif tag in ("input", "select", "textarea") and self.forms and attrs.get("name"):
            self.forms[-1][1].append(attrs["name"])


def spoiled_posts(names: list[str]) -> list[dict]:
    fields = [name for name in names if name != "csrfmiddlewaretoken"]
    values = ["a\x00b", BIGINT, DATE, "-1", SCRIPT]
    return [dict.fromkeys(fields, value) for value in values] + [
        dict.fromkeys(fields[:1], "a" * 100_000)
    ]


def crawl(client, start: str, failures: list) -> tuple[list[str], list[tuple[str, list[str]]]]:
    seen, queue, forms = {start}, [start], []
    while queue and len(seen) <= MAX_PAGES:
        address = queue.pop(0)
        response = client.get(address)
        if response.status_code >= 500:
            failures.append(("crawl", address, response.status_code))
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        html = response.content.decode()
        if SCRIPT in html:  # posted by a person crawled before, or reflected: never unescaped
            failures.append(("unescaped", address))
        parser = Links()
        parser.feed(html)
        for action, names in parser.forms:
            forms.append((urlsplit(action).path or address, names))
        for link in sorted(parser.links - seen):
            if not NOT_FOLLOWED.match(link):
                seen.add(link)
                queue.append(link)
    return sorted(seen), forms


# A person's own records: another person asking for one gets 404.
PERSONAL = re.compile(
    r"^/(en/)?(espace/(?!notifications/$|sessions/$|factures/$)|carnet-de-pratique/(entrees|periodes)/"
    r"|mes-reservations/.|certification/(candidatures|documents|certificats|audits)/)"
)


def others_objects(crawled: dict, owner: str, other: str) -> list:
    """The personal pages `owner` reached that `other` did not, asked by `other`: not 404."""
    from institut.models import User
    from tests.conftest import Client

    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(email=other))
    theirs = [
        a
        for a in crawled[owner]
        if PERSONAL.match(a) and re.search(r"\d", a) and a not in crawled[other]
    ]
    assert theirs, f"{owner} reached no personal page"
    found = [(other, "GET", a, client.get(a).status_code) for a in theirs]
    return [row for row in found if row[3] != 404]


@pytest.mark.django_db(transaction=True)
def test_it_answers_hostile_input_on_every_page_and_form_of_the_demo_world(settings, tmp_path):
    """Every page reached by following links as each demo person, asked again with a spoiled
    query string, and every POST form found on them, posted with spoiled fields."""
    from django.core.management import call_command

    from institut.models import User
    from tests.certification import helpers as certification_helpers
    from tests.conftest import Client

    settings.MEDIA_ROOT = tmp_path
    settings.CREDENTIALS_SIGNING_KEY = certification_helpers.secret_key_for("current")
    settings.CREDENTIALS_SIGNING_KEY_FILE = ""
    call_command("seed_demo", stdout=io.StringIO())
    failures, reached, crawled = [], {}, {}
    spoiled = (NUL, BIGINT, DATE, MARKUP)
    query = "&".join(f"{name}={value}" for name in QUERY_NAMES for value in spoiled)
    for email in DEMO_PEOPLE:
        client = Client(raise_request_exception=False)
        if email:
            client.force_login(User.objects.get(email=email))
        pages, forms = crawl(client, "/espace/" if email else "/", failures)
        reached[email] = (len(pages), len(forms))
        crawled[email] = pages
        for address in pages:
            joiner = "&" if "?" in address else "?"
            response, status, elapsed = _timed(client.get, f"{address}{joiner}{query}")
            if status >= 500 or elapsed > SLOW:
                failures.append((email, "GET", address, status, round(elapsed, 2)))
            if not response.streaming and SCRIPT in response.content.decode(errors="replace"):
                failures.append((email, "GET", address, "unescaped"))
        for action, names in forms:
            if NOT_FOLLOWED.match(action):
                continue
            for data in spoiled_posts(names):
                _response, status, elapsed = _timed(client.post, action, data)
                if status >= 500 or elapsed > SLOW:
                    failures.append((email, "POST", action, sorted(data)[:3], status))
    assert all(pages >= 10 for pages, _forms in reached.values()), reached
    failures += others_objects(
        crawled, "stagiaire@demo.institut.test", "stagiaire3@demo.institut.test"
    )
    failures += others_objects(
        crawled, "stagiaire3@demo.institut.test", "stagiaire@demo.institut.test"
    )
    assert failures == [], "\n".join(map(str, failures))


def test_no_address_of_ours_skips_the_csrf_check_but_the_webhook_and_the_public_api():
    """A form of the site is only accepted with its CSRF token: the Stripe webhook (signed by
    Stripe) and the API's public lookups (no session) are the only exceptions."""
    exempt = {
        route
        for route, pattern in _walk(get_resolver().url_patterns)
        if _ours(route, pattern) and getattr(pattern.callback, "csrf_exempt", False)
    }
    assert exempt == {
        "stripe/webhook/",
        "api/v1/certificates/<path:number>",
        "api/v1/credentials/verify",
    }


@pytest.mark.parametrize("person", ["trainee", None])
def test_a_post_without_its_csrf_token_is_refused(person, request):
    from tests.conftest import Client

    client = Client(enforce_csrf_checks=True)
    if person:
        client.force_login(request.getfixturevalue(person))
        address, data = "/comptes/profil/", {"full_name": "Autre Nom", "time_zone": "Europe/Paris"}
    else:
        address, data = "/comptes/login/", {"login": "x@example.org", "password": "x"}

    assert client.post(address, data).status_code == 403


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)"],
)
def test_signing_in_never_sends_the_person_to_another_site(client, trainee, target):
    from tests.factories import PASSWORD

    response = client.post(
        "/comptes/login/", {"login": trainee.email, "password": PASSWORD, "next": target}
    )

    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
    assert not response["Location"].startswith("javascript")


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example/"])
def test_the_second_factor_page_never_keeps_another_site_to_return_to(client, trainer, target):
    client.force_login(trainer, second_factor=False)

    client.get(f"/comptes/double-authentification/?next={quote(target)}")

    assert "evil.example" not in str(dict(client.session))
