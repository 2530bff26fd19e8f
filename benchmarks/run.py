"""`make bench`: every main page measured at national scale against a bare Django view.

1. Builds the benchmark database with `seed_scale` (or reuses it), collects the static files.
2. Starts the application under gunicorn as in production (DEBUG off, Redis cache, persistent
   database connections), with the benchmark settings (a bare view, SQL figures per response).
3. Measures each page alone with locust (benchmarks/load.py) for a fixed time, then a load test
   of many simulated users mixing the journeys.
4. Prints the table and the targets, the registry search's database time and query plan, and
   writes docs/performance.json and docs/performance.md.

With `--profile`, steps 2 to 4 are replaced by an in-process profile of the signed-in pages
(benchmarks/profile.py): CPU ms and SQL per request against the bare view.

Options: `python -m benchmarks.run --help` (make bench passes BENCH_ARGS).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shlex
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import datetime
from pathlib import Path
from urllib.parse import quote, urlencode

import dj_database_url
import psycopg

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/institut_bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/3"

# Targets of the issue: SQL queries per request at most, and throughput as a share of the bare view.
MAX_QUERIES = 20
TARGET_SHARE = {"cached": 0.60, "dynamic": 0.25}
TRIGRAM_INDEX = "registry_search_key_trgm"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20, help="measured seconds per page")
    parser.add_argument("--warmup", type=float, default=3, help="warm-up seconds per page")
    parser.add_argument("--users", type=int, default=16, help="concurrent users per page")
    parser.add_argument("--load-users", type=int, default=200, help="users of the load test")
    parser.add_argument("--load-seconds", type=float, default=60, help="length of the load test")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--database", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
    )
    parser.add_argument("--redis", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS))
    parser.add_argument("--rebuild", action="store_true", help="drop and rebuild the database")
    parser.add_argument(
        "--scale", default="", help="options for seed_scale, e.g. '--certificates 5000'"
    )
    parser.add_argument("--only", default="", help="comma-separated page names to measure")
    parser.add_argument("--no-load-test", action="store_true")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="in-process profile instead of the load: CPU ms and SQL per page vs the bare view",
    )
    parser.add_argument("--runs", type=int, default=30, help="measured requests per page (profile)")
    parser.add_argument(
        "--profile-warmup", type=int, default=5, help="requests per page before measuring (profile)"
    )
    parser.add_argument("--profile-output", default=str(ROOT / "docs" / "performance-profile.json"))
    parser.add_argument("--output", default=str(ROOT / "docs" / "performance.json"))
    parser.add_argument("--markdown", default=str(ROOT / "docs" / "performance.md"))
    parser.add_argument(
        "--readme", default=str(ROOT / "README.md"), help="where to copy the table ('' for none)"
    )
    return parser.parse_args(argv)


def log(message: str) -> None:
    print(message, flush=True)


# --- The database ---------------------------------------------------------------------------------


def server_environment(args: argparse.Namespace) -> dict[str, str]:
    """The environment of production, on the benchmark database and cache."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="benchmarks.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=env.get("DJANGO_SECRET_KEY") or "benchmark-only-" + "x" * 40,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_HSTS_SECONDS="0",
        DJANGO_LOG_LEVEL="WARNING",
        SITE_URL=f"http://127.0.0.1:{args.port}",
        DATABASE_URL=args.database,
        DATABASE_CONN_MAX_AGE="600",
        REDIS_URL=args.redis,
        # The limiter stays on (its cost is measured) but one load generator is one address.
        REGISTRY_RATE_LIMIT="1000000/m",
    )
    env.pop("CELERY_BROKER_URL", None)  # tasks run inline; no page of the benchmark sends any
    return env


