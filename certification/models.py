"""The TST® certification: the scheme, the ethical charter, applications, certificates and their
history. Certificates and their events are permanent records (PROTECT, never deleted).
"""

from __future__ import annotations

import uuid
from datetime import date

import pgtrigger
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certification import reasons
from institut.fields import BoundedTextField
from institut.method import Step
from institut.permanent import (
    NOT_ERASING_SQL,
    AuditRow,
    NeverDeletedModel,
    PermanentModel,
    permanent_triggers,
    refuse_delete,
)
from institut.reasons import REASON_PERSONAL, CodedReason

DEFAULT_SCHEME_NAME = "Intervenant·e en Thérapie Sociale TST®"
# What staff may type: a scheme's description goes into every badge, a charter is a few pages.
DESCRIPTION_MAX_LENGTH = 2000
CHARTER_MAX_LENGTH = 20_000


# --- The scheme and the charter ---------------------------------------------------------------


class CertificationSchemeQuerySet(models.QuerySet):
    def current(self) -> CertificationScheme | None:
        """The scheme in force: the most recent active one."""
        return self.filter(is_active=True).order_by("-pk").first()


class CertificationScheme(models.Model):
    """What the TST® mark requires; each save bumps the version, certificates keep a snapshot."""

    name = models.CharField(
        _("nom de la certification"), max_length=200, default=DEFAULT_SCHEME_NAME
    )
    description = BoundedTextField(
        _("description"),
        max_length=DESCRIPTION_MAX_LENGTH,
        blank=True,
        help_text=_("Ce que la certification atteste ; repris dans le badge numérique."),
    )
    # The English wording beside the French (README, *Translations*): a scheme is one versioned
    # record that certificates point at, not a page with a translation per language.
    name_en = models.CharField(
        _("nom de la certification (anglais)"),
        max_length=200,
        blank=True,
        help_text=_("Affiché sur les pages en anglais ; vide : le nom français."),
    )
    description_en = BoundedTextField(
        _("description (anglais)"), max_length=DESCRIPTION_MAX_LENGTH, blank=True
    )
    is_active = models.BooleanField(_("en vigueur"), default=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    required_course_keys = models.JSONField(
        _("formations requises"),
        default=list,
        blank=True,
        help_text=_("Les formations à terminer, toutes langues confondues."),
    )
    min_practice_hours = models.PositiveIntegerField(
        _("heures de pratique approuvées (total)"), default=120
    )
    min_hours_confiance = models.PositiveIntegerField(Step.CONFIANCE.label, default=10)
    min_hours_contrat = models.PositiveIntegerField(Step.CONTRAT.label, default=10)
    min_hours_sous_groupes = models.PositiveIntegerField(Step.SOUS_GROUPES.label, default=10)
    min_hours_conflits = models.PositiveIntegerField(Step.CONFLITS.label, default=10)
    min_hours_informations = models.PositiveIntegerField(Step.INFORMATIONS.label, default=10)
    min_hours_intelligence = models.PositiveIntegerField(Step.INTELLIGENCE.label, default=10)
    min_hours_solutions = models.PositiveIntegerField(Step.SOLUTIONS.label, default=10)
    min_supervision_hours = models.PositiveIntegerField(
        _("heures de supervision suivies"), default=20
    )
    min_training_hours = models.PositiveIntegerField(
        _("heures de formation en session réalisées"),
        default=0,
        help_text=_(
            "Heures de sessions de formation (en salle ou en visioconférence) attestées par les "
            "feuilles d'émargement signées. Zéro : pas d'exigence."
        ),
    )
    requires_charter = models.BooleanField(
        _("acceptation de la charte éthique en vigueur"), default=True
    )
    requires_supervisor_opinion = models.BooleanField(
        _("avis d'un·e superviseur·e requis avant d'accorder"),
        default=True,
        help_text=_(
            "Pour une première certification, la commission ne peut accorder qu'après l'avis "
            "d'au moins un·e superviseur·e du ou de la candidat·e."
        ),
    )
    validity_years = models.PositiveSmallIntegerField(_("durée de validité (années)"), default=3)
    renewal_supervision_hours = models.PositiveIntegerField(
        _("heures de supervision pour le renouvellement"),
        default=30,
        help_text=_("Supervision suivie pendant la période de validité du certificat."),
    )
    renewal_audit_percent = models.PositiveSmallIntegerField(
        _("part des renouvellements audités (%)"),
        default=10,
        validators=[MaxValueValidator(100)],
        help_text=_("Tirée au sort chaque mois parmi les renouvellements du mois précédent."),
    )
    renewal_audit_deadline_days = models.PositiveSmallIntegerField(
        _("délai pour déposer les justificatifs (jours)"), default=30
    )
    renewal_audit_grace_days = models.PositiveSmallIntegerField(
        _("délai après le rappel avant la proposition de suspension (jours)"), default=14
    )
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = CertificationSchemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("référentiel de certification")
        verbose_name_plural = _("référentiels de certification")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            self.version = (
                CertificationScheme.objects.filter(pk=self.pk)
                .values_list("version", flat=True)
                .first()
                or 0
            ) + 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version", "updated_at"}
        super().save(*args, **kwargs)

    def step_minimums(self) -> dict[str, int]:
        """Hours required per step of the method, keyed by step code."""
        return {step.value: getattr(self, f"min_hours_{step.value}") for step in Step}

    def snapshot(self) -> dict:
        """The requirements as plain data, frozen on each certificate and decision."""
        return {
            "scheme_id": self.pk,
            "name": self.name,
            "description": self.description,
            "version": self.version,
            "required_course_keys": [str(key) for key in self.required_course_keys],
            "min_practice_hours": self.min_practice_hours,
            "min_step_hours": self.step_minimums(),
            "min_supervision_hours": self.min_supervision_hours,
            "min_training_hours": self.min_training_hours,
            "requires_charter": self.requires_charter,
            "requires_supervisor_opinion": self.requires_supervisor_opinion,
            "validity_years": self.validity_years,
            "renewal_supervision_hours": self.renewal_supervision_hours,
            "renewal_audit_percent": self.renewal_audit_percent,
        }

    def delete(self, *args, **kwargs):
        if self.certificates.exists() or self.applications.exists():
            raise ProtectedError("A scheme that certificates refer to is kept.", {self})
        return super().delete(*args, **kwargs)


class CharterVersionQuerySet(models.QuerySet):
    def current(self) -> CharterVersion | None:
        """The version in force: the most recently published one."""
        return (
            self.filter(published_on__lte=timezone.localdate()).order_by("-version", "-pk").first()
        )


class CharterVersion(models.Model):
    """One version of the ethical charter; accepted versions are kept as they were."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    title = models.CharField(_("titre"), max_length=200, default="Charte éthique TST®")
    body = BoundedTextField(_("texte"), max_length=CHARTER_MAX_LENGTH)
    # The English wording of the same version (an accepted version stays one record).
    title_en = models.CharField(_("titre (anglais)"), max_length=200, blank=True)
    body_en = BoundedTextField(
        _("texte (anglais)"),
        max_length=CHARTER_MAX_LENGTH,
        blank=True,
        help_text=_("Affiché sur les pages en anglais ; vide : le texte français."),
    )
    published_on = models.DateField(_("en vigueur à partir du"), default=timezone.localdate)

    objects = CharterVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("version de la charte éthique")
        verbose_name_plural = _("versions de la charte éthique")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    def delete(self, *args, **kwargs):
        if self.acceptances.exists():
            raise ProtectedError("An accepted charter version is kept.", {self})
        return super().delete(*args, **kwargs)


class CharterAcceptance(models.Model):
    """A person accepted a version of the charter on this date.

    Permanent: PostgreSQL refuses its UPDATE and DELETE.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="charter_acceptances"
    )
    charter = models.ForeignKey(
        CharterVersion, on_delete=models.PROTECT, related_name="acceptances"
    )
    accepted_at = models.DateTimeField(_("acceptée le"), default=timezone.now)

    class Meta:
        verbose_name = _("acceptation de la charte")
        verbose_name_plural = _("acceptations de la charte")
        constraints = [
            models.UniqueConstraint(fields=["user", "charter"], name="one_acceptance_per_version")
        ]
        triggers = permanent_triggers()

    def __str__(self) -> str:
        return f"{self.user} · v{self.charter.version}"


