"""Attendance signed per half-day: the signing window, one signature each, the trainer's entries,
corrections as new rows, the sheet's hash and the trainer's signature."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.db.models.deletion import ProtectedError
from django.urls import reverse

from courses.training import services
from courses.training.models import Attendance, TrainerSignature
from courses.training.services import TrainingRefused
from tests.courses.training.conftest import during, place, slots

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]

PHONE = "Mozilla/5.0 (Linux; Android 14; Pixel 7) Mobile Safari/537.36"


def open_slot(slot, trainer):
    return services.slot_signing_open(actor=trainer, slot=slot)


def test_it_opens_signing_only_around_the_half_day(session, trainer):
    slot = slots(session)[0]
    early = time_machine.travel(slot.starts_at - timedelta(hours=2), tick=False)
    with early, pytest.raises(TrainingRefused, match="s'ouvre"):
        open_slot(slot, trainer)
    with time_machine.travel(slot.starts_at - timedelta(minutes=10), tick=False):
        opened = open_slot(slot, trainer)
    assert opened.signing_token and opened.signing_opened_by == trainer


def test_a_trainee_signs_on_their_phone_with_who_when_how_and_where(
    client, session, placed, trainee, trainer
):
    slot = slots(session)[0]
    with time_machine.travel(during(slot), tick=False):
        slot = open_slot(slot, trainer)
        client.force_login(trainee)
        url = reverse("courses:training_sign", args=[slot.signing_token])
        assert "Signer ma présence" in client.get(url).content.decode()
        response = client.post(
            url, {"trainee": trainee.pk}, REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT=PHONE
        )
    assert response.status_code == 302
    row = Attendance.objects.get()
    assert (row.trainee, row.status, row.method) == (trainee, "present", "own_device")
    assert (row.ip_address, row.user_agent) == ("203.0.113.9", PHONE)
    assert row.recorded_by == trainee
    assert row.recorded_at == during(slot)
    assert len(row.sheet_hash) == 64


def test_it_refuses_signing_outside_the_half_day_and_writes_nothing(
    client, session, placed, trainee, trainer
):
    slot = slots(session)[0]
    with time_machine.travel(during(slot), tick=False):
        slot = open_slot(slot, trainer)
    client.force_login(trainee)
    url = reverse("courses:training_sign", args=[slot.signing_token])
    with time_machine.travel(slot.ends_at + timedelta(minutes=1), tick=False):
        response = client.post(url, {"trainee": trainee.pk}, follow=True)
    assert "n'est pas ouverte" in response.content.decode()
    assert not Attendance.objects.exists()


def test_it_refuses_signing_twice_and_keeps_one_row(client, session, placed, trainee, trainer):
    slot = slots(session)[0]
    with time_machine.travel(during(slot), tick=False):
        slot = open_slot(slot, trainer)
        client.force_login(trainee)
        url = reverse("courses:training_sign", args=[slot.signing_token])
        client.post(url, {"trainee": trainee.pk})
        response = client.post(url, {"trainee": trainee.pk}, follow=True)
    assert "déjà signé" in response.content.decode()
    assert Attendance.objects.count() == 1


def test_the_link_of_a_session_answers_404_to_a_trainee_without_a_place(
    client, session, placed, other_trainee, trainer
):
    slot = slots(session)[0]
    with time_machine.travel(during(slot), tick=False):
        slot = open_slot(slot, trainer)
        client.force_login(other_trainee)
        url = reverse("courses:training_sign", args=[slot.signing_token])
        assert client.get(url).status_code == 404
        assert client.post(url, {"trainee": other_trainee.pk}).status_code == 404
    assert not Attendance.objects.exists()


def test_it_refuses_a_signature_for_someone_else(
    client, session, course, placed, trainee, other_trainee, trainer
):
    place(session, other_trainee, course)
    slot = slots(session)[0]
    with time_machine.travel(during(slot), tick=False):
        slot = open_slot(slot, trainer)
        client.force_login(other_trainee)
        url = reverse("courses:training_sign", args=[slot.signing_token])
        # The page was opened for the first trainee on a shared phone, then the second signed in.
        response = client.post(url, {"trainee": trainee.pk}, follow=True)
    assert "une autre personne" in response.content.decode()
    assert not Attendance.objects.exists()


def test_a_late_signature_is_recorded_as_late_with_the_minutes(session, placed, trainee, trainer):
    slot = slots(session)[0]
    with time_machine.travel(during(slot, minutes=40), tick=False):
        slot = open_slot(slot, trainer)
        row = services.attendance_sign(user=trainee, slot=slot, for_trainee_id=trainee.pk)
    assert (row.status, row.minutes_late) == ("late", 40)


def test_the_trainer_records_a_trainee_present_only_with_a_reason(session, placed, trainer):
    slot = slots(session)[0]
    with time_machine.travel(during(slot), tick=False):
        with pytest.raises(TrainingRefused, match="pas de téléphone"):
            services.attendance_record(actor=trainer, slot=slot, placement=placed, status="present")
        row = services.attendance_record(
            actor=trainer, slot=slot, placement=placed, status="present", reason="Pas de téléphone"
        )
    assert (row.method, row.recorded_by, row.reason) == ("trainer", trainer, "Pas de téléphone")


def test_a_correction_is_a_new_row_and_the_signed_row_is_never_changed(
    session, placed, trainee, trainer
):
    slot = slots(session)[0]
    with time_machine.travel(during(slot), tick=False):
        slot = open_slot(slot, trainer)
        signed = services.attendance_sign(user=trainee, slot=slot, for_trainee_id=trainee.pk)
        with pytest.raises(TrainingRefused, match="motif de la correction"):
            services.attendance_record(
                actor=trainer, slot=slot, placement=placed, status="late", minutes_late=25
            )
        correction = services.attendance_record(
            actor=trainer,
            slot=slot,
            placement=placed,
            status="late",
            minutes_late=25,
            reason="Arrivée à 9 h 25, train en retard",
        )
    assert correction.supersedes == signed
    assert list(Attendance.objects.current()) == [correction]
    signed.refresh_from_db()
    assert (signed.status, signed.method) == ("present", "own_device")
    with pytest.raises(ProtectedError):
        signed.save()
    with pytest.raises(ProtectedError):
        signed.delete()
    with pytest.raises(ProtectedError):
        Attendance.objects.filter(pk=signed.pk).update(status="absent")


def as_utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def independent_digest(slot) -> str:
    """The sheet's hash computed again from the table, without the application's helper."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT placement_id, trainee_id, status, method, minutes_late, reason, "
            "recorded_by_id, recorded_at, supersedes_id FROM courses_attendance "
            "WHERE slot_id = %s ORDER BY recorded_at, id",
            [slot.pk],
        )
        # SQLite stores a moment as naive UTC text (Django's convention); PostgreSQL returns it
        # aware, in UTC. Either way it is read as UTC, as the application hashed it.
        rows = [[*row[:7], as_utc(row[7]).isoformat(), row[8]] for row in cursor.fetchall()]
    payload = {
        "session": str(slot.session.uid),
        "slot": slot.pk,
        "starts_at": slot.starts_at.isoformat(),
        "ends_at": slot.ends_at.isoformat(),
        "rows": rows,
    }
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def test_the_trainer_signs_the_sheet_whose_hash_anyone_can_recompute(
    session, course, placed, trainee, other_trainee, trainer
):
    absent = place(session, other_trainee, course)
    slot = slots(session)[0]
    with time_machine.travel(during(slot), tick=False):
        slot = open_slot(slot, trainer)
        row = services.attendance_sign(user=trainee, slot=slot, for_trainee_id=trainee.pk)
        assert row.sheet_hash == independent_digest(slot)
        with pytest.raises(TrainingRefused, match="sans ligne"):
            services.slot_sign(actor=trainer, slot=slot)
        services.attendance_record(actor=trainer, slot=slot, placement=absent, status="absent")
    with time_machine.travel(slot.ends_at, tick=False):
        signature = services.slot_sign(actor=trainer, slot=slot, ip_address="198.51.100.4")
        assert signature.sheet_hash == independent_digest(slot)
        # Signing closed the trainees' signing.
        with pytest.raises(TrainingRefused, match="pas ouverte"):
            services.attendance_sign(user=trainee, slot=slot, for_trainee_id=trainee.pk)
        with pytest.raises(TrainingRefused, match="déjà signé"):
            services.slot_sign(actor=trainer, slot=slot)
    assert TrainerSignature.objects.count() == 1


