"""E-mails of the certification app: rendered from templates in the recipient's language, each
owed once to the outbox (institut.outbox), which sends it and retries it.

The outbox row's unique key (kind, certificate, recipient, notice key) is the guarantee; the
SentNotice row with the same notice key is written in the same transaction, as the record that
the notice was owed (the renewal run reads it to find the reminders still due). Nothing is marked
before it is owed, and the outbox marks it sent only once the mail server accepted it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from certification.links import path_for
from certification.models import SentNotice
from institut.notifications.models import Kind
from institut.notifications.services import notify

# The kind of notification (each person's choice of channel) of each notice.
NOTIFICATION_KINDS = {
    "certificate_document": Kind.CERTIFICATE,
    "certificate_event": Kind.CERTIFICATE,
    "renewal_reminder": Kind.CERTIFICATE,
    "opinion_request": Kind.OPINION_REQUEST,
    "application_received": Kind.APPLICATION_RECEIVED,
    "application_decided": Kind.APPLICATION_DECIDED,
    "audit_request": Kind.AUDIT,
    "audit_reminder": Kind.AUDIT,
    "audit_outcome": Kind.AUDIT,
    "audit_suspension_proposal": Kind.AUDIT,
}


def _render(kind: str, user, context: dict) -> tuple[str, str]:
    language = user.language
    with translation.override(language):
        context = {
            **context,
            "user": user,
            "site_url": settings.SITE_URL,
            "path_url": settings.SITE_URL + reverse("certification:path"),
        }
        subject = render_to_string(f"certification/email/{kind}_subject.txt", context)
        body = render_to_string(f"certification/email/{kind}_body.txt", context)
    return " ".join(subject.split()), body


def send_once(
    *,
    key: str,
    kind: str,
    user,
    context: dict,
    certificate=None,
    documents=(),
    covered_keys: tuple[str, ...] | list[str] = (),
    url: str = "",
) -> bool:
    """Owe this notice unless its key was owed already; True when owed now.

    The person is notified (institut.notifications), and e-mailed this notice if they chose
    e-mail for its kind. ``url`` is the path of its object (by default, their certification
    path); ``documents`` (the certificate's PDF) go with the e-mail by reference, read when it
    is sent. The notification, the outbox row and the SentNotice rows (its key, and the earlier
    keys it covers) are written in one transaction: the caller's, when it has one.
    """
    if SentNotice.objects.filter(key=key).exists():  # owed already (or sent before the outbox)
        return False
    subject, body = _render(kind, user, context)
    with transaction.atomic():
        _notice, created = SentNotice.objects.get_or_create(
            key=key, defaults={"certificate": certificate}
        )
        for covered in covered_keys:
            SentNotice.objects.get_or_create(key=covered, defaults={"certificate": certificate})
        if not created:
            return False
        notification = notify(
            recipient=user,
            kind=NOTIFICATION_KINDS[kind],
            about=certificate,
            version=key,
            title=subject,
            url=url or path_for(user, "path"),
            email_kind=f"certification_{kind}",
            email_subject=subject,
            email_text=body,
            documents=documents,
        )
    return notification is not None


# --- One function per kind of e-mail of the renewal and credentials work ----------------------
# (each owes its e-mail to the outbox under its unique key)


def renewal_reminder_send(
    *, certificate, key: str, covered_keys: list[str], days_left: int
) -> bool:
    """The renewal reminder for one threshold (once); the earlier thresholds that it covers are
    recorded with it so that they are never sent late."""
    return send_once(
        key=key,
        certificate=certificate,
        kind="renewal_reminder",
        user=certificate.holder,
        context={"certificate": certificate, "days_before": days_left},
        covered_keys=covered_keys,
    )


def _audit(audit_id: int):
    from certification.models import RenewalAudit

    return RenewalAudit.objects.select_related("certificate__holder").get(pk=audit_id)


def _audit_context(audit) -> dict:
    from certification.models import CertificationScheme

    scheme = CertificationScheme.objects.current()
    return {
        "audit": audit,
        "grace_days": scheme.renewal_audit_grace_days if scheme else 14,
        "certificate": audit.certificate,
        "audit_url": settings.SITE_URL + path_for(audit.certificate.holder, "audit", audit.pk),
    }


def _audit_notice(audit_id: int, kind: str) -> bool:
    """One e-mail to the audited holder, once per audit and kind."""
    audit = _audit(audit_id)
    return send_once(
        key=f"{kind.replace('_', '-')}:{audit.pk}",
        kind=kind,
        user=audit.certificate.holder,
        certificate=audit.certificate,
        context=_audit_context(audit),
        url=path_for(audit.certificate.holder, "audit", audit.pk),
    )


def audit_request_send(audit_id: int) -> bool:
    """Tell a drawn holder which evidence to upload, and by when."""
    return _audit_notice(audit_id, "audit_request")


def audit_reminder_send(audit_id: int) -> bool:
    """Remind the holder once the deadline has passed."""
    return _audit_notice(audit_id, "audit_reminder")


def audit_outcome_send(audit_id: int) -> bool:
    """Tell the holder the committee's outcome."""
    return _audit_notice(audit_id, "audit_outcome")


def audit_suspension_proposal_send(audit_id: int) -> int:
    """Propose to each committee member to suspend the certificate (once per member)."""
    from institut.models import User
    from institut.roles import Role

    audit = _audit(audit_id)
    members = User.objects.filter(groups__name=Role.COMMITTEE, is_active=True).distinct()
    sent = 0
    for member in members:
        context = {
            **_audit_context(audit),
            "committee_audit_url": settings.SITE_URL
            + path_for(member, "committee_audit", audit.pk),
        }
        sent += send_once(
            key=f"audit-proposal:{audit.pk}:{member.pk}",
            kind="audit_suspension_proposal",
            user=member,
            certificate=audit.certificate,
            context=context,
            url=path_for(member, "committee_audit", audit.pk),
        )
    return sent


def _tell_committee(application, *, version: str, title, text) -> int:
    """Tell each active committee member (not the applicant) about this application, once each
    per version, in the caller's transaction; `title` and `text` are lazy strings with
    %(applicant)s, rendered in each member's language."""
    from institut.models import User
    from institut.notifications.services import notify_each
    from institut.roles import Role

    members = User.objects.filter(groups__name=Role.COMMITTEE, is_active=True).distinct()
    applicant = application.applicant.get_full_name() or application.applicant.email
    return notify_each(
        members.exclude(pk=application.applicant_id),
        kind=Kind.APPLICATION_RECEIVED,
        about=application,
        version=version,
        render=lambda: {
            "title": str(title) % {"applicant": applicant},
            "text": str(text),
            "url": reverse("certification:committee_application", args=[application.pk]),
        },
    )


def application_received_notify(application) -> int:
    """Tell each committee member that an application arrived (once each), in its transaction."""
    return _tell_committee(
        application,
        version="submitted",
        title=_("Nouvelle candidature de %(applicant)s"),
        text=_("Elle attend l'examen de la commission."),
    )


def application_completed_notify(application, *, round_number: int) -> int:
    """A completed application is back: the committee is told it is ready to be examined again,
    and the applicant that the committee received what they added (once per completion, in its
    transaction). Returns how many people were told."""
    from institut.notifications.services import notify_in_language

    version = f"completed-{round_number}"
    told = _tell_committee(
        application,
        version=version,
        title=_("Candidature complétée par %(applicant)s"),
        text=_("Les compléments demandés sont joints : elle attend de nouveau l'examen."),
    )
    told += notify_in_language(
        application.applicant,
        kind=Kind.APPLICATION_RECEIVED,
        about=application,
        version=version,
        render=lambda: {
            "title": gettext("Vos compléments sont transmis à la commission"),
            "text": gettext(
                "Votre candidature est de nouveau examinée ; vous serez prévenu·e de la décision."
            ),
            "url": reverse("certification:path"),
        },
    )
    return told
