"""The platform's e-mails go through the outbox once per effect; staff see it in the admin."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse

from courses.payments.services import checkout
from courses.payments.tasks import send_funding_email, send_payment_email
from institut.outbox.models import EmailStatus, OutboxEmail
from institut.outbox.services import email_enqueue, emails_send_due
from tests.courses.conftest import build_course
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def payment(trainee, catalogue, stripe_api):
    """The trainee's Checkout of a paid course, open at Stripe's stand-in: no e-mail owed yet
    (Stripe's word that it was paid would owe the confirmation at once)."""
    course = build_course(catalogue, title="Découvrir la Thérapie Sociale", price_cents=12000)
    return checkout.checkout_start(user=trainee, course=course)


def test_the_payment_email_task_run_twice_sends_one_email(payment):
    assert send_payment_email.delay(payment.pk, "confirmed").get() is True
    assert send_payment_email.delay(payment.pk, "confirmed").get() is False
    emails_send_due()

    (message,) = mail.outbox
    assert message.to == [payment.user.email]
    assert OutboxEmail.objects.get().kind == "payment_confirmed"


def test_each_refunded_total_is_told_once(payment):
    payment.amount_refunded_cents = 4000
    payment.save()
    send_payment_email.delay(payment.pk, "refunded")
    send_payment_email.delay(payment.pk, "refunded")
    payment.amount_refunded_cents = 12000
    payment.save()
    send_payment_email.delay(payment.pk, "refunded")

    assert OutboxEmail.objects.filter(kind="payment_refunded").count() == 2


def test_each_failed_refund_alerts_staff_once(payment, settings):
    settings.PAYMENTS_ALERT_EMAILS = ["compta@example.org"]
    for refund_request_id in (1, 1, 2):
        checkout.staff_alert_schedule(payment.pk, "refund_failed", version=refund_request_id)

    alerts = OutboxEmail.objects.filter(kind="payment_staff_refund_failed")
    assert sorted(alerts.values_list("to_address", flat=True)) == ["compta@example.org"] * 2


def test_an_unknown_funding_or_kind_owes_nothing(payment):
    assert send_funding_email.delay(999_999).get() is False
    assert send_payment_email.delay(payment.pk, "other").get() is False
    assert not OutboxEmail.objects.exists()


# --- Admin -----------------------------------------------------------------------------------


def failed_email(to) -> OutboxEmail:
    email = email_enqueue(kind="test_notice", to=to, subject="Séance réservée", text="Bonjour")
    OutboxEmail.objects.filter(pk=email.pk).update(
        status=EmailStatus.FAILED, attempts=6, last_error="SMTPServerDisconnected: closed"
    )
    return email


def test_staff_see_the_outbox_and_resend_a_failed_email(client, editor, trainee):
    editor.is_superuser = True
    editor.save()
    client.force_login(editor)  # with a second factor
    email = failed_email(trainee)
    sent = email_enqueue(kind="test_other", to=trainee, subject="Rappel", text="Demain")
    emails_send_due()
    mail.outbox.clear()

    listing = client.get(reverse("outbox_emails:index"))
    assert listing.status_code == 200
    page = listing.content.decode()
    assert "Séance réservée" in page and "Rappel" in page
    failed_only = client.get(reverse("outbox_emails:index"), {"status": "failed"}).content
    assert "Rappel" not in failed_only.decode()
    inspect = client.get(reverse("outbox_emails:inspect", args=[email.pk])).content.decode()
    assert "SMTPServerDisconnected" in inspect
    assert reverse("outbox_emails:resend", args=[email.pk]) in inspect
    assert client.get(reverse("outbox_emails:edit", args=[email.pk])).status_code in (302, 403)

    response = client.post(reverse("outbox_emails:resend", args=[email.pk]))
    assert response.status_code == 302
    emails_send_due()
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert [m.to for m in mail.outbox] == [[trainee.email]]

    client.post(reverse("outbox_emails:resend", args=[sent.pk]))  # not failed: refused
    sent.refresh_from_db()
    assert sent.status == EmailStatus.SENT
    assert len(mail.outbox) == 1


def test_staff_without_the_permission_cannot_see_or_resend(client, editor, trainee):
    client.force_login(editor)  # with a second factor
    email = failed_email(trainee)

    assert client.get(reverse("outbox_emails:index")).status_code in (302, 403)
    response = client.post(reverse("outbox_emails:resend", args=[email.pk]))
    assert response.status_code == 404
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED

    editor.user_permissions.add(Permission.objects.get(codename="view_outboxemail"))
    assert client.get(reverse("outbox_emails:index")).status_code == 200


# --- Personal data ---------------------------------------------------------------------------


def test_the_export_lists_the_emails_sent_to_the_person(trainee, other_trainee):
    from institut.outbox.privacy import OutboxData

    email_enqueue(kind="test", to=trainee, subject="Pour Camille", text="Bonjour Camille")
    email_enqueue(kind="test", to=other_trainee, subject="Pour Yanis", text="Bonjour Yanis")

    (table,) = OutboxData().tables(trainee)
    assert [row["subject"] for row in table.rows] == ["Pour Camille"]


def test_erasure_pseudonymises_the_emails_and_sends_none_left(trainee):
    from institut.privacy.erasure import account_erase

    email_enqueue(kind="test", to=trainee, subject="Camille Martin", text="Bonjour Camille Martin")
    email_enqueue(kind="test_address", to=trainee.email, subject="Rappel", text="Texte")
    address = trainee.email

    account_erase(user=trainee, actor=trainee)

    assert not OutboxEmail.objects.filter(to_address=address).exists()
    assert not OutboxEmail.objects.filter(text__icontains="Camille").exists()
    assert set(OutboxEmail.objects.values_list("status", flat=True)) == {EmailStatus.FAILED}
    assert emails_send_due() == 0
    other = UserFactory()
    assert not OutboxEmail.objects.filter(to_user=other).exists()


def test_old_emails_keep_only_what_they_were(trainee, settings):
    from datetime import timedelta

    from django.utils import timezone

    from institut.privacy.retention import retention_apply

    settings.OUTBOX_RETENTION_DAYS = 180
    to_person = email_enqueue(kind="test", to=trainee, subject="Camille", text="Bonjour Camille")
    to_supervisor = email_enqueue(
        kind="test_link", to="superviseure@exemple.org", subject="Lien", text="Bonjour Inès"
    )
    queued = email_enqueue(kind="test_queued", to=trainee, subject="Plus tard", text="Texte")
    emails_send_due()
    OutboxEmail.objects.filter(pk=queued.pk).update(status=EmailStatus.QUEUED)
    now = timezone.now()

    assert retention_apply(now=now + timedelta(days=179))["emails"] == {
        "e-mails anciens vidés": 0,
        "adresses externes effacées": 0,
    }
    first = retention_apply(now=now + timedelta(days=181))["emails"]
    second = retention_apply(now=now + timedelta(days=181))["emails"]

    assert first == {"e-mails anciens vidés": 2, "adresses externes effacées": 1}
    assert set(second.values()) == {0}
    to_person.refresh_from_db()
    to_supervisor.refresh_from_db()
    queued.refresh_from_db()
    assert (to_person.text, to_person.to_user, to_person.status) == ("", trainee, "sent")
    assert "superviseure" not in to_supervisor.to_address
    assert to_supervisor.text == ""
    assert queued.text == "Texte"  # not sent yet: kept whole
