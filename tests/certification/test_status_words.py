"""A certificate's status reads the same word wherever a person sees it: the holder's page, the
public verification, the committee's page and the e-mail, in French and in English."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse
from django.utils import translation

from certification.models import CertificateStatus, PublicReason
from certification.registry.selectors import public_certificate
from tests.certification.credentials.helpers import change_status
from tests.certification.factories import make_certificate

pytestmark = pytest.mark.django_db

WORDS = {
    "fr": {
        CertificateStatus.ACTIVE: "valide",
        CertificateStatus.SUSPENDED: "suspendu",
        CertificateStatus.REVOKED: "retiré",
        CertificateStatus.INACTIVE: "en retrait volontaire",
    },
    "en": {
        CertificateStatus.ACTIVE: "valid",
        CertificateStatus.SUSPENDED: "suspended",
        CertificateStatus.REVOKED: "revoked",
        CertificateStatus.INACTIVE: "voluntarily inactive",
    },
}
REASONS = {
    CertificateStatus.ACTIVE: PublicReason.ADMINISTRATIVE,
    CertificateStatus.SUSPENDED: PublicReason.SUPERVISION,
    CertificateStatus.REVOKED: PublicReason.ETHICS,
    CertificateStatus.INACTIVE: PublicReason.HOLDER_REQUEST,
}


@pytest.fixture(autouse=True)
def _french_after():
    yield
    translation.activate("fr")


def text(response) -> str:
    assert response.status_code == 200
    return " ".join(html.unescape(response.content.decode()).split())


def prefix(language: str) -> str:
    return "" if language == "fr" else f"/{language}"


def status_shown(body: str, before: str) -> str:
    """The word after the "Statut"/"Status" term of a page's facts."""
    found = re.search(rf"<dt>{before}</dt>\s*<dd[^>]*>(?:<strong>)?([^<]+)<", body)
    assert found, body
    return found.group(1).strip()


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("status", list(REASONS))
def test_the_holder_the_public_and_the_committee_read_the_same_word(
    client, trainee, scheme, committee_member, status, language
):
    certificate = make_certificate(
        trainee, scheme=scheme, status=status, public_reason=REASONS[status]
    )
    term = "Statut" if language == "fr" else "Status"
    word = WORDS[language][status]

    client.force_login(trainee)
    holder = text(
        client.get(prefix(language) + f"/certification/certificats/{certificate.number}/")
    )
    client.logout()
    public = text(client.get(prefix(language) + f"/registre/verifier/{certificate.number}/"))
    client.force_login(committee_member)
    with translation.override(language):
        committee_path = reverse("certification:committee_certificate", args=[certificate.pk])
    committee = text(client.get(committee_path))

    assert status_shown(holder, term) == word
    assert status_shown(public, term) == word
    assert status_shown(committee, term) == word


def test_the_holder_page_says_valide_where_it_said_actif(client, trainee, scheme):
    certificate = make_certificate(trainee, scheme=scheme)
    client.force_login(trainee)

    body = text(client.get(f"/certification/certificats/{certificate.number}/"))

    assert "<dt>Statut</dt><dd><strong>valide</strong></dd>" in body
    assert "actif" not in body.split("<main", 1)[1]
    assert "apparaîtra « en retrait volontaire »" in body
    assert "Me mettre en retrait volontaire" in body
    assert public_certificate(certificate.number).status_label == "valide"


def test_a_voluntarily_inactive_holder_reads_the_word_of_the_registry(client, trainee, scheme):
    certificate = make_certificate(
        trainee,
        scheme=scheme,
        status=CertificateStatus.INACTIVE,
        public_reason=PublicReason.HOLDER_REQUEST,
    )
    client.force_login(trainee)

    body = text(client.get(f"/certification/certificats/{certificate.number}/"))
    english = text(client.get(f"/en/certification/certificats/{certificate.number}/"))

    assert "<dd><strong>en retrait volontaire</strong></dd>" in body
    assert "inactif à la demande" not in body
    assert "valide → en retrait volontaire" in body  # the history, in the same words
    assert "Votre certificat redeviendra valide, jusqu'au" in body
    assert "<dd><strong>voluntarily inactive</strong></dd>" in english
    assert "Your certificate will be valid again, until" in english


def test_the_status_e_mail_names_the_statuses_as_the_pages_do(
    trainee, scheme, committee_member, mailoutbox, django_capture_on_commit_callbacks
):
    certificate = make_certificate(trainee, scheme=scheme)
    with django_capture_on_commit_callbacks(execute=True):
        change_status(
            certificate, CertificateStatus.SUSPENDED, committee_member, PublicReason.SUPERVISION
        )

    body = " ".join(mailoutbox[-1].body.split())
    assert "passe de « valide » à « suspendu »" in body
