"""Reads of the supervision app, each with a bounded number of queries whatever the data size.

Other apps (the practice logbook, certification) read supervision through these functions.
"""

from __future__ import annotations

from datetime import date as Date
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import (
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Least
from django.utils import timezone
from django.utils.translation import gettext as _

from institut import person_cache, practice
from institut.formats import duration
from institut.lib.ids import parse_id
from institut.lib.request_memo import memoised
from institut.lib.text import search_key
from supervision.formats import with_when
from supervision.models import (
    Booking,
    CalendarFeed,
    SupervisionRecord,
    SupervisionSession,
    SupervisorAssignment,
)

if TYPE_CHECKING:
    from institut.models import User

Kind = SupervisionSession.Kind


# --- Assignments ------------------------------------------------------------------------------


def supervisors_of(trainee: User) -> QuerySet:
    """The trainers who supervise this trainee."""
    return (
        get_user_model()
        .objects.filter(supervisee_assignments__trainee=trainee)
        .order_by("full_name")
    )


def trainees_of(supervisor: User) -> QuerySet:
    """The trainees this trainer supervises."""
    return (
        get_user_model()
        .objects.filter(supervisor_assignments__supervisor=supervisor)
        .order_by("full_name")
    )


# --- Supervision hours ------------------------------------------------------------------------


class _MinutesBetween(Func):
    """Whole minutes from the second datetime to the first, in SQL."""

    arity = 2
    output_field = IntegerField()

    def as_postgresql(self, compiler, connection, **extra):
        template = "FLOOR(EXTRACT(EPOCH FROM %(expressions)s) / 60)::integer"
        return self.as_sql(compiler, connection, template=template, arg_joiner=" - ", **extra)

    def as_sqlite(self, compiler, connection, **extra):
        (end, end_params), (start, start_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        seconds = "CAST(strftime('%%s', {}) AS INTEGER)"
        sql = f"(({seconds.format(end)} - {seconds.format(start)}) / 60)"
        return sql, (*end_params, *start_params)


def credited_minutes():
    """What a record credits: its minutes, never more than its session lasted nor more than
    SUPERVISION_SESSION_MAX_HOURS (records written before those limits may say more)."""
    return Least(
        F("minutes"),
        _MinutesBetween(F("session__ends_at"), F("session__starts_at")),
        Value(settings.SUPERVISION_SESSION_MAX_HOURS * 60),
    )


def _minutes_of_kind(kind: str):
    """Per-user subquery: minutes of current (uncorrected) attended records of this kind."""
    rows = (
        SupervisionRecord.objects.current()
        .filter(trainee=OuterRef("pk"), kind=kind, status=SupervisionRecord.Status.ATTENDED)
        .order_by()
        .values("trainee")
        .annotate(total=Sum(credited_minutes()))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def with_supervision_minutes(users: QuerySet) -> QuerySet:
    """Annotate individual_minutes and group_minutes on a queryset of users."""
    return users.annotate(
        individual_minutes=_minutes_of_kind(Kind.INDIVIDUAL),
        group_minutes=_minutes_of_kind(Kind.GROUP),
    )


def supervision_minutes(
    trainee: User, *, since: datetime | None = None, until: datetime | None = None
) -> dict[str, int]:
    """Attended supervision minutes of a trainee, individual and group (for certification).

    Memoised within a request scope (institut.lib.request_memo): on /espace/ the supervision
    panel and the certification panel both read them.
    """
    return memoised(
        ("supervision.minutes", trainee.pk, since, until),
        lambda: person_cache.from_records(
            trainee.pk,
            f"supervision.minutes:{_iso(since)}:{_iso(until)}",
            lambda: _supervision_minutes(trainee, since=since, until=until),
        ),
    )


def _iso(moment: datetime | None) -> str:
    return moment.isoformat() if moment else ""


def _supervision_minutes(
    trainee: User, *, since: datetime | None, until: datetime | None
) -> dict[str, int]:
    records = SupervisionRecord.objects.current().filter(
        trainee=trainee, status=SupervisionRecord.Status.ATTENDED
    )
    if since:
        records = records.filter(session__starts_at__gte=since)
    if until:
        records = records.filter(session__starts_at__lt=until)
    totals = records.aggregate(
        individual=Coalesce(Sum(credited_minutes(), filter=Q(kind=Kind.INDIVIDUAL)), 0),
        group=Coalesce(Sum(credited_minutes(), filter=Q(kind=Kind.GROUP)), 0),
    )
    totals["total"] = totals["individual"] + totals["group"]
    return totals


def current_records_of(trainee: User) -> QuerySet:
    return (
        SupervisionRecord.objects.current()
        .filter(trainee=trainee)
        .select_related("session__trainer", "supersedes")
        .order_by("-session__starts_at")
    )


# --- Practice offered to the logbook ----------------------------------------------------------

SESSION_SOURCE = "supervision-session"  # the name sessions_to_log is registered under (apps)


def session_practice_key(booking_id: int) -> str:
    """The key (institut.practice) of the attended session that this booking is for."""
    return f"{SESSION_SOURCE}:{booking_id}"


def practice_key_booking(key: str) -> int | None:
    """The booking whose attended session the key names, or None (another source's key)."""
    source, _colon, reference = key.partition(":")
    return parse_id(reference) if source == SESSION_SOURCE else None


def sessions_to_log(user: User, since: Date) -> list[practice.PracticeSuggestion]:
    """The supervision sessions the trainee attended, from `since` to now, as pre-filled
    logbook entries (institut.practice): the minutes recorded, the session's steps. One query."""
    start = timezone.make_aware(datetime.combine(since, datetime.min.time()))
    records = (
        SupervisionRecord.objects.current()
        .filter(
            trainee=user,
            status=SupervisionRecord.Status.ATTENDED,
            session__starts_at__gte=start,
            session__starts_at__lte=timezone.now(),
        )
        .select_related("session")
    )
    kind = str(_("Séance de supervision"))
    return [
        practice.PracticeSuggestion(
            key=session_practice_key(record.booking_id),
            date=timezone.localdate(record.session.starts_at),
            minutes=record.minutes,
            steps=tuple(record.session.steps),
            title=record.session.display_title,
            kind=kind,
            language=settings.LANGUAGE_CODE if record.session.title else "",
        )
        for record in records
    ]


# --- Sessions seen by trainees ----------------------------------------------------------------


def bookable_sessions(trainee: User, *, now: datetime | None = None) -> QuerySet:
    """Upcoming scheduled sessions this trainee may book (full ones too, for the waitlist)."""
    now = now or timezone.now()
    assigned = SupervisorAssignment.objects.filter(trainee=trainee, supervisor=OuterRef("trainer"))
    return (
        SupervisionSession.objects.scheduled()
        .upcoming(now)
        .exclude(trainer=trainee)
        .filter(Q(audience=SupervisionSession.Audience.ALL_TRAINEES) | Q(Exists(assigned)))
        .select_related("trainer")
        .with_counts()
        .order_by("starts_at")
    )


def active_bookings_by_session(trainee: User, session_ids) -> dict[int, Booking]:
    """The trainee's active booking in each of these sessions, keyed by session id."""
    bookings = Booking.objects.active().filter(trainee=trainee, session_id__in=list(session_ids))
    return {booking.session_id: booking for booking in bookings}


def session_with_counts(pk: int) -> SupervisionSession | None:
    return SupervisionSession.objects.with_counts().select_related("trainer").filter(pk=pk).first()


def trainee_bookings(trainee: User, *, now: datetime | None = None) -> dict[str, list[Booking]]:
    """The trainee's bookings: upcoming (booked or waiting) and past or cancelled."""
    now = now or timezone.now()
    bookings = list(
        Booking.objects.filter(trainee=trainee)
        .select_related("session__trainer")
        .prefetch_related(_current_records_prefetch())
        .order_by("session__starts_at")
    )
    for booking in bookings:
        booking.current_record = booking.current_records[0] if booking.current_records else None
    upcoming = [
        b
        for b in bookings
        if b.status in (Booking.Status.BOOKED, Booking.Status.WAITLISTED)
        and b.session.starts_at > now
        and not b.session.is_cancelled
    ]
    others = [b for b in bookings if b not in upcoming]
    others.reverse()
    return {"upcoming": upcoming, "others": others}


def trainee_panel_context(user: User) -> dict:
    """Context of the supervision panel on the trainee's space (/espace/)."""
    now = timezone.now()
    upcoming = list(
        Booking.objects.filter(
            trainee=user,
            status__in=(Booking.Status.BOOKED, Booking.Status.WAITLISTED),
            session__status=SupervisionSession.Status.SCHEDULED,
            session__starts_at__gt=now,
        )
        .select_related("session__trainer")
        .order_by("session__starts_at")[:5]
    )
    return {"supervision_bookings": upcoming, "supervision_minutes": supervision_minutes(user)}


# --- The trainer's page -----------------------------------------------------------------------


def _open_bookings_prefetch() -> Prefetch:
    return Prefetch(
        "bookings",
        queryset=Booking.objects.filter(
            status__in=(Booking.Status.BOOKED, Booking.Status.WAITLISTED)
        )
        .select_related("trainee")
        .only("session_id", "status", "waitlist_position", "trainee__full_name")
        .order_by("waitlist_position", "created_at"),
        to_attr="open_bookings",
    )


TRAINEES_PER_PAGE = 25


def trainees_summary(trainer: User, *, query: str = "", page: str | int | None = 1) -> dict:
    """The trainer's trainees in one query: their number and hours in total, then one page of
    them (those whose name holds `query`), with their hours already written."""
    rows = list(
        with_supervision_minutes(trainees_of(trainer)).values(
            "full_name", "email", "individual_minutes", "group_minutes"
        )
    )
    individual = sum(row["individual_minutes"] for row in rows)
    group = sum(row["group_minutes"] for row in rows)
    needle = search_key(query)
    found = [row for row in rows if needle in search_key(row["full_name"] or row["email"])]
    shown = Paginator(found, TRAINEES_PER_PAGE).get_page(page)
    return {
        "trainees_count": len(rows),
        "trainees_hours": {
            "individual": duration(individual),
            "group": duration(group),
            "total": duration(individual + group),
        },
        "trainees_query": query,
        "trainees_found": len(found),
        "trainees_page": shown,
        "assigned_trainees": [
            {
                "name": row["full_name"] or row["email"],
                "individual": duration(row["individual_minutes"]),
                "group": duration(row["group_minutes"]),
                "total": duration(row["individual_minutes"] + row["group_minutes"]),
            }
            for row in shown.object_list
        ],
    }


def trainer_home_context(
    trainer: User,
    *,
    now: datetime | None = None,
    trainee_query: str = "",
    trainee_page: str | int | None = 1,
) -> dict:
    """Upcoming sessions with bookings and waitlists, sessions awaiting attendance, and a
    summary of the trainees with one page of them; dates and hours written here, once."""
    now = now or timezone.now()
    mine = SupervisionSession.objects.filter(trainer=trainer)
    upcoming = list(
        mine.scheduled()
        .upcoming(now)
        .select_related("series")
        .with_counts()
        .prefetch_related(_open_bookings_prefetch())
        .order_by("starts_at")
    )
    for session in upcoming:  # the names written here, once, not by the template per booking
        session.booked_names = ", ".join(
            b.trainee.full_name for b in session.open_bookings if b.status == "booked"
        )
        session.waitlist_names = ", ".join(
            f"{b.waitlist_position}. {b.trainee.full_name}"
            for b in session.open_bookings
            if b.status == "waitlisted"
        )
    awaiting = list(
        mine.scheduled()
        .past(now)
        .filter(Exists(Booking.objects.filter(session=OuterRef("pk"), status="booked")))
        .with_counts()
        .order_by("starts_at")
    )
    recent = list(
        mine.filter(
            attendance_taken_at__isnull=False, starts_at__gte=now - timedelta(days=60)
        ).order_by("-starts_at")[:10]
    )
    return {
        "upcoming_sessions": with_when(upcoming),
        "awaiting_attendance": with_when(awaiting),
        "recent_sessions": with_when(recent),
        **trainees_summary(trainer, query=trainee_query, page=trainee_page),
    }


def _current_records_prefetch() -> Prefetch:
    return Prefetch(
        "records",
        queryset=SupervisionRecord.objects.current().select_related("recorded_by"),
        to_attr="current_records",
    )


def session_bookings(session: SupervisionSession) -> dict[str, list[Booking]]:
    """The session's bookings by state, with the current record of each attended or absent one."""
    bookings = list(
        session.bookings.select_related("trainee")
        .prefetch_related(_current_records_prefetch())
        .order_by("waitlist_position", "created_at")
    )
    for booking in bookings:
        booking.current_record = booking.current_records[0] if booking.current_records else None
    by = {status: [] for status in Booking.Status.values}
    for booking in bookings:
        by[booking.status].append(booking)
    return by


# --- Calendar feed ----------------------------------------------------------------------------


def feed_owner(token: str):
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        return None
    return feed.user


def feed_items(user: User, *, now: datetime | None = None) -> tuple[list, list]:
    """The bookings (as trainee) and sessions (as trainer) in a person's feed: last 90 days on."""
    since = (now or timezone.now()) - timedelta(days=90)
    bookings = list(
        Booking.objects.filter(
            trainee=user, status__in=Booking.HOLDING_PLACE, session__starts_at__gte=since
        ).select_related("session__trainer")
    )
    sessions = list(
        SupervisionSession.objects.filter(trainer=user, starts_at__gte=since).select_related(
            "trainer"
        )
    )
    return bookings, sessions