# --- Applications -----------------------------------------------------------------------------


class Application(NeverDeletedModel):
    """A request for the TST® mark (or its renewal), from submission to the committee's decision.

    Once decided (granted or refused), the row is permanent: PostgreSQL refuses its UPDATE and
    DELETE; only a GDPR erasure rewrites the applicant's `statement`.
    """

    class Kind(models.TextChoices):
        INITIAL = "initial", _("première certification")
        RENEWAL = "renewal", _("renouvellement")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("en attente de décision")
        MORE_REQUESTED = "more_requested", _("compléments demandés")
        GRANTED = "granted", _("accordée")
        REFUSED = "refused", _("refusée")

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("candidat·e"),
        on_delete=models.PROTECT,
        related_name="certification_applications",
    )
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices, default=Kind.INITIAL)
    scheme = models.ForeignKey(
        CertificationScheme, on_delete=models.PROTECT, related_name="applications"
    )
    certificate = models.ForeignKey(
        "certification.Certificate",
        verbose_name=_("certificat renouvelé"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewal_applications",
    )
    statement = models.TextField(_("présentation de la candidature"))
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    eligibility_snapshot = models.JSONField(_("conditions à la candidature"), default=dict)
    submitted_at = models.DateTimeField(_("déposée le"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("candidature")
        verbose_name_plural = _("candidatures")
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["status", "submitted_at"])]
        triggers = permanent_triggers(
            personal=["statement"], rows=pgtrigger.Q(old__status__in=["granted", "refused"])
        )

    def __str__(self) -> str:
        return f"{self.applicant} · {self.get_kind_display()} · {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.SUBMITTED, self.Status.MORE_REQUESTED)


def document_upload_to(instance: ApplicationDocument, filename: str) -> str:
    return f"certification/candidatures/{uuid.uuid4().hex}.pdf"


class ApplicationDocument(models.Model):
    """A PDF the applicant joined to the application (training record, reference, ...)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="documents")
    file = models.FileField(_("document"), upload_to=document_upload_to)
    original_name = models.CharField(_("nom du fichier"), max_length=255)
    size = models.PositiveIntegerField(_("taille (octets)"))
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


APPLICATION_ACTIONS = {
    "submitted": _("Candidature déposée"),
    "completed": _("Candidature complétée"),
    "opinion_favourable": _("Avis favorable"),
    "opinion_reserved": _("Avis réservé"),
    "opinion_unfavourable": _("Avis défavorable"),
    "more_requested": _("Compléments demandés"),
    "granted": _("Certification accordée"),
    "refused": _("Candidature refusée"),
    "grant_refused": _("Refusée au moment d'accorder : condition non remplie"),
    "withdrawn": _("Candidature retirée"),
}
# The committee's decisions: a grant, a refusal, or a grant refused because a requirement no longer
# held at that moment (a withdrawal also ends as refused, but nobody decided it).
DECISION_ACTIONS = ("granted", "refused", "grant_refused")


class ApplicationEvent(AuditRow, CodedReason):
    """One change of an application: who, when, from which status to which, and why.

    The committee's decisions are these rows. Permanent: PostgreSQL refuses UPDATE and DELETE;
    only a GDPR erasure rewrites `reason` (which may quote the applicant).
    """

    ACTIONS = APPLICATION_ACTIONS
    REASONS = reasons.APPLICATION_REASONS

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="events")

    class Meta(AuditRow.Meta):
        triggers = permanent_triggers(personal=REASON_PERSONAL)

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_status or '∅'} → {self.to_status}"


class SupervisorOpinion(models.Model):
    """What an assigned supervisor thinks of the application, for the committee."""

    class Verdict(models.TextChoices):
        FAVOURABLE = "favourable", _("favorable")
        RESERVED = "reserved", _("réservé")
        UNFAVOURABLE = "unfavourable", _("défavorable")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="opinions")
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    verdict = models.CharField(_("avis"), max_length=16, choices=Verdict.choices)
    text = models.TextField(_("motivation"))
    given_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("avis du ou de la superviseur·e")
        verbose_name_plural = _("avis des superviseur·es")
        ordering = ["given_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "supervisor"], name="one_opinion_per_supervisor"
            )
        ]

    def __str__(self) -> str:
        return f"{self.supervisor} · {self.get_verdict_display()}"


# --- Certificates -----------------------------------------------------------------------------


class CertificateStatus(models.TextChoices):
    """A certificate's status, named with the same word wherever a person reads it: the holder's
    pages, the public registry and verification, the PDF, the e-mails, the committee's pages."""

    ACTIVE = "active", _("valide")
    SUSPENDED = "suspended", _("suspendu")
    REVOKED = "revoked", _("retiré")
    EXPIRED = "expired", _("expiré")
    INACTIVE = "inactive", _("en retrait volontaire")


class PublicReason(models.TextChoices):
    """Why a status changed, as the public registry may show it (the detailed reason is private)."""

    ISSUED = "issued", _("Délivrance de la certification")
    RENEWED = "renewed", _("Renouvellement")
    EXPIRED = "expired", _("Fin de la période de validité")
    SUPERVISION = "supervision", _("Supervision insuffisante")
    ETHICS = "ethics", _("Manquement à la charte éthique")
    HOLDER_REQUEST = "holder_request", _("À la demande du ou de la titulaire")
    REINSTATED = "reinstated", _("Rétablissement après examen")
    ADMINISTRATIVE = "administrative", _("Décision de la commission")


class CertificateQuerySet(models.QuerySet):
    def listed(self):
        """Certificates that the registry may show: every issued one, with the holder."""
        return self.select_related("holder")

    def active(self):
        return self.filter(status=CertificateStatus.ACTIVE)


def certificate_pdf_upload_to(instance: Certificate, filename: str) -> str:
    return f"certification/certificats/{instance.number}-{uuid.uuid4().hex[:8]}.pdf"


# The columns of a certificate that change with a status change or a renewal, and then only if
# the same transaction recorded, first, the CertificateEvent that says so.
CERTIFICATE_EVENT_FIELDS = (
    "status",
    "status_changed_on",
    "issued_on",
    "valid_until",
    "scheme",
    "scheme_name",
    "scheme_version",
    "scheme_snapshot",
)
# The columns that change freely: the PDF, regenerated by its task.
CERTIFICATE_FREE_FIELDS = ("pdf", "pdf_valid_until")


class CertificateChangeNeedsEvent(pgtrigger.Trigger):
    """PostgreSQL refuses a certificate UPDATE that is not a recorded status change.

    The status service records the CertificateEvent first, then updates the certificate in the
    same transaction; the event's `transaction_id` is the transaction's id, written by the
    database itself when the event is inserted. An UPDATE of the status or validity columns
    goes through only if an event of this certificate, inserted by this very transaction,
    announces the new status and valid-until date. The PDF columns change freely, the holder's
    name only inside a GDPR erasure, and everything else (the number, the holder, the first
    issue) never. Checking an event row of the same transaction is immediate (no deferred
    trigger to wait for at commit), works inside savepoints (txid_current() is the top-level
    transaction's), and needs no state outside the two tables.
    """

    when = pgtrigger.Before
    operation = pgtrigger.Update

    def get_func(self, model):
        columns = {field.name: field.column for field in model._meta.fields}
        bound = [columns[name] for name in CERTIFICATE_EVENT_FIELDS]
        free = [columns[name] for name in CERTIFICATE_FREE_FIELDS]
        excluded = "'{" + ",".join([*bound, *free, columns["holder_name"]]) + "}'::text[]"
        new_bound = ", ".join(f"NEW.{column}" for column in bound)
        old_bound = ", ".join(f"OLD.{column}" for column in bound)
        return self.format_sql(
            f"""
            IF to_jsonb(NEW) - {excluded} IS DISTINCT FROM to_jsonb(OLD) - {excluded} THEN
                RAISE EXCEPTION 'permanent record: UPDATE on % refused (the number, holder and
                    first issue of certificate % never change)', TG_TABLE_NAME, OLD.number;
            END IF;
            IF NEW.holder_name IS DISTINCT FROM OLD.holder_name AND {NOT_ERASING_SQL} THEN
                RAISE EXCEPTION 'permanent record: UPDATE on % refused (the holder name of
                    certificate % changes only in an erasure)', TG_TABLE_NAME, OLD.number;
            END IF;
            IF ROW({new_bound}) IS DISTINCT FROM ROW({old_bound}) AND NOT EXISTS (
                SELECT 1 FROM certification_certificateevent AS event
                WHERE event.certificate_id = NEW.id
                    AND event.transaction_id = txid_current()
                    AND event.to_status = NEW.status
                    AND event.valid_until = NEW.valid_until
            ) THEN
                RAISE EXCEPTION 'permanent record: UPDATE on % refused (certificate % changes
                    status or validity only through its status service, which records the event
                    first in the same transaction)', TG_TABLE_NAME, OLD.number;
            END IF;
            RETURN NEW;
            """
        )


class Certificate(NeverDeletedModel):
    """The TST® mark held by a practitioner: a number, validity dates, a status with its history.

    Permanent: PostgreSQL refuses its DELETE, and any UPDATE but a status change recorded by its
    event in the same transaction, the PDF's regeneration, and a GDPR erasure of the holder's
    name (see CertificateChangeNeedsEvent).
    """

    number = models.CharField(_("numéro"), max_length=20, unique=True)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("titulaire"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    holder_name = models.CharField(_("nom du ou de la titulaire"), max_length=150)
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, null=True, blank=True, related_name="issued"
    )
    scheme = models.ForeignKey(
        CertificationScheme, on_delete=models.PROTECT, related_name="certificates"
    )
    scheme_name = models.CharField(_("certification"), max_length=200)
    scheme_version = models.PositiveIntegerField(_("version du référentiel"))
    scheme_snapshot = models.JSONField(_("exigences au moment de la délivrance"), default=dict)
    first_issued_on = models.DateField(_("première délivrance le"))
    issued_on = models.DateField(_("période de validité en cours depuis le"))
    valid_until = models.DateField(_("valable jusqu'au"))
    status = models.CharField(
        _("statut"),
        max_length=16,
        choices=CertificateStatus.choices,
        default=CertificateStatus.ACTIVE,
    )
    status_changed_on = models.DateField(_("statut depuis le"))
    pdf = models.FileField(_("PDF"), upload_to=certificate_pdf_upload_to, blank=True)
    pdf_valid_until = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificat")
        verbose_name_plural = _("certificats")
        ordering = ["-first_issued_on", "-pk"]
        indexes = [models.Index(fields=["status", "valid_until"])]
        triggers = [
            refuse_delete(),
            CertificateChangeNeedsEvent(name="certificate_changes_with_event"),
        ]

    def __str__(self) -> str:
        return self.number

    def days_left(self, today: date | None = None) -> int:
        return (self.valid_until - (today or timezone.localdate())).days

    def scheme_wording(self):
        """The name it was issued under, in the active language when its scheme still bears
        that name and has it in that language (a Wording: `|lang_attr` marks French)."""
        return scheme_name_wording(self.scheme_name, self.scheme)


def scheme_name_wording(issued_name: str, scheme: CertificationScheme | None):
    """`issued_name` in the active language if `scheme` still bears it, else as issued."""
    from django.conf import settings as django_settings

    from institut.content_language import Wording, translated_field

    if scheme is not None and scheme.name == issued_name:
        return translated_field(scheme, "name")
    return Wording(issued_name, django_settings.LANGUAGE_CODE)


class CertificateEvent(PermanentModel, CodedReason):
    """A permanent fact in a certificate's life: issue, renewal, every status change.

    Permanent: PostgreSQL refuses UPDATE and DELETE; only a GDPR erasure rewrites `reason` (and
    a fixed reason's parameters: certification.reasons, read in the reader's language). On
    insert, the database writes the inserting transaction's id, which the certificate's own
    trigger requires of a status change.
    """

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    from_status = models.CharField(max_length=16, blank=True, choices=CertificateStatus.choices)
    to_status = models.CharField(max_length=16, choices=CertificateStatus.choices)
    public_reason = models.CharField(_("motif public"), max_length=20, choices=PublicReason.choices)
    reason = models.TextField(_("motif détaillé"))
    effective_on = models.DateField(_("date d'effet"))
    valid_until = models.DateField(_("valable jusqu'au"))
    at = models.DateTimeField(default=timezone.now)
    # Written by PostgreSQL on insert (txid_current()); empty on SQLite.
    transaction_id = models.BigIntegerField(null=True, blank=True, editable=False)

    REASONS = reasons.CERTIFICATE_REASONS

    class Meta:
        verbose_name = _("événement du certificat")
        verbose_name_plural = _("historique des certificats")
        ordering = ["at", "pk"]
        triggers = [
            *permanent_triggers(personal=REASON_PERSONAL),
            pgtrigger.Trigger(
                name="certificate_event_transaction",
                operation=pgtrigger.Insert,
                when=pgtrigger.Before,
                func="NEW.transaction_id := txid_current(); RETURN NEW;",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.certificate_id}: {self.from_status or '∅'} → {self.to_status}"


class SentNotice(models.Model):
    """An e-mail sent once: its key (event, reminder and date) is unique, so nothing goes twice."""

    key = models.CharField(max_length=120, unique=True)
    certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, null=True, blank=True, related_name="notices"
    )
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["sent_at", "pk"]

    def __str__(self) -> str:
        return self.key


from certification.audits.models import (  # noqa: E402, F401  (renewal audits)
    RenewalAudit,
    RenewalAuditDraw,
    RenewalAuditEvent,
    RenewalAuditEvidence,
)
from certification.credentials.models import (  # noqa: E402, F401  (signed credentials)
    IssuerKey,
    StatusList,
    StatusListEntry,
)

# The registry sub-domain's model belongs to this app (label "certification", same table).
from certification.registry.models import RegistryProfile  # noqa: E402, F401
