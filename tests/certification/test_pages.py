"""The pages: the trainee's path, applying, opinions, the committee, the holder's certificate."""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certification import services
from certification.models import (
    Application,
    ApplicationDocument,
    Certificate,
    CertificationScheme,
    CharterAcceptance,
    SupervisorOpinion,
)
from certification.reasons import certificate_reason
from institut.models import User
from tests.certification import helpers
from tests.certification.factories import make_certificate

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
STATEMENT = "Je pratique la Thérapie Sociale dans des collectifs de travail depuis deux ans."


def text(response) -> str:
    return html.unescape(response.content.decode())


def url(name: str, *args) -> str:
    return reverse(f"certification:{name}", args=args)


@pytest.fixture
def application(eligible):
    return services.application_submit(applicant=eligible, statement=STATEMENT)


# --- The path ---------------------------------------------------------------------------------


def test_it_shows_the_path_with_each_requirement_and_the_apply_button(
    client, eligible, django_assert_max_num_queries
):
    client.force_login(eligible)
    with django_assert_max_num_queries(16):
        response = client.get(url("path"))
    assert response.status_code == 200
    content = text(response)
    assert "Heures de pratique approuvées" in content
    assert "Inspirer confiance" in content
    assert "Heures de supervision suivies" in content
    assert url("apply") in content


def test_it_shows_what_is_missing_and_where_to_act_without_the_apply_button(
    client, trainee, scheme
):
    client.force_login(trainee)
    response = client.get(url("path"))
    content = text(response)
    assert "à compléter" in content
    assert reverse("supervision:logbook_home") in content
    assert url("apply") not in content


def test_it_answers_404_on_the_path_to_people_who_are_not_trainees(client, trainer, scheme):
    client.force_login(trainer)
    assert client.get(url("path")).status_code == 404


def test_it_records_charter_acceptance_from_the_form(client, trainee, scheme, charter):
    client.force_login(trainee)
    response = client.post(url("charter_accept"), {"accept": "on"})
    assert response.status_code == 302
    assert CharterAcceptance.objects.filter(user=trainee, charter=charter).exists()


def test_it_refuses_an_unchecked_charter_in_french_and_writes_nothing(client, trainee, scheme):
    client.force_login(trainee)
    response = client.post(url("charter_accept"), {})
    assert response.status_code == 400
    assert "Cochez la case pour accepter la charte." in text(response)
    assert not CharterAcceptance.objects.exists()


# --- Applying ---------------------------------------------------------------------------------


def test_it_accepts_an_application_with_a_pdf(client, eligible, mailoutbox, trainer):
    client.force_login(eligible)
    document = SimpleUploadedFile("parcours.pdf", PDF, content_type="application/pdf")
    with pytest.MonkeyPatch.context():
        response = client.post(url("apply"), {"statement": STATEMENT, "documents": [document]})
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.documents.get().original_name == "parcours.pdf"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (("notes.pdf", b"GIF89a not a pdf"), "n'est pas un fichier PDF"),
        (("gros.pdf", PDF + b"0" * (5 * 1024 * 1024)), "dépasse la taille maximale"),
    ],
)
def test_it_refuses_bad_documents_in_french_and_writes_nothing(client, eligible, upload, message):
    client.force_login(eligible)
    name, content = upload
    document = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = client.post(url("apply"), {"statement": STATEMENT, "documents": [document]})
    assert response.status_code == 400
    assert message in text(response)
    assert not Application.objects.exists()
    assert not ApplicationDocument.objects.exists()


def test_it_refuses_an_empty_statement_in_french(client, eligible):
    client.force_login(eligible)
    response = client.post(url("apply"), {"statement": "  "})
    assert response.status_code == 400
    assert "Présentez votre candidature en quelques lignes." in text(response)
    assert not Application.objects.exists()


def test_it_sends_trainees_who_are_not_eligible_back_to_the_path(client, trainee, scheme):
    client.force_login(trainee)
    response = client.post(url("apply"), {"statement": STATEMENT})
    assert response.status_code == 302
    assert not Application.objects.exists()


