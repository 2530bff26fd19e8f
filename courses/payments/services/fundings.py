"""Funded enrolments: staff enrol a trainee whom an employer, a fund, a public body or the
Institut pays for, one by one or from a CSV file (with a dry run).
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from courses import selectors
from courses.models import CoursePage, Enrolment, EnrolmentSource, EnrolmentStatus
from courses.payments import selectors as payments_selectors
from courses.payments.models import (
    Funding,
    FundingSource,
)
from courses.payments.permissions import can_manage_fundings
from courses.payments.services import invoices
from courses.reasons import enrolment_reason
from courses.services import (
    CourseActionRefused,
    check_may_enrol,
    enrolment_for_update,
    enrolment_open,
    enrolment_transition,
)
from institut.lib.ids import parse_id
from institut.outbox.services import email_enqueue

logger = logging.getLogger(__name__)


def funding_email_send(*, funding_id: int) -> bool:
    """E-mail the trainee that a funded enrolment opened their course (once per funding), in
    the caller's transaction; True when owed now."""
    funding = Funding.objects.select_related("enrolment__user").filter(pk=funding_id).first()
    if funding is None:
        return False
    user = funding.enrolment.user
    with translation.override(user.language):
        context = {
            "funding": funding,
            "user": user,
            "dashboard_url": settings.SITE_URL + reverse("courses:dashboard"),
        }
        subject = render_to_string("courses/payments/email/funded_subject.txt", context)
        body = render_to_string("courses/payments/email/funded_body.txt", context)
    return (
        email_enqueue(kind="funding_opened", about=funding, to=user, subject=subject, text=body)
        is not None
    )


# --- Funded enrolments ---------------------------------------------------------------------------


@transaction.atomic
def funded_enrolment_create(
    *,
    actor,
    user,
    course: CoursePage,
    source: str,
    payer_name: str,
    reference: str = "",
    payer_address: str = "",
    payer_email: str = "",
    amount_cents: int | None = None,
    prerequisites_waived_reason: str = "",
) -> Funding:
    """Staff enrol a trainee whom an employer, a fund, a public body or the Institut pays for.

    The trainee must have completed the course's prerequisites, unless the staff member waives
    them with a reason, which the enrolment's audit row keeps with their name.
    """
    if not can_manage_fundings(actor):
        raise CourseActionRefused(_("Vous n'avez pas le droit d'inscrire avec un financement."))
    if source not in FundingSource.values:
        raise CourseActionRefused(_("Source de financement inconnue."))
    waiver = (prerequisites_waived_reason or "").strip()
    check_may_enrol(user=user, course=course, prerequisites=not waiver)
    payer_name = (payer_name or "").strip()
    if not payer_name and source != FundingSource.INSTITUT:
        raise CourseActionRefused(_("Indiquez qui paie la formation."))
    amount = course.price_cents if amount_cents is None else amount_cents
    if amount < 0:
        raise CourseActionRefused(_("Le montant ne peut pas être négatif."))
    enrolment = enrolment_for_update(user=user, course=course)
    waived = waiver if waiver and selectors.missing_prerequisites(user=user, course=course) else ""
    reason = enrolment_reason(
        "funded", source=source, reference=(reference or "").strip(), waiver=waived[:255]
    )
    if enrolment is None:
        enrolment = enrolment_open(
            user=user, course=course, source=EnrolmentSource.FUNDED, actor=actor, reason=reason
        )
    elif enrolment.grants_access:
        raise CourseActionRefused(
            _("%(email)s est déjà inscrit·e à « %(course)s ».")
            % {"email": user.email, "course": course.title}
        )
    else:
        enrolment_transition(
            enrolment=enrolment,
            to_status=EnrolmentStatus.ACTIVE,
            actor=actor,
            reason=reason,
            source=EnrolmentSource.FUNDED,
        )
    funding = Funding.objects.create(
        enrolment=enrolment,
        source=source,
        reference=(reference or "").strip(),
        payer_name=payer_name or str(payments_selectors.seller_details().organisation_name),
        payer_address=(payer_address or "").strip(),
        payer_email=(payer_email or "").strip(),
        amount_cents=amount,
        created_by=actor,
    )
    if amount > 0:
        invoices.invoice_issue(
            enrolment=enrolment,
            amount_cents=amount,
            currency=funding.currency,
            buyer_name=funding.payer_name,
            buyer_email=funding.payer_email,
            buyer_address=funding.payer_address,
            buyer_reference=funding.reference,
            funding=funding,
        )
    funding_email_send(funding_id=funding.pk)
    return funding


CSV_COLUMNS = ("email", "course", "funding", "reference", "payer")
CSV_OPTIONAL_COLUMNS = ("payer_address", "payer_email")
# The longest value each column may hold (the fields they fill); a longer one is refused before
# it is looked up or written.
CSV_MAX_LENGTHS = {
    "email": 254,
    "course": 255,
    "funding": 50,
    "reference": 100,
    "payer": 200,
    "payer_address": 1000,
    "payer_email": 254,
}


@dataclass
class FundingImportRow:
    """One valid line of a funded-enrolment CSV file."""

    line: int
    user: object
    course: CoursePage
    source: str
    reference: str
    payer_name: str
    payer_address: str = ""
    payer_email: str = ""

    @property
    def source_label(self) -> str:
        """The funding's kind as staff read it: « Opérateur de compétences (OPCO) »."""
        return str(FundingSource(self.source).label)


