"""Closing a session issues the certificats de réalisation; sheets and certificates as PDFs."""

from __future__ import annotations

from decimal import Decimal

import pytest
import time_machine
from django.db.models.deletion import ProtectedError
from django.urls import reverse

from courses.models import Funding
from courses.payments.services.fundings import funded_enrolment_create
from courses.training import selectors, services
from courses.training.models import CompletionCertificate, SessionStatus
from courses.training.pdf import render_sheet_pdf
from courses.training.services import TrainingRefused
from institut.outbox.models import OutboxEmail
from tests.courses.training.conftest import place, slots
from tests.courses.training.helpers import pdf_text, run_session

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


@pytest.fixture
def funded_trainee(other_trainee, course, staff):
    funded_enrolment_create(
        actor=staff,
        user=other_trainee,
        course=course,
        source="training_fund",
        payer_name="OPCO Cohésion sociale",
        payer_email="dossiers@opco.example.org",
        reference="OPCO-2026-118",
        amount_cents=0,
    )
    return other_trainee


def test_the_sheet_pdf_lists_each_trainee_with_their_status(
    session, course, trainee, other_trainee, trainer
):
    camille = place(session, trainee, course)
    yanis = place(session, other_trainee, course)
    run_session(session, trainer, {camille: ("late", 20), yanis: ("excused", 0)}, close=False)
    slot = slots(session)[0]
    sheet = selectors.session_sheet(selectors.session_for_manager(trainer, session.pk))
    text = pdf_text(render_sheet_pdf(session=session, sheet=sheet.sheet(slot.pk)))
    assert "Feuille d'émargement" in text
    assert "Camille Martin" in text and "En retard (20 min de retard)" in text
    assert "Yanis Benali" in text and "Absence excusée" in text
    assert "Signée par Hélène Duprè" in text
    assert sheet.sheet(slot.pk).digest in text.replace(" ", "")


def test_it_refuses_to_close_a_session_with_an_unsigned_sheet(session, course, trainee, trainer):
    camille = place(session, trainee, course)
    run_session(session, trainer, {camille: ("present", 0)}, close=False)
    last = slots(session)[-1]
    # A correction after the signature stays allowed; closing needs every sheet signed once.
    services.session_confirm(actor=trainer, session=session)
    with time_machine.travel(last.starts_at, tick=False), pytest.raises(TrainingRefused):
        services.session_close(actor=trainer, session=session)


