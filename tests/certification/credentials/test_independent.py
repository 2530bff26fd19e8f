"""The platform's credentials, status lists and DID document, checked by an implementation that
is not its own: Digital Bazaar's `@digitalbazaar/vc` with the eddsa-rdfc-2022 cryptosuite and
the Bitstring Status List checker, in node."""

from __future__ import annotations

import copy
import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings

from certification.credentials import bitstrings, keys, selectors
from certification.credentials import services as credential_services
from certification.models import CertificateStatus, PublicReason
from tests.certification.credentials import independent
from tests.certification.credentials.helpers import change_status
from tests.certification.helpers import secret_key_for


@pytest.fixture(autouse=True)
def _verifier():
    independent.require()


def served(client, certificate) -> dict:
    """What a verifier would fetch: the DID document and the certificate's status lists."""
    documents = {keys.issuer_did(): client.get("/.well-known/did.json").json()}
    for _purpose, url, _index in selectors.entries_of(certificate=certificate):
        documents[url] = json.loads(client.get(url.removeprefix(settings.SITE_URL)).content)
    return documents


def verified_and_expanded(client, attestation, badge: dict) -> dict:
    """The independent verifier's result for an attestation's badge, verified and expanded."""
    documents = {keys.issuer_did(): client.get("/.well-known/did.json").json()}
    for _purpose, url, _index in selectors.entries_of(attestation=attestation):
        documents[url] = json.loads(client.get(url.removeprefix(settings.SITE_URL)).content)
    return independent.run(
        documents=documents, credentials={"badge": badge}, expand={"badge": badge}
    )


def statuses(result: dict) -> dict:
    return {status["purpose"]: status["set"] for status in result["statuses"]}


def test_it_verifies_an_issued_certificate_and_its_status_lists(client, certificate):
    badge = credential_services.certificate_credential(certificate)
    documents = served(client, certificate)
    lists = {url: document for url, document in documents.items() if url.startswith("http")}
    result = independent.run(documents=documents, credentials={"badge": badge, **lists})
    assert result["credentials"]["badge"]["verified"], result["credentials"]["badge"]["error"]
    assert statuses(result["credentials"]["badge"]) == {"revocation": False, "suspension": False}
    for url in lists:
        assert result["credentials"][url]["verified"], result["credentials"][url]["error"]


def test_it_refuses_a_credential_with_one_field_changed(client, certificate):
    badge = credential_services.certificate_credential(certificate)
    altered = copy.deepcopy(badge)
    altered["credentialSubject"]["licenseNumber"] = "TST-2020-AAAAAA"
    result = independent.run(
        documents=served(client, certificate), credentials={"altered": altered}
    )
    assert not result["credentials"]["altered"]["verified"]


def test_it_sees_a_revocation_through_the_status_list(client, certificate, committee_member):
    badge = credential_services.certificate_credential(certificate)
    change_status(certificate, CertificateStatus.REVOKED, committee_member, PublicReason.ETHICS)
    result = independent.run(documents=served(client, certificate), credentials={"badge": badge})
    assert result["credentials"]["badge"]["verified"], result["credentials"]["badge"]["error"]
    assert statuses(result["credentials"]["badge"]) == {"revocation": True, "suspension": False}


def test_it_sees_a_suspension_and_its_end(client, certificate, committee_member):
    badge = credential_services.certificate_credential(certificate)
    change_status(
        certificate, CertificateStatus.SUSPENDED, committee_member, PublicReason.SUPERVISION
    )
    result = independent.run(documents=served(client, certificate), credentials={"badge": badge})
    assert statuses(result["credentials"]["badge"]) == {"revocation": False, "suspension": True}
    change_status(certificate, CertificateStatus.ACTIVE, committee_member, PublicReason.REINSTATED)
    result = independent.run(documents=served(client, certificate), credentials={"badge": badge})
    assert statuses(result["credentials"]["badge"]) == {"revocation": False, "suspension": False}


def test_it_verifies_a_badge_signed_before_a_key_rotation(client, certificate, settings):
    old = credential_services.certificate_credential(certificate)
    settings.CREDENTIALS_SIGNING_KEY = secret_key_for("after-rotation")
    new = credential_services.certificate_credential(certificate)
    result = independent.run(
        documents=served(client, certificate), credentials={"old": old, "new": new}
    )
    assert result["credentials"]["old"]["verified"], result["credentials"]["old"]["error"]
    assert result["credentials"]["new"]["verified"], result["credentials"]["new"]["error"]


def test_it_refuses_a_badge_whose_key_left_the_did_document(client, certificate, settings):
    badge = credential_services.certificate_credential(certificate)
    documents = served(client, certificate)
    did = documents[keys.issuer_did()]
    did["verificationMethod"], did["assertionMethod"] = [], []
    result = independent.run(documents=documents, credentials={"badge": badge})
    assert not result["credentials"]["badge"]["verified"]


def test_it_verifies_a_training_attestation(client, eligible):
    from courses import services as course_services
    from courses.models import Enrolment

    attestation = course_services.attestation_issue(
        enrolment_id=Enrolment.objects.get(user=eligible).pk
    )
    badge = credential_services.attestation_credential(attestation)
    documents = {keys.issuer_did(): client.get("/.well-known/did.json").json()}
    for _purpose, url, _index in selectors.entries_of(attestation=attestation):
        documents[url] = json.loads(client.get(url.removeprefix(settings.SITE_URL)).content)
    result = independent.run(documents=documents, credentials={"badge": badge})
    assert result["credentials"]["badge"]["verified"], result["credentials"]["badge"]["error"]
    assert statuses(result["credentials"]["badge"]) == {"revocation": False}


