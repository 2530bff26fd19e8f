"""seed_scale's supervision volume: counts, the services' invariants, the personas' pages."""

from __future__ import annotations

import io
from collections import defaultdict
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from benchmarks.scale.institut import (
    PERSONA_TRAINEE_EMAIL,
    PERSONA_TRAINER_EMAIL,
    SCALE_EMAIL_DOMAIN,
)
from institut.models import User
from supervision.logbook.models import PracticeEntry, PracticeEntryEvent
from supervision.logbook.selectors import practice_totals, review_queue_count
from supervision.models import (
    Booking,
    SupervisionEvent,
    SupervisionRecord,
    SupervisionSession,
    SupervisorAssignment,
)
from supervision.selectors import supervision_minutes
from tests.conftest import complete_second_factor

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

SIZES = {
    "certificates": 50,
    "listed": 20,
    "trainees": 60,
    "trainers": 4,
    "courses": 3,
    "lessons_per_course": 3,
    "progress": 100,
    "practice_entries": 400,
    "sessions": 60,
}
SCALE = Q(email__endswith=f"@{SCALE_EMAIL_DOMAIN}")


@pytest.fixture(scope="module")
def scale_db(django_db_setup, django_db_blocker):
    """One small scale load for the whole module, rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_scale", stdout=io.StringIO(), **SIZES)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def personas(scale_db):
    return User.objects.get(email=PERSONA_TRAINEE_EMAIL), User.objects.get(
        email=PERSONA_TRAINER_EMAIL
    )


def scale_sessions():
    return SupervisionSession.objects.filter(trainer__email__endswith=f"@{SCALE_EMAIL_DOMAIN}")


def scale_entries():
    return PracticeEntry.objects.filter(trainee__email__endswith=f"@{SCALE_EMAIL_DOMAIN}")


def test_it_creates_as_many_sessions_and_entries_as_requested(scale_db):
    assert scale_sessions().count() == SIZES["sessions"]
    assert scale_entries().count() == SIZES["practice_entries"]


def test_it_assigns_every_trainee_one_or_two_supervisors(scale_db):
    trainees = User.objects.filter(SCALE, email__startswith="stagiaire-")
    counts = trainees.annotate(n=Count("supervisor_assignments")).values_list("n", flat=True)
    assert len(counts) == SIZES["trainees"]
    assert set(counts) <= {1, 2}


def test_it_gives_the_persona_trainer_a_quarter_of_the_trainees_and_the_persona(personas):
    trainee, trainer = personas
    supervised = SupervisorAssignment.objects.filter(supervisor=trainer)
    assert supervised.filter(trainee=trainee).exists()
    assert supervised.count() == SIZES["trainees"] // 4 + 1


def test_it_keeps_bookings_within_capacity_and_waitlists_on_full_sessions(scale_db):
    sessions = scale_sessions().annotate(
        held=Count("bookings", filter=Q(bookings__status__in=Booking.HOLDING_PLACE)),
        waiting=Count("bookings", filter=Q(bookings__status="waitlisted")),
    )
    for session in sessions:
        assert session.held <= session.capacity, session.pk
        if session.waiting:
            assert session.held == session.capacity and not session.is_cancelled
    assert sessions.filter(waiting__gt=0).exists()
    assert not scale_sessions().filter(kind="individual").exclude(capacity=1).exists()


def test_it_never_lets_a_trainee_hold_overlapping_bookings(scale_db):
    by_trainee = defaultdict(list)
    for trainee_id, starts, ends in Booking.objects.values_list(
        "trainee_id", "session__starts_at", "session__ends_at"
    ):
        by_trainee[trainee_id].append((starts, ends))
    for trainee_id, slots in by_trainee.items():
        slots.sort()
        for (_, ends), (next_starts, _) in pairwise(slots):
            assert ends <= next_starts, trainee_id


def test_it_writes_a_record_for_each_attendance_and_none_for_future_sessions(scale_db):
    bookings = Booking.objects.filter(session__in=scale_sessions())
    marked = bookings.filter(status__in=("attended", "absent"))
    assert marked.exists()
    assert SupervisionRecord.objects.filter(booking__in=bookings).count() == marked.count()
    assert not marked.filter(session__starts_at__gt=timezone.now()).exists()
    for record in SupervisionRecord.objects.filter(booking__in=bookings).select_related(
        "booking", "session"
    ):
        assert record.status == record.booking.status
        assert record.minutes == (
            record.session.duration_minutes if record.status == "attended" else 0
        )


def test_it_writes_the_audit_rows_of_sessions_and_bookings(scale_db):
    sessions = scale_sessions()
    created = SupervisionEvent.objects.filter(session__in=sessions, action="session_created")
    assert created.count() == sessions.count()
    bookings = Booking.objects.filter(session__in=sessions)
    first = SupervisionEvent.objects.filter(
        booking__in=bookings, action__in=("booked", "waitlisted"), from_status=""
    )
    assert first.count() == bookings.count()
    for booking in bookings.prefetch_related("events"):
        last = max(booking.events.all(), key=lambda e: (e.created_at, e.pk))
        assert last.to_status == booking.status, booking.pk


def test_it_has_approved_entries_reviewed_by_an_assigned_supervisor(scale_db):
    entries = scale_entries().filter(status__in=("approved", "returned"))
    assigned = SupervisorAssignment.objects.values_list("trainee_id", "supervisor_id")
    pairs = set(assigned)
    for trainee_id, reviewer_id in entries.values_list("trainee_id", "reviewed_by_id"):
        assert reviewer_id != trainee_id
        assert (trainee_id, reviewer_id) in pairs


def test_it_corrects_only_approved_entries_once_each(scale_db):
    corrections = scale_entries().filter(corrects__isnull=False)
    assert corrections.exists()
    assert not corrections.exclude(corrects__status="approved").exists()
    assert not corrections.exclude(trainee=F("corrects__trainee")).exists()


def test_it_writes_each_entry_history_ending_in_its_state(scale_db):
    events = defaultdict(list)
    for entry_id, action, to_status, created_at in (
        PracticeEntryEvent.objects.filter(entry__in=scale_entries())
        .order_by("created_at", "pk")
        .values_list("entry_id", "action", "to_status", "created_at")
    ):
        events[entry_id].append((action, to_status, created_at))
    for entry in scale_entries():
        history = events[entry.pk]
        assert history[0][0] == "create"
        assert history[-1][1] == entry.status
        assert history[0][2] == entry.created_at
        assert entry.date <= timezone.localdate(entry.created_at)


def test_it_renders_the_persona_trainer_page(personas):
    _, trainer = personas
    client = Client()
    client.force_login(trainer)
    complete_second_factor(client, trainer)  # a trainer's pages ask for the login's second factor
    response = client.get(reverse("supervision:trainer_home"))
    assert response.status_code == 200
    assert response.context["upcoming_sessions"]
    assert len(response.context["assigned_trainees"]) == SIZES["trainees"] // 4 + 1


def test_it_fills_the_persona_trainer_review_queue(personas):
    _, trainer = personas
    supervised = SupervisorAssignment.objects.filter(supervisor=trainer).values("trainee")
    waiting = PracticeEntry.objects.filter(status="submitted", trainee__in=supervised).count()
    assert waiting > 0
    client = Client()
    client.force_login(trainer)
    complete_second_factor(client, trainer)  # a trainer's pages ask for the login's second factor
    response = client.get(reverse("supervision:logbook_queue"))
    assert response.status_code == 200
    assert len(response.context["entries"]) == waiting == review_queue_count(trainer)


def test_it_gives_the_persona_trainee_entries_in_every_state(personas):
    trainee, _ = personas
    states = set(PracticeEntry.objects.filter(trainee=trainee).values_list("status", flat=True))
    # Every state a page shows (a deleted draft is shown nowhere, so the volume has none).
    assert states == set(PracticeEntry.Status.values) - {PracticeEntry.Status.DELETED}
    assert PracticeEntry.objects.filter(trainee=trainee, corrects__isnull=False).exists()


def test_it_keeps_the_persona_trainee_logbook_totals_consistent(personas):
    trainee, _ = personas
    entries = PracticeEntry.objects.filter(trainee=trainee)
    replaced = set(
        entries.filter(status="approved", corrects__isnull=False).values_list("corrects", flat=True)
    )
    counted = sum(
        e.duration_minutes for e in entries.filter(status="approved") if e.pk not in replaced
    )
    pending = entries.filter(status="submitted").aggregate(m=Sum("duration_minutes"))["m"]
    totals = practice_totals(trainee)
    assert totals["total_minutes"] == counted > 0
    assert totals["pending_minutes"] == pending > 0
    assert sum(totals["by_month"].values()) == counted


def test_it_gives_the_persona_trainee_supervision_hours_and_upcoming_bookings(personas):
    trainee, trainer = personas
    attended = SupervisionRecord.objects.filter(trainee=trainee, status="attended")
    expected = attended.aggregate(m=Sum("minutes"))["m"]
    assert supervision_minutes(trainee)["total"] == expected > 0
    assert not Booking.objects.filter(trainee=trainee).exclude(session__trainer=trainer).exists()
    upcoming = Booking.objects.filter(
        trainee=trainee,
        status__in=("booked", "waitlisted"),
        session__status="scheduled",
        session__starts_at__gt=timezone.now(),
    )
    assert upcoming.exists()
