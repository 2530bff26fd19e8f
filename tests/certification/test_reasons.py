"""The fixed reasons of a certificate's and an application's history are recorded as codes and
read in the reader's language, whoever wrote them in whichever language; rows from before the
codes, and what the committee typed, read as stored."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from certification import services
from certification.models import Application, Certificate, CertificateEvent
from certification.reasons import APPLICATION_REASONS, CERTIFICATE_REASONS
from institut.privacy.erasure import account_erase
from institut.privacy.export import personal_data
from tests.certification import helpers
from tests.certification.factories import make_certificate
from tests.reasons import (
    assert_reads_in_both_languages,
    french_after,  # noqa: F401  (a fixture)
    page_text,
    read,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french_after")]

STATEMENT = "Je pratique la Thérapie Sociale depuis trois ans dans des quartiers en tension."

# One example of each code's parameters.
EXAMPLES = {
    "granted": {},
    "renewed": {},
    "expired": {"date": "2027-03-10"},
}


def test_it_has_an_example_of_every_certificate_code():
    assert set(EXAMPLES) == set(CERTIFICATE_REASONS)


@pytest.mark.parametrize("code", sorted(EXAMPLES))
def test_every_certificate_code_reads_in_french_and_in_english(code):
    assert_reads_in_both_languages(CERTIFICATE_REASONS, code, EXAMPLES[code])


def test_an_expiry_writes_its_date_as_the_reader_writes_dates():
    reason = CERTIFICATE_REASONS.reason("expired", date="2027-03-10")

    assert read(CERTIFICATE_REASONS, reason, "fr") == (
        "La période de validité s'est achevée le 10 mars 2027."
    )
    assert read(CERTIFICATE_REASONS, reason, "en") == "The validity period ended on 10 March 2027."


def test_the_application_codes_read_in_french_and_in_english():
    reason = APPLICATION_REASONS.reason("account_erased")

    assert read(APPLICATION_REASONS, reason, "fr") == "Compte supprimé à la demande de la personne."
    assert read(APPLICATION_REASONS, reason, "en") == "Account deleted at the person's request."


def test_an_expiry_run_in_english_reads_in_french_on_the_holder_s_french_page(
    client, trainee, scheme
):
    certificate = make_certificate(trainee, scheme=scheme, valid_until=dt.date(2027, 3, 10))
    with translation.override("en"):
        services.certificates_expire_due(today=dt.date(2027, 3, 11))
    expiry = CertificateEvent.objects.get(certificate=certificate, to_status="expired")
    client.force_login(trainee)

    french = page_text(client.get(f"/certification/certificats/{certificate.number}/"))
    english = page_text(client.get(f"/en/certification/certificats/{certificate.number}/"))

    assert (expiry.reason_code, expiry.reason_params) == ("expired", {"date": "2027-03-10"})
    assert expiry.reason == "La période de validité s'est achevée le 10 mars 2027."
    assert "La période de validité s'est achevée le 10 mars 2027." in french
    assert "The validity period ended on 10 March 2027." in english
    assert "s'est achevée" not in english


def test_a_grant_decided_in_english_reads_in_french_on_the_committee_s_french_page(
    client, eligible, committee_member, trainer, scheme
):
    application = services.application_submit(applicant=eligible, statement=STATEMENT)
    helpers.favourable_opinion(application, trainer)
    with translation.override("en"):
        services.application_decide(
            application=application, actor=committee_member, decision="grant"
        )
    certificate = Certificate.objects.get(holder=eligible)
    client.force_login(committee_member)

    french = page_text(client.get(f"/certification/commission/certificats/{certificate.pk}/"))
    english = page_text(client.get(f"/en/certification/commission/certificats/{certificate.pk}/"))

    assert "Certification accordée par la commission." in french
    assert "Certification granted by the committee." in english
    assert "accordée par la commission" not in english


def test_an_old_row_without_a_code_reads_as_stored_on_an_english_page(client, trainee, scheme):
    certificate = make_certificate(trainee, scheme=scheme)  # its first event: « Délivrance. »
    client.force_login(trainee)

    english = page_text(client.get(f"/en/certification/certificats/{certificate.number}/"))

    assert certificate.events.get().reason_code == ""
    # Typed by a person (in French): marked so on the English page.
    assert '— <span lang="fr">Délivrance.</span>' in english


def certificate_history(user):
    [section] = [s for s in personal_data(user) if s.key == "certification"]
    [table] = [t for t in section.tables if t.key == "historique_certificats"]
    return table


def test_the_export_gives_the_certificate_history_in_the_person_s_language(trainee, scheme):
    make_certificate(trainee, scheme=scheme, valid_until=dt.date(2027, 3, 10))
    with translation.override("en"):
        services.certificates_expire_due(today=dt.date(2027, 3, 11))

    french = certificate_history(trainee)
    trainee.preferred_language = "en"
    trainee.save(update_fields=["preferred_language"])
    english = certificate_history(trainee)

    index = list(french.columns).index("reason")
    assert [cells[index] for cells in french.cells] == [
        "Délivrance.",
        "La période de validité s'est achevée le 10 mars 2027.",
    ]
    assert [cells[index] for cells in english.cells] == [
        "Délivrance.",
        "The validity period ended on 10 March 2027.",
    ]
    # donnees.json: the stored text, with its code and parameters for programs.
    assert [(row["reason_code"], row["reason_params"]) for row in english.rows] == [
        ("", {}),
        ("expired", {"date": "2027-03-10"}),
    ]


def test_an_application_withdrawn_by_an_english_erasure_reads_in_french_for_the_committee(
    client, eligible, committee_member
):
    application = services.application_submit(applicant=eligible, statement=STATEMENT)
    with translation.override("en"):
        account_erase(user=eligible, actor=eligible)
    withdrawn = application.events.get(action="withdrawn")
    client.force_login(committee_member)

    french = page_text(client.get(f"/certification/commission/candidatures/{application.pk}/"))
    english = page_text(client.get(f"/en/certification/commission/candidatures/{application.pk}/"))

    assert Application.objects.get(pk=application.pk).status == Application.Status.REFUSED
    assert withdrawn.reason_code == "account_erased"
    assert "Compte supprimé à la demande de la personne." in french
    assert "Account deleted at the person's request." in english


def test_a_grant_refused_in_english_names_what_was_missing_in_the_reader_s_words(
    client, eligible, committee_member, trainer
):
    from supervision import services as supervision_services
    from supervision.models import SupervisionRecord

    application = services.application_submit(applicant=eligible, statement=STATEMENT)
    record = SupervisionRecord.objects.get(trainee=eligible)
    supervision_services.supervision_record_correct(
        record=record, actor=trainer, attended=False, minutes=None, reason="Absence constatée."
    )
    helpers.favourable_opinion(application, trainer)
    with translation.override("en"):
        services.application_decide(
            application=application, actor=committee_member, decision="grant"
        )
    refused = application.events.get(action="grant_refused")
    client.force_login(committee_member)

    french = page_text(client.get(f"/certification/commission/candidatures/{application.pk}/"))
    english = page_text(client.get(f"/en/certification/commission/candidatures/{application.pk}/"))

    assert refused.reason_code == "grant_refused"
    assert [item["code"] for item in refused.reason_params["missing"]] == ["supervision"]
    assert refused.reason.startswith(
        "Conditions non remplies au moment de la décision : Heures de supervision suivies : "
    )
    assert (
        "Conditions non remplies au moment de la décision : Heures de supervision suivies : "
        in french
    )
    assert (
        "Requirements not met at the time of the decision: Supervision hours attended: " in english
    )
    assert "Conditions non remplies" not in english


def test_the_decision_form_says_where_a_grant_refused_names_its_missing_requirement(
    client, eligible, committee_member, trainer
):
    from supervision import services as supervision_services
    from supervision.models import SupervisionRecord

    application = services.application_submit(applicant=eligible, statement=STATEMENT)
    helpers.favourable_opinion(application, trainer)
    client.force_login(committee_member)
    path = f"/certification/commission/candidatures/{application.pk}/"

    french = page_text(client.get(path))
    english = page_text(client.get("/en" + path))

    # The form has one typed field, "reason or comment": the refusal at decision time does not
    # use it, the history names what is missing.
    assert "la candidature est refusée et son historique nomme la condition manquante." in french
    assert "the application is refused and its history names the missing requirement." in english
    assert "avec ce motif" not in french and "with that reason" not in english

    record = SupervisionRecord.objects.get(trainee=eligible)
    supervision_services.supervision_record_correct(
        record=record, actor=trainer, attended=False, minutes=None, reason="Absence constatée."
    )
    decided = page_text(client.post("/en" + path, {"decision": "grant"}, follow=True))

    assert "The application is refused; its history names the missing requirement." in decided
    assert "Requirements not met at the time of the decision: Supervision hours attended: " in (
        decided
    )
