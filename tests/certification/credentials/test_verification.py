"""Verification of a credential file on the public page and in the API: each kind of file gets
its own message, a valid one the same answer as its number, and nothing answers 500."""

from __future__ import annotations

import copy
import html
import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.formats import date_format

from certification.credentials import services as credential_services
from certification.credentials import verification
from certification.models import CertificateStatus, PublicReason
from tests.certification.credentials.helpers import change_status
from tests.certification.helpers import secret_key_for

PAGE = "/registre/verifier/fichier/"
API = "/api/v1/credentials/verify"


@pytest.fixture
def badge(certificate):
    return credential_services.certificate_credential(certificate)


def page(client, data: bytes | str, *, upload: bool = True):
    if upload:
        file = SimpleUploadedFile("badge.json", data if isinstance(data, bytes) else data.encode())
        return client.post(PAGE, {"fichier": file})
    return client.post(PAGE, {"contenu": data})


def api(client, data: bytes | str):
    return client.post(API, data=data, content_type="application/json")


def text(response) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


def test_it_says_a_valid_badge_is_valid_and_what_it_proves(client, badge, certificate):
    response = page(client, json.dumps(badge))
    assert response.status_code == 200
    body = text(response)
    assert "Signature valide." in body
    assert "Ce badge est valide aujourd'hui" in body
    assert certificate.holder_name in body and certificate.number in body
    assert "la clé actuelle de l'Institut" in body
    assert "Ce que dit le registre pour ce numéro" in body
    data = api(client, json.dumps(badge)).json()
    assert data["result"] == "valid" and data["accepted"] is True
    assert data["number"] == certificate.number
    assert data["holder_name"] == certificate.holder_name
    assert data["revoked"] is False and data["suspended"] is False and data["expired"] is False
    assert data["verification_method"].startswith("did:web:127.0.0.1%3A8000#z6Mk")
    assert data["certificate"]["status"] == "active"


def test_it_accepts_a_pasted_badge(client, badge):
    response = page(client, json.dumps(badge), upload=False)
    assert "Signature valide." in text(response)


def test_it_says_a_changed_badge_was_tampered_with(client, badge):
    altered = copy.deepcopy(badge)
    altered["credentialSubject"]["identifier"][0]["identityHash"] = "Quelqu'un d'autre"
    body = text(page(client, json.dumps(altered)))
    assert "Signature non valide." in body
    assert "a été modifié après sa signature" in body
    assert "Quelqu'un d'autre a été certifié" not in body
    assert api(client, json.dumps(altered)).json()["result"] == "tampered"


def test_it_says_an_extended_validity_is_tampering(client, badge):
    altered = {**badge, "validUntil": "2099-01-01T00:00:00Z"}
    assert api(client, json.dumps(altered)).json()["result"] == "tampered"


@pytest.mark.parametrize("data", [b"bonjour", b'{"hello": "world"}', b"%PDF-1.7 not a badge"])
def test_it_says_a_file_that_is_no_badge_is_not_recognised_not_forged(client, db, data):
    """A visitor who picked the wrong file (the PDF, any JSON) is not told of a bad signature:
    nothing was signed, nothing was forged."""
    body = text(page(client, data))
    assert "<strong>Fichier non reconnu.</strong> Ce fichier n'est pas un badge numérique" in body
    assert "Signature non valide." not in body


def test_it_says_a_badge_without_proof_bears_no_signature(client, badge):
    unsigned = {key: value for key, value in badge.items() if key != "proof"}
    body = text(page(client, json.dumps(unsigned)))
    assert "<strong>Aucune signature.</strong> Ce fichier ne porte aucune signature" in body
    assert "Signature non valide." not in body


def test_it_says_a_badge_without_proof_is_unsigned(client, badge):
    unsigned = {key: value for key, value in badge.items() if key != "proof"}
    assert "ne porte aucune signature" in text(page(client, json.dumps(unsigned)))
    assert api(client, json.dumps(unsigned)).json()["result"] == "unsigned"


def test_it_says_another_issuer_is_unknown(client, badge):
    other = copy.deepcopy(badge)
    other["issuer"]["id"] = "did:web:faux-institut.example"
    body = text(page(client, json.dumps(other)))
    assert "n'a pas été signé par l'Institut Charles Rojzman" in body
    assert "did:web:faux-institut.example" in body
    assert api(client, json.dumps(other)).json()["result"] == "unknown_issuer"


