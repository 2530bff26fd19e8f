"""Pages of the renewal audits: the holder's, the committee's; other people get 404."""

from __future__ import annotations

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

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
    assert "justificatifs à déposer avant le" in text(client.get("/certification/"))
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


def test_the_holder_s_english_page_says_the_file_size_limit_in_english(client, drawn):
    """The form's help is said when the page is shown, not once in French at start-up."""
    audit = drawn[0]
    client.force_login(audit.certificate.holder)
    english = text(client.get(f"/en/certification/audits/{audit.pk}/"))
    french = text(client.get(f"/certification/audits/{audit.pk}/"))
    assert "A PDF file of 5 MB at most." in english
    assert "Mo au plus" not in english
    assert "Un fichier PDF de 5 Mo au plus." in french


def test_an_evidence_uploaded_in_english_is_noted_without_a_space_before_the_colon(
    client, drawn, committee_member
):
    audit = drawn[0]
    client.force_login(audit.certificate.holder)
    upload = SimpleUploadedFile("hours.pdf", PDF, content_type="application/pdf")
    client.post(f"/en/certification/audits/{audit.pk}/", {"category": "practice", "file": upload})
    step = audit.events.get(action="evidence_added")
    with translation.override("en"):
        assert step.reason_text == "practice hours: hours.pdf"


def test_the_draws_count_renewals_in_words_and_the_share_as_english_writes_it(
    client, drawn, committee_member
):
    client.force_login(committee_member)
    english = text(client.get("/en/certification/commission/audits/"))
    french = text(client.get("/certification/commission/audits/"))
    assert "30 drawn out of 30 renewals (share drawn: 100%)" in english
    assert "(s)" not in english
    assert "30 tiré·s sur 30 renouvellements (part tirée : 100 %)" in french