@dataclass
class FundingImportReport:
    """What an import found (dry run) or did: valid rows, errors by line, enrolments made."""

    rows: list[FundingImportRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    created: int = 0
    dry_run: bool = True


def _source_from_text(text: str) -> str | None:
    cleaned = text.strip().lower()
    aliases = {"opco": FundingSource.TRAINING_FUND, "fonds": FundingSource.TRAINING_FUND}
    if cleaned in aliases:
        return aliases[cleaned]
    for value, label in FundingSource.choices:
        if cleaned in (value, str(label).lower()):
            return value
    return None


def _course_from_text(text: str) -> CoursePage | None:
    text = text.strip()
    pages = CoursePage.objects.live().select_related("locale")
    found = list(pages.filter(pk=page_id)) if (page_id := parse_id(text)) else []
    if not found:
        found = sorted(pages.filter(slug=text), key=lambda p: p.locale.language_code != "fr")
    return found[0] if found else None


def funding_csv_read(*, text: str) -> FundingImportReport:
    """Check every line of a CSV file of funded enrolments; report each bad line by number."""
    report = FundingImportReport()
    try:
        return _funding_csv_check(report, text)
    except csv.Error:
        # A value longer than the csv module reads (128 KB), or a broken quote.
        report.rows = []
        report.errors.append(
            (
                1,
                _(
                    "Le fichier n'a pas pu être lu comme un CSV : une valeur dépasse 128 Ko, ou "
                    "des guillemets ne sont pas fermés."
                ),
            )
        )
        return report


def _too_long(row: dict) -> list[str]:
    return [
        _("« %(column)s » : %(count)d caractères au plus") % {"column": column, "count": limit}
        for column, limit in CSV_MAX_LENGTHS.items()
        if len(row.get(column, "")) > limit
    ]


def _csv_delimiter(text: str) -> str:
    """A comma, or the semicolon that a spreadsheet set to French writes between columns."""
    header = text.partition("\n")[0]
    return ";" if header.count(";") > header.count(",") else ","


def _funding_csv_check(report: FundingImportReport, text: str) -> FundingImportReport:
    from institut.models import User

    text = text.lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text), delimiter=_csv_delimiter(text))
    headers = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in CSV_COLUMNS if name not in headers]
    if missing:
        report.errors.append((1, _("Colonnes manquantes : %s.") % ", ".join(missing)))
        return report
    reader.fieldnames = headers
    seen: dict[tuple, int] = {}
    for line, raw in enumerate(reader, start=2):
        row = {key: (value or "").strip() for key, value in raw.items() if key}
        problems = _too_long(row)
        if problems:
            report.errors.append((line, "; ".join(str(p) for p in problems)))
            continue
        user = User.objects.filter(email__iexact=row["email"]).first() if row["email"] else None
        if user is None:
            problems.append(_("aucun compte pour l'e-mail « %s »") % row["email"])
        course = _course_from_text(row["course"]) if row["course"] else None
        if course is None:
            problems.append(_("formation « %s » introuvable") % row["course"])
        elif user is not None:
            try:
                check_may_enrol(user=user, course=course)
            except CourseActionRefused as refusal:
                problems.append(refusal.message)
        source = _source_from_text(row["funding"])
        if source is None:
            problems.append(_("financement « %s » inconnu") % row["funding"])
        if not row["payer"] and source != FundingSource.INSTITUT:
            problems.append(_("payeur manquant"))
        if user is not None and course is not None:
            key = (user.pk, course.translation_key)
            if key in seen:
                problems.append(_("même personne et même formation qu'à la ligne %d") % seen[key])
            seen.setdefault(key, line)
            if (
                Enrolment.objects.with_access()
                .filter(user=user, course_key=course.translation_key)
                .exists()
            ):
                problems.append(_("déjà inscrit·e à cette formation"))
        if problems:
            report.errors.append((line, "; ".join(str(p) for p in problems)))
            continue
        report.rows.append(
            FundingImportRow(
                line=line,
                user=user,
                course=course,
                source=source,
                reference=row["reference"],
                payer_name=row["payer"],
                payer_address=row.get("payer_address", ""),
                payer_email=row.get("payer_email", ""),
            )
        )
    if not report.rows and not report.errors:
        report.errors.append((1, _("Le fichier ne contient aucune ligne.")))
    return report


def funding_csv_import(*, actor, text: str, dry_run: bool) -> FundingImportReport:
    """Enrol every line of the file in one transaction; any bad line imports nothing."""
    if not can_manage_fundings(actor):
        raise CourseActionRefused(_("Vous n'avez pas le droit d'inscrire avec un financement."))
    report = funding_csv_read(text=text)
    report.dry_run = dry_run
    if dry_run or report.errors:
        return report
    try:
        with transaction.atomic():
            for row in report.rows:
                try:
                    funded_enrolment_create(
                        actor=actor,
                        user=row.user,
                        course=row.course,
                        source=row.source,
                        reference=row.reference,
                        payer_name=row.payer_name,
                        payer_address=row.payer_address,
                        payer_email=row.payer_email,
                    )
                except CourseActionRefused as refusal:
                    report.errors.append((row.line, refusal.message))
                    raise
                report.created += 1
    except CourseActionRefused:
        report.created = 0
    return report


def import_summary(report: FundingImportReport) -> str:
    """One sentence on what an import did or would do."""
    if report.errors:
        return ngettext(
            "%(count)d ligne est incorrecte : rien n'a été importé.",
            "%(count)d lignes sont incorrectes : rien n'a été importé.",
            len(report.errors),
        ) % {"count": len(report.errors)}
    if report.dry_run:
        return ngettext(
            "Vérification : %(count)d inscription serait créée.",
            "Vérification : %(count)d inscriptions seraient créées.",
            len(report.rows),
        ) % {"count": len(report.rows)}
    return ngettext(
        "%(count)d inscription financée créée.",
        "%(count)d inscriptions financées créées.",
        report.created,
    ) % {"count": report.created}
