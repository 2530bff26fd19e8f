"""The trainee's pages: bookable sessions with places left, booking, waitlist, cancellation."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from institut.formats import date_text
from institut.roles import Role
from supervision import selectors, services
from supervision.models import Booking
from tests.factories import UserFactory
from tests.supervision.factories import SessionFactory, booked

pytestmark = pytest.mark.django_db


def test_it_lists_upcoming_sessions_with_places_left(client, trainer, trainee, other_trainee):
    session = SessionFactory(trainer=trainer, capacity=3, title="Groupe du lundi")
    services.booking_create(session=session, trainee=other_trainee)
    past = SessionFactory(
        trainer=trainer,
        title="Séance passée",
        starts_at=timezone.now() - timedelta(days=1),
        ends_at=timezone.now() - timedelta(days=1) + timedelta(hours=1),
    )
    cancelled = SessionFactory(trainer=trainer, title="Séance annulée")
    services.session_cancel(session=cancelled, actor=trainer, reason="Indisponible")

    client.force_login(trainee)
    response = client.get(reverse("supervision:session_list"))
    html = response.content.decode()
    assert "Groupe du lundi" in html
    assert "2 places restantes" in html
    assert past.title not in html
    assert cancelled.title not in html


def test_it_books_then_cancels_through_the_pages(client, session, trainee):
    client.force_login(trainee)
    response = client.post(reverse("supervision:session_book", args=[session.pk]), follow=True)
    assert "Votre place est réservée" in response.content.decode()
    booking = Booking.objects.get(trainee=trainee)
    assert booking.status == "booked"
    cancel_url = reverse("supervision:booking_cancel", args=[booking.pk])
    assert f'href="{cancel_url}"' in response.content.decode()

    confirmation = client.get(cancel_url).content.decode()
    booking.refresh_from_db()
    assert booking.status == "booked"  # asking is not cancelling
    assert "Annuler ma réservation ?" in confirmation
    assert "Oui, annuler ma réservation" in confirmation

    response = client.post(cancel_url, follow=True)
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    assert response.redirect_chain[-1][0] == reverse("supervision:my_bookings")


def test_it_warns_on_the_confirmation_that_the_cancellation_would_be_late(client, trainer, trainee):
    starts = timezone.now() + timedelta(hours=5)
    session = SessionFactory(trainer=trainer, starts_at=starts, ends_at=starts + timedelta(hours=1))
    booking = services.booking_create(session=session, trainee=trainee)
    client.force_login(trainee)

    page = client.get(reverse("supervision:booking_cancel", args=[booking.pk])).content.decode()

    assert "une annulation maintenant sera enregistrée comme tardive" in page


def test_it_promises_the_place_to_the_waitlist_only_when_someone_waits(
    client, trainer, trainee, other_trainee
):
    """Cancelling a place in a session with places left says nothing of a waitlist that does
    not exist; in a full session with someone waiting, it says who gets the place."""
    promise = "Votre place sera proposée à la première personne de la liste d"
    session = SessionFactory(trainer=trainer, capacity=2)
    booking = services.booking_create(session=session, trainee=trainee)
    client.force_login(trainee)
    url = reverse("supervision:booking_cancel", args=[booking.pk])
    assert promise not in client.get(url).content.decode()

    services.booking_create(session=session, trainee=other_trainee)
    services.booking_create(session=session, trainee=UserFactory(roles=[Role.TRAINEE]))
    assert promise in client.get(url).content.decode()


def test_it_answers_the_confirmation_of_a_booking_no_longer_cancellable_with_a_message(
    client, session, trainee
):
    booking = services.booking_create(session=session, trainee=trainee)
    services.booking_cancel(booking=booking, actor=trainee)
    client.force_login(trainee)

    response = client.get(reverse("supervision:booking_cancel", args=[booking.pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("supervision:my_bookings")
    assert "Cette réservation ne peut plus être annulée." in response.content.decode()


def test_it_answers_404_to_the_confirmation_of_another_trainees_booking(
    client, session, trainee, other_trainee
):
    booking = services.booking_create(session=session, trainee=trainee)
    client.force_login(other_trainee)

    response = client.get(reverse("supervision:booking_cancel", args=[booking.pk]))

    assert response.status_code == 404


def test_it_joins_the_waitlist_when_full(client, trainer, trainee, other_trainee):
    session = SessionFactory(trainer=trainer, capacity=1)
    services.booking_create(session=session, trainee=other_trainee)
    client.force_login(trainee)
    page = client.get(reverse("supervision:session_detail", args=[session.pk])).content.decode()
    assert "Rejoindre la liste d&#x27;attente" in page or "Rejoindre la liste d'attente" in page
    response = client.post(reverse("supervision:session_book", args=[session.pk]), follow=True)
    assert "position 1" in response.content.decode()
    assert Booking.objects.get(trainee=trainee).status == "waitlisted"


def test_it_shows_the_overlap_refusal_as_a_message(client, trainer, other_trainer, trainee):
    first = SessionFactory(trainer=trainer)
    clash = SessionFactory(trainer=other_trainer, starts_at=first.starts_at, ends_at=first.ends_at)
    services.booking_create(session=first, trainee=trainee)
    client.force_login(trainee)
    response = client.post(reverse("supervision:session_book", args=[clash.pk]), follow=True)
    assert "chevauche" in response.content.decode()
    assert not Booking.objects.filter(session=clash).exists()


def test_it_warns_before_a_late_cancellation(client, trainer, trainee):
    starts = timezone.now() + timedelta(hours=5)
    session = SessionFactory(trainer=trainer, starts_at=starts, ends_at=starts + timedelta(hours=1))
    services.booking_create(session=session, trainee=trainee)
    client.force_login(trainee)
    page = client.get(reverse("supervision:session_detail", args=[session.pk])).content.decode()
    assert "enregistrée comme tardive" in page


@pytest.mark.parametrize(
    ("language", "words"),
    [("fr", "moins de 24 heures"), ("en", "less than 24 hours")],
)
def test_it_gives_the_cancellation_window_in_whole_hours(
    client, trainer, trainee, settings, language, words
):
    from django.utils import translation

    settings.SUPERVISION_CANCELLATION_WINDOW_HOURS = 24
    starts = timezone.now() + timedelta(hours=5)
    late = SessionFactory(trainer=trainer, starts_at=starts, ends_at=starts + timedelta(hours=1))
    services.booking_create(session=late, trainee=trainee)
    bookable = SessionFactory(trainer=trainer)
    client.force_login(trainee)

    with translation.override(language):
        pages = [
            client.get(reverse("supervision:session_detail", args=[session.pk])).content.decode()
            for session in (late, bookable)
        ]

    for page in pages:
        assert words in page
        assert "24,0" not in page and "24.0" not in page


def test_it_renders_the_trainee_panel_with_bookings_and_hours(session, trainee):
    services.booking_create(session=session, trainee=trainee)
    html = render_to_string(
        "supervision/_trainee_panel.html", selectors.trainee_panel_context(trainee)
    )
    assert session.display_title in html
    assert "0 h" in html


def test_it_registers_the_panel_on_the_trainees_space():
    from institut.dashboard import registered_panels

    assert "supervision/_trainee_panel.html" in [panel.template for panel in registered_panels()]


def test_it_lists_supervisors_and_supervised_trainees(trainer, other_trainer, trainee):
    services.supervisor_assign(trainee=trainee, supervisor=trainer, assigned_by=None)
    services.supervisor_assign(trainee=trainee, supervisor=other_trainer, assigned_by=None)
    services.supervisor_assign(trainee=trainee, supervisor=trainer, assigned_by=None)  # again
    assert set(selectors.supervisors_of(trainee)) == {trainer, other_trainer}
    assert list(selectors.trainees_of(trainer)) == [trainee]


def test_it_refuses_to_assign_a_trainee_as_supervisor(trainee, other_trainee):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.supervisor_assign(trainee=trainee, supervisor=other_trainee, assigned_by=None)


def test_it_shows_the_hours_of_each_past_session_in_my_bookings(
    client, past_session, trainee, django_assert_max_num_queries
):
    booking = booked(past_session, trainee)
    services.attendance_take(
        session=past_session,
        actor=past_session.trainer,
        marks=[services.AttendanceMark(booking_id=booking.pk, attended=True, minutes=75)],
    )
    client.force_login(trainee)
    with django_assert_max_num_queries(15):
        page = client.get(reverse("supervision:my_bookings")).content.decode()
    assert "1 h 15" in page


def test_it_marks_session_titles_typed_in_french_on_the_english_bookings_page(
    client, trainer, trainee, past_session
):
    starts = timezone.now() + timedelta(days=3)
    upcoming = SessionFactory(
        trainer=trainer, title="Le cadre sûr", starts_at=starts, ends_at=starts + timedelta(hours=2)
    )
    booked(upcoming, trainee)
    booked(past_session, trainee)
    past_session.title = "Séance du mardi"
    past_session.save()
    untitled_starts = starts + timedelta(days=1)
    untitled = SessionFactory(
        trainer=trainer,
        title="",
        starts_at=untitled_starts,
        ends_at=untitled_starts + timedelta(hours=2),
    )
    booked(untitled, trainee)
    client.force_login(trainee)

    french = client.get(reverse("supervision:my_bookings")).content.decode()
    english = client.get("/en" + reverse("supervision:my_bookings")).content.decode()

    assert '<span lang="fr">Le cadre sûr</span>' in english
    assert '<span lang="fr">Séance du mardi</span>' in english
    with translation.override("en"):
        untitled_title = untitled.display_title
    assert f"{untitled_title}</a>" in english
    assert f'lang="fr">{untitled_title}' not in english
    assert 'lang="fr">Le cadre' not in french


def test_the_cancel_label_of_my_bookings_marks_a_french_title_and_writes_the_time_per_language(
    client, trainer, trainee
):
    # 08:26 in Paris, ten days ahead: « 17 décembre 2026 à 08:26 », "17 December 2026, 08:26".
    day = timezone.localdate() + timedelta(days=10)
    starts = timezone.make_aware(datetime.combine(day, time(8, 26)))
    session = SessionFactory(
        trainer=trainer, title="Le cadre sûr", starts_at=starts, ends_at=starts + timedelta(hours=2)
    )
    booked(session, trainee)
    client.force_login(trainee)

    french = client.get(reverse("supervision:my_bookings")).content.decode()
    english = client.get("/en" + reverse("supervision:my_bookings")).content.decode()

    with translation.override("fr"):
        french_day = date_text(day, "j F Y")
    with translation.override("en"):
        english_day = date_text(day, "j F Y")
    assert (
        f'<span class="visually-hidden"> — Le cadre sûr, {french_day} à\u00a008:26</span>' in french
    )
    assert (
        '<span class="visually-hidden"> — <span lang="fr">Le cadre sûr</span>, '
        f"{english_day}, 08:26</span>" in english
    )


def test_a_past_session_whose_attendance_is_not_taken_does_not_read_as_booked(
    client, past_session, trainee
):
    booked(past_session, trainee)
    client.force_login(trainee)

    page = client.get(reverse("supervision:my_bookings")).content.decode()

    assert "Présence pas encore saisie" in page
    assert "Réservée" not in page


def test_the_session_page_words_the_places_in_each_language(
    client, trainer, trainee, other_trainee
):
    """« Places : 1 place restante sur 2 » / "1 of 2 left"; once full, the count booked, never
    "Full (of 2)"."""
    session = SessionFactory(trainer=trainer, capacity=2)
    services.booking_create(session=session, trainee=other_trainee)
    url = reverse("supervision:session_detail", args=[session.pk])
    client.force_login(trainee)

    assert "1 place restante sur 2" in client.get(url).content.decode()
    assert "1 of 2 left" in client.get("/en" + url).content.decode()
    services.booking_create(session=session, trainee=trainee)
    french = client.get(url).content.decode()
    english = client.get("/en" + url).content.decode()
    assert "Complet (2 places réservées sur 2)" in french
    assert "Full (2 of 2 booked)" in english and "(of 2)" not in english


def test_the_time_zone_note_keeps_its_distance_from_what_follows(client, trainer, trainee):
    from pathlib import Path

    from django.conf import settings

    session = SessionFactory(trainer=trainer, description="Nous travaillerons sur les conflits.")
    client.force_login(trainee)
    page = client.get(reverse("supervision:session_detail", args=[session.pk])).content.decode()
    css = (Path(settings.BASE_DIR) / "static" / "css" / "site.css").read_text()
    assert '<p class="help timezone-note">' in page
    assert ".timezone-note { margin-bottom: var(--space-4); }" in css


def test_a_french_session_title_is_marked_french_on_the_english_cancel_page_and_space(
    client, trainer, trainee
):
    """The booking-cancel confirmation and the supervision box of /espace/ name the session as
    « Mes réservations » does: its title, typed in French, reads lang="fr" on English pages."""
    starts = timezone.now() + timedelta(days=3)
    session = SessionFactory(
        trainer=trainer, title="Le cadre sûr", starts_at=starts, ends_at=starts + timedelta(hours=2)
    )
    booking = booked(session, trainee)
    client.force_login(trainee)
    cancel = reverse("supervision:booking_cancel", args=[booking.pk])

    english = client.get("/en" + cancel).content.decode()
    french = client.get(cancel).content.decode()
    space = client.get("/en/espace/").content.decode()

    assert english.count('<span lang="fr">Le cadre sûr</span>') == 2
    assert 'lang="fr">Le cadre' not in french and french.count("Le cadre sûr") >= 2
    panel = space.split('id="supervision-panel-title"', 1)[1].split("</section>", 1)[0]
    assert '<span lang="fr">Le cadre sûr</span></a>' in panel


def test_a_french_session_title_is_marked_french_on_the_english_lists_and_session_page(
    client, trainer, trainee
):
    starts = timezone.now() + timedelta(days=3)
    session = SessionFactory(
        trainer=trainer, title="Le cadre sûr", starts_at=starts, ends_at=starts + timedelta(hours=2)
    )
    title = '<span lang="fr">Le cadre sûr</span>'
    urls = [
        reverse(name, args=args)
        for name, args in (
            ("supervision:session_list", []),
            ("supervision:session_detail", [session.pk]),
            ("supervision:trainer_home", []),
        )
    ]
    client.force_login(trainee)
    listing, detail = (client.get("/en" + url).content.decode() for url in urls[:2])
    client.force_login(trainer)
    home = client.get("/en" + urls[2]).content.decode()

    assert f"{title}</a></h2>" in listing
    assert f"<h1>{title}</h1>" in detail
    assert f"{title}</a></h3>" in home


def test_a_french_session_description_is_marked_french_on_the_english_session_pages(
    client, trainer, trainee
):
    """The description the trainer typed reads lang="fr" on English pages, as its title does."""
    session = SessionFactory(trainer=trainer, description="Apportez une situation de terrain.")
    description = '<div class="description" lang="fr"><p>Apportez une situation de terrain.</p>'
    page = reverse("supervision:session_detail", args=[session.pk])
    managed = reverse("supervision:session_manage", args=[session.pk])
    client.force_login(trainee)
    detail, french = client.get("/en" + page), client.get(page)
    client.force_login(trainer)
    manage = client.get("/en" + managed)

    assert description in detail.content.decode()
    assert description in manage.content.decode()
    assert '<div class="description"><p>Apportez' in french.content.decode()