def maintenance_connection(database_url: str):
    parsed = dj_database_url.parse(database_url)
    return psycopg.connect(
        host=parsed["HOST"] or None,
        port=parsed["PORT"] or None,
        user=parsed["USER"] or None,
        password=parsed["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


def database_state(database_url: str) -> str:
    """'missing', 'seeded' (seed_scale finished) or 'incomplete'."""
    name = dj_database_url.parse(database_url)["NAME"]
    with maintenance_connection(database_url) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
    if not exists:
        return "missing"
    parsed = dj_database_url.parse(database_url)
    try:
        with psycopg.connect(
            host=parsed["HOST"] or None,
            port=parsed["PORT"] or None,
            user=parsed["USER"] or None,
            password=parsed["PASSWORD"] or None,
            dbname=name,
        ) as connection:
            from benchmarks.scale.institut import PERSONA_TRAINEE_EMAIL

            row = connection.execute(
                "SELECT 1 FROM institut_user WHERE email = %s", [PERSONA_TRAINEE_EMAIL]
            ).fetchone()
    except psycopg.Error:
        return "incomplete"
    return "seeded" if row else "incomplete"


def build_database(args: argparse.Namespace, env: dict[str, str]) -> None:
    state = "missing" if args.rebuild else database_state(args.database)
    name = dj_database_url.parse(args.database)["NAME"]
    if state == "seeded":
        log(f"Database {name}: reused (seeded earlier; --rebuild to start again), migrated.")
        manage(env, "migrate", "--no-input", "-v", "0")  # a column added since the seeding
        return
    log(f"Database {name}: building ({state}).")
    with maintenance_connection(args.database) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "seed_scale", *shlex.split(args.scale))


def manage(env: dict[str, str], *command: str) -> None:
    subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True)


# --- What to request ----------------------------------------------------------------------------


def session_cookie(user) -> str:
    """A signed-in session for this account, as the login would have created it, and the CSRF
    cookie its browser holds."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
    from django.utils.crypto import get_random_string

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    # A trainer's login also completed the second factor (institut.second_factor).
    store["account_authentication_methods"] = [{"method": "mfa", "at": time.time(), "type": "totp"}]
    store["account_authentication_methods_user"] = str(user.pk)
    store.save()
    # And the CSRF cookie a browser holds after its first page (over HTTPS in production; the
    # load generator speaks HTTP, where a Secure cookie would never be sent back).
    secret = get_random_string(CSRF_SECRET_LENGTH, allowed_chars=CSRF_ALLOWED_CHARS)
    return (
        f"{settings.SESSION_COOKIE_NAME}={store.session_key}; {settings.CSRF_COOKIE_NAME}={secret}"
    )


def plain(text: str) -> str:
    """What a visitor might type: lowercase, without accents."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def lesson_paths(user, limit: int = 30) -> list[str]:
    """Lessons of the courses this trainee follows (not previews: the enrolment matters)."""
    from courses.models import CoursePage, Enrolment, LessonPage

    keys = list(Enrolment.objects.for_user(user).in_progress().values_list("course_key", flat=True))
    paths = []
    for course in CoursePage.objects.live().filter(
        translation_key__in=keys, locale__language_code="fr"
    ):
        lessons = LessonPage.objects.live().child_of(course).filter(is_preview=False)
        paths += [lesson.get_url() for lesson in lessons[:5]]
    return paths[:limit]


