"""Completion produces exactly one attestation: a PDF, an e-mail, a public check page."""

from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from pypdf import PdfReader

from courses import services
from courses.models import Enrolment, EnrolmentStatus, LessonProgress, TrainingAttestation
from courses.services import enrolment_create, lesson_mark_done
from courses.tasks import generate_attestation
from institut.outbox.models import EmailStatus, OutboxEmail
from institut.outbox.services import emails_send_due
from tests.courses.conftest import build_course, english_course, lessons_of
from tests.courses.training.helpers import pdf_text as text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def completed(trainee, free_course, django_capture_on_commit_callbacks, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    enrolment_create(user=trainee, course=free_course)
    with django_capture_on_commit_callbacks(execute=True):
        for lesson in lessons_of(free_course):
            lesson_mark_done(user=trainee, lesson=lesson)
    return Enrolment.objects.get(user=trainee)


def pdf_text(attestation: TrainingAttestation) -> str:
    with attestation.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(page.extract_text() for page in reader.pages)


def test_it_issues_exactly_one_attestation_even_if_the_task_runs_again(completed):
    generate_attestation.delay(completed.pk)
    generate_attestation(completed.pk)
    attestation = TrainingAttestation.objects.get()
    assert attestation.enrolment == completed
    assert re.fullmatch(r"ATT-\d{4}-[23456789A-HJKMNP-Z]{6}", attestation.number)


def test_it_writes_the_trainee_name_and_number_in_the_pdf(completed):
    attestation = TrainingAttestation.objects.get()
    text = pdf_text(attestation)
    assert "Camille Martin" in text
    assert attestation.number in text
    assert "Introduction" in text
    assert f"/attestations/verifier/{attestation.number}/" in text.replace("\n", "")


def test_it_emails_the_attestation_once_with_the_pdf(completed, mailoutbox):
    generate_attestation(completed.pk)
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [completed.user.email]
    assert "Votre attestation de formation : Introduction" in message.subject
    number = TrainingAttestation.objects.get().number
    assert number in message.body
    assert message.attachments[0][0] == f"attestation-de-formation-{number}.pdf"


def test_it_writes_an_apostrophe_of_the_course_title_as_is_in_the_subject(
    trainee, catalogue, django_capture_on_commit_callbacks, mailoutbox, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    course = build_course(catalogue, title="L'écoute des groupes", lessons=1)
    enrolment_create(user=trainee, course=course)
    with django_capture_on_commit_callbacks(execute=True):
        lesson_mark_done(user=trainee, lesson=lessons_of(course)[0])

    assert mailoutbox[0].subject.endswith("Votre attestation de formation : L'écoute des groupes")


def test_it_writes_the_email_in_the_trainee_language(
    trainee, free_course, django_capture_on_commit_callbacks, mailoutbox, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    trainee.preferred_language = "en"
    trainee.save()
    enrolment_create(user=trainee, course=free_course)
    with django_capture_on_commit_callbacks(execute=True):
        for lesson in lessons_of(free_course):
            lesson_mark_done(user=trainee, lesson=lesson)
    message = mailoutbox[0]
    assert message.subject == "[Institut Charles Rojzman] Your training attestation: Introduction"
    assert "You have completed the course" in message.body
    assert "/en/attestations/verifier/" in message.body
    number = TrainingAttestation.objects.get().number
    ((name, content, _mimetype),) = message.attachments
    assert name == f"training-attestation-{number}.pdf"
    assert number in text_of(content)


def test_it_refuses_an_attestation_when_the_records_say_the_course_is_not_finished(
    trainee, free_course
):
    enrolment = enrolment_create(user=trainee, course=free_course)
    # Even a forged status does not produce an attestation: the lessons are checked again.
    # (Written directly: no service completes an enrolment whose lessons are not done.)
    Enrolment.objects.filter(pk=enrolment.pk).update(status=EnrolmentStatus.COMPLETED)
    assert services.attestation_issue(enrolment_id=enrolment.pk) is None
    assert not TrainingAttestation.objects.exists()


def test_it_lists_the_attestation_with_a_download_link_for_its_owner(client, trainee, completed):
    number = TrainingAttestation.objects.get().number
    client.force_login(trainee)
    html = client.get("/espace/").content.decode()
    assert f"/espace/attestations/{number}.pdf" in html
    response = client.get(f"/espace/attestations/{number}.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize(
    ("prefix", "word"),
    [("", "attestation-de-formation"), ("/en", "training-attestation")],
    ids=["fr", "en"],
)
def test_the_attestation_downloads_named_in_the_page_s_language(
    client, trainee, completed, prefix, word
):
    number = TrainingAttestation.objects.get().number
    client.force_login(trainee)
    response = client.get(f"{prefix}/espace/attestations/{number}.pdf")
    assert response["Content-Disposition"] == f'attachment; filename="{word}-{number}.pdf"'


def test_it_answers_404_to_another_user_asking_for_the_pdf(client, other_trainee, completed):
    number = TrainingAttestation.objects.get().number
    client.force_login(other_trainee)
    assert client.get(f"/espace/attestations/{number}.pdf").status_code == 404


def test_it_lets_anyone_check_an_attestation_by_number(client, completed):
    attestation = TrainingAttestation.objects.get()
    response = client.get(f"/attestations/verifier/{attestation.number}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Attestation authentique" in html
    assert "Camille Martin" in html
    assert attestation.user.email not in html


def test_it_names_the_course_in_the_check_page_s_language(client, completed, free_course):
    attestation = TrainingAttestation.objects.get()
    english_course(free_course, title="Holding the group")

    french = client.get(f"/attestations/verifier/{attestation.number}/").content.decode()
    english = client.get(f"/en/attestations/verifier/{attestation.number}/").content.decode()

    assert f"<dd>{attestation.course_title}</dd>" in french
    assert "<dd>Holding the group</dd>" in english
    assert f"<dd>{attestation.course_title}</dd>" not in english


def test_a_french_course_title_on_the_english_check_page_is_marked_french(client, completed):
    """No English version of the course yet: its French title is marked lang="fr" on the
    English page, and not on the French one."""
    attestation = TrainingAttestation.objects.get()
    url = f"/en/attestations/verifier/{attestation.number}/"

    assert f'<dd><span lang="fr">{attestation.course_title}</span></dd>' in (
        client.get(url).content.decode()
    )
    assert f"<dd>{attestation.course_title}</dd>" in (
        client.get(url.removeprefix("/en")).content.decode()
    )


def test_it_explains_an_unknown_or_malformed_number_in_french(client, db):
    response = client.get("/attestations/verifier/ATT-2026-ZZZZZZ/")
    assert response.status_code == 404
    assert "Aucune attestation ne porte ce numéro." in response.content.decode()
    response = client.get("/attestations/verifier/", {"numero": "n'importe quoi"})
    assert response.status_code == 400
    assert "n&#x27;a pas la forme d&#x27;un numéro d&#x27;attestation" in response.content.decode()


def test_it_redirects_a_typed_number_to_its_check_page(client, completed):
    number = TrainingAttestation.objects.get().number
    response = client.get("/attestations/verifier/", {"numero": f" {number.lower()} "})
    assert response.status_code == 302
    assert response["Location"] == f"/attestations/verifier/{number}/"


def test_it_keeps_a_completed_course_and_its_attestation_permanent(completed):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        completed.delete()
    with pytest.raises(ProtectedError):
        TrainingAttestation.objects.get().delete()
    with pytest.raises(ProtectedError):
        Enrolment.objects.filter(pk=completed.pk).delete()
    assert LessonProgress.objects.count() == 2


def test_it_issues_nothing_for_a_course_left_unfinished(trainee, catalogue, mailoutbox):
    course = build_course(catalogue, lessons=2)
    enrolment_create(user=trainee, course=course)
    lesson_mark_done(user=trainee, lesson=lessons_of(course)[0])
    assert not TrainingAttestation.objects.exists()
    assert mailoutbox == []


def test_the_email_attaches_the_stored_pdf_by_reference_named_in_french(completed, mailoutbox):
    attestation = TrainingAttestation.objects.get()
    (message,) = mailoutbox
    ((name, content, mimetype),) = message.attachments
    assert (name, mimetype) == (
        f"attestation-de-formation-{attestation.number}.pdf",
        "application/pdf",
    )
    with attestation.pdf.open("rb") as stored:
        assert content == stored.read()
    assert attestation.number in text_of(content)
    row = OutboxEmail.objects.get(kind="attestation")
    assert row.attachments == []  # no bytes in the outbox
    assert row.documents == [
        {
            "source": services.ATTESTATION_SOURCE,
            "id": str(attestation.pk),
            "name": f"attestation-de-formation-{attestation.number}.pdf",
            "mimetype": "application/pdf",
        }
    ]


def test_an_attestation_whose_file_is_lost_holds_its_email_and_is_retried(
    trainee, free_course, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    enrolment = enrolment_create(user=trainee, course=free_course)
    for lesson in lessons_of(free_course):  # completed; the task is left to the test
        lesson_mark_done(user=trainee, lesson=lesson)
    attestation = services.attestation_issue(enrolment_id=enrolment.pk)
    attestation.pdf.storage.delete(attestation.pdf.name)
    services.attestation_send(attestation_id=attestation.pk)

    assert emails_send_due() == 0

    row = OutboxEmail.objects.get(kind="attestation")
    assert (row.status, row.attempts) == (EmailStatus.QUEUED, 1)
    assert "FileNotFoundError" in row.last_error
    assert mail.outbox == []