def test_it_asks_the_supervisor_for_an_opinion_by_email(
    eligible, trainer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = services.application_submit(applicant=eligible, statement=STATEMENT)
    # (the applicant's own notices, such as their entries approved, may be there too)
    (message,) = [m for m in mailoutbox if m.to != [eligible.email]]
    assert message.to == [trainer.email]
    assert eligible.full_name in message.subject
    assert url("opinion", application.pk) in message.body


# --- Opinions ---------------------------------------------------------------------------------


def test_it_takes_the_supervisors_opinion_from_the_form(client, application, trainer):
    client.force_login(trainer)
    assert client.get(url("opinions")).status_code == 200
    response = client.post(
        url("opinion", application.pk), {"verdict": "reserved", "text": "Encore fragile."}
    )
    assert response.status_code == 302
    assert SupervisorOpinion.objects.get().verdict == "reserved"


def test_the_opinion_given_reads_as_a_sentence_in_english_and_in_french(
    client, application, trainer
):
    """« Opinion given on 7 December 2026: favourable. », not « favourable opinion given … »."""
    client.force_login(trainer)
    client.post(url("opinion", application.pk), {"verdict": "favourable", "text": "Solide."})
    french = text(client.get(url("opinion", application.pk)))
    english = text(client.get("/en" + url("opinion", application.pk)))
    assert re.search(r"Opinion given on \d{1,2} \w+ \d{4}: favourable\.", english)
    assert "favourable opinion given" not in english
    assert re.search(r"Avis donné le \d{1,2} \w+ \d{4} : favorable\.", french)


def test_it_refuses_an_opinion_without_text_in_french(client, application, trainer):
    client.force_login(trainer)
    response = client.post(url("opinion", application.pk), {"verdict": "favourable"})
    assert response.status_code == 400
    assert "Motivez votre avis en quelques lignes." in text(response)
    assert not SupervisorOpinion.objects.exists()


def test_it_answers_404_to_a_trainer_who_does_not_supervise(client, application, other_trainer):
    client.force_login(other_trainer)
    assert client.get(url("opinion", application.pk)).status_code == 404


# --- The committee ----------------------------------------------------------------------------


def test_it_answers_404_to_trainees_and_trainers_on_the_committee_pages(
    client, application, trainer
):
    for person in (application.applicant, trainer):
        client.force_login(person)
        assert client.get(url("committee")).status_code == 404
        response = client.post(url("committee_application", application.pk), {"decision": "grant"})
        assert response.status_code == 404
    application.refresh_from_db()
    assert application.status == "submitted"


def test_it_sends_a_committee_member_without_mfa_to_set_it_up(
    client, application, committee_member_without_mfa
):
    client.force_login(committee_member_without_mfa)
    response = client.post(url("committee_application", application.pk), {"decision": "grant"})
    assert response.status_code == 302
    assert reverse("second_factor_setup") in response["Location"]
    application.refresh_from_db()
    assert application.status == "submitted"


def test_it_lets_the_committee_grant_from_the_application_page(
    client, application, committee_member, trainer
):
    helpers.favourable_opinion(application, trainer)
    client.force_login(committee_member)
    page = client.get(url("committee_application", application.pk))
    assert page.status_code == 200
    assert "Carnet de pratique" in text(page)
    response = client.post(url("committee_application", application.pk), {"decision": "grant"})
    assert response.status_code == 302
    assert Certificate.objects.get().holder == application.applicant


def test_it_links_a_granted_application_to_the_certificate_it_issued(
    client, application, committee_member, trainer
):
    helpers.favourable_opinion(application, trainer)
    client.force_login(committee_member)
    client.post(url("committee_application", application.pk), {"decision": "grant"})
    certificate = Certificate.objects.get()
    page = client.get(url("committee_application", application.pk)).content.decode()
    link = reverse("certification:committee_certificate", args=[certificate.pk])
    assert f'href="{link}"' in page and certificate.number in page


def test_it_places_the_decision_form_after_the_evidence_and_the_opinions(
    client, application, committee_member
):
    client.force_login(committee_member)

    page = client.get(url("committee_application", application.pk)).content.decode()

    evidence = page.index('id="evidence-path"')
    opinions = page.index('id="opinions-title"')
    decision = page.index('id="decision-title"')
    assert opinions < decision and evidence < decision
    assert page.index('name="decision"') > evidence


def test_it_shows_the_committee_that_the_supervisor_opinion_is_missing(
    client, application, committee_member
):
    client.force_login(committee_member)
    page = client.get(url("committee_application", application.pk))
    assert "exige l'avis d'au moins un·e superviseur·e" in text(page)
    response = client.post(url("committee_application", application.pk), {"decision": "grant"})
    assert response.status_code == 400
    assert "sans l'avis d'un·e superviseur·e" in text(response)
    assert not Certificate.objects.exists()


def test_it_shows_the_opinion_as_a_step_of_the_path(client, eligible, trainer):
    client.force_login(eligible)
    page = text(client.get(url("path")))
    assert "Avis de votre superviseur·e" in page and trainer.full_name in page
    assert "demandé au dépôt de votre candidature" in page
    application = services.application_submit(applicant=eligible, statement=STATEMENT)
    assert "en attente de l'avis" in text(client.get(url("path")))
    helpers.favourable_opinion(application, trainer)
    assert "avis reçu" in text(client.get(url("path")))


def test_it_refuses_a_refusal_without_reason_in_french_and_writes_nothing(
    client, application, committee_member
):
    client.force_login(committee_member)
    response = client.post(url("committee_application", application.pk), {"decision": "refuse"})
    assert response.status_code == 400
    assert "Un refus doit être motivé." in text(response)
    application.refresh_from_db()
    assert application.status == "submitted"
    assert application.events.count() == 1


def test_it_lists_500_applications_in_a_bounded_number_of_queries(
    client, committee_member, django_assert_max_num_queries
):
    scheme = CertificationScheme.objects.create()
    people = User.objects.bulk_create(
        User(email=f"candidat{n}@example.org", full_name=f"Candidat {n}") for n in range(500)
    )
    # Written in bulk: 500 submissions through the service would make the test slow, not truer.
    Application.objects.bulk_create(
        Application(applicant=person, scheme=scheme, statement=STATEMENT) for person in people
    )
    client.force_login(committee_member)
    with django_assert_max_num_queries(20):
        response = client.get(url("committee"))
    assert response.status_code == 200
    assert "500 candidatures" in text(response)
    with django_assert_max_num_queries(20):
        assert client.get(url("committee") + "?statut=submitted&page=10").status_code == 200


def test_it_lists_the_applications_awaiting_a_decision_first_the_longest_waiting_first(
    client, committee_member
):
    scheme = CertificationScheme.objects.create()
    start = datetime(2026, 3, 1, 9, tzinfo=UTC)
    rows = {  # name: (status, submitted on day, decided on day)
        "granted_long_ago": ("granted", 0, 5),
        "refused_lately": ("refused", 1, 8),
        "more_requested": ("more_requested", 2, None),
        "waiting_since_later": ("submitted", 7, None),
        "waiting_longest": ("submitted", 3, None),
    }
    people = User.objects.bulk_create(
        User(email=f"{name}@example.org", full_name=name) for name in rows
    )
    Application.objects.bulk_create(
        Application(
            applicant=person,
            scheme=scheme,
            statement=STATEMENT,
            status=rows[person.full_name][0],
            submitted_at=start + timedelta(days=rows[person.full_name][1]),
            decided_at=None
            if rows[person.full_name][2] is None
            else start + timedelta(days=rows[person.full_name][2]),
        )
        for person in people
    )
    client.force_login(committee_member)
    page = text(client.get(url("committee")))
    listed = sorted(rows, key=lambda name: page.index(f">{name}<"))
    assert listed == [
        "waiting_longest",
        "waiting_since_later",
        "more_requested",
        "refused_lately",
        "granted_long_ago",
    ]


def test_it_lets_the_committee_suspend_with_a_reason(client, trainee, committee_member):
    certificate = make_certificate(trainee, scheme=CertificationScheme.objects.create())
    client.force_login(committee_member)
    response = client.post(
        url("committee_certificate", certificate.pk),
        {
            "to_status": "suspended",
            "public_reason": "supervision",
            "reason": "",
            "effective_on": "",
        },
    )
    assert response.status_code == 400
    content = text(response)
    assert "Indiquez le motif de ce changement." in content
    assert "Indiquez la date d'effet." in content
    certificate.refresh_from_db()
    assert certificate.status == "active"
    response = client.post(
        url("committee_certificate", certificate.pk),
        {
            "to_status": "suspended",
            "public_reason": "supervision",
            "reason": "Aucune supervision depuis un an.",
            "effective_on": "2026-12-01",
        },
    )
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == "suspended"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_it_fills_the_date_input_with_today_in_iso_format(
    client, trainee, committee_member, language
):
    from django.utils import timezone, translation

    certificate = make_certificate(trainee, scheme=CertificationScheme.objects.create())
    client.force_login(committee_member)
    with translation.override(language):
        response = client.get(url("committee_certificate", certificate.pk))

    today = timezone.localdate().isoformat()
    assert response.status_code == 200
    assert f'type="date" name="effective_on" value="{today}"' in response.content.decode()


def test_it_writes_no_day_first_numeric_date_on_english_pages(client, trainee, committee_member):
    import re

    from django.utils import translation

    certificate = make_certificate(trainee, scheme=CertificationScheme.objects.create())
    client.force_login(committee_member)
    with translation.override("en"):
        english = text(client.get(url("committee_certificates")))
    french = text(client.get(url("committee_certificates")))

    day_first = re.compile(r"\b\d{2}/\d{2}/\d{4}\b")
    assert certificate.valid_until.strftime("%d/%m/%Y") in french
    assert not day_first.search(english)
    assert certificate.valid_until.strftime("%b %Y") in english


def test_it_shows_a_clear_error_for_a_forbidden_transition(client, trainee, committee_member):
    certificate = make_certificate(
        trainee, scheme=CertificationScheme.objects.create(), status="revoked"
    )
    client.force_login(committee_member)
    response = client.post(
        url("committee_certificate", certificate.pk),
        {
            "to_status": "active",
            "public_reason": "reinstated",
            "reason": "Erreur.",
            "effective_on": "2026-12-01",
        },
    )
    assert response.status_code == 400
    assert "ne peut pas devenir" in text(response)


# --- The holder's certificate -----------------------------------------------------------------


def test_it_lets_only_the_holder_download_the_certificate(client, trainee, other_trainee):
    certificate = make_certificate(trainee, scheme=CertificationScheme.objects.create())
    client.force_login(other_trainee)
    for name in ("certificate", "certificate_pdf", "certificate_badge"):
        assert client.get(url(name, certificate.number)).status_code == 404
    client.force_login(trainee)
    page = client.get(url("certificate", certificate.number))
    assert page.status_code == 200
    assert "linkedin.com/profile/add" in text(page)
    pdf = client.get(url("certificate_pdf", certificate.number))
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")
    badge = json.loads(client.get(url("certificate_badge", certificate.number)).content)
    assert badge["type"] == ["VerifiableCredential", "OpenBadgeCredential"]


@pytest.mark.parametrize(
    ("prefix", "word"), [("", "certificat"), ("/en", "certificate")], ids=["fr", "en"]
)
def test_the_certificate_downloads_named_in_the_page_s_language(client, trainee, prefix, word):
    certificate = make_certificate(trainee, scheme=CertificationScheme.objects.create())
    client.force_login(trainee)
    response = client.get(prefix + url("certificate_pdf", certificate.number))
    assert response["Content-Disposition"] == (
        f'attachment; filename="{word}-{certificate.number}.pdf"'
    )


def test_it_answers_404_for_an_unknown_number(client, trainee):
    client.force_login(trainee)
    assert client.get(url("certificate", "TST-2026-AAAAAA")).status_code == 404


def test_it_lets_the_applicant_and_the_committee_download_documents_only(
    client, eligible, committee_member, other_trainee
):
    document = SimpleUploadedFile("parcours.pdf", PDF, content_type="application/pdf")
    application = services.application_submit(
        applicant=eligible, statement=STATEMENT, documents=[document]
    )
    doc = application.documents.get()
    for person, status in ((other_trainee, 404), (eligible, 200), (committee_member, 200)):
        client.force_login(person)
        response = client.get(url("document", doc.pk))
        assert response.status_code == status
        if status == 200:
            assert b"".join(response.streaming_content) == PDF


def test_it_lets_the_holder_become_inactive_and_active_again(client, trainee, other_trainee):
    certificate = make_certificate(trainee, scheme=CertificationScheme.objects.create())
    client.force_login(other_trainee)
    assert (
        client.post(url("certificate_status", certificate.number), {"reason": "Non."}).status_code
        == 404
    )
    client.force_login(trainee)
    response = client.post(url("certificate_status", certificate.number), {"reason": ""})
    assert response.status_code == 400
    assert "Indiquez le motif de ce changement." in text(response)
    client.post(url("certificate_status", certificate.number), {"reason": "Congé parental."})
    certificate.refresh_from_db()
    assert certificate.status == "inactive"
    assert certificate.events.last().public_reason == "holder_request"
    client.post(url("certificate_status", certificate.number), {"reason": "Reprise."})
    certificate.refresh_from_db()
    assert certificate.status == "active"


def test_it_shows_the_renewal_path_to_a_holder_who_is_not_a_trainee(client, trainer):
    make_certificate(trainer, scheme=CertificationScheme.objects.create())
    client.force_login(trainer)
    response = client.get(url("path"))
    assert response.status_code == 200
    assert "Conditions du renouvellement" in text(response)


def test_it_keeps_the_path_queries_constant_as_records_grow(client, eligible, trainer, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.certification import helpers

    settings.PERSONAL_PAGE_SECONDS = 0  # the page made each time: what the view reads is counted
    client.force_login(eligible)
    client.get(url("path"))

    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(url("path")).status_code == 200
        return len(context)

    before = count()
    for day in range(20):
        helpers.approve_practice(
            eligible, trainer, steps=["conflits", "solutions"], hours=1, days=20 + day
        )
        helpers.attend_supervision(eligible, trainer, hours=1, days_ago_=30 + day)
    client.get(url("path"))  # the writes cleared the person's kept totals: read again once
    assert count() == before


def test_it_lists_what_is_missing_for_certification_on_the_trainees_space(client, trainee, scheme):
    client.force_login(trainee)
    body = client.get("/espace/").content.decode()
    panel = body[body.index('id="certification-panel-title"') :]
    assert "Ce qui vous manque :" in panel
    assert 'href="/certification/#charte">Charte éthique en vigueur acceptée</a>' in panel


def test_what_the_applicant_and_supervisor_wrote_is_marked_french_on_english_pages(
    client, application, committee_member, trainer
):
    """The statement and the opinion are read with French pronunciation on English pages."""
    helpers.favourable_opinion(application, trainer)
    opinion = SupervisorOpinion.objects.get()
    committee, given = url("committee_application", application.pk), url("opinion", application.pk)
    client.force_login(committee_member)
    english, french = client.get("/en" + committee).content.decode(), client.get(committee)
    client.force_login(trainer)
    supervisor = client.get("/en" + given).content.decode()

    assert f'<div class="statement" lang="fr"><p>{STATEMENT}</p></div>' in english
    assert f'<div lang="fr"><p>{opinion.text}' in english
    assert f'<div lang="fr"><p>{opinion.text}' in supervisor
    assert f'<div class="statement"><p>{STATEMENT}</p></div>' in french.content.decode()


def test_a_typed_reason_is_marked_french_in_the_english_history_and_a_fixed_one_is_not(
    client, trainee, committee_member
):
    """« Délivrance. » and « Changement de statut. » were typed in French: lang="fr" on English
    pages; a fixed reason (by its code) reads in English and carries no lang."""
    certificate = make_certificate(
        trainee, scheme=CertificationScheme.objects.create(), status="suspended"
    )
    coded, _event = services.certificate_record(
        holder=committee_member,
        scheme=certificate.scheme,
        actor=None,
        issued_on=certificate.first_issued_on,
        reason=certificate_reason("granted"),
    )
    mine, theirs = url("certificate", certificate.number), url("certificate", coded.number)
    client.force_login(trainee)
    english = client.get("/en" + mine).content.decode()
    client.force_login(committee_member)
    fixed = client.get("/en" + theirs).content.decode()

    assert '<span lang="fr">Délivrance.</span>' in english
    assert '<span lang="fr">Changement de statut.</span>' in english
    assert "<span>Certification granted by the committee.</span>" in fixed