def plan(args: argparse.Namespace) -> dict:
    """The requests of each page, the personas' sessions and the journeys of the load test."""
    from django.conf import settings
    from django.core.cache import cache
    from django.urls import reverse

    from benchmarks.scale.institut import (
        PERSONA_TRAINEE_EMAIL,
        PERSONA_TRAINER_EMAIL,
        SCALE_EMAIL_DOMAIN,
    )
    from certification.models import Certificate
    from certification.registry.models import Region
    from certification.registry.selectors import registry_certificates
    from courses.models import CoursePage
    from institut.models import User

    cache.clear()  # no page cached, no rate counter left from an earlier run
    rng = random.Random(9)
    trainee = User.objects.get(email=PERSONA_TRAINEE_EMAIL)
    trainer = User.objects.get(email=PERSONA_TRAINER_EMAIL)
    trainee_cookie, trainer_cookie = session_cookie(trainee), session_cookie(trainer)

    courses = list(CoursePage.objects.live().filter(locale__language_code="fr").order_by("?")[:50])
    course_paths = [course.get_url() for course in courses]
    names = list(
        registry_certificates().order_by("?").values_list("holder__full_name", flat=True)[:400]
    )
    name_queries = []
    for name in names:  # a whole name, a last name, a first name, as typed: no accents, lowercase
        first, _, last = name.partition(" ")
        name_queries.append(rng.choice([name, last, plain(last), plain(name), plain(first)]))
    numbers = list(Certificate.objects.order_by("?").values_list("number", flat=True)[:500])
    registry = reverse("certification:registry")
    name_urls = [f"{registry}?{urlencode({'q': q})}" for q in name_queries]
    # The same family names typed with two letters the other way round: no exact match, so the
    # page looks for near matches through the words' trigram index.
    typo_urls = [
        f"{registry}?{urlencode({'q': plain(last)[:-2] + plain(last)[-1] + plain(last)[-2]})}"
        for last in (name.rpartition(" ")[2] for name in names)
        if len(last) > 3
    ]
    region_urls = [f"{registry}?{urlencode({'region': code})}" for code, _label in Region.choices]

    # A session cookie that matches no session: an anonymous visitor the cache does not serve.
    no_session = f"{settings.SESSION_COOKIE_NAME}=none"

    def anonymous(label, paths):
        return [[{"label": label, "path": path}] for path in paths]

    def signed_in(label, paths, cookie):
        return [[{"label": label, "path": path, "cookie": cookie}] for path in paths]

    pages = {
        "bare view": ("ceiling", anonymous("bare view", [reverse("bench_bare")])),
        "home": ("cached", anonymous("home", ["/"])),
        "catalogue": ("cached", anonymous("catalogue", ["/formations/"])),
        "course page": ("cached", anonymous("course page", course_paths)),
        "lesson (enrolled)": (
            "dynamic",
            signed_in("lesson (enrolled)", lesson_paths(trainee), trainee_cookie),
        ),
        "/espace/": (
            "dynamic",
            signed_in("/espace/", [reverse("courses:dashboard")], trainee_cookie),
        ),
        "/certification/": (
            "dynamic",
            signed_in("/certification/", [reverse("certification:path")], trainee_cookie),
        ),
        "/supervision/": (
            "dynamic",
            signed_in("/supervision/", [reverse("supervision:trainer_home")], trainer_cookie),
        ),
        "review queue": (
            "dynamic",
            signed_in("review queue", [reverse("supervision:logbook_queue")], trainer_cookie),
        ),
        "registry by name": ("dynamic", anonymous("registry by name", name_urls)),
        # The same searches made by the view every time (a visitor with a session is never
        # answered from the cache): what a search costs when nobody asked it just before.
        "registry by name, uncached": (
            "dynamic",
            signed_in("registry by name, uncached", name_urls, no_session),
        ),
        "registry near matches, uncached": (
            "dynamic",
            signed_in("registry near matches, uncached", typo_urls, no_session),
        ),
        "registry by region": (
            "dynamic",
            anonymous(
                "registry by region",
                [f"{url}&page={page}" for url in region_urls for page in (2, 3)] + region_urls,
            ),
        ),
        "registry by region, uncached": (
            "dynamic",
            signed_in("registry by region, uncached", region_urls, no_session),
        ),
        "verification page": (
            "dynamic",
            anonymous(
                "verification page",
                [reverse("certification:verify_number", args=[n]) for n in numbers],
            ),
        ),
        "verification API": (
            "dynamic",
            anonymous("verification API", [f"/api/v1/certificates/{quote(n)}" for n in numbers]),
        ),
    }

    if getattr(args, "profile", False):
        return {"pages": pages, "journeys": []}  # the profile browses as the personas only

    # The load test: visitors, trainees and trainers, each with their own session.
    trainees = list(
        User.objects.filter(
            email__endswith=f"@{SCALE_EMAIL_DOMAIN}", enrolments__status="active"
        ).distinct()[:60]
    )
    trainee_visits = []
    for person in [trainee, *trainees]:
        cookie = session_cookie(person)
        lessons = lesson_paths(person, limit=3)
        visit = [
            {"label": "/espace/", "path": reverse("courses:dashboard"), "cookie": cookie},
            *({"label": "lesson (enrolled)", "path": p, "cookie": cookie} for p in lessons[:2]),
            {"label": "/certification/", "path": reverse("certification:path"), "cookie": cookie},
        ]
        trainee_visits.append(visit)
    trainers = list(
        User.objects.filter(groups__name="Formateur·rices", email__endswith=SCALE_EMAIL_DOMAIN)[:20]
    )
    trainer_visits = []
    for person in [trainer, *trainers]:
        cookie = session_cookie(person)
        trainer_visits.append(
            [
                {
                    "label": "/supervision/",
                    "path": reverse("supervision:trainer_home"),
                    "cookie": cookie,
                },
                {
                    "label": "review queue",
                    "path": reverse("supervision:logbook_queue"),
                    "cookie": cookie,
                },
            ]
        )
    visitor_visits = []
    for i in range(200):
        visitor_visits.append(
            [
                {"label": "home", "path": "/"},
                {"label": "catalogue", "path": "/formations/"},
                {"label": "course page", "path": rng.choice(course_paths)},
                pages["registry by name"][1][i % len(pages["registry by name"][1])][0],
                pages["verification page"][1][i % len(numbers)][0],
                pages["verification API"][1][i % len(numbers)][0],
            ]
        )
    journeys = [
        {"name": "visitor", "weight": 6, "visits": visitor_visits},
        {"name": "trainee", "weight": 3, "visits": trainee_visits},
        {"name": "trainer", "weight": 1, "visits": trainer_visits},
    ]
    return {"pages": pages, "journeys": journeys}