def test_the_sheet_pdf_leaves_no_dangling_separator_when_the_trainer_recorded_a_row(
    client, session, placed, trainer
):
    from tests.courses.training.helpers import pdf_text

    slot = slots(session)[0]
    with time_machine.travel(during(slot), tick=False):
        services.attendance_record(actor=trainer, slot=slot, placement=placed, status="absent")
    client.force_login(trainer)

    pdf = client.get(reverse("courses:training_sheet_pdf", args=[session.pk, slot.pk]))

    text = pdf_text(pdf.content)
    assert "Absent·e" in text
    assert "IP — Empreinte" in text
    assert "IP — ·" not in text


def test_the_english_sheet_pdf_puts_no_space_before_a_colon(client, session, trainer):
    from tests.courses.training.helpers import pdf_text

    slot = slots(session)[0]
    client.force_login(trainer)

    pdf = client.get("/en" + reverse("courses:training_sheet_pdf", args=[session.pk, slot.pk]))

    text = pdf_text(pdf.content)
    assert "Current fingerprint of the sheet: " in text
    assert " :" not in text


def test_the_english_history_of_a_corrected_row_puts_no_space_before_a_colon(
    client, session, placed, trainee, trainer
):
    slot = slots(session)[0]
    with time_machine.travel(during(slot), tick=False):
        slot = open_slot(slot, trainer)
        services.attendance_sign(user=trainee, slot=slot, for_trainee_id=trainee.pk)
        services.attendance_record(
            actor=trainer, slot=slot, placement=placed, status="absent", reason="Parti à 9 h"
        )
    client.force_login(trainer)

    url = reverse("courses:training_slot", args=[session.pk, slot.pk])
    page = client.get(f"/en{url}").content.decode()

    history = page[page.index("<details><summary>History") :]
    assert ": present (" in history and ": absent (" in history
    assert " : " not in history[: history.index("</details>")]


