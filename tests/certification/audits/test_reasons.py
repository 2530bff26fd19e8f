"""The fixed notes of a renewal audit's steps are recorded as codes and read in the reader's
language; what the holder uploaded stays as uploaded, and an erasure takes their name out of the
parameters too."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from certification.audits import services as audits
from certification.audits.reasons import AUDIT_REASONS
from certification.models import CertificateEvent, RenewalAudit, RenewalAuditEvent
from institut.privacy.erasure import account_erase
from institut.privacy.export import personal_data
from tests.certification.audits.test_audits import PDF
from tests.certification.factories import make_certificate
from tests.factories import UserFactory
from tests.reasons import (
    assert_reads_in_both_languages,
    french_after,  # noqa: F401  (a fixture)
    page_text,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french_after")]

EXAMPLES = {
    "drawn": {"month": "02/2027", "seed": "5eed"},
    "evidence_added": {"category": "practice", "name": "heures.pdf"},
    "no_evidence": {"days": 15},
}


def test_it_has_an_example_of_every_code():
    assert set(EXAMPLES) == set(AUDIT_REASONS)


@pytest.mark.parametrize("code", sorted(EXAMPLES))
def test_every_code_reads_in_french_and_in_english(code):
    assert_reads_in_both_languages(AUDIT_REASONS, code, EXAMPLES[code])


@pytest.fixture
def audit(scheme) -> RenewalAudit:
    """The audit of a renewal granted in February 2027, drawn in English on 1 March."""
    holder = UserFactory(full_name="Camille Martin")
    certificate = make_certificate(holder, scheme=scheme, valid_until=dt.date(2029, 2, 15))
    CertificateEvent.objects.create(
        certificate=certificate,
        from_status="active",
        to_status="active",
        public_reason="renewed",
        reason="Renouvellement.",
        effective_on=dt.date(2027, 2, 15),
        valid_until=certificate.valid_until,
        at=dt.datetime(2027, 2, 15, 10, tzinfo=timezone.get_current_timezone()),
    )
    with translation.override("en"):
        audits.audit_draw(
            month=dt.date(2027, 2, 1), today=dt.date(2027, 3, 1), seed="5eed", share_percent=100
        )
    return RenewalAudit.objects.select_related("certificate__holder").get()


def test_a_draw_made_in_english_reads_in_french_on_the_holder_s_french_page(client, audit):
    drawn = audit.events.get(action="drawn")
    client.force_login(audit.certificate.holder)

    french = page_text(client.get(f"/certification/audits/{audit.pk}/"))
    english = page_text(client.get(f"/en/certification/audits/{audit.pk}/"))

    assert (drawn.reason_code, drawn.reason_params) == (
        "drawn",
        {"month": "02/2027", "seed": "5eed"},
    )
    assert "Tirage de 02/2027, graine 5eed." in french
    assert "Draw of 02/2027, seed 5eed." in english
    assert "Tirage de" not in english


def test_evidence_joined_in_english_reads_in_french_for_the_committee(
    client, audit, committee_member
):
    client.force_login(audit.certificate.holder)
    upload = SimpleUploadedFile("hours.pdf", PDF, content_type="application/pdf")
    client.post(f"/en/certification/audits/{audit.pk}/", {"category": "practice", "file": upload})
    client.force_login(committee_member)

    french = page_text(client.get(f"/certification/commission/audits/{audit.pk}/"))
    english = page_text(client.get(f"/en/certification/commission/audits/{audit.pk}/"))

    assert "heures de pratique : hours.pdf" in french
    assert "practice hours: hours.pdf" in english


def test_an_old_step_without_a_code_reads_as_stored(client, audit):
    RenewalAuditEvent.objects.create(
        audit=audit, action="reminded", to_status=audit.status, reason="Rappel du 2 mars."
    )
    client.force_login(audit.certificate.holder)

    english = page_text(client.get(f"/en/certification/audits/{audit.pk}/"))

    assert "Rappel du 2 mars." in english


def audit_history(user):
    [section] = [s for s in personal_data(user) if s.key == "audits"]
    [table] = [t for t in section.tables if t.key == "historique_audits"]
    return table


def test_the_export_gives_the_audit_s_steps_in_the_person_s_language(audit):
    holder = audit.certificate.holder

    french = audit_history(holder)
    holder.preferred_language = "en"
    holder.save(update_fields=["preferred_language"])
    english = audit_history(holder)

    index = list(french.columns).index("reason")
    assert [cells[index] for cells in french.cells] == ["Tirage de 02/2027, graine 5eed."]
    assert [cells[index] for cells in english.cells] == ["Draw of 02/2027, seed 5eed."]
    assert [row["reason_code"] for row in english.rows] == ["drawn"]


def test_an_erasure_takes_the_holder_s_name_out_of_a_step_s_parameters(audit):
    holder = audit.certificate.holder
    upload = SimpleUploadedFile("Camille Martin heures.pdf", PDF, content_type="application/pdf")
    audits.audit_evidence_add(audit=audit, holder=holder, category="practice", upload=upload)

    account_erase(user=holder, actor=holder)

    step = audit.events.get(action="evidence_added")
    assert step.reason_code == "evidence_added"
    assert step.reason_params == {"category": "practice", "name": "[effacé] heures.pdf"}
    assert step.reason == "heures de pratique : [effacé] heures.pdf"
    with translation.override("en"):
        assert step.reason_text == "practice hours: [effacé] heures.pdf"