# --- Measuring ------------------------------------------------------------------------------------


def start_server(args: argparse.Namespace, env: dict[str, str]) -> subprocess.Popen:
    command = [
        str(Path(PYTHON).parent / "gunicorn"),
        "institut.wsgi",
        "--workers",
        str(args.workers),
        "--bind",
        f"127.0.0.1:{args.port}",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{args.port}/health/", timeout=10) as r:
                if r.status == 200:
                    return server
        except OSError:  # not listening yet, or still starting its workers
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not answer /health/ within 60 s")


def check_pages(args: argparse.Namespace, pages: dict) -> None:
    """One request of each kind before measuring: a wrong status stops the benchmark early."""
    for name, (_kind, visits) in pages.items():
        request = visits[0][0]
        headers = {"Cookie": request["cookie"]} if request.get("cookie") else {}
        url = f"http://127.0.0.1:{args.port}{request['path']}"
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        if status != 200:
            raise SystemExit(f"{name}: {url} answered {status}; the benchmark cannot go on.")


def load(
    args: argparse.Namespace, journeys: list, *, users: int, seconds: float, warmup: float, **extra
) -> dict:
    """Run the load generator against the benchmark server; its figures by request label."""
    spec = {
        "host": f"http://127.0.0.1:{args.port}",
        "users": users,
        "seconds": seconds,
        "warmup": warmup,
        "journeys": journeys,
        **extra,
    }
    with tempfile.TemporaryDirectory() as folder:
        spec_path, result_path = Path(folder, "spec.json"), Path(folder, "result.json")
        spec_path.write_text(json.dumps(spec))
        subprocess.run(
            [PYTHON, "-m", "benchmarks.load", str(spec_path), str(result_path)],
            cwd=ROOT,
            check=True,
        )
        return json.loads(result_path.read_text())


def measure_pages(args: argparse.Namespace, pages: dict) -> dict:
    wanted = {name.strip() for name in args.only.split(",") if name.strip()}
    results = {}
    for name, (kind, visits) in pages.items():
        if wanted and name not in wanted and kind != "ceiling":
            continue
        log(f"  {name} ({args.seconds:g} s, {args.users} users)…")
        results[name] = {"kind": kind, **measure_one(args, name, visits)}
    # The ceiling again at the end: the higher of the two is what every page is compared with.
    log("  bare view, again…")
    again = measure_one(args, "bare view", pages["bare view"][1])
    results["bare view, again"] = {"kind": "ceiling", **again}
    bare = max(results["bare view"]["rps"], again["rps"]) or 1
    for figures in results.values():
        figures["share_of_bare"] = round(figures["rps"] / bare, 3)
        figures["targets"] = targets(figures)
    return results


def measure_one(args: argparse.Namespace, name: str, visits: list) -> dict:
    outcome = load(
        args,
        [{"name": "page", "visits": visits}],
        users=args.users,
        seconds=args.seconds,
        warmup=args.warmup,
    )
    figures = outcome["labels"].get(name, {"requests": 0, "failures": 0, "rps": 0})
    return {**figures, "errors": outcome["errors"]}


def warm_up(args: argparse.Namespace, pages: dict) -> None:
    """Every page a few times through every worker before anything is measured."""
    journeys = [
        {"name": f"page{i}", "visits": visits} for i, (_kind, visits) in enumerate(pages.values())
    ]
    load(args, journeys, users=args.users, seconds=1, warmup=max(args.warmup, 5))


def targets(figures: dict) -> dict:
    """Whether one page meets the issue's targets (None when a target does not apply)."""
    kind = figures["kind"]
    queries_ok = figures.get("queries_max") is not None and figures["queries_max"] <= MAX_QUERIES
    share = TARGET_SHARE.get(kind)
    return {
        "queries": queries_ok,
        "throughput": None if share is None else figures["share_of_bare"] >= share,
        "errors": figures["failures"] == 0,
        "throughput_target": share,
    }


def registry_plans() -> dict:
    """EXPLAIN ANALYZE of the registry searches, and whether the trigram index serves them."""
    from django.db import connection
    from django.db.models import Count

    from certification.registry.models import RegistryProfile
    from certification.registry.selectors import registry_certificates

    found = {}
    name = registry_certificates().values_list("holder__full_name", flat=True).first() or "Martin"
    last = plain(name.split(" ")[-1])
    # The busiest region: the worst case of a region search.
    region = (
        RegistryProfile.objects.filter(listed=True)
        .values_list("region", flat=True)
        .annotate(holders=Count("pk"))
        .order_by("-holders")
        .first()
    ) or ""
    for label, query, queryset in [
        ("registry by name", last, registry_certificates(query=last)),
        ("registry by region", region, registry_certificates(region=region)),
    ]:
        sql, params = queryset[:50].query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            page_plan = "\n".join(row[0] for row in cursor.fetchall())
            count_sql, count_params = queryset.values("pk").query.sql_with_params()
            cursor.execute(
                f"EXPLAIN (ANALYZE, BUFFERS) SELECT count(*) FROM ({count_sql}) AS found",
                count_params,
            )
            count_plan = "\n".join(row[0] for row in cursor.fetchall())
        found[label] = {
            "query": query,
            "page_plan": page_plan,
            "count_plan": count_plan,
            "uses_trigram_index": TRIGRAM_INDEX in page_plan + count_plan,
            "page_ms": execution_ms(page_plan),
            "count_ms": execution_ms(count_plan),
        }
    return found


# --- Reporting ------------------------------------------------------------------------------------


def machine() -> dict:
    from django.db import connection

    cpu = ""
    for line in (
        Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").exists() else []
    ):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = ""
    if Path("/proc/meminfo").exists():
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.0f} GiB"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (postgres,) = cursor.fetchone()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "python": platform.python_version(),
        "postgresql": postgres,
        "os": platform.platform(),
    }


