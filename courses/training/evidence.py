"""The evidence pack of a training action: one ZIP with what a Qualiopi auditor or a funder asks
for (programme, convocations, attendance sheets, certificates, satisfaction, hours, invoices),
in the language of the page it was asked from, its files' and folders' names included."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable

from django.conf import settings
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext, pgettext_lazy

from courses.models import Funding, Invoice
from courses.payments.services.invoices import invoice_pdf_ensure
from courses.training import ics, pdf, selectors
from courses.training.models import (
    CompletionCertificate,
    Convocation,
    SatisfactionKind,
    SlotPeriod,
    TrainingSession,
)
from institut.downloads import file_name
from institut.formats import current_locale, date_text
from institut.lib.money import euros
from institut.lib.spreadsheets import spreadsheet_cell, spreadsheet_number

# The questionnaire's word in a file name: « a-chaud » in French, « hot » in English.
KIND_IN_FILE_NAMES = {
    SatisfactionKind.HOT: pgettext_lazy("nom de fichier", "a-chaud"),
    SatisfactionKind.COLD: pgettext_lazy("nom de fichier", "a-froid"),
}


def _folder(number: int, word: str) -> str:
    """A folder of the pack, numbered in the order of the index: « 03-emargement/ »."""
    return f"{number:02d}-{slugify(word)}/"


def sheet_name(slot) -> str:
    """« 2026-10-26-1-matin », « 2026-10-26-2-apres-midi »: in the pack's language, and in the
    order of the day when the files are sorted by name."""
    half = 1 if slot.period == SlotPeriod.MORNING else 2
    return f"{slot.date:%Y-%m-%d}-{half}-{slugify(slot.get_period_display())}"


def _csv(header: list[str], rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    writer.writerows([spreadsheet_cell(value) for value in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # a BOM: spreadsheets read UTF-8


def _local(moment) -> str:
    """A moment in the session's zone, ISO 8601 (files of the pack are read in any language and
    sorted by spreadsheets): « 2026-03-05 09:12 »."""
    return timezone.localtime(moment, ics.session_zone()).strftime("%Y-%m-%d %H:%M")


def convocation_text(convocation: Convocation) -> str:
    """A convocation as it was sent (its subject and text), under when and to whom: the file of
    the evidence pack and the trainee's download from their session page."""
    return (
        f"{_('Envoyée le')} {_local(convocation.sent_at)} — {convocation.sent_to}\n"
        f"{convocation.subject}\n\n{convocation.body}"
    )


def hours_csv(session: TrainingSession, sheet: selectors.SessionSheet) -> bytes:
    """Hours per trainee: planned, carried out (signed half-days), and each half-day's status."""
    header = [
        _("Stagiaire"),
        _("E-mail"),
        _("Employeur"),
        _("Heures prévues"),
        _("Heures réalisées"),
    ] + [f"{slot.date.isoformat()} {slot.get_period_display()}" for slot in sheet.slots]
    locale = current_locale()
    rows = []
    for line in sheet.lines:
        trainee = line.placement.trainee
        cells = [
            cell.row.get_status_display() if cell.row else _("non renseigné") for cell in line.cells
        ]
        rows.append(
            [
                trainee.full_name,
                trainee.email,
                line.placement.employer_name,
                spreadsheet_number(line.hours_planned, locale=locale, places=2),
                spreadsheet_number(line.hours_done, locale=locale, places=2),
                *cells,
            ]
        )
    return _csv(header, rows)


def _not_sent_yet(kind: str) -> str:
    """« Aucun questionnaire envoyé pour l'instant. », and when the cold one goes out."""
    text = _("Aucun questionnaire envoyé pour l'instant.")
    if kind == SatisfactionKind.COLD:
        months = settings.TRAINING_COLD_SURVEY_MONTHS
        text += " " + ngettext(
            "Le questionnaire à froid part %(months)s mois après le dernier jour de la session.",
            "Le questionnaire à froid part %(months)s mois après le dernier jour de la session.",
            months,
        ) % {"months": months}
    return text


def satisfaction_csv(results: dict) -> bytes:
    """A questionnaire's results: one line per question, then the comments (no names)."""
    locale = current_locale()
    rows = [
        [
            item["text"],
            item["count"],
            spreadsheet_number(item["average"], locale=locale, places=2),
            *item["distribution"],
            " | ".join(item["texts"]),
        ]
        for item in results["questions"]
    ]
    rows.append([])
    rows.append([_("Questionnaires envoyés"), results["requested"]])
    rows.append([_("Réponses"), results["answered"]])
    rows.append([_("Taux de réponse (%)"), "—" if results["rate"] is None else results["rate"]])
    if not results["requested"]:  # why the file is empty, as the results page says it
        rows.append([_not_sent_yet(results["kind"])])
    rows += [[_("Commentaire"), comment] for comment in results["comments"]]
    header = [
        _("Question"),
        _("Réponses"),
        _("Moyenne sur 5"),
        "1",
        "2",
        "3",
        "4",
        "5",
        _("Réponses libres"),
    ]
    return _csv(header, rows)


def build_zip(
    *, session: TrainingSession, report: Callable[[int, str], None], language: str | None = None
) -> bytes:
    """The ZIP's bytes, in `language` (the site's by default), its files' names included;
    ``report(percent, step)`` is called as each part is added."""
    from courses.selectors import course_for_key

    language = language or settings.LANGUAGE_CODE
    with translation.override(language):
        course = course_for_key(course_key=session.course_key, language=language)
        return _build(session, report, course)


