"""The certificate PDF, parsed back (its signed credential: tests/certification/credentials/)."""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from pypdf import PdfReader

from certification import documents, tasks
from certification.links import verification_url
from certification.models import CertificationScheme
from tests.certification.factories import make_certificate


@pytest.fixture
def certificate(trainee):
    return make_certificate(trainee, scheme=CertificationScheme.objects.create())


def _text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_it_renders_a_pdf_with_the_number_and_the_verification_url(certificate, settings):
    text = _text(documents.render_certificate_pdf(certificate))
    assert certificate.number in text
    assert certificate.holder_name in text
    assert verification_url(certificate.number) in text.replace("\n", "")
    assert verification_url(certificate.number).startswith(
        settings.SITE_URL + "/registre/verifier/"
    )


def test_it_generates_the_pdf_once_and_emails_it_once(certificate, mailoutbox):
    tasks.generate_certificate_pdf(certificate.pk)
    certificate.refresh_from_db()
    name = certificate.pdf.name
    tasks.generate_certificate_pdf(certificate.pk)
    certificate.refresh_from_db()
    assert certificate.pdf.name == name
    assert len(mailoutbox) == 1
    attachment = mailoutbox[0].attachments[0]
    assert attachment[0] == f"certificat-{certificate.number}.pdf"
    assert certificate.number in _text(attachment[1])


def test_it_names_the_scheme_in_english_on_an_english_pdf(trainee):
    scheme = CertificationScheme.objects.create(
        name="Intervenant·e TST®", name_en="TST® practitioner"
    )
    certificate = make_certificate(trainee, scheme=scheme)

    with translation.override("en"):
        english = _text(documents.render_certificate_pdf(certificate))
    french = _text(documents.render_certificate_pdf(certificate))

    assert "TST® practitioner" in english
    assert "Intervenant·e TST®" not in english
    assert "Intervenant·e TST®" in french