def data_volume() -> dict:
    from certification.models import Certificate
    from certification.registry.models import RegistryProfile
    from courses.models import CoursePage, LessonPage, LessonProgress
    from institut.models import User
    from supervision.logbook.models import PracticeEntry
    from supervision.models import Booking, SupervisionSession

    return {
        "users": User.objects.count(),
        "certificates": Certificate.objects.count(),
        "registry profiles opted in": RegistryProfile.objects.filter(listed=True).count(),
        "courses": CoursePage.objects.count(),
        "lessons": LessonPage.objects.count(),
        "lesson progress": LessonProgress.objects.count(),
        "practice entries": PracticeEntry.objects.count(),
        "supervision sessions": SupervisionSession.objects.count(),
        "bookings": Booking.objects.count(),
    }


def mark(ok) -> str:
    return "—" if ok is None else ("yes" if ok else "NO")


def table(results: dict) -> list[str]:
    header = (
        "| page | kind | req/s | p50 ms | p95 ms | p99 ms | SQL/req (max) | DB ms | share of bare "
        "| target | ≤ 20 SQL | share met |"
    )
    lines = [header, "|" + "---|" * 12]
    for name, f in results.items():
        target = f["targets"]["throughput_target"]
        lines.append(
            f"| {name} | {f['kind']} | {f['rps']:.0f} | {f.get('p50_ms')} | {f.get('p95_ms')} "
            f"| {f.get('p99_ms')} | {f.get('queries_mean')} ({f.get('queries_max')}) "
            f"| {f.get('db_ms_mean')} | {f['share_of_bare']:.2f} "
            f"| {'—' if target is None else f'≥ {target:.2f}'} | {mark(f['targets']['queries'])} "
            f"| {mark(f['targets']['throughput'])} |"
        )
    return lines


