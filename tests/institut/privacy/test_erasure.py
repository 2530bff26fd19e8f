"""GDPR erasure: what may be erased is, what must be kept stays without the person's name."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models
from django.urls import reverse
from django.utils import timezone

from certification.models import (
    Certificate,
    CertificateStatus,
    RenewalAudit,
    RenewalAuditEvidence,
)
from courses.models import Invoice, QuizAttempt, ReflectionAnswer
from courses.training.models import (
    Attendance,
    CompletionCertificate,
    Convocation,
    SatisfactionAnswer,
    SessionPlacement,
)
from institut.models import User
from institut.privacy.erasure import account_erase
from supervision.logbook.models import (
    PeriodCosignRequest,
    PeriodExternalConfirmation,
    PeriodSummary,
    PracticeEntry,
)
from supervision.models import Booking, SupervisionRecord
from tests.factories import PASSWORD
from tests.institut.records import person_with_everything

pytestmark = pytest.mark.django_db

ERASE = reverse("account_delete")

# Where the retention schedule keeps the person's name or address (docs/data-protection.md):
# invoices and credit notes, as issued, for the legal period.
KEPT_AS_ISSUED = {
    ("courses.Invoice", "trainee_name"),
    ("courses.Invoice", "buyer_name"),
    ("courses.Invoice", "buyer_email"),
}


@pytest.fixture
def person(trainee, trainer):
    return person_with_everything(trainee, trainer)


def text_fields(model) -> list[str]:
    kinds = (models.CharField, models.TextField, models.JSONField)
    return [
        f.name for f in model._meta.concrete_fields if isinstance(f, kinds) and not f.is_relation
    ]


def readable_mentions(*terms: str) -> set[tuple[str, str]]:
    """(model, field) pairs where any term can still be read, across every table."""
    found = set()
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for name in text_fields(model):
            for term in terms:
                if model._base_manager.filter(**{f"{name}__icontains": term}).exists():
                    found.add((model._meta.label, name))
    return found


def test_the_walk_finds_the_person_everywhere_before_the_erasure(trainee, person):
    found = readable_mentions(trainee.full_name, trainee.email)
    assert {
        ("institut.User", "email"),
        ("courses.ReflectionAnswer", "text"),
        ("certification.Certificate", "holder_name"),
        ("certification.Application", "statement"),
        ("courses.StripeEvent", "payload"),
        ("wagtailcore.ModelLogEntry", "label"),
    } <= found


def test_it_leaves_no_personal_field_readable_but_the_invoices(trainee, person):
    name, email = trainee.full_name, trainee.email

    account_erase(user=trainee, actor=trainee)

    assert readable_mentions(name, email) == KEPT_AS_ISSUED


def test_it_keeps_invoice_totals_certificate_numbers_and_hours(trainee, person):
    totals = list(Invoice.objects.order_by("pk").values_list("number", "amount_cents"))
    certificate = person["certificate"]

    account_erase(user=trainee, actor=trainee)

    assert list(Invoice.objects.order_by("pk").values_list("number", "amount_cents")) == totals
    kept = Certificate.objects.get(pk=certificate.pk)
    assert (kept.number, kept.status, kept.valid_until) == (
        certificate.number,
        CertificateStatus.ACTIVE,
        certificate.valid_until,
    )
    assert kept.holder_name == ""
    approved = PracticeEntry.objects.get(pk=person["approved_entry"].pk)
    assert approved.duration_minutes == person["approved_entry"].duration_minutes
    assert approved.step_codes == person["approved_entry"].step_codes
    assert SupervisionRecord.objects.filter(pk=person["supervision_record"].pk).exists()


def test_it_deletes_what_may_be_deleted_and_frees_future_places(trainee, person):
    account_erase(user=trainee, actor=trainee)

    assert not QuizAttempt.objects.filter(user=trainee).exists()
    assert not ReflectionAnswer.objects.filter(user=trainee).exists()
    assert not PracticeEntry.objects.filter(pk=person["draft_entry"].pk).exists()
    assert Booking.objects.get(pk=person["future_booking"].pk).status == Booking.Status.CANCELLED
    user = User.objects.get(pk=trainee.pk)
    assert (user.full_name, user.is_active, user.has_usable_password()) == ("", False, False)
    assert user.email.endswith(".invalid")
    assert not user.groups.exists()


def test_it_removes_the_files_once_committed(trainee, person, django_capture_on_commit_callbacks):
    names = [
        person["document"].file.name,
        person["attestation"].pdf.name,
        Certificate.objects.get(pk=person["certificate"].pk).pdf.name,
        person["profile"].photo.name,
        person["completion_certificate"].pdf.name,
        person["audit_evidence"].file.name,
    ]
    invoice_pdf = Invoice.objects.get(pk=person["invoice"].pk).pdf.name
    assert all(default_storage.exists(name) for name in names)

    with django_capture_on_commit_callbacks(execute=True):
        account_erase(user=trainee, actor=trainee)

    assert not any(default_storage.exists(name) for name in names)
    assert default_storage.exists(invoice_pdf)  # kept for the legal period


def test_erasing_twice_changes_nothing(trainee, person):
    assert account_erase(user=trainee, actor=trainee)
    before = snapshot()

    assert account_erase(user=trainee, actor=trainee) is None

    assert snapshot() == before


def snapshot() -> dict:
    return {
        model._meta.label: sorted(map(str, model._base_manager.values_list()))
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def test_verification_answers_for_the_number_without_the_name(client, trainee, person):
    number = person["certificate"].number

    account_erase(user=trainee, actor=trainee)

    page = client.get(reverse("certification:verify_number", args=[number]))
    assert page.status_code == 200
    html = page.content.decode()
    assert number in html
    assert "Camille Martin" not in html
    assert "son nom n'est plus communiqué" in html
    api = client.get(f"/api/v1/certificates/{number}").json()
    assert (api["number"], api["holder_name"], api["status"]) == (number, None, "active")


def test_the_registry_no_longer_lists_the_holder(
    client, trainee, person, django_capture_on_commit_callbacks
):
    assert "Camille Martin" in client.get(reverse("certification:registry")).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        account_erase(user=trainee, actor=trainee)

    assert "Camille Martin" not in client.get(reverse("certification:registry")).content.decode()


def test_the_delete_page_warns_a_holder_of_an_active_certificate(client, trainee, person):
    client.login(email=trainee.email, password=PASSWORD)

    html = client.get(ERASE).content.decode()

    assert f"Votre certificat {person['certificate'].number} est valide" in html
    assert "registre public" in html
    assert "sans votre nom" in html


def test_the_delete_page_names_which_upcoming_places_are_freed(client, trainee, person):
    client.login(email=trainee.email, password=PASSWORD)

    html = client.get(ERASE).content.decode()

    # Two lines, one per kind of session: each says which it is about.
    assert "Vos places dans les sessions de formation à venir sont annulées" in html
    assert "Vos réservations de séances de supervision à venir sont annulées" in html


def test_it_erases_the_account_when_the_password_confirms(client, trainee, person):
    client.login(email=trainee.email, password=PASSWORD)

    response = client.post(ERASE, {"password": PASSWORD, "confirm": "on"})

    assert response.status_code == 302
    assert User.objects.get(pk=trainee.pk).is_erased
    assert "_auth_user_id" not in client.session
    assert not client.login(email=trainee.email, password=PASSWORD)


def test_it_lands_an_english_reader_on_the_english_home_page(client, trainee, person):
    client.login(email=trainee.email, password=PASSWORD)

    response = client.post("/en" + ERASE, {"password": PASSWORD, "confirm": "on"})

    assert response.status_code == 302
    assert response["Location"] == "/en/"


@pytest.mark.parametrize(
    "data",
    [{"password": "pas-le-bon", "confirm": "on"}, {"password": PASSWORD}],
    ids=["wrong password", "not confirmed"],
)
def test_it_erases_nothing_without_confirmation(client, trainee, person, data):
    client.login(email=trainee.email, password=PASSWORD)

    response = client.post(ERASE, data)

    assert response.status_code == 400
    assert not User.objects.get(pk=trainee.pk).is_erased
    assert QuizAttempt.objects.filter(user=trainee).exists()


def test_nobody_can_erase_another_persons_account(client, trainee, other_trainee, person):
    """The page acts on the signed-in person only: there is no way to name someone else."""
    client.login(email=other_trainee.email, password=PASSWORD)

    client.post(ERASE, {"password": PASSWORD, "confirm": "on", "user": trainee.pk})

    assert User.objects.get(pk=other_trainee.pk).is_erased
    assert not User.objects.get(pk=trainee.pk).is_erased
    assert QuizAttempt.objects.filter(user=trainee).exists()


def test_it_keeps_the_signed_sheet_and_the_certificat_de_realisation_without_names(trainee, person):
    signed = person["attendance"]

    account_erase(user=trainee, actor=trainee)

    kept = Attendance.objects.get(pk=signed.pk)
    assert (kept.status, kept.minutes_late, kept.reason, kept.sheet_hash) == (
        signed.status,
        signed.minutes_late,
        signed.reason,
        signed.sheet_hash,
    )
    assert (kept.ip_address, kept.user_agent) == (None, "")
    certificate = CompletionCertificate.objects.get(pk=person["completion_certificate"].pk)
    assert (certificate.number, certificate.hours_done) == (
        person["completion_certificate"].number,
        person["completion_certificate"].hours_done,
    )
    assert (certificate.trainee_name, certificate.employer_name, certificate.pdf.name) == (
        "",
        "",
        "",
    )
    convocation = Convocation.objects.get(pk=person["convocation"].pk)
    assert (convocation.sent_to, convocation.body, convocation.kind) == ("", "", "confirmation")
    answer = SatisfactionAnswer.objects.get(pk=person["satisfaction_answer"].pk)
    assert (answer.question_text, answer.text) == (person["satisfaction_answer"].question_text, "")


def test_the_check_of_a_certificat_de_realisation_says_the_name_was_erased(client, trainee, person):
    number = person["completion_certificate"].number

    account_erase(user=trainee, actor=trainee)

    page = client.get(reverse("courses:training_certificate_check", args=[number]))
    assert page.status_code == 200
    html = page.content.decode()
    assert number in html
    assert "Camille Martin" not in html
    assert "nom effacé à la demande de la personne" in html


def test_it_frees_a_place_in_a_session_to_come(trainee, person):
    account_erase(user=trainee, actor=trainee)

    placement = SessionPlacement.objects.get(pk=person["future_placement"].pk)
    assert (placement.status, placement.employer_name) == ("cancelled", "")
    assert placement.events.filter(action="placement_cancelled").exists()


def test_it_keeps_the_audits_outcome_without_the_evidence(
    trainee, person, django_capture_on_commit_callbacks
):
    evidence = person["audit_evidence"]
    assert default_storage.exists(evidence.file.name)

    with django_capture_on_commit_callbacks(execute=True):
        account_erase(user=trainee, actor=trainee)

    assert not default_storage.exists(evidence.file.name)
    kept = RenewalAuditEvidence.objects.get(pk=evidence.pk)
    assert (kept.file.name, kept.original_name, kept.note, kept.size) == ("", "", "", evidence.size)
    audit = RenewalAudit.objects.get(pk=person["audit"].pk)
    assert audit.status == "passed"
    assert audit.outcome_reason == "Les justificatifs de [effacé] sont complets."


def test_it_keeps_who_co_signed_a_confirmed_period_and_closes_an_unused_link(trainee, person):
    account_erase(user=trainee, actor=trainee)

    confirmation = PeriodExternalConfirmation.objects.get(pk=person["cosign_confirmation"].pk)
    assert (confirmation.signer_name, confirmation.ip_address, confirmation.user_agent) == (
        "Martine Garnier",
        None,
        "",
    )
    link = PeriodCosignRequest.objects.get(pk=person["unused_link"].pk)
    assert (link.supervisor_name, link.supervisor_email, link.used_at) == ("", "", None)
    assert link.expires_at <= timezone.now()
    assert PeriodSummary.objects.filter(pk=person["closed_period"].pk).exists()
    assert PracticeEntry.objects.filter(pk=person["approved_entry"].pk).exists()


def test_it_says_after_the_erasure_that_what_must_be_kept_is_kept(client, trainee, person):
    """The person's invoices stay as issued, with their name: « tout est effacé » would be
    untrue."""
    client.login(email=trainee.email, password=PASSWORD)

    from django.contrib.messages import get_messages

    response = client.post(ERASE, {"password": PASSWORD, "confirm": "on"})

    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "vos données personnelles sont effacées, sauf ce que" in message
    assert "doit conserver, comme indiqué avant votre confirmation" in message


def test_it_scrubs_the_person_from_a_reason_s_parameters(trainee, person):
    """What staff typed inside a fixed reason (courses.reasons) is kept in its parameters too."""
    from courses.reasons import enrolment_reason
    from courses.services import enrolment_note

    note = f"Montant vu avec {trainee.full_name}"
    event = enrolment_note(
        enrolment=person["enrolment"],
        actor=None,
        reason=enrolment_reason("payment_accepted", payment=1, note=note),
    )

    account_erase(user=trainee, actor=trainee)

    event.refresh_from_db()
    assert event.reason_params == {"payment": 1, "note": "Montant vu avec [effacé]"}
    assert event.reason == "payment 1 accepted by staff: Montant vu avec [effacé]"
    assert event.reason_code == "payment_accepted"
