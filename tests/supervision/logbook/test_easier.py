"""The logbook made easier: attended sessions offered as pre-filled entries, drafts deleted, no
date before the trainee's account (or LOGBOOK_EARLIEST_DATE), and what was typed kept on errors."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from supervision import services as supervision_services
from supervision.logbook import services
from supervision.logbook.models import PracticeEntry, PracticeEntryEvent
from supervision.models import SupervisionSession
from tests.supervision.factories import SessionFactory, booked
from tests.supervision.logbook.helpers import (
    days_ago,
    entry_data,
    form_post,
    make_entry,
    supervised,  # noqa: F401
)
from tests.supervision.test_trainer_pages import form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("supervised")]


def url(name: str, *args) -> str:
    return reverse(f"supervision:{name}", args=args)


def attended(trainee, trainer, *, minutes: int = 90, attended: bool = True, days: int = 2):
    """A past session, with the trainee's attendance taken; returns the booking."""
    starts = (timezone.now() - timedelta(days=days)).replace(second=0, microsecond=0)
    session = SessionFactory(
        trainer=trainer,
        title="Supervision du jeudi",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        steps=["contrat", "conflits"],
    )
    booking = booked(session, trainee)
    supervision_services.attendance_take(
        session=session,
        actor=trainer,
        marks=[
            supervision_services.AttendanceMark(
                booking_id=booking.pk, attended=attended, minutes=minutes if attended else None
            )
        ],
    )
    return booking


def text(response) -> str:
    return html.unescape(response.content.decode())


# --- Attended sessions offered as pre-filled entries -------------------------------------------


def test_it_offers_an_attended_session_as_a_prefilled_entry(client, trainee, trainer):
    booking = attended(trainee, trainer, minutes=90)
    client.force_login(trainee)

    home = text(client.get(url("logbook_home")))
    assert "Séances à consigner" in home
    assert url("logbook_entry_from_session", booking.pk) in home

    form = client.get(url("logbook_entry_from_session", booking.pk))
    assert form.status_code == 200
    initial = {name: form.context["form"][name].value() for name in ("date", "hours", "minutes")}
    assert initial == {
        "date": timezone.localdate(booking.session.starts_at),
        "hours": 1,
        "minutes": 30,
    }
    assert form.context["form"]["steps"].value() == ["contrat", "conflits"]
    assert "Supervision du jeudi" in text(form)


def test_it_marks_a_session_title_typed_in_french_on_the_english_logbook(client, trainee, trainer):
    attended(trainee, trainer)
    client.force_login(trainee)

    french = text(client.get(url("logbook_home")))
    english = text(client.get("/en" + url("logbook_home")))

    assert '<span lang="fr">Supervision du jeudi</span>' in english
    assert 'lang="fr">Supervision du jeudi' not in french


def test_it_records_the_confirmed_entry_against_its_session_once(client, trainee, trainer):
    booking = attended(trainee, trainer)
    client.force_login(trainee)
    day = timezone.localdate(booking.session.starts_at).isoformat()

    response = client.post(
        url("logbook_entry_from_session", booking.pk),
        form_post(date=day, hours="1", minutes="30", steps=["contrat", "conflits"]),
    )

    entry = PracticeEntry.objects.get()
    assert response.status_code == 302
    assert (entry.booking, entry.status, entry.duration_minutes) == (booking, "draft", 90)
    assert entry.step_codes == ["contrat", "conflits"]
    assert "Séances à consigner" not in text(client.get(url("logbook_home")))
    assert client.get(url("logbook_entry_from_session", booking.pk)).status_code == 404


def test_the_session_page_offers_the_entry_too(client, trainee, trainer):
    booking = attended(trainee, trainer)
    client.force_login(trainee)
    page = text(client.get(reverse("supervision:session_detail", args=[booking.session.pk])))
    assert url("logbook_entry_from_session", booking.pk) in page


def test_it_offers_neither_an_absence_nor_another_trainees_session(
    client, trainee, other_trainee, trainer, other_trainer
):
    absent = attended(trainee, trainer, attended=False)
    theirs = attended(other_trainee, other_trainer)
    client.force_login(trainee)
    assert "Séances à consigner" not in text(client.get(url("logbook_home")))
    assert client.get(url("logbook_entry_from_session", absent.pk)).status_code == 404
    assert client.get(url("logbook_entry_from_session", theirs.pk)).status_code == 404
    assert client.post(url("logbook_entry_from_session", theirs.pk), form_post()).status_code == 404
    assert not PracticeEntry.objects.exists()