def load_test_lines(outcome: dict, args: argparse.Namespace) -> list[str]:
    total = outcome["total"]
    lines = [
        f"{args.load_users} users for {outcome['seconds']:.0f} s (think time 0.5 to 2 s): "
        f"{total['requests']} requests, {total['rps']:.0f} req/s, "
        f"p50 {total['p50_ms']} ms, p95 {total['p95_ms']} ms, p99 {total['p99_ms']} ms, "
        f"**{total['failures']} errors**.",
        "",
        "| request | count | p50 ms | p95 ms | p99 ms | SQL/req (max) |",
        "|---|---|---|---|---|---|",
    ]
    for label, f in outcome["labels"].items():
        lines.append(
            f"| {label} | {f['requests']} | {f['p50_ms']} | {f['p95_ms']} | {f['p99_ms']} "
            f"| {f['queries_mean']} ({f['queries_max']}) |"
        )
    for error in outcome["errors"]:
        lines.append(f"- error: {error['label']}: {error['error']} (x{error['count']})")
    return lines


def execution_ms(plan: str) -> float | None:
    for line in plan.splitlines():
        if line.startswith("Execution Time:"):
            return float(line.split(":")[1].split()[0])
    return None


def registry_db_line(figures: dict, uncached: dict, found: dict) -> str:
    """The database time of a search: served by the view every time, and in the cached run."""
    return (
        f"database time per search made by the view: mean {uncached.get('db_ms_made_mean')} ms, "
        f"p95 {uncached.get('db_ms_made_p95')} ms (uncached run); in the cached run "
        f"{figures.get('made')} of {figures.get('requests')} searches reached the database. "
        f"The plan below: {found['page_ms']} ms for the page of results, "
        f"{found['count_ms']} ms for the count"
    )


def write_markdown(path: Path, report: dict, args: argparse.Namespace) -> None:
    m = report["machine"]
    lines = [
        "# Performance",
        "",
        "Generated by `make bench` (benchmarks/run.py); the figures below are the latest run. "
        "How to read them and what was done to meet the targets: see the end of this page.",
        "",
        f"Run on {report['finished']}: {m['cpu']}, {m['cores']} cores, {m['memory']}, "
        f"PostgreSQL {m['postgresql']}, Python {m['python']}; gunicorn {args.workers} sync "
        f"workers and the load generator (locust) on the same machine; {args.users} concurrent "
        f"users per page, {args.seconds:g} s measured after {args.warmup:g} s of warm-up.",
        "",
        "Data: " + ", ".join(f"{v:,} {k}" for k, v in report["data"].items()) + ".",
        "",
        "## Pages",
        "",
        *table(report["pages"]),
        "",
        "## Registry search: database time and plan",
        "",
    ]
    for label, found in report["registry_plans"].items():
        figures = report["pages"].get(label, {})
        lines += [
            f"### {label} (`{found['query']}`)",
            "",
            f"{registry_db_line(figures, report['pages'].get(f'{label}, uncached', {}), found)}. "
            f"Trigram index `{TRIGRAM_INDEX}` used: "
            f"{mark(found['uses_trigram_index']) if 'name' in label else 'not needed'}.",
            "",
            "```",
            found["page_plan"],
            "```",
            "",
        ]
    if report.get("load_test"):
        lines += ["## Load test", "", *load_test_lines(report["load_test"], args), ""]
    notes = Path(path).with_name("performance-notes.md")
    if notes.exists():
        lines += [notes.read_text().strip(), ""]
    Path(path).write_text("\n".join(lines))


README_START, README_END = "<!-- bench:start -->", "<!-- bench:end -->"


