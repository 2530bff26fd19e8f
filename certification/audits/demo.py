"""Demo renewal audits: four practitioners renewed this month, all drawn for an audit, each at
a different step: Sandrine Morel (who can sign in) has yet to upload her evidence, Bruno Caron
has joined a first document, Fatou Sy has sent hers to the committee, and Olivier Brun's audit
was found conclusive. A fifth, Hugo Fontaine, renewed two months or so ago, was drawn by that
month's draw and let its deadline pass: the daily run has reminded him (overdue, reminded, no
suspension proposed yet).

Idempotent: people are found by e-mail, certificates by holder, the renewal by its event, the
audits by certificate. Everything goes through the certification and audit services; dates are
relative to today. Runs after certification's own demo step.
"""

from __future__ import annotations

import textwrap
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from certification import selectors
from certification import services as certification_services
from certification.audits import services
from certification.models import (
    Certificate,
    CertificationScheme,
    PublicReason,
    RenewalAudit,
)
from certification.reasons import certificate_reason
from institut.demo import ensure_user
from institut.roles import Role

# The demo's seed, so that a draw can be redone from its record like any other.
DRAW_SEED = "demo-audits-renouvellement"

HOLDER = ("certifiee@demo.institut.test", "Sandrine Morel")  # signs in to answer her audit

# (e-mail, name, step reached, evidence joined: (category, file name, note, text))
AUDITED = [
    (*HOLDER, "requested", []),
    (
        "bruno.caron@demo.institut.test",
        "Bruno Caron",
        "started",
        [
            (
                "practice",
                "carnet-pratique-bruno-caron.pdf",
                "Extrait du carnet de pratique, trois dernières années",
                "Interventions en collège et en foyer de jeunes travailleurs : contrat commun "
                "avec les équipes, sous-groupes hétérogènes, espaces de conflit constructif.",
            )
        ],
    ),
    (
        "fatou.sy@demo.institut.test",
        "Fatou Sy",
        "submitted",
        [
            (
                "practice",
                "pratique-fatou-sy.pdf",
                "Interventions en quartier prioritaire",
                "Quatre interventions auprès d'habitant·es, d'un bailleur et d'une association "
                "de quartier ; les sept étapes de la méthode y sont pratiquées.",
            ),
            (
                "supervision",
                "attestation-supervision-fatou-sy.pdf",
                "Attestation de l'Institut, 18 h de supervision",
                "Attestation de supervision : 18 heures suivies pendant la période de validité.",
            ),
        ],
    ),
    (
        "olivier.brun@demo.institut.test",
        "Olivier Brun",
        "passed",
        [
            (
                "practice",
                "pratique-olivier-brun.pdf",
                "",
                "Interventions en EHPAD et en entreprise : circulation de l'information, "
                "intelligence collective, solutions concertées.",
            ),
            (
                "supervision",
                "supervision-olivier-brun.pdf",
                "12 h de supervision collective",
                "Attestation de supervision collective : 12 heures pendant la période.",
            ),
            (
                "training",
                "formation-continue-olivier-brun.pdf",
                "Journée d'approfondissement sur les sous-groupes",
                "Journée de formation continue : calmer les peurs en sous-groupes hétérogènes.",
            ),
        ],
    ),
]

# Renewed in the month before a draw made OVERDUE_DAYS + the scheme's deadline ago: its audit
# is OVERDUE_DAYS past its deadline, reminded, and within the grace before a suspension proposal.
OVERDUE = ("hugo.fontaine@demo.institut.test", "Hugo Fontaine")
OVERDUE_DRAW_SEED = "demo-audit-en-retard"
OVERDUE_DAYS = 5

PASSED_REASON = (
    "Pratique régulière couvrant les sept étapes, supervision suivie au-delà du minimum et "
    "formation continue : l'audit confirme le renouvellement."
)


