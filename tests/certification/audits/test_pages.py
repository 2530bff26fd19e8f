"""Pages of the renewal audits: the holder's, the committee's; other people get 404."""

from __future__ import annotations

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from certification.audits import services as audits
from certification.models import RenewalAudit
from tests.certification.audits.test_audits import PDF, renewed_last_month

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


def text(response) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


@pytest.fixture
def drawn(scheme):
    scheme.renewal_audit_percent = 100
    scheme.save()
    renewed_last_month(30, scheme)
    audits.audit_draw(month=audits.previous_month(timezone.localdate()))
    return RenewalAudit.objects.select_related("certificate__holder").order_by("pk")


def test_the_holder_uploads_and_sends_evidence_from_the_page(client, drawn):
    audit = drawn[0]
    holder = audit.certificate.holder
    client.force_login(holder)
    page = client.get(f"/certification/audits/{audit.pk}/")
    assert page.status_code == 200 and "Ce qui est demandé" in text(page)
    assert "tiré au sort pour un audit" in text(client.get("/certification/"))
    upload = SimpleUploadedFile("heures.pdf", PDF, content_type="application/pdf")
    response = client.post(
        f"/certification/audits/{audit.pk}/", {"category": "practice", "file": upload}
    )
    assert response.status_code == 302
    bad = SimpleUploadedFile("heures.pdf", b"plain text", content_type="application/pdf")
    response = client.post(
        f"/certification/audits/{audit.pk}/", {"category": "practice", "file": bad}
    )
    assert response.status_code == 400 and "PDF" in text(response)
    client.post(f"/certification/audits/{audit.pk}/transmettre/")
    audit.refresh_from_db()
    assert audit.status == "submitted"


def test_another_person_gets_404(client, drawn, other_trainee, trainer):
    audit = drawn[0]
    for person in (other_trainee, trainer):
        client.force_login(person)
        assert client.get(f"/certification/audits/{audit.pk}/").status_code == 404
        assert client.get(f"/certification/commission/audits/{audit.pk}/").status_code == 404


def test_the_committee_lists_audits_in_bounded_queries(
    client, drawn, committee_member, django_assert_max_num_queries
):
    client.force_login(committee_member)
    with django_assert_max_num_queries(20):
        response = client.get("/certification/commission/audits/")
    assert response.status_code == 200
    content = text(response)
    assert "30 audits" in content
    assert drawn[0].draw.seed in content


def test_the_committee_records_an_outcome_from_the_page(client, drawn, committee_member):
    audit = drawn[0]
    client.force_login(committee_member)
    response = client.post(f"/certification/commission/audits/{audit.pk}/", {"outcome": "failed"})
    assert response.status_code == 400 and "doit être motivé" in text(response)
    response = client.post(
        f"/certification/commission/audits/{audit.pk}/",
        {"outcome": "failed", "reason": "Aucun justificatif malgré le rappel."},
    )
    assert response.status_code == 302
    audit.refresh_from_db()
    assert audit.status == "failed"
