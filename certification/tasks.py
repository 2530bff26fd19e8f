"""Background work of the certification app: thin, idempotent tasks that call services.

Each runs again after a crash (acks_late, reject_on_worker_lost): a second run changes nothing.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.utils import translation

from certification import documents, notifications, services
from certification.links import path_for, verification_url
from certification.models import Application, CertificateEvent
from institut.celery import RETRY_ON_OS_ERROR
from supervision import selectors as supervision_selectors


def _certificate_path(certificate) -> str:
    """The certificate's page, in its holder's language."""
    return path_for(certificate.holder, "certificate", certificate.number)


def _holder_notice(certificate, *, key: str, kind: str, context: dict, documents=()) -> bool:
    """Owe the holder this notice about their certificate (once per key), with the link to
    verify it, pointing at the certificate's page."""
    return notifications.send_once(
        key=key,
        kind=kind,
        user=certificate.holder,
        certificate=certificate,
        context={
            "certificate": certificate,
            # The public page in the holder's language (the PDF and the QR code keep the
            # language-free address).
            "verification_url": verification_url(certificate.number, reader=certificate.holder),
            **context,
        },
        documents=documents,
        url=_certificate_path(certificate),
    )


@shared_task(**RETRY_ON_OS_ERROR, acks_late=True, reject_on_worker_lost=True)
def generate_certificate_pdf(certificate_id: int) -> str | None:
    """Render the certificate's PDF for its current validity (once) and e-mail it (once), the
    PDF attached by reference (the outbox reads it when it sends).

    Idempotent: the PDF is rendered under the certificate's row lock only when missing for this
    validity, and the e-mail's outbox key (certificate, validity) lets it go once.
    """
    certificate = documents.certificate_pdf_ensure(certificate_id=certificate_id)
    if certificate is None:
        return None
    with translation.override(certificate.holder.language):
        document = documents.certificate_document(certificate)
    _holder_notice(
        certificate,
        key=f"pdf:{certificate.pk}:{certificate.valid_until.isoformat()}",
        kind="certificate_document",
        context={"certificate_url": settings.SITE_URL + _certificate_path(certificate)},
        documents=[document],
    )
    return certificate.number


@shared_task(acks_late=True, reject_on_worker_lost=True)
def notify_certificate_event(event_id: int) -> bool:
    """Tell the holder of a change of their certificate (once per event).

    Idempotent: the outbox key of the event lets the e-mail go once.
    """
    event = CertificateEvent.objects.select_related("certificate__holder").get(pk=event_id)
    return _holder_notice(
        event.certificate,
        key=f"event:{event.pk}",
        kind="certificate_event",
        context={"event": event},
    )


@shared_task(acks_late=True, reject_on_worker_lost=True)
def notify_application_submitted(application_id: int) -> int:
    """Ask each supervisor of the applicant for an opinion (once each).

    Idempotent: one outbox key per application and supervisor; a second run owes nothing more.
    """
    application = Application.objects.select_related("applicant").get(pk=application_id)
    sent = 0
    for supervisor in supervision_selectors.supervisors_of(application.applicant):
        sent += notifications.send_once(
            key=f"opinion-request:{application.pk}:{supervisor.pk}",
            kind="opinion_request",
            user=supervisor,
            context={
                "application": application,
                "opinion_url": settings.SITE_URL + path_for(supervisor, "opinion", application.pk),
            },
            url=path_for(supervisor, "opinion", application.pk),
        )
    return sent


@shared_task(acks_late=True, reject_on_worker_lost=True)
def notify_application_decided(application_id: int) -> bool:
    """Tell the applicant the committee's decision (once per decision).

    Idempotent: the outbox key of the decision event lets the e-mail go once.
    """
    application = Application.objects.select_related("applicant").get(pk=application_id)
    event = application.events.order_by("-at", "-pk").first()
    return notifications.send_once(
        key=f"decision:{application.pk}:{event.pk}",
        kind="application_decided",
        user=application.applicant,
        context={"application": application, "event": event},
    )


@shared_task(acks_late=True, reject_on_worker_lost=True)
def daily_renewal_run() -> dict:
    """Beat, daily: renewal reminders 90 and 30 days before expiry and on the day (any missed
    threshold caught up the next day, each once), then expiries.

    Idempotent: each reminder has its outbox key, and an expiry applies only to certificates
    still active past their date, so a second run the same day does nothing more.
    """
    return services.renewal_run()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def daily_audit_run() -> dict:
    """Beat, daily: last month's audit draw if not made yet (so a missed 1st is caught up),
    then reminders and suspension proposals of overdue audits.

    Idempotent: the draw is made once per month and each notice has its own key, so a second
    run the same day does nothing more.
    """
    from certification.audits import services as audits

    return audits.audits_run()


AUDIT_NOTICES = {
    "request": notifications.audit_request_send,
    "reminder": notifications.audit_reminder_send,
    "outcome": notifications.audit_outcome_send,
    "suspension_proposal": notifications.audit_suspension_proposal_send,
}


@shared_task(acks_late=True, reject_on_worker_lost=True)
def notify_audit(audit_id: int, notice: str) -> int:
    """One e-mail of a renewal audit.

    Idempotent: each notice has its outbox key (per audit and, for suspension proposals,
    per committee member), so a second run owes nothing more.
    """
    return int(AUDIT_NOTICES[notice](audit_id))
