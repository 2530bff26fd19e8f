"""What the issuer publishes: credentials in the Open Badges 3.0 shape, the DID document, the
issuer's profile and achievement definitions (JSON-LD to machines, a page to people)."""

from __future__ import annotations

import json
from datetime import timedelta

import jsonschema
import pytest
from django.conf import settings
from django.utils import translation

from certification.credentials import keys
from certification.credentials import services as credential_services
from tests.certification.credentials.ob3_schema import OPEN_BADGE_CREDENTIAL
from tests.certification.credentials.test_proofs import VECTOR_CREDENTIAL

validator = jsonschema.Draft202012Validator(
    OPEN_BADGE_CREDENTIAL, format_checker=jsonschema.FormatChecker()
)
LD = {"HTTP_ACCEPT": "application/ld+json"}


def local(url: str) -> str:
    assert url.startswith(settings.SITE_URL), url
    return url.removeprefix(settings.SITE_URL)


def test_the_shape_schema_accepts_the_specification_example_and_refuses_a_broken_one():
    validator.validate(VECTOR_CREDENTIAL)
    broken = {**VECTOR_CREDENTIAL, "credentialSubject": {"type": ["AchievementSubject"]}}
    assert not validator.is_valid(broken)


def test_it_issues_a_certificate_in_the_open_badges_shape(certificate):
    badge = credential_services.certificate_credential(certificate)
    validator.validate(badge)
    assert badge["issuer"]["id"] == keys.issuer_did()
    assert badge["issuer"]["email"] and badge["issuer"]["image"]["type"] == "Image"
    subject = badge["credentialSubject"]
    assert subject["licenseNumber"] == certificate.number
    assert subject["identifier"][0]["identityHash"] == certificate.holder_name
    assert [entry["statusPurpose"] for entry in badge["credentialStatus"]] == [
        "revocation",
        "suspension",
    ]
    assert badge["proof"]["verificationMethod"] == keys.signing_key().verification_method


def test_it_dates_a_certificate_to_the_end_of_its_last_day_in_paris(certificate):
    badge = credential_services.certificate_credential(certificate)
    # Paris is UTC+1 or UTC+2: the day after the last one starts at 22:00 or 23:00 UTC on it.
    last_day = certificate.valid_until.isoformat()
    assert badge["validUntil"] in (f"{last_day}T22:00:00Z", f"{last_day}T23:00:00Z")
    first_day = (certificate.issued_on - timedelta(days=1)).isoformat()
    assert badge["validFrom"] in (f"{first_day}T22:00:00Z", f"{first_day}T23:00:00Z")


def test_it_gives_the_same_credential_id_for_the_same_validity_period(certificate):
    first = credential_services.certificate_credential(certificate)
    second = credential_services.certificate_credential(certificate)
    assert first["id"] == second["id"] and first["id"].startswith("urn:uuid:")


def test_it_serves_the_achievement_it_embeds(client, certificate):
    badge = credential_services.certificate_credential(certificate)
    embedded = badge["credentialSubject"]["achievement"]
    assert embedded["id"].endswith(
        f"/certification/referentiel/{certificate.scheme_id}/v{certificate.scheme_version}/"
    )
    response = client.get(local(embedded["id"]), **LD)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    assert "Accept" in response["Vary"]
    served = response.json()
    assert served["@context"] == badge["@context"]
    assert {key: value for key, value in served.items() if key != "@context"} == embedded
    page = client.get(local(embedded["id"]), HTTP_ACCEPT="text/html,*/*;q=0.8")
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/html")
    assert embedded["name"] in page.content.decode()


def test_it_keeps_serving_an_earlier_version_of_the_scheme(client, certificate, scheme):
    badge = credential_services.certificate_credential(certificate)
    path = local(badge["credentialSubject"]["achievement"]["id"])
    scheme.min_practice_hours = 200
    scheme.save()  # version 2
    old = client.get(path, **LD).json()
    assert "au moins 10 heures de pratique" in old["criteria"]["narrative"]
    assert old["version"] == str(certificate.scheme_version)
    new = client.get(f"/certification/referentiel/{scheme.pk}/v{scheme.version}/", **LD).json()
    assert "au moins 200 heures de pratique" in new["criteria"]["narrative"]
    assert client.get(f"/certification/referentiel/{scheme.pk}/v99/").status_code == 404


def test_it_serves_the_did_document_with_every_published_key(client, db):
    response = client.get("/.well-known/did.json")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    document = json.loads(response.content)
    assert document["id"] == keys.issuer_did() == "did:web:127.0.0.1%3A8000"
    method = document["verificationMethod"][0]
    assert method["type"] == "Multikey" and method["controller"] == document["id"]
    assert method["id"] == keys.signing_key().verification_method
    assert document["assertionMethod"] == [method["id"]]


def test_it_publishes_no_key_when_none_is_configured(client, db, settings):
    settings.CREDENTIALS_SIGNING_KEY = ""
    document = json.loads(client.get("/.well-known/did.json").content)
    assert document["verificationMethod"] == []