def test_it_says_a_key_the_institut_never_published_is_unknown(client, certificate, settings):
    settings.CREDENTIALS_SIGNING_KEY = secret_key_for("stolen-name")
    # Signed without recording the key, as someone who took the issuer's name would.
    from certification.credentials import documents, keys, proofs, selectors

    document = documents.certificate_credential(
        certificate,
        achievement=documents.scheme_achievement(
            scheme_id=certificate.scheme_id, version=1, snapshot=certificate.scheme_snapshot
        ),
        entries=selectors.entries_of(certificate=certificate),
    )
    forged = proofs.sign(document, key=keys.signing_key(), created=timezone.now())
    settings.CREDENTIALS_SIGNING_KEY = secret_key_for("current")
    data = api(client, json.dumps(forged)).json()
    assert data["result"] == "unknown_issuer"


@pytest.mark.parametrize(
    "content",
    [
        b"not json at all",
        b"\xff\xfe\x00binary",
        b"[1, 2, 3]",
        json.dumps({"hello": "world"}).encode(),
        json.dumps({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": "x"}).encode(),
        ("[" * 5000 + "]" * 5000).encode(),
        json.dumps({"a": [{"b": 1}] * 1000}).encode(),
    ],
)
def test_it_says_an_unreadable_file_is_not_a_badge(client, db, content):
    response = page(client, content)
    assert response.status_code == 200
    assert "n'est pas un badge numérique lisible" in text(response)
    result = api(client, content)
    assert result.status_code == 200 and result.json()["result"] == "malformed"


def test_it_says_a_badge_with_a_broken_proof_is_not_readable(client, badge):
    broken = {**badge, "proof": {**badge["proof"], "proofValue": "zzz"}}
    assert api(client, json.dumps(broken)).json()["result"] == "malformed"


def test_it_refuses_a_file_larger_than_the_limit(client, db, settings):
    settings.CREDENTIALS_VERIFY_MAX_BYTES = 8192
    big = b'{"a": "' + b"x" * 9000 + b'"}'
    response = page(client, big)
    assert response.status_code == 400
    assert "trop volumineux" in text(response)
    response = page(client, big.decode(), upload=False)
    assert response.status_code == 400 and "trop volumineux" in text(response)
    result = api(client, big)
    assert result.status_code == 413 and result.json()["result"] == "too_large"


def test_it_refuses_a_huge_body_before_reading_it(client, db):
    response = client.post(
        PAGE, data=b"x" * 10, content_type="application/octet-stream", CONTENT_LENGTH="50000000"
    )
    assert response.status_code == 413
    assert "trop volumineux" in text(response)


def test_it_asks_for_a_file_or_a_text_but_not_both(client, db, badge):
    assert client.post(PAGE, {}).status_code == 400
    both = {"fichier": SimpleUploadedFile("b.json", b"{}"), "contenu": "{}"}
    response = client.post(PAGE, both)
    assert response.status_code == 400 and "pas les deux" in text(response)


def test_it_says_revoked_at_once_on_the_page_and_in_the_api(
    client, badge, certificate, committee_member
):
    change_status(certificate, CertificateStatus.REVOKED, committee_member, PublicReason.ETHICS)
    body = text(page(client, json.dumps(badge)))
    assert "Signature valide." in body
    assert "Ce badge a été retiré par l'Institut" in body
    data = api(client, json.dumps(badge)).json()
    assert data["revoked"] is True and data["accepted"] is False
    assert data["certificate"]["status"] == "revoked"  # the same answer as for the number


def test_it_says_suspended_then_valid_again_after_reinstatement(
    client, badge, certificate, committee_member
):
    change_status(
        certificate, CertificateStatus.SUSPENDED, committee_member, PublicReason.SUPERVISION
    )
    assert "Ce badge est suspendu" in text(page(client, json.dumps(badge)))
    assert api(client, json.dumps(badge)).json()["suspended"] is True
    change_status(certificate, CertificateStatus.ACTIVE, committee_member, PublicReason.REINSTATED)
    data = api(client, json.dumps(badge)).json()
    assert data["suspended"] is False and data["accepted"] is True


def test_it_says_expired_after_the_last_valid_day(client, badge, certificate, time_machine):
    time_machine.move_to(
        timezone.make_aware(
            timezone.datetime.combine(
                certificate.valid_until + timedelta(days=1), timezone.datetime.min.time()
            )
        )
        + timedelta(hours=1)
    )
    body = text(page(client, json.dumps(badge)))
    assert "Ce badge a expiré" in body
    assert api(client, json.dumps(badge)).json()["expired"] is True


def test_it_keeps_badges_signed_with_a_retired_key_valid(client, certificate, settings):
    old_badge = credential_services.certificate_credential(certificate)
    settings.CREDENTIALS_SIGNING_KEY = secret_key_for("next-year")  # rotation
    new_badge = credential_services.certificate_credential(certificate)
    assert new_badge["proof"]["verificationMethod"] != old_badge["proof"]["verificationMethod"]
    old = api(client, json.dumps(old_badge)).json()
    assert old["result"] == "valid" and old["current_key"] is False
    assert "une clé précédente de l'Institut, toujours publiée" in text(
        page(client, json.dumps(old_badge))
    )
    assert api(client, json.dumps(new_badge)).json()["current_key"] is True
    did = client.get("/.well-known/did.json").json()
    published = [method["id"] for method in did["verificationMethod"]]
    assert published[0] == new_badge["proof"]["verificationMethod"]
    assert old_badge["proof"]["verificationMethod"] in published


def test_it_keeps_a_retired_key_named_in_the_settings_published(client, db, settings):
    from certification.credentials import keys, multikey

    retired = multikey.public_multikey(
        multikey.parse_secret_multikey(secret_key_for("2025")).public_key()
    )
    settings.CREDENTIALS_PUBLISHED_KEYS = [retired]
    did = client.get("/.well-known/did.json").json()
    assert f"{keys.issuer_did()}#{retired}" in did["assertionMethod"]


def test_it_verifies_a_training_attestation(client, eligible):
    from courses import services as course_services
    from courses.models import Enrolment

    enrolment = Enrolment.objects.get(user=eligible)
    attestation = course_services.attestation_issue(enrolment_id=enrolment.pk)
    badge = credential_services.attestation_credential(attestation)
    data = api(client, json.dumps(badge)).json()
    assert data["result"] == "valid" and data["kind"] == "attestation"
    assert data["number"] == attestation.number
    assert data["revoked"] is False and data["expired"] is False
    body = text(page(client, json.dumps(badge)))
    assert f"a suivi la formation « {attestation.course_title} »" in body


def test_it_never_answers_500_to_odd_content(client, db, badge):
    odd = [
        {**badge, "credentialSubject": "x"},
        {**badge, "credentialStatus": [{"statusListIndex": "-5"}, 7, None]},
        {**badge, "validUntil": 12},
        {**badge, "issuer": {"id": ["did:web:127.0.0.1%3A8000"]}},
        {**badge, "proof": [badge["proof"], badge["proof"]]},
        {**badge, "proof": "z123"},
        {**badge, "@context": [badge["@context"][0], {"@vocab": "https://evil.example/"}]},
    ]
    for document in odd:
        response = api(client, json.dumps(document))
        assert response.status_code == 200, document
        assert response.json()["result"] in {"malformed", "tampered", "unknown_issuer"}
        assert page(client, json.dumps(document)).status_code == 200


def test_it_links_the_file_check_from_the_number_check(client, db):
    response = client.get("/registre/verifier/")
    assert PAGE in response.content.decode()
    assert client.get(PAGE).status_code == 200


def test_report_message_names_the_size_limit(settings):
    settings.CREDENTIALS_VERIFY_MAX_BYTES = 65536
    report = verification.verify_file(b"x" * 70000)
    assert report.outcome == "too_large" and "64 Ko" in report.message


def test_it_gives_the_badge_s_last_valid_day_as_the_registry_does(client, badge, certificate):
    body = text(page(client, json.dumps(badge)))

    last_day = date_format(certificate.valid_until, "j F Y")
    assert f"Valable jusqu'au</dt><dd>{last_day}</dd>" in body  # not the midnight after it
    assert f"au {last_day}" in body  # the registry's facts, on the same page


def test_it_says_until_which_day_an_expired_badge_was_valid(
    client, badge, certificate, time_machine
):
    time_machine.move_to(timezone.now() + timedelta(days=5 * 365))

    body = text(page(client, json.dumps(badge)))

    assert f"validité jusqu'au {date_format(certificate.valid_until, 'j F Y')})" in body


def test_the_english_result_marks_the_french_scheme_name_french(client, badge):
    """The file names the scheme in French (its `inLanguage`): the English page quotes it in a
    lang="fr" span, the French page as it is."""
    name = badge["credentialSubject"]["achievement"]["name"]
    file = SimpleUploadedFile("badge.json", json.dumps(badge).encode())
    english = client.post("/en" + PAGE, {"fichier": file}).content.decode()
    french = page(client, json.dumps(badge)).content.decode()

    assert f'“<span lang="fr">{html.escape(name)}</span>”' in english
    assert f"« {html.escape(name)} »" in french
