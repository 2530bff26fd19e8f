"""The language a training attestation's badge says its course is written in (`inLanguage`): that
of the title and summary it carries, English for a course read in English, French otherwise;
badges signed before, which all said French, still verify."""

from __future__ import annotations

import copy
import html
import json

import jsonschema
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from certification.credentials import services as credential_services
from courses import services as course_services
from courses.models import Enrolment
from tests.certification.credentials.ob3_schema import OPEN_BADGE_CREDENTIAL
from tests.certification.helpers import complete_course
from tests.courses.conftest import english_course

pytestmark = pytest.mark.django_db

validator = jsonschema.Draft202012Validator(
    OPEN_BADGE_CREDENTIAL, format_checker=jsonschema.FormatChecker()
)
ENGLISH_TITLE = "Discovering Social Therapy"
PAGE = "/registre/verifier/fichier/"


@pytest.fixture(autouse=True)
def _french_after():
    yield
    translation.activate("fr")


@pytest.fixture
def translated(course):
    """The course, translated into English with wagtail-localize."""
    english_course(course, title=ENGLISH_TITLE)
    return course


def attestation_of(user, course):
    """The attestation of a course the user completed, issued as the platform issues it."""
    complete_course(user, course)
    enrolment = Enrolment.objects.get(user=user, course_key=course.translation_key)
    return course_services.attestation_issue(enrolment_id=enrolment.pk)


def achievement_of(badge: dict) -> dict:
    return badge["credentialSubject"]["achievement"]


def verify_page(client, badge: dict, prefix: str = "") -> str:
    file = SimpleUploadedFile("badge.json", json.dumps(badge).encode())
    return client.post(prefix + PAGE, {"fichier": file}).content.decode()


def test_it_says_english_for_an_attestation_of_a_course_read_in_english(trainee, translated):
    trainee.preferred_language = "en"
    trainee.save()
    attestation = attestation_of(trainee, translated)
    assert attestation.course_title == ENGLISH_TITLE

    with translation.override("fr"):  # downloaded from a French page: the same texts
        badge = credential_services.attestation_credential(attestation)

    validator.validate(badge)
    achievement = achievement_of(badge)
    assert achievement["inLanguage"] == "en"
    assert achievement["name"] == ENGLISH_TITLE
    assert achievement["description"] == "In English."  # the English version's summary
    assert achievement["criteria"]["narrative"] == (
        "All the required lessons of the course followed and completed online."
    )


def test_it_says_french_for_an_attestation_of_a_course_read_in_french(trainee, translated):
    attestation = attestation_of(trainee, translated)

    with translation.override("en"):  # downloaded from an English page: still the French texts
        badge = credential_services.attestation_credential(attestation)

    validator.validate(badge)
    achievement = achievement_of(badge)
    assert achievement["inLanguage"] == "fr"
    assert achievement["name"] == translated.title
    assert achievement["description"] == translated.summary
    assert achievement["criteria"]["narrative"] == (
        "Toutes les leçons requises de la formation suivies et validées en ligne."
    )


def test_it_says_french_when_the_english_version_kept_the_french_title(trainee, course):
    english_course(course, title=course.title)
    trainee.preferred_language = "en"
    trainee.save()
    badge = credential_services.attestation_credential(attestation_of(trainee, course))
    assert achievement_of(badge)["inLanguage"] == "fr"


def test_it_keeps_the_owner_s_language_for_a_course_renamed_since(trainee, translated):
    from courses.models import CoursePage

    trainee.preferred_language = "en"
    trainee.save()
    attestation = attestation_of(trainee, translated)
    english = CoursePage.objects.get(
        translation_key=translated.translation_key, locale__language_code="en"
    )
    english.title = "Social Therapy: the basics"
    english.save_revision().publish()

    achievement = achievement_of(credential_services.attestation_credential(attestation))

    assert achievement["name"] == ENGLISH_TITLE  # the title it was issued with
    assert achievement["inLanguage"] == "en"


def test_the_verification_page_marks_the_name_in_the_language_the_badge_states(
    client, trainee, translated
):
    trainee.preferred_language = "en"
    trainee.save()
    badge = credential_services.attestation_credential(attestation_of(trainee, translated))

    french = verify_page(client, badge)
    english = verify_page(client, badge, "/en")

    assert f'« <span lang="en">{ENGLISH_TITLE}</span> »' in french
    assert f"“{ENGLISH_TITLE}”" in english


def test_a_badge_signed_when_every_badge_said_french_still_verifies(client, trainee, translated):
    """Before, the achievement said `"inLanguage": "fr"` whatever its title: such a file, signed
    then, is untouched by the change and still valid; its page takes it at its word."""
    trainee.preferred_language = "en"
    trainee.save()
    new = credential_services.attestation_credential(attestation_of(trainee, translated))
    old = copy.deepcopy(new)
    del old["proof"]
    achievement_of(old)["inLanguage"] = "fr"
    old = credential_services.sign(old)

    data = client.post(
        "/api/v1/credentials/verify", data=json.dumps(old), content_type="application/json"
    ).json()
    english = html.unescape(verify_page(client, old, "/en"))

    assert data["result"] == "valid" and data["accepted"] is True
    assert achievement_of(old)["inLanguage"] == "fr"
    assert f'“<span lang="fr">{ENGLISH_TITLE}</span>”' in english


def test_the_credential_itself_speaks_the_language_of_an_english_attestation(trainee, translated):
    trainee.preferred_language = "en"
    trainee.save()
    attestation = attestation_of(trainee, translated)

    with translation.override("fr"):
        badge = credential_services.attestation_credential(attestation)

    validator.validate(badge)
    assert badge["name"] == f"{ENGLISH_TITLE} — {attestation.number}"
    assert badge["description"] == (
        f"{attestation.trainee_name} completed the course “{ENGLISH_TITLE}” of the Institut "
        f"Charles Rojzman, attestation no. {attestation.number}."
    )


def test_the_credential_itself_speaks_french_for_a_french_attestation(trainee, translated):
    attestation = attestation_of(trainee, translated)

    with translation.override("en"):
        badge = credential_services.attestation_credential(attestation)

    assert badge["description"] == (
        f"{attestation.trainee_name} a suivi la formation « {translated.title} » de l'Institut "
        f"Charles Rojzman, attestation n° {attestation.number}."
    )


def test_an_attestation_of_a_course_gone_states_no_language_and_still_verifies(
    client, trainee, translated
):
    from courses.models import CoursePage

    trainee.preferred_language = "en"
    trainee.save()
    attestation = attestation_of(trainee, translated)
    for version in CoursePage.objects.filter(translation_key=translated.translation_key).order_by(
        "-locale__language_code"  # the translation first, then its source
    ):
        version.delete()

    badge = credential_services.attestation_credential(attestation)
    data = client.post(
        "/api/v1/credentials/verify", data=json.dumps(badge), content_type="application/json"
    ).json()
    french = html.unescape(verify_page(client, badge))

    validator.validate(badge)
    assert "inLanguage" not in achievement_of(badge)  # unknown, not claimed French
    assert achievement_of(badge)["name"] == ENGLISH_TITLE  # the title it was issued with
    assert data["result"] == "valid" and data["accepted"] is True
    assert f"« {ENGLISH_TITLE} »" in french  # not marked as French
    assert f'lang="fr">{ENGLISH_TITLE}' not in french