def test_closing_issues_a_certificate_per_trainee_with_the_hours_carried_out(
    session,
    course,
    trainee,
    funded_trainee,
    trainer,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    camille = place(session, trainee, course)
    yanis = place(session, funded_trainee, course)
    mailoutbox.clear()  # the convocations
    with django_capture_on_commit_callbacks(execute=True):
        run_session(
            session,
            trainer,
            {camille: ("present", 0), yanis: lambda i: ("absent", 0) if i == 0 else ("present", 0)},
        )
    session.refresh_from_db()
    assert session.status == SessionStatus.CLOSED
    certificates = {c.trainee: c for c in CompletionCertificate.objects.all()}
    assert certificates[trainee].hours_done == Decimal("21.00")
    assert certificates[funded_trainee].hours_done == Decimal("17.50")
    assert certificates[funded_trainee].funding == Funding.objects.get()
    text = pdf_text(certificates[funded_trainee].pdf.read())
    assert "Certificat de réalisation" in text
    assert "Yanis Benali" in text
    assert "action de formation" in text
    assert "durée réalisée de 17 h 30 (durée prévue : 21 h)" in text
    assert "11 75 12345 75" in text or "déclaration" in text
    assert certificates[funded_trainee].number in text
    recipients = sorted(address for message in mailoutbox for address in message.to)
    assert recipients == sorted([trainee.email, funded_trainee.email, "dossiers@opco.example.org"])
    with pytest.raises(ProtectedError):
        certificates[trainee].delete()


def test_issuing_again_changes_nothing(
    session, course, trainee, trainer, django_capture_on_commit_callbacks
):
    camille = place(session, trainee, course)
    with django_capture_on_commit_callbacks(execute=True):
        run_session(session, trainer, {camille: ("present", 0)})
    first = CompletionCertificate.objects.get()
    assert services.certificates_issue(session_id=session.pk) == [first.number]
    assert CompletionCertificate.objects.count() == 1


def test_the_trainee_and_the_funders_link_download_it_and_nobody_else(
    client,
    session,
    course,
    trainee,
    funded_trainee,
    other_trainer,
    trainer,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    place(session, trainee, course)
    yanis = place(session, funded_trainee, course)
    camille = session.placements.get(trainee=trainee)
    with django_capture_on_commit_callbacks(execute=True):
        run_session(session, trainer, {camille: ("present", 0), yanis: ("present", 0)})
    certificate = CompletionCertificate.objects.get(trainee=funded_trainee)
    url = reverse("courses:training_certificate_download", args=[certificate.number])
    client.force_login(funded_trainee)
    assert client.get(url).status_code == 200
    client.force_login(trainee)
    assert client.get(url).status_code == 404
    client.force_login(other_trainer)
    assert client.get(url).status_code == 404
    client.logout()
    funder_mail = next(m for m in mailoutbox if m.to == ["dossiers@opco.example.org"])
    link = next(line for line in funder_mail.body.splitlines() if "/financeur/" in line)
    response = client.get(link.replace("http://127.0.0.1:8000", ""))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert client.get(link.replace("http://127.0.0.1:8000", "")[:-3] + "xyz/").status_code == 404
    check = client.get(reverse("courses:training_certificate_check", args=[certificate.number]))
    assert "Certificat authentique" in check.content.decode()


@pytest.mark.parametrize(
    ("prefix", "word"),
    [("", "certificat-de-realisation"), ("/en", "certificate-of-completion")],
    ids=["fr", "en"],
)
def test_the_certificate_downloads_named_in_the_page_s_language(
    client, session, course, trainee, trainer, prefix, word, django_capture_on_commit_callbacks
):
    camille = place(session, trainee, course)
    with django_capture_on_commit_callbacks(execute=True):
        run_session(session, trainer, {camille: ("present", 0)})
    certificate = CompletionCertificate.objects.get(trainee=trainee)
    client.force_login(trainee)
    url = reverse("courses:training_certificate_download", args=[certificate.number])
    response = client.get(prefix + url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="{word}-{certificate.number}.pdf"'
    )


def test_a_sheet_corrected_after_its_signature_must_be_signed_again_before_closing(
    session, course, trainee, trainer
):
    camille = place(session, trainee, course)
    run_session(session, trainer, {camille: ("present", 0)}, close=False)
    first, last = slots(session)[0], slots(session)[-1]
    services.session_confirm(actor=trainer, session=session)  # confirmed before it began
    with time_machine.travel(last.ends_at, tick=False):
        services.attendance_record(
            actor=trainer,
            slot=first,
            placement=camille,
            status="late",
            minutes_late=30,
            reason="Arrivée à 9 h 30 : oubli de saisie",
        )
        with pytest.raises(TrainingRefused, match="Signez d'abord"):
            services.session_close(actor=trainer, session=session)
        services.slot_sign(actor=trainer, slot=first)
        services.session_close(actor=trainer, session=session)
    line = selectors.session_sheet(selectors.session_for_manager(trainer, session.pk)).lines[0]
    assert line.hours_done == Decimal("20.50")


def test_the_check_page_gives_the_title_the_certificate_prints_marked_french_in_english(
    client, session, course, trainee, trainer, django_capture_on_commit_callbacks
):
    """The check of a certificat de réalisation gives the action's title as the document prints
    it (the official model is French): marked lang="fr" on the English page, and unchanged when
    the course has since been translated or renamed."""
    from tests.courses.test_translations import translate_course

    placement = place(session, trainee, course)
    with django_capture_on_commit_callbacks(execute=True):
        run_session(session, trainer, {placement: ("present", 0)})
    certificate = CompletionCertificate.objects.get(trainee=trainee)
    url = reverse("courses:training_certificate_check", args=[certificate.number])
    printed = certificate.action_title

    assert f'<dd lang="fr">{printed}</dd>' in client.get("/en" + url).content.decode()
    assert f"<dd>{printed}</dd>" in client.get(url).content.decode()
    translate_course(course)
    course.title = "Un autre intitulé"
    course.save_revision().publish()
    assert f'<dd lang="fr">{printed}</dd>' in client.get("/en" + url).content.decode()
    assert f"<dd>{printed}</dd>" in client.get(url).content.decode()


def test_the_certificate_emails_attach_its_pdf_by_reference_named_in_each_reader_s_language(
    session,
    course,
    trainee,
    funded_trainee,
    trainer,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    funded_trainee.preferred_language = "en"
    funded_trainee.save(update_fields=["preferred_language"])
    camille = place(session, trainee, course)
    yanis = place(session, funded_trainee, course)
    mailoutbox.clear()  # the convocations
    with django_capture_on_commit_callbacks(execute=True):
        run_session(session, trainer, {camille: ("present", 0), yanis: ("present", 0)})

    french = CompletionCertificate.objects.get(trainee=trainee)
    english = CompletionCertificate.objects.get(trainee=funded_trainee)
    attached = {message.to[0]: message.attachments for message in mailoutbox if message.attachments}
    assert [name for name, _content, _type in attached[trainee.email]] == [
        f"certificat-de-realisation-{french.number}.pdf"
    ]
    assert [name for name, _content, _type in attached[funded_trainee.email]] == [
        f"certificate-of-completion-{english.number}.pdf"
    ]
    # The funder reads French: the certificate of the trainee they paid for, named in French.
    ((name, content, mimetype),) = attached["dossiers@opco.example.org"]
    assert (name, mimetype) == (
        f"certificat-de-realisation-{english.number}.pdf",
        "application/pdf",
    )
    text = pdf_text(content)
    assert english.number in text and "Yanis Benali" in text
    rows = OutboxEmail.objects.filter(kind__startswith="training.certificate")
    assert rows.count() == 3
    assert all(row.attachments == [] and len(row.documents) == 1 for row in rows)
