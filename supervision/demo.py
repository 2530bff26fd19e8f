"""Demo supervision: two trainers, sessions over the coming weeks, waitlists, past attendance.

Idempotent: each session is found again by its trainer and title, so running twice adds nothing.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from institut.demo import ensure_user
from institut.roles import Role
from supervision import services
from supervision.models import SessionSeries, SupervisionSession

PARIS = ZoneInfo("Europe/Paris")

SECOND_TRAINER = ("superviseur@demo.institut.test", "Karim Haddad")
OTHER_TRAINEES = [
    ("stagiaire2@demo.institut.test", "Yanis Benali"),
    ("stagiaire3@demo.institut.test", "Léa Nguyen"),
    ("stagiaire4@demo.institut.test", "Sofia Moreau"),
    ("stagiaire5@demo.institut.test", "Thomas Girard"),
    ("stagiaire6@demo.institut.test", "Aïcha Diallo"),
]

# (trainer key, title, days from today, hour, minutes, kind, mode, capacity, description)
UPCOMING = [
    (
        "trainer",
        "Supervision collective : inspirer confiance",
        3,
        14,
        120,
        "group",
        "remote",
        3,
        "Comment garantir la sécurité, la participation et la confidentialité dès la première "
        "rencontre avec un groupe en tension ? Chacun·e apporte une situation de terrain.",
    ),
    (
        "trainer",
        "Supervision individuelle : préparer un contrat commun",
        6,
        10,
        60,
        "individual",
        "remote",
        1,
        "Travailler la formulation d'un objectif commun réaliste avec une équipe qui doute.",
    ),
    (
        "trainer",
        "Supervision collective : faire circuler les informations",
        10,
        9,
        180,
        "group",
        "in_person",
        8,
        "Analyse de cas : ce qui explique les blocages, responsabilités partagées et décisions "
        "concertées. Apportez vos notes d'intervention.",
    ),
    (
        "trainer2",
        "Groupe de supervision : conflits constructifs",
        4,
        18,
        120,
        "group",
        "remote",
        2,
        "Laisser émerger les désaccords pour les traverser : retours d'expérience et jeux de "
        "rôle courts.",
    ),
    (
        "trainer2",
        "Supervision individuelle : sous-groupes hétérogènes",
        8,
        11,
        60,
        "individual",
        "in_person",
        1,
        "Préparer la constitution de sous-groupes mixtes pour apaiser les peurs.",
    ),
]

# (trainer key, title, days ago, hour, minutes, kind)
PAST = [
    ("trainer", "Supervision collective : intelligence collective", 12, 14, 120, "group"),
    (
        "trainer",
        "Supervision individuelle : retour sur une médiation de quartier",
        20,
        10,
        60,
        "individual",
    ),
    ("trainer2", "Groupe de supervision : résoudre les problèmes complexes", 9, 18, 120, "group"),
    # Attendance not taken yet: shows under "Présences à saisir" on the trainer's page.
    ("trainer", "Supervision collective : calmer les peurs en sous-groupes", 2, 14, 120, "group"),
]
AWAITING_ATTENDANCE = PAST[-1][1]

ADDRESS = "Institut Charles Rojzman, 12 rue de la Coopération, 75011 Paris"
VIDEO = "https://visio.institut-charlesrojzman.test/supervision"


def _at(day_offset: int, hour: int) -> datetime:
    day = timezone.localdate(timezone=PARIS) + timedelta(days=day_offset)
    return datetime.combine(day, time(hour), tzinfo=PARIS)


def ensure_people(cast: dict) -> dict:
    people = dict(cast)
    people["trainer2"] = ensure_user(*SECOND_TRAINER, [Role.TRAINER])
    people["others"] = [ensure_user(email, name, [Role.TRAINEE]) for email, name in OTHER_TRAINEES]
    services.supervisor_assign(
        trainee=cast["trainee"], supervisor=cast["trainer"], assigned_by=cast.get("admin")
    )
    services.supervisor_assign(
        trainee=people["others"][0], supervisor=people["trainer2"], assigned_by=cast.get("admin")
    )
    return people


def ensure_upcoming_sessions(people: dict) -> None:
    """Upcoming sessions; the first two of each trainer are full, with a waitlist."""
    trainees = [people["trainee"], *people["others"]]
    for index, (who, title, days, hour, minutes, kind, mode, capacity, text) in enumerate(UPCOMING):
        trainer = people[who]
        if SupervisionSession.objects.filter(trainer=trainer, title=title).exists():
            continue
        starts = _at(days, hour)
        session = services.session_create(
            trainer=trainer,
            data=services.SessionData(
                title=title,
                kind=kind,
                starts_at=starts,
                ends_at=starts + timedelta(minutes=minutes),
                mode=mode,
                address=ADDRESS if mode == "in_person" else "",
                video_url=VIDEO if mode == "remote" else "",
                capacity=capacity,
                minimum_participants=2 if kind == "group" else None,
                description=text,
            ),
        )
        # Fill some sessions beyond capacity so that a waitlist shows.
        takers = trainees[index % 2 :][: capacity + (2 if index in (0, 3) else 0)]
        for trainee in takers:
            try:
                services.booking_create(session=session, trainee=trainee)
            except services.BookingError:
                continue  # an overlapping booking: the demo keeps going


def ensure_series(people: dict) -> None:
    """A weekly group supervision of six meetings by the second trainer."""
    trainer = people["trainer2"]
    title = "Supervision du mardi soir"
    if SupervisionSession.objects.filter(trainer=trainer, title=title).exists():
        return
    # The first Tuesday at least 13 days ahead, as its title says.
    offset = 13 + (1 - (timezone.localdate(timezone=PARIS) + timedelta(days=13)).weekday()) % 7
    starts = _at(offset, 19)
    services.series_create(
        trainer=trainer,
        data=services.SessionData(
            title=title,
            kind="group",
            starts_at=starts,
            ends_at=starts + timedelta(minutes=90),
            mode="remote",
            video_url=VIDEO,
            capacity=6,
            description="Un rendez-vous régulier pour relire sa pratique au fil des sept étapes.",
        ),
        frequency=SessionSeries.Frequency.WEEKLY,
        occurrences=6,
    )


def ensure_past_sessions(people: dict) -> None:
    """Past sessions with attendance taken: supervision hours on the demo trainee's space."""
    trainees = [people["trainee"], *people["others"]]
    for who, title, days_ago, hour, minutes, kind in PAST:
        trainer = people[who]
        if SupervisionSession.objects.filter(trainer=trainer, title=title).exists():
            continue
        starts = _at(-days_ago, hour)
        # A past session cannot be published through the services (they refuse the past): the
        # demo writes the session, records its bookings and takes attendance through services.
        session = SupervisionSession.objects.create(
            trainer=trainer,
            title=title,
            kind=kind,
            starts_at=starts,
            ends_at=starts + timedelta(minutes=minutes),
            mode="remote",
            video_url=VIDEO,
            capacity=1 if kind == "individual" else 6,
        )
        attendees = trainees[:1] if kind == "individual" else trainees[:4]
        bookings = [
            services.booking_record_held(session=session, trainee=t, actor=trainer)
            for t in attendees
        ]
        if title == AWAITING_ATTENDANCE:
            continue
        services.attendance_take(
            session=session,
            actor=trainer,
            marks=[
                services.AttendanceMark(booking_id=b.pk, attended=(i != 3))
                for i, b in enumerate(bookings)
            ],
        )


def create_supervision(cast: dict) -> None:
    """The seed_demo step of the supervision app (no e-mails are sent while seeding)."""
    dummy = "django.core.mail.backends.dummy.EmailBackend"
    with override_settings(EMAIL_BACKEND=dummy), transaction.atomic():
        people = ensure_people(cast)
        ensure_past_sessions(people)
        ensure_upcoming_sessions(people)
        ensure_series(people)
