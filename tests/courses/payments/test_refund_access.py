"""A refund that fails after its full refund ended the trainee's access: the money stayed with
the Institut, so the access opens again, the trainee is told once, and staff are told what
happened; an access ended for another reason, a partial refund, a completed course stay as
they are."""

from __future__ import annotations

import pytest

from courses.models import EnrolmentEvent, EnrolmentStatus, PaymentStatus, RefundRequest
from courses.services import enrolment_transition
from institut.outbox.models import OutboxEmail
from tests.courses.payments.conftest import status_of
from tests.courses.payments.stripe_standin import event, refund_event
from tests.courses.payments.test_refund_admin import ask, confirm, refund_of
from tests.courses.payments.test_refund_outside import refund_object


def refund_asked(client, admin_user, paid, euros: str) -> dict:
    """Staff ask Stripe to refund `euros` of the payment; the Stripe refund, succeeded."""
    client.force_login(admin_user)
    _page, key = ask(client, paid, euros)
    confirm(client, paid, euros, key)
    request = RefundRequest.objects.latest("pk")
    return {**refund_of(request, "succeeded"), "amount": request.amount_cents}


def refund_in_full_then_fail(client, send, admin_user, paid) -> None:
    """Staff refund the whole payment, Stripe credits it, then says the refund failed."""
    refund = refund_asked(client, admin_user, paid, "120")
    send(refund_event(amount=12000, refunded=12000))
    send(event("refund.failed", {**refund, "status": "failed"}))


def restored_emails(mailoutbox, trainee):
    return [m for m in mailoutbox if m.to == [trainee.email] and "Accès rétabli" in m.subject]


def staff_alert(mailoutbox, admin_user):
    (alert,) = [m for m in mailoutbox if "Remboursement échoué" in m.subject]
    assert alert.to == [admin_user.email]
    return alert.body


def trail(paid):
    events = EnrolmentEvent.objects.filter(enrolment=paid.enrolment).order_by("at", "pk")
    return [(e.from_status, e.to_status, e.reason) for e in events]


def test_a_full_refund_that_fails_restores_the_access_it_ended(
    client, send, admin_user, paid, trainee, stripe_api, mailoutbox
):
    refund = refund_asked(client, admin_user, paid, "120")
    send(refund_event(amount=12000, refunded=12000))
    assert status_of(paid) == (PaymentStatus.REFUNDED, EnrolmentStatus.ENDED)

    assert send(event("refund.failed", {**refund, "status": "failed"})).content == (
        b"refund failed"
    )

    assert status_of(paid) == (PaymentStatus.PAID, EnrolmentStatus.ACTIVE)
    assert trail(paid)[-2:] == [
        ("active", "ended", f"payment {paid.pk} fully refunded"),
        ("ended", "active", f"payment {paid.pk} counts as paid again: refund failed"),
    ]
    (email,) = restored_emails(mailoutbox, trainee)
    assert "votre accès à la formation est rétabli" in email.body
    assert "Conflits constructifs" in email.body
    body = staff_alert(mailoutbox, admin_user)
    assert "annulé par une facture du même montant" in body
    assert "est rétabli ; le stagiaire en est informé" in body


def test_the_failure_delivered_again_restores_and_tells_once(
    client, send, admin_user, paid, trainee, stripe_api, mailoutbox
):
    refund = refund_asked(client, admin_user, paid, "120")
    send(refund_event(amount=12000, refunded=12000))
    failed = event("refund.failed", {**refund, "status": "failed"})

    send(failed)
    assert send(failed).content == b"duplicate"
    assert send(event("refund.updated", {**refund, "status": "failed"})).content == (
        b"nothing to do"
    )

    assert status_of(paid) == (PaymentStatus.PAID, EnrolmentStatus.ACTIVE)
    reopened = [t for t in trail(paid) if t[:2] == ("ended", "active")]
    assert len(reopened) == 1
    assert len(restored_emails(mailoutbox, trainee)) == 1
    assert OutboxEmail.objects.filter(kind="payment_access_restored").count() == 1


def test_a_failed_dashboard_refund_restores_the_access_in_english_too(
    send, paid, trainee, stripe_api, admin_user, mailoutbox
):
    trainee.preferred_language = "en"
    trainee.save(update_fields=["preferred_language"])
    refund = stripe_api.dashboard_refund(12000)
    send(refund_event(amount=12000, refunded=12000))
    assert status_of(paid) == (PaymentStatus.REFUNDED, EnrolmentStatus.ENDED)

    assert send(event("refund.failed", refund_object(refund, "failed"))).content == (
        b"refund failed"
    )

    assert status_of(paid) == (PaymentStatus.PAID, EnrolmentStatus.ACTIVE)
    (email,) = [m for m in mailoutbox if "Access restored" in m.subject]
    assert email.to == [trainee.email]
    assert "your access to the course is restored" in email.body


def test_a_partial_refund_that_fails_has_no_access_to_restore(
    client, send, admin_user, paid, trainee, stripe_api, mailoutbox
):
    refund = refund_asked(client, admin_user, paid, "40")
    send(refund_event(amount=12000, refunded=4000))
    events_before = trail(paid)

    send(event("refund.failed", {**refund, "status": "failed"}))

    assert status_of(paid) == (PaymentStatus.PAID, EnrolmentStatus.ACTIVE)
    assert trail(paid) == events_before
    assert restored_emails(mailoutbox, trainee) == []
    assert "rétabli" not in staff_alert(mailoutbox, admin_user)


@pytest.mark.parametrize(
    "status,reason,last_event",
    [
        # Staff ended the access for another reason, then refunded: it stays ended.
        (EnrolmentStatus.ENDED, "excluded by staff", ("active", "ended", "excluded by staff")),
        # A completed course only has the refund noted beside it, and stays completed.
        (
            EnrolmentStatus.COMPLETED,
            "all lessons completed",
            ("completed", "completed", "payment {pk} fully refunded; completion kept on record"),
        ),
    ],
)
def test_an_access_the_refund_did_not_end_is_left_as_it_is(
    client, send, admin_user, paid, trainee, stripe_api, mailoutbox, status, reason, last_event
):
    enrolment_transition(enrolment=paid.enrolment, to_status=status, actor=None, reason=reason)

    refund_in_full_then_fail(client, send, admin_user, paid)

    assert status_of(paid) == (PaymentStatus.PAID, status)
    *statuses, last_reason = last_event
    assert trail(paid)[-1] == (*statuses, last_reason.format(pk=paid.pk))
    assert restored_emails(mailoutbox, trainee) == []
    assert "rétabli" not in staff_alert(mailoutbox, admin_user)


def test_the_alert_says_when_no_credit_note_could_be_found_to_cancel(
    send, paid, stripe_api, admin_user, mailoutbox
):
    refund = stripe_api.dashboard_refund(3000)
    stripe_api.status = 503  # Stripe does not list the refunds: credited without an id
    send(refund_event(amount=12000, refunded=3000))
    stripe_api.status = 200

    assert send(event("refund.failed", refund_object(refund, "failed"))).content == (
        b"refund failed, nothing credited"
    )

    body = staff_alert(mailoutbox, admin_user)
    assert "Aucun avoir de ce remboursement n'a été trouvé" in body
    assert "vérifiez à la main" in body
    assert "annulé par une facture" not in body
    assert "compte de nouveau ce montant comme payé" not in body
