"""Fill a PostgreSQL database at national scale for the benchmarks (`make bench`)."""

from __future__ import annotations

import io
import random
import time
from dataclasses import fields

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone

from benchmarks.scale import certification as certification_scale
from benchmarks.scale import courses as courses_scale
from benchmarks.scale import institut as scale
from benchmarks.scale import supervision as supervision_scale
from institut.page_cache import site_pages


class Command(BaseCommand):
    help = (
        "Fill this PostgreSQL database with benchmark volume (COPY): certificates, registry, "
        "trainees, courses and lessons, progress, practice entries, supervision sessions. "
        "For benchmark databases only: every generated account has the demo password."
    )

    def add_arguments(self, parser):
        defaults = scale.ScaleSizes()
        for size in fields(scale.ScaleSizes):
            parser.add_argument(
                f"--{size.name.replace('_', '-')}",
                type=int,
                default=getattr(defaults, size.name),
                metavar="N",
                help=f"default {getattr(defaults, size.name):,}",
            )
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "seed_scale needs PostgreSQL (it loads with COPY): set DATABASE_URL to a "
                "postgres:// database."
            )
        sizes = scale.ScaleSizes(**{f.name: options[f.name] for f in fields(scale.ScaleSizes)})
        problems = [
            f"--{f.name.replace('_', '-')}" for f in fields(sizes) if getattr(sizes, f.name) < 0
        ]
        if problems:
            raise CommandError(f"Sizes cannot be negative: {', '.join(problems)}.")
        if sizes.listed > sizes.certificates:
            raise CommandError("--listed cannot exceed --certificates.")
        if scale.is_scale_database():
            raise CommandError(
                "This database already holds scale data; use a new database (make bench does)."
            )
        started = time.perf_counter()
        ctx = scale.ScaleContext(
            sizes=sizes, rng=random.Random(options["seed"]), now=timezone.now(), out=self.stdout
        )
        # The demo cast and content first: the benchmark also browses the demo's pages.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            call_command("seed_demo", stdout=io.StringIO())
            self.stdout.write(f"Demo content: {time.perf_counter() - started:.1f} s")
            with transaction.atomic():
                # Foreign keys checked at the end of each COPY, not queued to the commit: with
                # millions of deferred checks queued, every row of a table with a trigger
                # (the audit rows' transaction id) took longer than the one before.
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                for label, step in self.steps():
                    with scale.Timer(ctx, label):
                        step(ctx)
        site_pages.invalidate()  # COPY sends no signal: forget anonymous copies of the site
        self.stdout.write(f"Loaded in {time.perf_counter() - started:.1f} s; analysing…")
        analysed = time.perf_counter()
        with connection.cursor() as cursor:
            # Fresh statistics (and visibility maps): plans as on a database that has lived. Inside
            # a transaction (a test), VACUUM is not allowed; ANALYZE is.
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
        self.stdout.write(f"  vacuum analyse: {time.perf_counter() - analysed:.1f} s")
        self.stdout.write(
            self.style.SUCCESS(f"Scale data ready in {time.perf_counter() - started:.1f} s.")
        )
        self.stdout.write(
            f"Personas (password of the demo): {scale.PERSONA_TRAINEE_EMAIL}, "
            f"{scale.PERSONA_TRAINER_EMAIL}"
        )

    def steps(self):
        """Each app's loader, in dependency order."""
        return [
            ("people", scale.seed_people),
            ("courses, enrolments, progress", courses_scale.seed),
            ("supervision sessions, bookings, practice entries", supervision_scale.seed),
            ("certificates, registry", certification_scale.seed),
        ]