def _build(session, report, course) -> bytes:
    sheet = selectors.session_sheet(session)
    certificates = list(
        CompletionCertificate.objects.filter(session=session).order_by("trainee_name")
    )
    enrolment_ids = [line.placement.enrolment_id for line in sheet.lines]
    invoices = list(Invoice.objects.filter(enrolment_id__in=enrolment_ids).order_by("sequence"))
    steps = 6 + len(sheet.slots) + len(certificates) + len(invoices)
    done = 0

    def advance(step: str) -> None:
        nonlocal done
        done += 1
        report(round(100 * done / steps), step)

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        index = [
            _("Dossier de preuves de l'action de formation"),
            session.display_title,
            _("Préparé le %(date)s") % {"date": _local(timezone.now())},
            "",
        ]
        programme = file_name("01", pgettext("nom de fichier", "programme"), extension="pdf")
        archive.writestr(programme, pdf.render_programme_pdf(session=session, course=course))
        index.append(f"{programme}: " + _("programme de l'action"))
        advance(_("Programme"))

        convocations = list(
            Convocation.objects.filter(placement__session=session)
            .select_related("placement__trainee")
            .order_by("sent_at", "pk")
        )
        folder = _folder(2, pgettext("nom de dossier", "convocations"))
        archive.writestr(
            folder + file_name(pgettext("nom de fichier", "convocations"), extension="csv"),
            _csv(
                [_("Stagiaire"), _("Envoyée à"), _("Type"), _("Envoyée le"), _("Objet")],
                [
                    [
                        c.placement.trainee.full_name,
                        c.sent_to,
                        c.get_kind_display(),
                        _local(c.sent_at),
                        c.subject,
                    ]
                    for c in convocations
                ],
            ),
        )
        for number, convocation in enumerate(convocations, start=1):
            name = slugify(convocation.placement.trainee.full_name) or pgettext(
                "nom de fichier", "stagiaire"
            )
            sent = timezone.localtime(convocation.sent_at, ics.session_zone())
            kind = convocation.get_kind_display()
            archive.writestr(
                folder + file_name(f"{number:03d}", name, kind, f"{sent:%Y%m%d}", extension="txt"),
                convocation_text(convocation),
            )
        index.append(f"{folder}: " + _("convocations envoyées, avec leurs dates"))
        advance(_("Convocations"))

        folder = _folder(3, pgettext("nom de dossier", "emargement"))
        for slot in sheet.slots:
            archive.writestr(
                f"{folder}{sheet_name(slot)}.pdf",
                pdf.render_sheet_pdf(session=session, sheet=sheet.sheet(slot.pk)),
            )
            advance(_("Feuille du %(date)s") % {"date": date_text(slot.date, "d/m/Y")})
        index.append(f"{folder}: " + _("feuilles d'émargement signées, par demi-journée"))

        folder = _folder(4, pgettext("nom de dossier", "certificats"))
        for certificate in certificates:
            if certificate.pdf:
                with certificate.pdf.open("rb") as handle:
                    archive.writestr(f"{folder}{certificate.number}.pdf", handle.read())
            advance(_("Certificat %(number)s") % {"number": certificate.number})
        index.append(f"{folder}: " + _("certificats de réalisation"))

        folder = _folder(5, pgettext("nom de dossier", "satisfaction"))
        for kind, word in KIND_IN_FILE_NAMES.items():
            results = selectors.satisfaction_results(
                sessions=TrainingSession.objects.filter(pk=session.pk), kind=kind
            )
            archive.writestr(folder + file_name(word, extension="csv"), satisfaction_csv(results))
        index.append(f"{folder}: " + _("résultats des questionnaires, sans les noms"))
        advance(_("Satisfaction"))

        hours = file_name("06", pgettext("nom de fichier", "heures"), extension="csv")
        archive.writestr(hours, hours_csv(session, sheet))
        index.append(f"{hours}: " + _("heures prévues et réalisées par stagiaire"))
        advance(_("Heures"))

        folder = _folder(7, pgettext("nom de dossier", "factures"))
        for invoice in invoices:
            if not invoice.pdf:  # rendered after its commit; a pack never goes without it
                invoice = invoice_pdf_ensure(invoice_id=invoice.pk)
            if invoice.pdf:
                with invoice.pdf.open("rb") as handle:
                    archive.writestr(f"{folder}{invoice.number}.pdf", handle.read())
            advance(_("Facture %(number)s") % {"number": invoice.number})
        fundings = Funding.objects.filter(enrolment_id__in=enrolment_ids).select_related(
            "enrolment__user"
        )
        archive.writestr(
            folder + file_name(pgettext("nom de fichier", "financements"), extension="csv"),
            _csv(
                [_("Stagiaire"), _("Financement"), _("Payeur"), _("Référence"), _("Montant (€)")],
                [
                    [
                        f.enrolment.user.full_name,
                        f.get_source_display(),
                        f.payer_name,
                        f.reference,
                        spreadsheet_number(euros(f.amount_cents), locale=current_locale()),
                    ]
                    for f in fundings
                ],
            ),
        )
        index.append(f"{folder}: " + _("factures, avoirs et conventions de financement"))
        advance(_("Factures"))
        contents = file_name("00", pgettext("nom de fichier", "sommaire"), extension="txt")
        archive.writestr(contents, "\n".join(index) + "\n")
    return buffer.getvalue()