def create_demo(cast: dict) -> None:
    """The seed_demo step of the renewal audits."""
    with transaction.atomic():
        scheme = CertificationScheme.objects.current()
        if scheme is None:
            return
        holders = {email: _renewed_holder(email, name, scheme, cast) for email, name, *_ in AUDITED}
        certificates = {
            email: Certificate.objects.get(holder=holder) for email, holder in holders.items()
        }
        if not RenewalAudit.objects.filter(certificate__in=certificates.values()).exists():
            today = timezone.localdate()
            services.audit_draw(
                month=services.month_start(today), today=today, seed=DRAW_SEED, share_percent=100
            )
        for email, _name, step, evidence in AUDITED:
            audit = RenewalAudit.objects.filter(certificate=certificates[email]).first()
            if audit is not None:
                _advance(audit, holders[email], step, evidence, cast["committee"])
        _overdue_audit(scheme, cast)


def _overdue_audit(scheme: CertificationScheme, cast: dict) -> None:
    """An audit drawn by an earlier month's draw, past its deadline, reminded by the daily run."""
    today = timezone.localdate()
    drawn_on = today - timedelta(days=OVERDUE_DAYS + scheme.renewal_audit_deadline_days)
    month = services.previous_month(drawn_on)  # the month that draw covered
    holder = _renewed_holder(*OVERDUE, scheme, cast, renewed_on=month + timedelta(days=14))
    certificate = Certificate.objects.get(holder=holder)
    audit = RenewalAudit.objects.filter(certificate=certificate).first()
    if audit is None:
        # That month's draw, made when the daily run would have made it.
        services.audit_draw(month=month, today=drawn_on, seed=OVERDUE_DRAW_SEED, share_percent=100)
        audit = RenewalAudit.objects.get(certificate=certificate)
    if audit.reminded_at is None and audit.deadline < today:
        services.audits_run(today=today)  # today's run: the reminder after the deadline


def _renewed_holder(
    email: str, name: str, scheme: CertificationScheme, cast: dict, renewed_on: date | None = None
):
    """A practitioner whose certificate, due to end soon, the committee renewed today (or on
    `renewed_on`)."""
    renewed_on = renewed_on or timezone.localdate()
    holder = ensure_user(email, name, [Role.TRAINEE])
    charter = selectors.current_charter()
    if charter is not None:  # accepted when she renewed
        certification_services.charter_accept(user=holder, charter=charter)
    certificate = Certificate.objects.filter(holder=holder).first()
    if certificate is None:
        valid_until = renewed_on + timedelta(days=20)
        certificate, _event = certification_services.certificate_record(
            holder=holder,
            scheme=scheme,
            actor=cast["committee"],
            issued_on=certification_services.add_years(valid_until, -scheme.validity_years),
            valid_until=valid_until,
            reason=certificate_reason("granted"),
        )
    if not certificate.events.filter(public_reason=PublicReason.RENEWED).exists():
        certification_services.certificate_renew(
            certificate=certificate,
            actor=cast["committee"],
            scheme=scheme,
            reason="Renouvellement accordé : supervision suivie pendant toute la période.",
            today=renewed_on,
        )
    return holder


def _advance(audit: RenewalAudit, holder, step: str, evidence: list, committee) -> None:
    """Take the audit, through the services, to the step the demo shows (once)."""
    if audit.status != RenewalAudit.Status.REQUESTED or audit.evidence.exists():
        return
    for category, filename, note, text in evidence:
        services.audit_evidence_add(
            audit=audit,
            holder=holder,
            category=category,
            upload=SimpleUploadedFile(filename, _pdf(text), content_type="application/pdf"),
            note=note,
        )
    if step in ("submitted", "passed"):
        audit = services.audit_submit(audit=audit, holder=holder)
    if step == "passed":
        services.audit_decide(audit=audit, actor=committee, passed=True, reason=PASSED_REASON)


def _pdf(text: str) -> bytes:
    """A one-page PDF that says what the demo document stands for."""
    stream = b"BT /F1 11 Tf 50 780 Td (Document de d\xe9monstration) Tj"
    for words in textwrap.wrap(text, 85):
        line = words.encode("cp1252", "replace").replace(b"\\", b"\\\\")
        line = line.replace(b"(", b"\\(").replace(b")", b"\\)")
        stream += b" 0 -20 Td (" + line + b") Tj"
    stream += b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out
