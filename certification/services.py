"""Every write of the certification app: charter acceptance, applications, opinions, decisions,
certificates and their status. Each state change is checked against one transitions table and
leaves an audit row; e-mails and PDFs are scheduled once the transaction commits.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from certification import permissions, selectors
from certification.credentials import services as credential_services
from certification.links import new_certificate_number
from certification.models import (
    Application,
    ApplicationDocument,
    ApplicationEvent,
    Certificate,
    CertificateEvent,
    CertificateStatus,
    CertificationScheme,
    CharterAcceptance,
    CharterVersion,
    PublicReason,
    SentNotice,
    SupervisorOpinion,
)
from certification.reasons import application_reason, certificate_reason
from institut.formats import date_text
from institut.models import User
from institut.reasons import Reason, reason_columns

AppStatus = Application.Status
CertStatus = CertificateStatus

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
MAX_DOCUMENTS = 5
PDF_MAGIC = b"%PDF-"


class TransitionError(ValidationError):
    """A change that the transitions table does not allow."""


# --- Transitions tables: the only place that says which change is allowed ----------------------

APPLICATION_TRANSITIONS: dict[str, frozenset[str]] = {
    AppStatus.SUBMITTED: frozenset(
        {AppStatus.GRANTED, AppStatus.REFUSED, AppStatus.MORE_REQUESTED}
    ),
    AppStatus.MORE_REQUESTED: frozenset({AppStatus.SUBMITTED, AppStatus.REFUSED}),
    AppStatus.GRANTED: frozenset(),
    AppStatus.REFUSED: frozenset(),
}

CERTIFICATE_TRANSITIONS: dict[str, frozenset[str]] = {
    CertStatus.ACTIVE: frozenset(
        {CertStatus.SUSPENDED, CertStatus.REVOKED, CertStatus.EXPIRED, CertStatus.INACTIVE}
    ),
    CertStatus.SUSPENDED: frozenset({CertStatus.ACTIVE, CertStatus.REVOKED, CertStatus.EXPIRED}),
    CertStatus.INACTIVE: frozenset({CertStatus.ACTIVE, CertStatus.REVOKED, CertStatus.EXPIRED}),
    CertStatus.EXPIRED: frozenset({CertStatus.REVOKED}),
    CertStatus.REVOKED: frozenset(),  # final
}
# A renewal extends the validity and makes the certificate active, from these statuses only.
RENEWABLE_FROM = frozenset({CertStatus.ACTIVE, CertStatus.EXPIRED})


def check_application_transition(from_status: str, to_status: str) -> None:
    if to_status not in APPLICATION_TRANSITIONS.get(from_status, frozenset()):
        raise TransitionError(
            _("Cette candidature ne peut pas passer de « %(from)s » à « %(to)s ».")
            % {"from": AppStatus(from_status).label, "to": AppStatus(to_status).label}
        )


def check_certificate_transition(
    from_status: str, to_status: str, *, renewal: bool = False
) -> None:
    allowed = (
        from_status in RENEWABLE_FROM and to_status == CertStatus.ACTIVE
        if renewal
        else to_status in CERTIFICATE_TRANSITIONS.get(from_status, frozenset())
    )
    if not allowed:
        raise TransitionError(
            _("Un certificat « %(from)s » ne peut pas devenir « %(to)s ».")
            % {"from": CertStatus(from_status).label, "to": CertStatus(to_status).label}
        )


def certificate_changes_from(certificate: Certificate) -> str:
    """The status a change of the certificate starts from: the one every page states now
    (selectors.effective_status), so that a certificate that reads « expiré » changes as an
    expired one does, before the daily run records it."""
    return selectors.effective_status(certificate).status


def allowed_certificate_changes(certificate: Certificate) -> frozenset[str]:
    """The statuses the committee may give the certificate now."""
    return CERTIFICATE_TRANSITIONS.get(certificate_changes_from(certificate), frozenset())


def check_certificate_change(
    certificate: Certificate, to_status: str, *, renewal: bool = False
) -> None:
    """Check a change of the certificate from the status it reads now. Recording as expired a
    certificate that already reads so (the daily run) starts from its recorded status."""
    current = selectors.effective_status(certificate)
    if not current.recorded and to_status == CertStatus.EXPIRED and not renewal:
        check_certificate_transition(certificate.status, to_status)
        return
    check_certificate_transition(current.status, to_status, renewal=renewal)


# --- Helpers ----------------------------------------------------------------------------------


def _after_commit(task, *args) -> None:
    transaction.on_commit(lambda: task.delay(*args))


def _owe_email(task, *args) -> None:
    """Owe the task's e-mail to the outbox now, in the transaction of the change that causes it
    (the task's body runs here; the task remains for messages queued before the outbox)."""
    task(*args)


def _move_application(
    application: Application,
    to_status: str,
    *,
    actor: User | None,
    action: str,
    reason: str | Reason = "",
) -> None:
    check_application_transition(application.status, to_status)
    ApplicationEvent.objects.create(
        application=application,
        actor=actor,
        action=action,
        from_status=application.status,
        to_status=to_status,
        **reason_columns(reason),
    )
    application.status = to_status
    if to_status in (AppStatus.GRANTED, AppStatus.REFUSED):
        application.decided_at = timezone.now()
        application.decided_by = actor
    application.save(update_fields=["status", "decided_at", "decided_by", "updated_at"])


def _stripped(reason: str | Reason | None) -> str | Reason:
    """A typed reason without its surrounding spaces; a fixed one as it is."""
    if isinstance(reason, Reason):
        return reason
    return (reason or "").strip()


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def check_document(upload: UploadedFile) -> None:
    """A PDF (checked by its first bytes, not its name) no larger than the limit."""
    if upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            _("« %(name)s » dépasse la taille maximale de %(size)s Mo.")
            % {"name": upload.name, "size": MAX_DOCUMENT_BYTES // (1024 * 1024)}
        )
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head != PDF_MAGIC:
        raise ValidationError(
            _("« %(name)s » n'est pas un fichier PDF : seuls les PDF sont acceptés.")
            % {"name": upload.name}
        )


def _attach(application: Application, documents: list[UploadedFile]) -> None:
    if len(documents) + application.documents.count() > MAX_DOCUMENTS:
        raise ValidationError(
            _("Vous pouvez joindre au plus %(count)s documents.") % {"count": MAX_DOCUMENTS}
        )
    for upload in documents:
        check_document(upload)
    for upload in documents:
        document = ApplicationDocument(
            application=application, original_name=upload.name[:255], size=upload.size
        )
        document.file.save(upload.name, upload, save=False)
        document.save()


# --- Charter ----------------------------------------------------------------------------------


@transaction.atomic
def charter_accept(*, user: User, charter: CharterVersion) -> CharterAcceptance:
    """Record that the person accepted this version of the charter, today (once per version)."""
    current = selectors.current_charter()
    if current is None or charter.pk != current.pk:
        raise ValidationError(_("Seule la version en vigueur de la charte peut être acceptée."))
    acceptance, _created = CharterAcceptance.objects.get_or_create(user=user, charter=charter)
    return acceptance


# --- Applications -----------------------------------------------------------------------------


@transaction.atomic
def application_submit(
    *,
    applicant: User,
    statement: str,
    documents: list[UploadedFile] | None = None,
    certificate: Certificate | None = None,
) -> Application:
    """A trainee applies (or a holder applies for renewal) once every requirement is met."""
    from certification import tasks

    statement = statement.strip()
    if not statement:
        raise ValidationError({"statement": _("Présentez votre candidature en quelques lignes.")})
    User.objects.select_for_update().filter(pk=applicant.pk).first()  # one application at a time
    if certificate is not None:
        if certificate.holder_id != applicant.pk:
            raise PermissionDenied
        result = selectors.renewal_eligibility(certificate)
    else:
        result = selectors.eligibility(applicant)
    current = certificate or selectors.certificate_of(applicant)
    if not selectors.can_apply(applicant, result, current):
        if not result.met:
            raise ValidationError(
                _("Toutes les conditions ne sont pas remplies : %(missing)s.")
                % {"missing": ", ".join(str(r.label) for r in result.unmet)}
            )
        raise ValidationError(_("Vous avez déjà une candidature en cours ou un certificat."))
    application = Application.objects.create(
        applicant=applicant,
        kind=result.kind,
        scheme=result.scheme,
        certificate=certificate,
        statement=statement,
        eligibility_snapshot=result.snapshot(),
    )
    _attach(application, documents or [])
    ApplicationEvent.objects.create(
        application=application,
        actor=applicant,
        action="submitted",
        to_status=AppStatus.SUBMITTED,
    )
    _owe_email(tasks.notify_application_submitted, application.pk)
    from certification import notifications

    notifications.application_received_notify(application)
    return application


@transaction.atomic
def application_complete(
    *, application: Application, applicant: User, statement: str, documents=None
) -> Application:
    """The applicant answers the committee's request for more, and the application is back."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.applicant_id != applicant.pk:
        raise PermissionDenied
    statement = statement.strip()
    if not statement:
        raise ValidationError({"statement": _("Indiquez ce que vous ajoutez à votre candidature.")})
    check_application_transition(application.status, AppStatus.SUBMITTED)
    _attach(application, documents or [])
    application.statement = (
        f"{application.statement}\n\n— {date_text(timezone.localdate())} —\n{statement}"
    )
    application.save(update_fields=["statement", "updated_at"])
    _move_application(
        application, AppStatus.SUBMITTED, actor=applicant, action="completed", reason=statement
    )
    from certification import notifications

    notifications.application_completed_notify(
        application, round_number=application.events.filter(action="completed").count()
    )
    return application


@transaction.atomic
def opinion_give(
    *,
    application: Application,
    supervisor: User,
    verdict: str,
    text: str,
    at: datetime | None = None,
) -> SupervisorOpinion:
    """An assigned supervisor gives (once) an opinion on an open application; `at`, when it was
    given, is now unless an opinion of the past is recorded (the demo's past decisions)."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not permissions.can_give_opinion(supervisor, application):
        raise PermissionDenied
    if not application.is_open:
        raise ValidationError(_("Cette candidature a déjà été décidée."))
    if verdict not in SupervisorOpinion.Verdict.values:
        raise ValidationError({"verdict": _("Choisissez un avis.")})
    if not text.strip():
        raise ValidationError({"text": _("Motivez votre avis en quelques lignes.")})
    if SupervisorOpinion.objects.filter(application=application, supervisor=supervisor).exists():
        raise ValidationError(_("Vous avez déjà donné votre avis sur cette candidature."))
    at = at or timezone.now()
    opinion = SupervisorOpinion.objects.create(
        application=application,
        supervisor=supervisor,
        verdict=verdict,
        text=text.strip(),
        given_at=at,
    )
    ApplicationEvent.objects.create(
        application=application,
        actor=supervisor,
        action=f"opinion_{verdict}",
        from_status=application.status,
        to_status=application.status,
        reason=text.strip(),
        at=at,
    )
    return opinion


@transaction.atomic
def application_withdraw(
    *, application: Application, actor: User, reason: str | Reason
) -> Application:
    """An open application is withdrawn (today: its applicant's account is erased); it ends as
    refused, with the reason, so that no decision can be taken on it any more."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if actor.pk != application.applicant_id:
        raise PermissionDenied
    _move_application(
        application, AppStatus.REFUSED, actor=actor, action="withdrawn", reason=_stripped(reason)
    )
    return application


def check_opinion_given(application: Application) -> None:
    """A first certification is granted only after a supervisor's opinion, when the scheme says
    so; nothing changes when it is missing (the committee waits for it)."""
    scheme = selectors.current_scheme() or application.scheme
    if (
        application.kind == Application.Kind.INITIAL
        and scheme.requires_supervisor_opinion
        and not application.opinions.exists()
    ):
        raise ValidationError(
            {
                "decision": _(
                    "La certification ne peut pas être accordée sans l'avis d'un·e superviseur·e "
                    "du ou de la candidat·e : le référentiel l'exige. Attendez cet avis ou "
                    "demandez des compléments."
                )
            }
        )


class Decision:
    GRANT = "grant"
    REFUSE = "refuse"
    ASK_MORE = "ask_more"
    choices = (GRANT, REFUSE, ASK_MORE)


@transaction.atomic
def application_decide(
    *, application: Application, actor: User, decision: str, reason: str = ""
) -> Application:
    """The committee grants, refuses (with a reason) or asks for more (with a comment).

    A grant computes eligibility again from the records, inside this transaction, with the
    application row locked: if a requirement no longer holds, the application is refused instead,
    with the reason, and no certificate is issued.
    """
    from certification import tasks

    if not permissions.can_decide(actor):
        raise PermissionDenied
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("applicant", "certificate")
        .get(pk=application.pk)
    )
    reason = reason.strip()
    if decision == Decision.REFUSE:
        if not reason:
            raise ValidationError({"reason": _("Un refus doit être motivé.")})
        _move_application(
            application, AppStatus.REFUSED, actor=actor, action="refused", reason=reason
        )
    elif decision == Decision.ASK_MORE:
        if not reason:
            raise ValidationError({"reason": _("Dites ce qui manque à la candidature.")})
        _move_application(
            application,
            AppStatus.MORE_REQUESTED,
            actor=actor,
            action="more_requested",
            reason=reason,
        )
    elif decision == Decision.GRANT:
        check_application_transition(application.status, AppStatus.GRANTED)
        check_opinion_given(application)
        if application.kind == Application.Kind.RENEWAL:
            certificate = Certificate.objects.select_for_update().get(pk=application.certificate_id)
            result = selectors.renewal_eligibility(certificate)
        else:
            result = selectors.eligibility(application.applicant)
        if not result.met:
            refusal = application_reason(
                "grant_refused",
                missing=[
                    {"code": r.code, "done": r.done, "needed": r.needed, "unit": r.unit}
                    for r in result.unmet
                ],
            )
            _move_application(
                application, AppStatus.REFUSED, actor=actor, action="grant_refused", reason=refusal
            )
        else:
            _move_application(
                application, AppStatus.GRANTED, actor=actor, action="granted", reason=reason
            )
            if application.kind == Application.Kind.RENEWAL:
                certificate_renew(
                    certificate=certificate, actor=actor, scheme=result.scheme, reason=reason
                )
            else:
                certificate_issue(application=application, actor=actor, scheme=result.scheme)
    else:
        raise ValidationError({"decision": _("Choisissez une décision.")})
    _owe_email(tasks.notify_application_decided, application.pk)
    return application


# --- Certificates -----------------------------------------------------------------------------


def unique_certificate_number(year: int) -> str:
    for _attempt in range(20):
        number = new_certificate_number(year=year)
        if not Certificate.objects.filter(number=number).exists():
            return number
    raise RuntimeError("Could not draw a free certificate number.")


def certificate_record(
    *,
    holder: User,
    scheme: CertificationScheme,
    actor: User | None,
    issued_on: date,
    valid_until: date | None = None,
    application: Application | None = None,
    reason: str | Reason,
) -> tuple[Certificate, CertificateEvent]:
    """The one place where a certificate is written: active, numbered, its scheme frozen, with
    its first event (in the caller's transaction; no PDF, no e-mail)."""
    valid_until = valid_until or add_years(issued_on, scheme.validity_years)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(
                    number=unique_certificate_number(issued_on.year),
                    holder=holder,
                    holder_name=holder.full_name or holder.email,
                    application=application,
                    scheme=scheme,
                    scheme_name=scheme.name,
                    scheme_version=scheme.version,
                    scheme_snapshot=scheme.snapshot(),
                    first_issued_on=issued_on,
                    issued_on=issued_on,
                    valid_until=valid_until,
                    status=CertStatus.ACTIVE,
                    status_changed_on=issued_on,
                )
            break
        except IntegrityError:  # a number drawn twice at the same moment: draw again
            continue
    else:
        raise RuntimeError("Could not store a certificate number.")
    event = CertificateEvent.objects.create(
        certificate=certificate,
        actor=actor,
        from_status="",
        to_status=CertStatus.ACTIVE,
        public_reason=PublicReason.ISSUED,
        **reason_columns(reason),
        effective_on=issued_on,
        valid_until=valid_until,
    )
    return certificate, event


def certificate_issue(
    *,
    application: Application,
    actor: User,
    scheme: CertificationScheme,
    today: date | None = None,
) -> Certificate:
    """Issue the certificate of a granted application (called inside application_decide)."""
    from certification import tasks

    certificate, event = certificate_record(
        holder=application.applicant,
        scheme=scheme,
        actor=actor,
        issued_on=today or timezone.localdate(),
        application=application,
        reason=certificate_reason("granted"),
    )
    # Its place in the published status lists, drawn in the same transaction as the grant.
    credential_services.status_entries_ensure(certificate=certificate)
    _after_commit(tasks.generate_certificate_pdf, certificate.pk)
    _owe_email(tasks.notify_certificate_event, event.pk)
    return certificate


@transaction.atomic
def certificate_renew(
    *,
    certificate: Certificate,
    actor: User,
    scheme: CertificationScheme,
    reason: str = "",
    today: date | None = None,
) -> Certificate:
    """Extend the same certificate for a new validity period (called by application_decide)."""
    today = today or timezone.localdate()
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    # An active certificate renewed early continues from its end; an expired one from today.
    start = today
    if certificate.status == CertStatus.ACTIVE:
        start = max(today, certificate.valid_until)
    return certificate_change_status(
        certificate=certificate,
        to_status=CertStatus.ACTIVE,
        actor=actor,
        reason=reason or certificate_reason("renewed"),
        public_reason=PublicReason.RENEWED,
        effective_on=today,
        renewal=(start, add_years(start, scheme.validity_years), scheme),
    )


@transaction.atomic
def certificate_change_status(
    *,
    certificate: Certificate,
    to_status: str,
    actor: User | None,
    reason: str | Reason,
    public_reason: str,
    effective_on: date,
    renewal: tuple[date, date, CertificationScheme] | None = None,
) -> Certificate:
    """The one way a certificate's status changes: checked, reasoned, dated, recorded, announced.

    `actor` may be None only for the automatic expiry. `renewal` is (new period start, new
    valid-until date, scheme) when a renewal extends the certificate.
    """
    from certification import tasks

    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    reason = _stripped(reason)
    if actor is None and to_status != CertStatus.EXPIRED:
        raise PermissionDenied
    if actor is not None and not permissions.can_change_status(actor, certificate, to_status):
        raise PermissionDenied
    errors = {}
    if not reason:
        errors["reason"] = _("Indiquez le motif de ce changement.")
    if public_reason not in PublicReason.values:
        errors["public_reason"] = _("Choisissez le motif public.")
    if effective_on is None:
        errors["effective_on"] = _("Indiquez la date d'effet.")
    if errors:
        raise ValidationError(errors)
    check_certificate_change(certificate, to_status, renewal=renewal is not None)
    if actor is not None and renewal is None:
        _check_in_date_order(certificate, to_status, effective_on)
    if to_status != CertStatus.EXPIRED and not selectors.effective_status(certificate).recorded:
        # It reads « expiré »: the change starts from the expiry, recorded first as the daily
        # run records it (which then finds nothing left to do).
        certificate = certificate_expire(certificate=certificate)
    from_status = certificate.status
    fields = ["status", "status_changed_on"]
    if renewal is not None:
        start, until, scheme = renewal
        certificate.issued_on = start
        certificate.valid_until = until
        certificate.scheme = scheme
        certificate.scheme_name = scheme.name
        certificate.scheme_version = scheme.version
        certificate.scheme_snapshot = scheme.snapshot()
        fields += ["issued_on", "valid_until", "scheme", "scheme_name", "scheme_version"]
        fields += ["scheme_snapshot"]
    certificate.status = to_status
    certificate.status_changed_on = effective_on
    # The event first: PostgreSQL accepts the certificate's new status and validity only once
    # this transaction has recorded the event that announces them.
    event = CertificateEvent.objects.create(
        certificate=certificate,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        public_reason=public_reason,
        **reason_columns(reason),
        effective_on=effective_on,
        valid_until=certificate.valid_until,
    )
    certificate.save(update_fields=fields)
    # The published status lists say the same thing from the same commit on.
    credential_services.status_bits_apply(certificate=certificate)
    _owe_email(tasks.notify_certificate_event, event.pk)
    if renewal is not None:
        _after_commit(tasks.generate_certificate_pdf, certificate.pk)
    return certificate


# --- Renewal: reminders and expiry (the daily beat task) --------------------------------------

REMINDER_DAYS = (90, 30, 0)


def certificates_expire_due(*, today: date | None = None) -> list[Certificate]:
    """Record as expired every certificate whose last valid day is over (once each), from the
    day after it: the date effective_status already states."""
    today = today or timezone.localdate()
    return [
        certificate_expire(certificate=certificate)
        for certificate in selectors.due_for_expiry(today)
    ]


def _check_in_date_order(certificate: Certificate, to_status: str, effective_on: date) -> None:
    """A change dated before the certificate's last recorded event (or before the expiry recorded
    first when it reads « expiré ») is refused: its history reads in date order."""
    latest = CertificateEvent.objects.filter(certificate=certificate).aggregate(
        latest=Max("effective_on")
    )["latest"]
    if to_status != CertStatus.EXPIRED and not selectors.effective_status(certificate).recorded:
        latest = max(filter(None, [latest, selectors.expiry_date(certificate)]))
    if latest is not None and effective_on < latest:
        raise ValidationError(
            {
                "effective_on": _(
                    "La date d'effet ne peut pas précéder le %(date)s, date du dernier "
                    "événement de l'historique du certificat."
                )
                % {"date": date_text(latest)}
            }
        )


def certificate_expire(*, certificate: Certificate) -> Certificate:
    """Record that the certificate expired, as of the day after its last valid day (automatic,
    no actor): by the daily run, or first of a change made while it reads « expiré »."""
    return certificate_change_status(
        certificate=certificate,
        to_status=CertStatus.EXPIRED,
        actor=None,
        reason=certificate_reason("expired", date=certificate.valid_until.isoformat()),
        public_reason=PublicReason.EXPIRED,
        effective_on=selectors.expiry_date(certificate),
    )


def reminders_due(*, today: date | None = None) -> list[tuple[Certificate, int, list[int]]]:
    """Active certificates with a reminder threshold passed and not yet sent: each with the
    threshold to send now (the most recent one passed) and every passed threshold it covers.

    A run that did not happen is caught up by the next one: a certificate 29 days from its end
    whose 30-day reminder was never sent gets it today, once; a threshold skipped over is never
    sent late after a later one (its key is recorded as covered).
    """
    today = today or timezone.localdate()
    certificates = list(
        Certificate.objects.filter(
            status=CertStatus.ACTIVE,
            valid_until__gte=today,
            valid_until__lte=today + timedelta(days=max(REMINDER_DAYS)),
        ).select_related("holder")
    )
    passed = {
        certificate.pk: [
            days
            for days in REMINDER_DAYS
            if today >= certificate.valid_until - timedelta(days=days)
        ]
        for certificate in certificates
    }
    keys = {
        reminder_key(certificate, days)
        for certificate in certificates
        for days in passed[certificate.pk]
    }
    done = set(SentNotice.objects.filter(key__in=keys).values_list("key", flat=True))
    due = []
    for certificate in certificates:
        unsent = [d for d in passed[certificate.pk] if reminder_key(certificate, d) not in done]
        if unsent:
            due.append((certificate, min(unsent), unsent))
    return due


def reminder_key(certificate: Certificate, days_before: int) -> str:
    return f"reminder:{certificate.pk}:{certificate.valid_until.isoformat()}:{days_before}"


def renewal_run(*, today: date | None = None) -> dict:
    """The daily renewal work: reminders first (each threshold once, missed ones caught up),
    then expiries."""
    from certification import notifications

    today = today or timezone.localdate()
    sent = 0
    for certificate, threshold, covered in reminders_due(today=today):
        if notifications.renewal_reminder_send(
            certificate=certificate,
            key=reminder_key(certificate, threshold),
            covered_keys=[reminder_key(certificate, d) for d in covered if d != threshold],
            days_left=(certificate.valid_until - today).days,
        ):
            sent += 1
    expired = certificates_expire_due(today=today)
    return {"reminders": sent, "expired": len(expired)}