def test_it_verifies_an_attestation_that_says_its_course_is_in_english(client, trainee, course):
    """`inLanguage` "en" (a course read in English) is signed, verified and expanded as any
    other term of the Open Badges context."""
    from courses import services as course_services
    from courses.models import Enrolment
    from tests.certification.helpers import complete_course
    from tests.courses.conftest import english_course

    english_course(course, title="Discovering Social Therapy")
    trainee.preferred_language = "en"
    trainee.save()
    complete_course(trainee, course)
    attestation = course_services.attestation_issue(
        enrolment_id=Enrolment.objects.get(user=trainee).pk
    )
    badge = credential_services.attestation_credential(attestation)
    assert badge["credentialSubject"]["achievement"]["inLanguage"] == "en"
    result = verified_and_expanded(client, attestation, badge)
    assert result["credentials"]["badge"]["verified"], result["credentials"]["badge"]["error"]
    assert result["expand"]["badge"]["expanded"], result["expand"]["badge"]["error"]


def test_every_document_uses_only_defined_terms(client, certificate):
    badge = credential_services.certificate_credential(certificate)
    achievement_url = badge["credentialSubject"]["achievement"]["id"]
    path = achievement_url.removeprefix(settings.SITE_URL)
    documents = served(client, certificate)
    expand = {
        "badge": badge,
        "did": documents[keys.issuer_did()],
        "achievement": client.get(path, HTTP_ACCEPT="application/ld+json").json(),
        "issuer": client.get("/certification/emetteur/", HTTP_ACCEPT="application/ld+json").json(),
        **{url: document for url, document in documents.items() if url.startswith("http")},
    }
    result = independent.run(documents=documents, expand=expand)
    for name, outcome in result["expand"].items():
        assert outcome["expanded"], (name, outcome["error"])


def test_the_shipped_contexts_are_those_the_packages_distribute(db):
    result = independent.run(documents={})
    assert result["contexts"] and all(result["contexts"].values()), result["contexts"]


def test_it_verifies_an_attestation_of_a_course_gone_that_states_no_language(
    client, trainee, course
):
    """Without `inLanguage` (the course is gone), the file is signed and verified all the same."""
    from courses import services as course_services
    from courses.models import Enrolment
    from tests.certification.helpers import complete_course

    complete_course(trainee, course)
    attestation = course_services.attestation_issue(
        enrolment_id=Enrolment.objects.get(user=trainee).pk
    )
    course.delete()
    badge = credential_services.attestation_credential(attestation)
    assert "inLanguage" not in badge["credentialSubject"]["achievement"]
    result = verified_and_expanded(client, attestation, badge)
    assert result["credentials"]["badge"]["verified"], result["credentials"]["badge"]["error"]
    assert result["expand"]["badge"]["expanded"], result["expand"]["badge"]["error"]


@pytest.mark.calendar
def test_a_suspended_certificate_past_its_end_is_no_longer_published_as_suspended(
    client, certificate, committee_member
):
    """From the first minute after its last valid day (Europe/Paris) the certificate reads
    « expiré », before the daily run records it: its suspension list, even the copy signed on
    the last minute, no longer says suspended, to an independent verifier and to ours."""
    change_status(
        certificate, CertificateStatus.SUSPENDED, committee_member, PublicReason.SUPERVISION
    )
    badge = credential_services.certificate_credential(certificate)
    (_purpose, list_url, index) = selectors.entries_of(certificate=certificate)[1]
    paris = ZoneInfo("Europe/Paris")
    last_minute = dt.datetime.combine(certificate.valid_until, dt.time(23, 59, 59), paris)
    first_minute_after = dt.datetime.combine(
        certificate.valid_until + dt.timedelta(days=1), dt.time.min, paris
    )

    def served_bit() -> bool:
        """The list as served and checked by the independent verifier, and our bit in it."""
        documents = served(client, certificate)
        result = independent.run(documents=documents, credentials={"list": documents[list_url]})
        assert result["credentials"]["list"]["verified"], result["credentials"]["list"]["error"]
        encoded = documents[list_url]["credentialSubject"]["encodedList"]
        return bitstrings.get_bit(bitstrings.decode(encoded), index)

    def verified() -> dict:
        return client.post(
            "/api/v1/credentials/verify", data=json.dumps(badge), content_type="application/json"
        ).json()

    with time_machine.travel(last_minute, tick=False):
        before = independent.run(documents=served(client, certificate), credentials={"b": badge})
        kept_until = client.get(list_url.removeprefix(settings.SITE_URL))["Cache-Control"]
        ours_before = verified()
    with time_machine.travel(first_minute_after, tick=False):
        after = served_bit()
        ours_after = verified()

    assert statuses(before["credentials"]["b"]) == {"revocation": False, "suspension": True}
    assert ours_before["suspended"] is True
    assert after is False
    assert (ours_after["suspended"], ours_after["expired"]) == (False, True)
    assert "max-age=1" in kept_until  # no cache keeps the last minute's copy past midnight
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.SUSPENDED  # the daily run records it later