def test_only_a_trainer_of_the_session_signs_its_sheets(session, placed, other_trainer):
    slot = slots(session)[0]
    with time_machine.travel(during(slot), tick=False):
        with pytest.raises(TrainingRefused):
            services.slot_signing_open(actor=other_trainer, slot=slot)
        with pytest.raises(TrainingRefused):
            services.attendance_record(
                actor=other_trainer, slot=slot, placement=placed, status="absent"
            )


@pytest.mark.parametrize("raw", ["²", "\u0661", "9" * 30, "-1", ""])
def test_it_refuses_a_signature_for_a_person_number_that_is_not_one(
    client, session, placed, trainee, trainer, raw
):
    slot = slots(session)[0]
    with time_machine.travel(during(slot), tick=False):
        slot = open_slot(slot, trainer)
        client.force_login(trainee)
        url = reverse("courses:training_sign", args=[slot.signing_token])
        response = client.post(url, {"trainee": raw}, follow=True)
    assert response.status_code == 200
    assert "une autre personne" in response.content.decode()
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("raw", ["²", "\u0661", "9" * 30, "-1", ""])
def test_the_trainer_recording_a_placement_number_that_is_not_one_gets_404(
    client, session, placed, trainer, raw
):
    slot = slots(session)[0]
    client.force_login(trainer)
    url = reverse("courses:training_slot", args=[session.pk, slot.pk])
    with time_machine.travel(during(slot), tick=False):
        response = client.post(url, {"action": "record", "placement": raw, "status": "present"})
    assert response.status_code == 404
    assert not Attendance.objects.exists()


def test_a_sheet_downloads_under_the_evidence_pack_s_name_in_the_page_s_language(
    client, session, trainer
):
    slot = next(slot for slot in slots(session) if slot.period == "afternoon")
    client.force_login(trainer)
    url = reverse("courses:training_sheet_pdf", args=[session.pk, slot.pk])

    french = client.get(url)["Content-Disposition"]
    english = client.get(f"/en{url}")["Content-Disposition"]

    assert f'filename="emargement-{slot.date:%Y-%m-%d}-2-apres-midi.pdf"' in french
    assert f'filename="attendance-sheet-{slot.date:%Y-%m-%d}-2-afternoon.pdf"' in english


def test_before_the_window_the_trainer_reads_when_signing_opens(client, session, trainer, settings):
    settings.TRAINING_SIGNING_EARLY_MINUTES = 30
    slot = slots(session)[0]
    opens = (slot.starts_at - timedelta(minutes=30)).astimezone(ZoneInfo("Europe/Paris"))
    client.force_login(trainer)
    url = reverse("courses:training_slot", args=[session.pk, slot.pk])
    with time_machine.travel(slot.starts_at - timedelta(hours=2), tick=False):
        french = client.get(url).content.decode().replace("&#x27;", "'")
        english = client.get("/en" + url).content.decode()
    assert f"L'émargement s'ouvre à {opens:%H:%M}, peu avant" in french
    assert f"Signing opens at {opens:%H:%M}, shortly before the half-day starts." in english