def test_an_attended_session_is_one_piece_of_practice_offered_by_its_key_too(
    client, trainee, trainer
):
    booking = attended(trainee, trainer, minutes=90)
    key = f"supervision-session:{booking.pk}"
    client.force_login(trainee)

    home = text(client.get(url("logbook_home")))
    assert "Séance de supervision : Supervision du jeudi" in home
    form = client.get(url("logbook_entry_from_practice", key))
    assert form.status_code == 200
    assert form.context["form"]["steps"].value() == ["contrat", "conflits"]
    day = timezone.localdate(booking.session.starts_at).isoformat()
    response = client.post(url("logbook_entry_from_practice", key), form_post(date=day))

    assert response.status_code == 302
    entry = PracticeEntry.objects.get()
    assert (entry.booking, entry.practice_key) == (booking, "")  # kept by its booking, as ever
    assert client.get(url("logbook_entry_from_practice", key)).status_code == 404
    assert client.get(url("logbook_entry_from_session", booking.pk)).status_code == 404


def test_the_service_logs_a_session_only_for_its_trainee_and_only_once(
    trainee, other_trainee, trainer, other_trainer
):
    mine = attended(trainee, trainer)
    theirs = attended(other_trainee, other_trainer)
    with pytest.raises(PermissionDenied):
        services.practice_entry_create(
            trainee=trainee, practice_key=f"supervision-session:{theirs.pk}", **entry_data()
        )
    services.practice_entry_create(
        trainee=trainee, practice_key=f"supervision-session:{mine.pk}", **entry_data()
    )
    with pytest.raises(ValidationError):
        services.practice_entry_create(
            trainee=trainee, practice_key=f"supervision-session:{mine.pk}", **entry_data()
        )
    assert list(PracticeEntry.objects.values_list("booking", flat=True)) == [mine.pk]


@pytest.mark.parametrize("reference", ["²", "١٢", "99999999999999999999", "-1"])
def test_a_session_key_that_names_no_booking_links_no_booking(trainee, reference):
    entry = services.practice_entry_create(
        trainee=trainee, practice_key=f"supervision-session:{reference}", **entry_data()
    )
    assert entry.booking_id is None


def test_the_logbook_reads_as_many_queries_with_three_sessions_to_log_as_with_one(
    client, trainee, trainer
):
    client.force_login(trainee)

    def queries() -> tuple[int, str]:
        client.get(url("logbook_home"))
        with CaptureQueriesContext(connection) as captured:
            page = text(client.get(url("logbook_home")))
        return len(captured), page

    attended(trainee, trainer, days=2)
    with_one, page = queries()
    assert page.count("/carnet-de-pratique/nouvelle-entree/seance/") == 1
    attended(trainee, trainer, days=3)
    attended(trainee, trainer, days=4)
    with_three, page = queries()
    assert page.count("/carnet-de-pratique/nouvelle-entree/seance/") == 3
    assert with_three == with_one


def test_a_trainer_ticks_the_steps_a_session_works_on(client, trainer):
    client.force_login(trainer)
    data = form_data(steps=["confiance", "contrat"])
    response = client.post(reverse("supervision:session_create"), data)
    assert response.status_code == 302
    assert SupervisionSession.objects.get().steps == ["confiance", "contrat"]


# --- Deleting drafts ---------------------------------------------------------------------------


def test_it_deletes_a_draft_after_confirmation_and_keeps_its_audit(client, trainee):
    entry = make_entry(trainee)
    client.force_login(trainee)
    assert url("logbook_entry_delete", entry.pk) in text(
        client.get(url("logbook_entry_detail", entry.pk))
    )

    confirm = client.get(url("logbook_entry_delete", entry.pk))
    assert confirm.status_code == 200
    assert PracticeEntry.objects.get().status == "draft"  # a GET deletes nothing
    response = client.post(url("logbook_entry_delete", entry.pk))

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == "deleted"
    assert PracticeEntryEvent.objects.filter(entry=entry, action="delete", actor=trainee).exists()
    assert entry.description not in text(client.get(url("logbook_home")))
    assert client.get(url("logbook_entry_detail", entry.pk)).status_code == 404