def test_it_shows_the_issuer_to_people_and_machines(client, db):
    page = client.get("/certification/emetteur/")
    assert page.status_code == 200 and "did:web:127.0.0.1%3A8000" in page.content.decode()
    profile = client.get("/certification/emetteur/", **LD).json()
    assert profile["id"] == keys.issuer_did() and profile["type"] == ["Profile"]
    assert profile["name"] and profile["url"] == settings.SITE_URL + "/"


def test_it_serves_a_course_as_an_achievement(client, course):
    path = f"/certification/referentiel/formations/{course.translation_key}/"
    achievement = client.get(path, **LD).json()
    assert achievement["achievementType"] == "Course"
    assert achievement["name"] == course.title
    assert client.get(path).status_code == 200
    assert (
        client.get(
            "/certification/referentiel/formations/" + "0" * 8 + "-0000-0000-0000-" + "0" * 12 + "/"
        ).status_code
        == 404
    )


def test_it_issues_an_attestation_in_the_open_badges_shape(eligible, client):
    from courses import services as course_services
    from courses.models import Enrolment

    attestation = course_services.attestation_issue(
        enrolment_id=Enrolment.objects.get(user=eligible).pk
    )
    badge = credential_services.attestation_credential(attestation)
    validator.validate(badge)
    assert badge["credentialSubject"]["achievement"]["achievementType"] == "Course"
    assert "validUntil" not in badge
    assert [entry["statusPurpose"] for entry in badge["credentialStatus"]] == ["revocation"]
    assert attestation.number in badge["id"]


def test_it_lets_only_the_owner_download_an_attestation_badge(client, eligible, other_trainee):
    from courses import services as course_services
    from courses.models import Enrolment

    attestation = course_services.attestation_issue(
        enrolment_id=Enrolment.objects.get(user=eligible).pk
    )
    path = f"/certification/attestations/{attestation.number}/open-badge.json"
    client.force_login(other_trainee)
    assert client.get(path).status_code == 404
    client.force_login(eligible)
    response = client.get(path)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert json.loads(response.content)["proof"]["cryptosuite"] == "eddsa-rdfc-2022"


def test_it_explains_that_badges_are_unavailable_without_a_key(client, certificate, settings):
    settings.CREDENTIALS_SIGNING_KEY = ""
    client.force_login(certificate.holder)
    response = client.get(f"/certification/certificats/{certificate.number}/open-badge.json")
    assert response.status_code == 503
    assert "clé de signature" in response.content.decode()


@pytest.mark.parametrize("path", ["/.well-known/did.json", "/certification/emetteur/"])
def test_machine_addresses_take_no_language_prefix(client, db, path):
    assert client.get("/en" + path).status_code == 404


def test_the_achievement_page_names_the_steps_of_the_method(client, certificate):
    path = f"/certification/referentiel/{certificate.scheme_id}/v{certificate.scheme_version}/"

    page = client.get(path, HTTP_ACCEPT="text/html").content.decode()

    assert "<li>Inspirer confiance\u00a0: 1\u00a0h</li>" in page
    assert "Calmer les peurs en sous-groupes hétérogènes" in page
    assert "sous_groupes" not in page


def test_it_names_the_steps_in_english_too(certificate):
    from certification.credentials.views import step_minimums

    with translation.override("en"):
        rows = [(str(step), hours) for step, hours in step_minimums(certificate.scheme_snapshot)]

    assert rows[0] == ("Inspire trust", 1)
    assert rows[-1] == ("Solve complex problems", 1)


def test_the_issuer_s_pages_follow_the_visitor_s_language_at_their_fixed_address(
    client, certificate
):
    path = f"/certification/referentiel/{certificate.scheme_id}/v{certificate.scheme_version}/"

    browser = client.get(path, HTTP_ACCEPT="text/html", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    chosen = client.get(path, {"lang": "en"}, HTTP_ACCEPT="text/html")
    french = client.get(path, {"lang": "fr"}, HTTP_ACCEPT_LANGUAGE="en", HTTP_ACCEPT="text/html")
    machine = client.get(path, HTTP_ACCEPT_LANGUAGE="en", **LD)

    for response in (browser, chosen):
        html = response.content.decode()
        assert '<html lang="en">' in html and response["Content-Language"] == "en"
        assert "<li>Inspire trust: 1\u00a0h</li>" in html
        assert f'<h1 lang="fr">{certificate.scheme_name}</h1>' in html  # the document's words
        assert f'href="{path}?lang=fr"' in html  # the language links stay on this address
    assert "Accept-Language" in browser["Vary"]
    assert "<li>Inspirer confiance\u00a0: 1\u00a0h</li>" in french.content.decode()
    assert "Inspirer confiance" not in json.dumps(machine.json())  # the document is unchanged


def test_the_issuer_page_reads_well_in_both_languages(client, db):
    french = client.get("/certification/emetteur/").content.decode()
    english = client.get("/certification/emetteur/?lang=en").content.decode()

    assert "Nos certificats TST® et nos attestations de formation sont aussi" in french
    assert "de Institut" not in french
    assert "Our TST® certificates and training certificates are also issued" in english
