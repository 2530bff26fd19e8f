"""The trainer's pages: creating sessions with clear errors, and /supervision/ at scale."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from institut.roles import Role
from supervision import services
from supervision.models import Booking, SessionSeries, SupervisionEvent, SupervisionSession
from tests.factories import UserFactory
from tests.supervision.factories import SessionFactory, booked

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]

FORMAT = "%Y-%m-%dT%H:%M"


def form_data(**overrides):
    starts = timezone.localtime(timezone.now() + timedelta(days=5)).replace(
        hour=14, minute=0, second=0, microsecond=0
    )
    data = {
        "title": "Supervision collective : les sous-groupes hétérogènes",
        "kind": "group",
        "starts_at": starts.strftime(FORMAT),
        "ends_at": (starts + timedelta(hours=2)).strftime(FORMAT),
        "mode": "in_person",
        "address": "12 rue de la Paix, 75002 Paris",
        "video_url": "",
        "capacity": "6",
        "minimum_participants": "3",
        "description": "Nous travaillerons les peurs en sous-groupes hétérogènes.",
        "audience": "all",
        "repeat": "",
        "occurrences": "",
    }
    data.update(overrides)
    return data


def test_it_creates_a_session_from_the_form(client, trainer):
    client.force_login(trainer)
    response = client.post(reverse("supervision:session_create"), form_data())
    session = SupervisionSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("supervision:session_manage", args=[session.pk])
    assert (session.trainer, session.capacity, session.minimum_participants) == (trainer, 6, 3)
    assert timezone.localtime(session.starts_at).hour == 14
    assert SupervisionEvent.objects.filter(session=session, action="session_created").exists()


def test_it_creates_a_weekly_series_from_the_form(client, trainer):
    client.force_login(trainer)
    client.post(reverse("supervision:session_create"), form_data(repeat="weekly", occurrences="5"))
    series = SessionSeries.objects.get()
    starts = list(series.sessions.order_by("starts_at").values_list("starts_at", flat=True))
    assert len(starts) == 5
    assert {timezone.localtime(s).hour for s in starts} == {14}
    assert {(b - a).days for a, b in itertools.pairwise(starts)} <= {6, 7}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"ends_at": "2030-01-01T09:00", "starts_at": "2030-01-01T10:00"},
            "ends_at",
            "après le début",
        ),
        ({"capacity": "0"}, "capacity", "au moins une place"),
        ({"starts_at": "2020-01-01T10:00", "ends_at": "2020-01-01T12:00"}, "starts_at", "passé"),
        ({"kind": "individual", "capacity": "3"}, "capacity", "exactement une place"),
        ({"mode": "remote", "video_url": ""}, "video_url", "lien de visioconférence"),
        ({"mode": "in_person", "address": ""}, "address", "adresse"),
        ({"starts_at": "pas une date"}, "starts_at", "date et une heure valides"),
        ({"repeat": "weekly", "occurrences": ""}, "occurrences", "combien de séances"),
    ],
)
def test_it_shows_bad_input_as_form_errors_and_writes_nothing(
    client, trainer, overrides, field, message
):
    client.force_login(trainer)
    response = client.post(reverse("supervision:session_create"), form_data(**overrides))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert message in errors
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert 'aria-invalid="true"' in html or field in ("kind", "mode")
    assert not SupervisionSession.objects.exists()
    assert not SupervisionEvent.objects.exists()


def test_it_cancels_a_session_with_a_reason_from_its_page(client, session, trainee):
    services.booking_create(session=session, trainee=trainee)
    client.force_login(session.trainer)
    url = reverse("supervision:session_cancel", args=[session.pk])
    assert client.post(url, {"reason": ""}).status_code == 200
    session.refresh_from_db()
    assert session.status == "scheduled"

    client.post(url, {"reason": "Intervention d'urgence dans un quartier"})
    session.refresh_from_db()
    assert session.status == "cancelled"
    assert session.cancellation_reason == "Intervention d'urgence dans un quartier"


def test_it_shows_bookings_and_waitlists_on_the_trainer_home(
    client, trainer, trainee, other_trainee
):
    session = SessionFactory(trainer=trainer, capacity=1, title="Groupe du jeudi")
    services.booking_create(session=session, trainee=trainee)
    services.booking_create(session=session, trainee=other_trainee)
    client.force_login(trainer)
    page = client.get(reverse("supervision:trainer_home")).content.decode()
    assert "Groupe du jeudi" in page
    assert trainee.full_name in page
    assert "1. " + other_trainee.full_name in page


def test_it_words_the_places_booked_and_says_when_full(client, trainer, trainee):
    from django.utils import translation

    services.booking_create(session=SessionFactory(trainer=trainer, capacity=1), trainee=trainee)
    client.force_login(trainer)

    french = client.get(reverse("supervision:trainer_home")).content.decode()
    with translation.override("en"):
        english = client.get(reverse("supervision:trainer_home")).content.decode()

    assert "1 place réservée sur 1 · Complet" in french
    assert "1 / 1" not in french
    # The English noun follows the capacity, not the count: never "1 of 1 places".
    assert "Places booked: 1 of 1 · Full" in english
    assert "of 1 places" not in english


def test_it_keeps_the_trainer_home_to_a_bounded_number_of_queries(
    client, trainer, django_assert_max_num_queries
):
    people = [UserFactory(roles=[Role.TRAINEE]) for _ in range(6)]
    for person in people:
        services.supervisor_assign(trainee=person, supervisor=trainer, assigned_by=None)
    now = timezone.now()

    def starts(i):
        # 50 past sessions awaiting attendance, 150 upcoming ones.
        return now - timedelta(hours=3 * (i + 1)) if i < 50 else now + timedelta(hours=3 * i)

    sessions = SupervisionSession.objects.bulk_create(
        SupervisionSession(
            trainer=trainer,
            kind="group",
            starts_at=starts(i),
            ends_at=starts(i) + timedelta(hours=2),
            mode="remote",
            video_url="https://visio.example.org/x",
            capacity=3,
        )
        for i in range(200)
    )
    # Written in bulk: 800 bookings through the service would make the test slow, not truer.
    Booking.objects.bulk_create(
        Booking(
            session=s,
            trainee=people[(i + j) % 6],
            status="booked" if j < 3 else "waitlisted",
            waitlist_position=None if j < 3 else j - 2,
        )
        for i, s in enumerate(sessions)
        for j in range(4)
    )
    client.force_login(trainer)
    # 5 queries of this page; the rest is the layout's (session, user, roles, site settings).
    with django_assert_max_num_queries(20):
        response = client.get(reverse("supervision:trainer_home"))
    assert response.status_code == 200
    assert len(response.context["upcoming_sessions"]) == 150
    assert len(response.context["awaiting_attendance"]) == 50


def test_it_keeps_the_trainee_session_list_to_a_bounded_number_of_queries(
    client, trainer, trainee, django_assert_max_num_queries
):
    start = timezone.now() + timedelta(days=1)
    SupervisionSession.objects.bulk_create(
        SupervisionSession(
            trainer=trainer,
            starts_at=start + timedelta(hours=3 * i),
            ends_at=start + timedelta(hours=3 * i + 2),
            mode="remote",
            video_url="https://visio.example.org/x",
            capacity=3,
        )
        for i in range(100)
    )
    client.force_login(trainee)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("supervision:session_list"))
    assert len(response.context["sessions"]) == 100


def test_it_reads_the_form_times_in_the_trainers_time_zone(client, trainer):
    trainer.time_zone = "America/Montreal"
    trainer.save()
    client.force_login(trainer)
    client.post(
        reverse("supervision:session_create"),
        form_data(starts_at="2030-06-03T14:00", ends_at="2030-06-03T16:00"),
    )
    session = SupervisionSession.objects.get()
    assert session.starts_at.astimezone(ZoneInfo("UTC")).hour == 18  # 14:00 EDT


def test_it_keeps_the_local_hour_of_a_series_across_daylight_saving(trainer):
    paris = ZoneInfo("Europe/Paris")
    starts = datetime(2030, 3, 23, 14, 0, tzinfo=paris)  # the clocks change on 31 March
    series = services.series_create(
        trainer=trainer,
        data=services.SessionData(
            kind="group",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            mode="remote",
            video_url="https://visio.example.org/x",
            capacity=4,
        ),
        frequency="weekly",
        occurrences=3,
    )
    local = [s.starts_at.astimezone(paris) for s in series.sessions.order_by("starts_at")]
    assert [(d.day, d.hour) for d in local] == [(23, 14), (30, 14), (6, 14)]
    assert local[0].utcoffset() != local[2].utcoffset()


def test_the_english_attendance_and_cancel_pages_mark_a_french_session_title_french(
    client, trainer, trainee
):
    """The title a trainer typed in French reads lang="fr" on the English attendance sheet and
    cancel confirmation, as on « My supervision sessions »."""
    past = timezone.now() - timedelta(hours=3)
    held = SessionFactory(
        trainer=trainer, title="Le cadre sûr", starts_at=past, ends_at=past + timedelta(hours=2)
    )
    booked(held, trainee)
    soon = timezone.now() + timedelta(days=3)
    coming = SessionFactory(
        trainer=trainer, title="Le cadre sûr", starts_at=soon, ends_at=soon + timedelta(hours=2)
    )
    client.force_login(trainer)
    for url in (
        reverse("supervision:attendance", args=[held.pk]),
        reverse("supervision:session_cancel", args=[coming.pk]),
    ):
        english = client.get("/en" + url).content.decode()
        french = client.get(url).content.decode()
        assert english.count('<span lang="fr">Le cadre sûr</span>') == 2, url
        assert 'lang="fr">Le cadre' not in french, url
