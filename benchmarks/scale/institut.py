"""Volume data of the institut app, and what every app's volume shares: the sizes, the shared
context, bulk loading with COPY, identifiers reserved in blocks, French names, and the accounts
every app hangs its records on (trainees, trainers, certificate holders, the two personas).
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, models

from institut.demo import DEMO_PASSWORD
from institut.models import User
from institut.roles import Role

# Every generated account has an address on this domain: that is how a scale database is recognised.
SCALE_EMAIL_DOMAIN = "scale.institut.test"

# The accounts the benchmark browses as: a trainee and a trainer-supervisor with a heavy (but
# plausible) load of records. They log in with the demo password.
PERSONA_TRAINEE_EMAIL = f"bench-stagiaire@{SCALE_EMAIL_DOMAIN}"
PERSONA_TRAINER_EMAIL = f"bench-formatrice@{SCALE_EMAIL_DOMAIN}"


@dataclass(frozen=True)
class ScaleSizes:
    """How much to create; the defaults are the national-scale figures of the benchmark."""

    certificates: int = 100_000
    listed: int = 30_000  # certificates whose holder is listed in the public registry
    trainees: int = 20_000
    trainers: int = 200
    courses: int = 200
    lessons_per_course: int = 20
    progress: int = 2_000_000  # lesson-progress records
    practice_entries: int = 300_000
    sessions: int = 20_000  # supervision sessions, with their bookings


@dataclass
class ScaleContext:
    """What every app's `seed(ctx)` reads and adds to."""

    sizes: ScaleSizes
    rng: random.Random
    now: datetime
    trainee_ids: list[int] = field(default_factory=list)
    trainer_ids: list[int] = field(default_factory=list)
    holder_ids: list[int] = field(default_factory=list)  # one per certificate
    personas: dict[str, int] = field(default_factory=dict)  # "trainee", "trainer" -> user id
    names: dict[int, str] = field(default_factory=dict)  # user id -> full name
    out: object = None  # a stream with write(), for progress lines
    bench_course_id: int | None = None  # a course page the trainee persona follows (active)
    bench_lesson_id: int | None = None  # a lesson page of that course, not a preview

    def log(self, message: str) -> None:
        if self.out is not None:
            self.out.write(message)


# --- Bulk loading ---------------------------------------------------------------------------------


def reserve_ids(model: type[models.Model], count: int) -> range:
    """`count` consecutive primary keys taken from the table's sequence, for rows loaded by COPY."""
    table = model._meta.db_table
    column = model._meta.pk.column
    if count <= 0:
        return range(0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
        (sequence,) = cursor.fetchone()
        cursor.execute("SELECT nextval(%s)", [sequence])
        (first,) = cursor.fetchone()
        cursor.execute("SELECT setval(%s, %s)", [sequence, first + count - 1])
    return range(first, first + count)


def copy_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Load rows into the model's table with PostgreSQL's COPY; returns how many were written.

    `fields` are model field names (or attnames such as `user_id`); values must already be what the
    column stores (ids for foreign keys, JSON as text, aware datetimes).
    """
    opts = model._meta
    columns = ", ".join(connection.ops.quote_name(opts.get_field(name).column) for name in fields)
    statement = f"COPY {connection.ops.quote_name(opts.db_table)} ({columns}) FROM STDIN"
    written = 0
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
            written += 1
    return written


class Timer:
    """Prints how long one loading step took: `with Timer(ctx, "courses"): ...`."""

    def __init__(self, ctx: ScaleContext, label: str):
        self.ctx, self.label = ctx, label

    def __enter__(self):
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            self.ctx.log(f"  {self.label}: {time.perf_counter() - self.started:.1f} s")


# --- People ---------------------------------------------------------------------------------------


def french_names(rng: random.Random, count: int) -> list[str]:
    """`count` plausible French full names, accents included (Faker's fr_FR lists, combined)."""
    from faker.providers.person.fr_FR import Provider

    first_names = list(Provider.first_names_female) + list(Provider.first_names_male)
    last_names = list(Provider.last_names)
    names = []
    for _ in range(count):
        first = rng.choice(first_names)
        if rng.random() < 0.08:  # compound first names: Marie-Hélène, Jean-Noël
            first = f"{first}-{rng.choice(first_names)}"
        last = rng.choice(last_names)
        if rng.random() < 0.05:
            last = f"{last}-{rng.choice(last_names)}"
        names.append(f"{first} {last}")
    return names


def _create_people(ctx: ScaleContext, kind: str, count: int, role: Role) -> list[int]:
    """`count` accounts named `<kind>-<n>@scale…`, with the role; returns their ids in order."""
    ids = list(reserve_ids(User, count))
    names = french_names(ctx.rng, count)
    password = _password_hash()
    joined = ctx.now - timedelta(days=900)
    copy_rows(
        User,
        [
            "id",
            "email",
            "full_name",
            "password",
            "preferred_language",
            "time_zone",
            "is_staff",
            "is_superuser",
            "is_active",
            "date_joined",
            "unread_notifications",
        ],
        (
            (
                user_id,
                f"{kind}-{n:06d}@{SCALE_EMAIL_DOMAIN}",
                name,
                password,
                "en" if ctx.rng.random() < 0.07 else "fr",
                "Europe/Paris",
                False,
                False,
                True,
                joined,
                0,
            )
            for n, (user_id, name) in enumerate(zip(ids, names, strict=True))
        ),
    )
    group_id = Group.objects.get(name=role.value).pk
    copy_rows(User.groups.through, ["user_id", "group_id"], ((uid, group_id) for uid in ids))
    ctx.names.update(zip(ids, names, strict=True))
    return ids


_PASSWORD_HASH: str | None = None


def _password_hash() -> str:
    global _PASSWORD_HASH
    if _PASSWORD_HASH is None:
        _PASSWORD_HASH = make_password(DEMO_PASSWORD)
    return _PASSWORD_HASH


def _persona(ctx: ScaleContext, email: str, full_name: str, roles: list[Role]) -> int:
    from institut.demo import ensure_user

    user = ensure_user(email, full_name, roles)
    ctx.names[user.pk] = full_name
    return user.pk


def seed_people(ctx: ScaleContext) -> None:
    """Trainees, trainers, certificate holders, and the two benchmark personas."""
    sizes = ctx.sizes
    ctx.trainee_ids = _create_people(ctx, "stagiaire", sizes.trainees, Role.TRAINEE)
    ctx.trainer_ids = _create_people(ctx, "formateur", sizes.trainers, Role.TRAINER)
    ctx.holder_ids = _create_people(ctx, "praticien", sizes.certificates, Role.TRAINEE)
    ctx.personas["trainee"] = _persona(
        ctx, PERSONA_TRAINEE_EMAIL, "Maëlle Lefèvre-Guérin", [Role.TRAINEE]
    )
    ctx.personas["trainer"] = _persona(ctx, PERSONA_TRAINER_EMAIL, "Noël Bérenger", [Role.TRAINER])


def is_scale_database() -> bool:
    """Whether `seed_scale` has already filled this database."""
    return User.objects.filter(email=PERSONA_TRAINEE_EMAIL).exists()