def test_a_deleted_draft_frees_its_session_again(client, trainee, trainer):
    booking = attended(trainee, trainer)
    client.force_login(trainee)
    day = timezone.localdate(booking.session.starts_at).isoformat()
    client.post(url("logbook_entry_from_session", booking.pk), form_post(date=day))
    entry = PracticeEntry.objects.get()
    client.post(url("logbook_entry_delete", entry.pk))
    assert url("logbook_entry_from_session", booking.pk) in text(client.get(url("logbook_home")))


def test_a_deleted_draft_correction_lets_the_entry_be_corrected_again(client, trainee, trainer):
    approved = make_entry(trainee, "approved", reviewer=trainer)
    client.force_login(trainee)
    client.post(url("logbook_entry_correct", approved.pk), form_post(group_size="14"))
    correction = PracticeEntry.objects.get(corrects=approved)
    client.post(url("logbook_entry_delete", correction.pk))
    correction.refresh_from_db()
    assert correction.status == "deleted"
    assert client.get(url("logbook_entry_correct", approved.pk)).status_code == 200


@pytest.mark.parametrize("status", ["submitted", "returned", "approved"])
def test_it_deletes_only_drafts(client, trainee, trainer, status):
    entry = make_entry(trainee, status, reviewer=trainer)
    client.force_login(trainee)
    assert client.get(url("logbook_entry_delete", entry.pk)).status_code == 404
    assert client.post(url("logbook_entry_delete", entry.pk)).status_code == 404
    entry.refresh_from_db()
    assert entry.status == status


@pytest.mark.parametrize("who", ["other_trainee", "trainer"])
def test_nobody_else_deletes_a_draft(client, request, trainee, who):
    entry = make_entry(trainee)
    client.force_login(request.getfixturevalue(who))
    assert client.get(url("logbook_entry_delete", entry.pk)).status_code == 404
    assert client.post(url("logbook_entry_delete", entry.pk)).status_code == 404
    assert PracticeEntry.objects.get().status == "draft"


# --- The earliest date -------------------------------------------------------------------------


def test_it_refuses_a_date_before_the_account_was_created(client, trainee):
    trainee.date_joined = timezone.now() - timedelta(days=10)
    trainee.save(update_fields=["date_joined"])
    client.force_login(trainee)

    response = client.post(url("logbook_entry_create"), form_post(date=days_ago(11).isoformat()))

    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["date"])
    assert "antérieure au" in errors and "création de votre compte" in errors
    assert not PracticeEntry.objects.exists()
    accepted = client.post(url("logbook_entry_create"), form_post(date=days_ago(10).isoformat()))
    assert accepted.status_code == 302


def test_the_setting_moves_the_earliest_date(client, trainee, settings):
    trainee.date_joined = timezone.now() - timedelta(days=10)
    trainee.save(update_fields=["date_joined"])
    client.force_login(trainee)

    settings.LOGBOOK_EARLIEST_DATE = days_ago(60).isoformat()
    early = client.post(url("logbook_entry_create"), form_post(date=days_ago(30).isoformat()))
    assert early.status_code == 302

    settings.LOGBOOK_EARLIEST_DATE = days_ago(5).isoformat()
    late = client.post(url("logbook_entry_create"), form_post(date=days_ago(8).isoformat()))
    assert late.status_code == 200
    assert "première date que le carnet accepte" in " ".join(late.context["form"].errors["date"])
    assert PracticeEntry.objects.count() == 1


# --- The form keeps what was typed --------------------------------------------------------------


def test_the_form_keeps_what_was_typed_when_it_shows_errors(client, trainee):
    client.force_login(trainee)
    typed = form_post(
        hours="3",
        minutes="45",
        setting="school",
        role="observation",
        group_size="17",
        steps=["informations", "solutions"],
        description="Écrire à paul.durand@mairie.fr pour la suite.",
        reflection="Ce que je retiens de l'atelier.",
    )

    page = text(client.post(url("logbook_entry_create"), typed))

    assert 'name="hours" value="3"' in page
    assert '<option value="45" selected>' in page
    assert '<option value="school" selected>' in page
    assert re.search(r'<input[^>]*name="role" value="observation"[^>]*checked', page)
    assert 'name="group_size" value="17"' in page
    for code in ("informations", "solutions"):
        assert re.search(rf'<input[^>]*name="steps" value="{code}"[^>]*checked', page)
    assert not re.search(r'<input[^>]*name="steps" value="confiance"[^>]*checked', page)
    assert "Écrire à paul.durand@mairie.fr pour la suite." in page
    assert "Ce que je retiens de l'atelier." in page
    assert not PracticeEntry.objects.exists()
