"""GDPR access and portability: the ZIP of everything held about a person, and only about them."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from django.urls import reverse

from tests.factories import PASSWORD
from tests.institut.records import PDF, person_with_everything

pytestmark = pytest.mark.django_db

URL = reverse("personal_data_download")


@pytest.fixture
def person(trainee, trainer):
    return person_with_everything(trainee, trainer)


@pytest.fixture
def someone_else(other_trainee, other_trainer):
    return person_with_everything(other_trainee, other_trainer)


def download(client, user) -> zipfile.ZipFile:
    client.login(email=user.email, password=PASSWORD)
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def rows(document: dict, section: str, table: str) -> list[dict]:
    return document["sections"][section]["tables"][table]["rows"]


def test_it_exports_every_kind_of_row_held_about_the_person(client, trainee, person):
    archive = download(client, trainee)
    document = json.loads(archive.read("donnees.json"))

    assert document["format"] == "institut-personal-data/1"
    assert rows(document, "compte", "profil") == [
        {
            "email": trainee.email,
            "full_name": "Camille Martin",
            "preferred_language": "fr",
            "time_zone": "Europe/Paris",
            "date_joined": trainee.date_joined.isoformat(),
            "last_login": rows(document, "compte", "profil")[0]["last_login"],
            "is_active": True,
        }
    ]
    counts = {
        (section, table): len(rows(document, section, table))
        for section, tables in {
            "compte": ["adresses_email", "double_authentification"],
            "formations": [
                "inscriptions",
                "historique_inscriptions",
                "lecons_terminees",
                "quiz",
                "reflexions",
                "attestations",
            ],
            "paiements": ["paiements", "factures"],
            "supervision": ["reservations", "presences", "superviseurs", "flux_agenda"],
            "carnet": ["entrees", "periodes", "relectures"],
            "certification": [
                "charte",
                "candidatures",
                "pieces_jointes",
                "historique_candidatures",
                "avis",
                "certificats",
                "historique_certificats",
            ],
            "registre": ["fiche"],
        }.items()
        for table in tables
    }
    assert counts == {
        ("compte", "adresses_email"): 1,
        ("compte", "double_authentification"): 1,
        ("formations", "inscriptions"): 1,
        ("formations", "historique_inscriptions"): 2,
        ("formations", "lecons_terminees"): 1,
        ("formations", "quiz"): 1,
        ("formations", "reflexions"): 1,
        ("formations", "attestations"): 1,
        ("paiements", "paiements"): 1,
        ("paiements", "factures"): 2,
        ("supervision", "reservations"): 2,
        ("supervision", "presences"): 1,
        ("supervision", "superviseurs"): 1,
        ("supervision", "flux_agenda"): 1,
        ("carnet", "entrees"): 2,
        ("carnet", "periodes"): 3,  # confirmed by the supervisor, by link, and closed
        ("carnet", "relectures"): 4,  # created, submitted, approved; the draft created
        ("certification", "charte"): 1,
        ("certification", "candidatures"): 1,
        ("certification", "pieces_jointes"): 1,
        ("certification", "historique_candidatures"): 2,
        ("certification", "avis"): 1,
        ("certification", "certificats"): 1,
        ("certification", "historique_certificats"): 2,
        ("registre", "fiche"): 1,
    }
    assert rows(document, "formations", "reflexions")[0]["text"].startswith("Moi, Camille Martin")
    assert rows(document, "certification", "certificats")[0]["number"] == (
        person["certificate"].number
    )
    assert {row["number"] for row in rows(document, "paiements", "factures")} == {
        person["invoice"].number,
        person["credit_note"].number,
    }


def test_it_puts_the_documents_themselves_in_the_archive(client, trainee, person):
    archive = download(client, trainee)
    names = set(archive.namelist())

    expected = {
        f"fichiers/attestations/{person['attestation'].number}.pdf",
        f"fichiers/factures/{person['invoice'].number}.pdf",
        f"fichiers/certificats/{person['certificate'].number}.pdf",
        f"fichiers/candidatures/{person['decided_application'].pk}-{person['document'].pk}.pdf",
        f"fichiers/registre/photo-{person['profile'].slug}.jpg",
    }
    assert expected <= names
    assert archive.read(f"fichiers/factures/{person['invoice'].number}.pdf") == PDF


def test_it_gives_a_readable_summary_in_the_persons_language(client, trainee, person):
    archive = download(client, trainee)
    html = archive.read("index.html").decode()

    assert '<html lang="fr">' in html
    assert "<h2>Carnet de pratique</h2>" in html
    assert person["certificate"].number in html
    assert "Moi, Camille Martin, j&#x27;ai vu la peur reculer" in html


def test_it_exports_nothing_of_another_person(client, trainee, person, other_trainee, someone_else):
    archive = download(client, trainee)
    everything = b"".join(archive.read(name) for name in archive.namelist()).decode(
        "utf-8", errors="replace"
    )

    assert other_trainee.email not in everything
    assert other_trainee.full_name not in everything
    assert someone_else["certificate"].number not in everything
    assert someone_else["invoice"].number not in everything
    assert someone_else["completion_certificate"].number not in everything
    assert someone_else["cosign_request"].supervisor_email not in everything
    assert someone_else["unused_link"].supervisor_email not in everything
    assert someone_else["audit_evidence"].original_name not in everything
    badges = json.loads(archive.read("donnees.json"))["sections"]["badges"]["tables"]
    assert {row["certificate__number"] for row in badges["entrees_statuts"]["rows"]} == {
        person["certificate"].number
    }
    assert trainee.email in everything


def test_it_asks_an_anonymous_visitor_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_it_reads_a_bounded_number_of_queries_whatever_the_data(
    client, trainee, person, django_assert_max_num_queries
):
    from tests.institut.records import invoice

    for _ in range(30):
        invoice(trainee, enrolment=person["enrolment"])
    client.login(email=trainee.email, password=PASSWORD)
    # One read of titles per table naming lessons or courses (was 63: six tables now name
    # their course by its current title).
    with django_assert_max_num_queries(69):
        response = client.get(URL)
        b"".join(response.streaming_content)


def test_it_exports_training_badges_audits_and_cosigning(client, trainee, person):
    archive = download(client, trainee)
    document = json.loads(archive.read("donnees.json"))

    counts = {
        (section, name): len(rows(document, section, name))
        for section, name in [
            ("sessions", "places"),
            ("sessions", "historique_places"),
            ("sessions", "convocations"),
            ("sessions", "emargements"),
            ("sessions", "certificats_realisation"),
            ("sessions", "satisfaction"),
            ("sessions", "reponses_satisfaction"),
            ("badges", "entrees_statuts"),
            ("audits", "audits"),
            ("audits", "justificatifs"),
            ("audits", "historique_audits"),
            ("carnet", "demandes_cosignature"),
            ("carnet", "cosignatures"),
        ]
    }
    assert counts == {
        ("sessions", "places"): 2,
        ("sessions", "historique_places"): 1,
        ("sessions", "convocations"): 1,
        ("sessions", "emargements"): 1,
        ("sessions", "certificats_realisation"): 1,
        ("sessions", "satisfaction"): 1,
        ("sessions", "reponses_satisfaction"): 1,
        ("badges", "entrees_statuts"): 2,  # the certificate in the revocation and suspension lists
        ("audits", "audits"): 1,
        ("audits", "justificatifs"): 1,
        ("audits", "historique_audits"): 1,
        ("carnet", "demandes_cosignature"): 2,
        ("carnet", "cosignatures"): 1,
    }
    [signed] = rows(document, "sessions", "emargements")
    assert (signed["status"], signed["minutes_late"], signed["ip_address"]) == (
        "late",
        10,
        "192.0.2.10",
    )
    [certificate] = rows(document, "sessions", "certificats_realisation")
    assert certificate["number"] == person["completion_certificate"].number
    assert certificate["trainee_name"] == "Camille Martin"
    assert rows(document, "sessions", "reponses_satisfaction")[0]["text"].startswith("Moi, Camille")
    assert rows(document, "audits", "justificatifs")[0]["original_name"] == (
        "heures-Camille Martin.pdf"
    )
    assert {
        row["supervisor_email"] for row in rows(document, "carnet", "demandes_cosignature")
    } == {
        f"superviseure-{trainee.pk}@exemple.org",
        f"paul.vidal-{trainee.pk}@exemple.org",
    }
    assert rows(document, "carnet", "cosignatures")[0]["signer_name"] == "Martine Garnier"


def test_it_puts_the_certificats_de_realisation_and_audit_evidence_in_the_archive(
    client, trainee, person
):
    archive = download(client, trainee)
    evidence = person["audit_evidence"]

    assert (
        archive.read(
            f"fichiers/certificats-de-realisation/{person['completion_certificate'].number}.pdf"
        )
        == PDF
    )
    assert archive.read(f"fichiers/audits/{evidence.audit_id}-{evidence.pk}.pdf") == PDF


def test_it_never_exports_a_co_signing_links_secret(client, trainee, person):
    archive = download(client, trainee)
    everything = b"".join(archive.read(name) for name in archive.namelist()).decode(
        "utf-8", errors="replace"
    )

    assert person["unused_link"].nonce not in everything
    assert person["cosign_request"].nonce not in everything


def test_the_archive_is_named_in_the_page_s_language(client, trainee):
    from django.utils import timezone

    client.login(email=trainee.email, password=PASSWORD)
    today = f"{timezone.localdate():%Y-%m-%d}"

    french = client.get(URL)["Content-Disposition"]
    english = client.get(f"/en{URL}")["Content-Disposition"]

    assert f'filename="donnees-personnelles-{today}.zip"' in french
    assert f'filename="personal-data-{today}.zip"' in english


def test_the_summary_writes_values_as_a_person_reads_them(client, trainee, person):
    """Dates written out in the person's time zone, « Oui », a status's label, money in euros
    under « Montant », not ISO timestamps, True, "paid" and 12000 cents."""
    import datetime
    import re

    from courses.models import Payment

    paid_at = datetime.datetime(2026, 3, 2, 8, 5, tzinfo=datetime.UTC)
    Payment.objects.filter(pk=person["payment"].pk).update(paid_at=paid_at)
    html = download(client, trainee).read("index.html").decode()
    start = html.index("<h3>Paiements</h3>")
    payments = html[start : html.index("</table>", start)]

    assert '<th scope="col">Montant</th>' in payments
    assert "120,00\xa0€" in payments
    assert "<td>Payé</td>" in payments
    assert "2 mars 2026 à\xa009:05" in payments  # 08:05 UTC, in Paris
    assert "<td>Oui</td>" in html
    assert not re.search(r"<td>\d{4}-\d\d-\d\dT", html)
    assert "<td>True</td>" not in html and "<td>12000</td>" not in html


def table_html(html: str, title: str) -> str:
    start = html.index(f"<h3>{title}</h3>")
    return html[start : html.index("</table>", start)]


def test_the_summary_names_the_roles_in_the_persons_language(client, trainee, person):
    """A role is named as the pages name it (« Stagiaire », "Trainee"), not by its group."""
    french = table_html(download(client, trainee).read("index.html").decode(), "Rôles")
    trainee.preferred_language = "en"
    trainee.save(update_fields=["preferred_language"])
    english = table_html(download(client, trainee).read("index.html").decode(), "Roles")

    assert "<td>Stagiaire</td>" in french
    assert "<td>Trainee</td>" in english
    assert "Stagiaires" not in english


def test_the_summary_names_the_enrolment_statuses(client, trainee, person):
    """The enrolment history says « En cours », not active; donnees.json keeps the codes."""
    archive = download(client, trainee)
    history = table_html(archive.read("index.html").decode(), "Historique des inscriptions")
    document = json.loads(archive.read("donnees.json"))

    assert "<td>En cours</td>" in history
    assert "<td>active</td>" not in history
    assert rows(document, "formations", "historique_inscriptions")[0]["to_status"] == "active"


def test_the_summary_heads_the_quiz_columns_in_the_persons_language(client, trainee, person):
    quiz = table_html(download(client, trainee).read("index.html").decode(), "Réponses aux quiz")

    headers = re.findall(r'<th scope="col">([^<]*)</th>', quiz)
    assert headers == ["Leçon", "Tentative", "Réponses", "Score (%)", "Réussi", "Le"]
    assert "{&quot;0&quot;: [0]}" not in quiz
    assert "Question 1\n→\xa0réponse 1" in quiz  # the lesson is gone: its numbers stand in


def test_the_summary_names_a_places_history_actions_and_statuses(client, trainee, person):
    """« place confirmée », not placed; donnees.json keeps the codes."""
    archive = download(client, trainee)
    history = table_html(archive.read("index.html").decode(), "Historique des places")
    document = json.loads(archive.read("donnees.json"))

    assert history.count("<td>place confirmée</td>") == 2  # the action, then the status
    assert "<td>placed</td>" not in history
    [event] = rows(document, "sessions", "historique_places")
    assert (event["action"], event["to_status"]) == ("placed", "placed")


def test_the_summary_names_an_applications_history_actions_and_statuses(client, trainee, person):
    """« Demande de compléments », not more_requested; donnees.json keeps the codes."""
    from certification.models import Application, ApplicationEvent, CertificationScheme

    application = Application.objects.create(
        applicant=trainee,
        scheme=CertificationScheme.objects.create(),
        statement="J'interviens dans des quartiers où la coopération était bloquée.",
        status=Application.Status.MORE_REQUESTED,
    )
    ApplicationEvent.objects.create(
        application=application,
        action="more_requested",
        from_status=Application.Status.SUBMITTED,
        to_status=Application.Status.MORE_REQUESTED,
    )
    archive = download(client, trainee)
    history = table_html(archive.read("index.html").decode(), "Historique des candidatures")
    document = json.loads(archive.read("donnees.json"))

    action = str(ApplicationEvent.ACTIONS["more_requested"])
    assert f"<td>{action}</td>" in history
    assert f"<td>{Application.Status.SUBMITTED.label}</td>" in history
    assert f"<td>{Application.Status.MORE_REQUESTED.label}</td>" in history
    assert "<td>more_requested</td>" not in history and "<td>submitted</td>" not in history
    events = rows(document, "certification", "historique_candidatures")
    assert ("more_requested", "more_requested") in {(e["action"], e["to_status"]) for e in events}


def test_the_summary_gives_the_enrolment_history_s_reasons_in_the_persons_language(
    client, trainee, person
):
    """« Inscription à la formation », not "enrolment"; what a person typed stays as typed;
    donnees.json keeps the text as stored, with its code."""
    archive = download(client, trainee)
    history = table_html(archive.read("index.html").decode(), "Historique des inscriptions")
    document = json.loads(archive.read("donnees.json"))

    assert "<td>Inscription à la formation</td>" in history
    assert "<td>enrolment</td>" not in history
    assert "<td>Terminée par Camille Martin</td>" in history
    enrolled, completed = rows(document, "formations", "historique_inscriptions")
    assert (enrolled["reason"], enrolled["reason_code"]) == ("enrolment", "enrolled")
    assert (completed["reason"], completed["reason_code"]) == ("Terminée par Camille Martin", "")