def update_readme(path: Path, report: dict, args: argparse.Namespace) -> None:
    """Replace the README's figures (between the bench markers) with this run's table."""
    if not path.exists():
        return
    text = path.read_text()
    if README_START not in text or README_END not in text:
        return
    m = report["machine"]
    total = (report.get("load_test") or {}).get("total")
    lines = [
        README_START,
        f"Latest run ({report['finished']}, {m['cpu']}, {m['cores']} cores, {m['memory']}, "
        f"PostgreSQL {m['postgresql']}; load generator on the same machine):",
        "",
        *table(report["pages"]),
        "",
        (
            f"Load test: {args.load_users} users for {args.load_seconds:g} s, "
            f"{total['requests']} requests, p95 {total['p95_ms']} ms, {total['failures']} errors."
            if total
            else "Load test: not run."
        ),
        README_END,
    ]
    before, rest = text.split(README_START, 1)
    after = rest.split(README_END, 1)[1]
    path.write_text(before + "\n".join(lines) + after)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    env = server_environment(args)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    started = time.perf_counter()
    build_database(args, env)
    manage(env, "collectstatic", "--no-input", "-v", "0")
    log("Preparing sessions and requests…")
    planned = plan(args)
    if args.profile:
        return run_profile(args, planned["pages"], started)
    server = start_server(args, env)
    try:
        check_pages(args, planned["pages"])
        log("Warming up…")
        warm_up(args, planned["pages"])
        log("Measuring each page:")
        pages = measure_pages(args, planned["pages"])
        load_test = None
        if not args.no_load_test:
            log(f"Load test: {args.load_users} users, {args.load_seconds:g} s…")
            load_test = load(
                args,
                planned["journeys"],
                users=args.load_users,
                seconds=args.load_seconds,
                warmup=5,
                spawn_rate=max(1, args.load_users // 5),
                wait=[0.5, 2],
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    report = {
        "finished": datetime.now().strftime("%Y-%m-%d %H:%M"),
        "machine": machine(),
        "data": data_volume(),
        "settings": {k: v for k, v in vars(args).items() if k not in ("database", "redis")},
        "pages": pages,
        "registry_plans": registry_plans(),
        "load_test": load_test,
    }
    log("")
    for line in table(pages):
        log(line)
    log("")
    for label, found in report["registry_plans"].items():
        figures, uncached = pages.get(label, {}), pages.get(f"{label}, uncached", {})
        log(
            f"{label}: {registry_db_line(figures, uncached, found)}; "
            f"trigram index used: {found['uses_trigram_index']}"
        )
        log(found["page_plan"])
        log("")
    if load_test:
        for line in load_test_lines(load_test, args):
            log(line)
    failed = [
        name
        for name, f in pages.items()
        if not (f["targets"]["queries"] and f["targets"]["errors"])
        or f["targets"]["throughput"] is False
    ]
    log("")
    log("Targets met on every page." if not failed else f"Targets NOT met: {', '.join(failed)}.")
    if load_test is not None and load_test["total"]["failures"]:
        log(f"Load test: {load_test['total']['failures']} errors.")
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(report, indent=2, default=str))
    write_markdown(Path(args.markdown), report, args)
    if args.readme:
        update_readme(Path(args.readme), report, args)
    log(f"Written {args.output} and {args.markdown} in {time.perf_counter() - started:.0f} s.")
    return 0


def run_profile(args: argparse.Namespace, pages: dict, started: float) -> int:
    """The in-process profile (benchmarks/profile.py): prints its table and writes its JSON."""
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.utils.functional import empty

    from benchmarks.profile import profile, profile_table

    staticfiles_storage._wrapped = empty  # the manifest as collectstatic just wrote it
    log(f"Profiling in-process ({args.profile_warmup} warm-up, {args.runs} measured per page)…")
    results = profile(pages, runs=args.runs, warmup=args.profile_warmup, only=args.only)
    report = {
        "finished": datetime.now().strftime("%Y-%m-%d %H:%M"),
        "machine": machine(),
        "data": data_volume(),
        "scale": args.scale,
        "runs": args.runs,
        "warmup": args.profile_warmup,
        "pages": results,
    }
    log("")
    log("Data: " + ", ".join(f"{v:,} {k}" for k, v in report["data"].items()) + ".")
    log("")
    for line in profile_table(results):
        log(line)
    failed = [name for name, f in results.items() if False in f["targets"].values()]
    log("")
    log("Profile targets met." if not failed else f"Profile targets NOT met: {', '.join(failed)}.")
    Path(args.profile_output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.profile_output).write_text(json.dumps(report, indent=2, default=str))
    log(f"Written {args.profile_output} in {time.perf_counter() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
