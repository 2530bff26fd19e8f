"""A trainee who holds or held a place finds on the session page and in « Mes sessions », again,
what the e-mail brought: the convocations as they were sent and the programme; nobody else gets
them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.training import services
from courses.training.ics import session_zone
from courses.training.models import CompletionCertificate, Convocation
from tests.courses.conftest import build_course
from tests.courses.training.conftest import make_session, place
from tests.courses.training.helpers import pdf_text, run_session

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


def _convocation_url(convocation) -> str:
    return reverse(
        "courses:training_convocation",
        args=[convocation.placement.session_id, convocation.pk],
    )


def _sent_day(convocation) -> str:
    return f"{timezone.localtime(convocation.sent_at, session_zone()):%Y%m%d}"


def _reminder(placement) -> Convocation:
    return Convocation.objects.create(
        placement=placement,
        kind=Convocation.Kind.REMINDER,
        sent_to=placement.trainee.email,
        subject="Rappel de votre convocation",
        body="Votre formation commence bientôt.",
    )


def _documents(page: str) -> str:
    return page.split('id="my-documents-title"', 1)[1].split("</section>", 1)[0]


def test_the_trainee_finds_the_convocation_and_programme_on_the_session_page(
    client, session, placed, trainee
):
    convocation = Convocation.objects.get(placement=placed)
    client.force_login(trainee)
    page = client.get(reverse("courses:training_session", args=[session.pk])).content.decode()
    documents = _documents(page)
    assert "Mes documents" in page
    assert reverse("courses:training_programme_pdf", args=[session.pk]) in documents
    assert "Télécharger le programme (PDF)" in documents
    assert _convocation_url(convocation) in documents
    assert "Convocation (e-mail du " in documents


def test_an_english_reader_finds_them_in_english(client, session, placed, trainee):
    _reminder(placed)
    client.force_login(trainee)
    page = client.get("/en" + reverse("courses:training_session", args=[session.pk]))
    documents = _documents(page.content.decode())
    assert "My documents" in page.content.decode()
    assert "Download the programme (PDF)" in documents
    assert "Convocation (e-mailed on " in documents
    assert "Reminder (e-mailed on " in documents
    assert "e-mail du" not in documents


def test_the_page_reads_the_convocations_in_one_query_however_many(
    client, session, placed, trainee
):
    url = reverse("courses:training_session", args=[session.pk])
    client.force_login(trainee)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    _reminder(placed)
    Convocation.objects.create(
        placement=placed,
        kind=Convocation.Kind.UPDATE,
        sequence=1,
        sent_to=trainee.email,
        subject="Convocation modifiée",
        body="Les dates ont changé.",
    )
    with CaptureQueriesContext(connection) as three:
        page = client.get(url).content.decode()
    assert _documents(page).count("(e-mail du ") == 3
    assert len(three) == len(one)


@pytest.mark.parametrize(
    ("prefix", "word", "header"), [("", "rappel", "Envoyée le"), ("/en", "reminder", "Sent on")]
)
def test_the_convocation_downloads_as_it_was_sent(client, placed, trainee, prefix, word, header):
    convocation = _reminder(placed)
    client.force_login(trainee)
    response = client.get(prefix + _convocation_url(convocation))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{word}-{_sent_day(convocation)}.txt"'
    )
    text = b"".join(response.streaming_content).decode()
    assert text.startswith(header)
    assert trainee.email in text.splitlines()[0]
    assert text.endswith("Rappel de votre convocation\n\nVotre formation commence bientôt.")


def test_the_confirmation_downloads_with_the_e_mail_s_text(client, placed, trainee):
    convocation = Convocation.objects.get(placement=placed)
    client.force_login(trainee)
    response = client.get(_convocation_url(convocation))
    text = b"".join(response.streaming_content).decode()
    assert f"{convocation.subject}\n\n{convocation.body}" in text
    assert "12 rue de la Roquette" in text


@pytest.mark.parametrize(
    ("prefix", "name"),
    [
        ("", "programme-les-fondamentaux-de-la-therapie-sociale.pdf"),
        ("/en", "programme-les-fondamentaux-de-la-therapie-sociale.pdf"),
    ],
)
def test_the_programme_downloads_as_a_pdf(client, session, placed, trainee, prefix, name):
    client.force_login(trainee)
    response = client.get(prefix + reverse("courses:training_programme_pdf", args=[session.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    text = pdf_text(b"".join(response.streaming_content))
    assert "Les fondamentaux de la Thérapie Sociale" in text
    assert "12 rue de la Roquette" in text


def test_another_trainee_gets_404_for_both(client, session, course, placed, other_trainee):
    convocation = Convocation.objects.get(placement=placed)
    place(session, other_trainee, course)
    client.force_login(other_trainee)
    assert client.get(_convocation_url(convocation)).status_code == 404
    # Their own convocation, under another session's address: 404 too.
    own = Convocation.objects.get(placement__trainee=other_trainee)
    wrong = reverse("courses:training_convocation", args=[session.pk + 1, own.pk])
    assert client.get(wrong).status_code == 404
    assert client.get(_convocation_url(own)).status_code == 200


def test_a_trainee_without_a_place_gets_404_for_the_programme(client, session, other_trainee):
    client.force_login(other_trainee)
    url = reverse("courses:training_programme_pdf", args=[session.pk])
    assert client.get(url).status_code == 404


def test_a_visitor_is_asked_to_sign_in(client, session, placed):
    convocation = Convocation.objects.get(placement=placed)
    for url in (
        _convocation_url(convocation),
        reverse("courses:training_programme_pdf", args=[session.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "/connexion/" in response["Location"] or "login" in response["Location"]


def test_the_session_s_trainer_and_staff_get_them(client, session, placed, trainer, staff):
    convocation = Convocation.objects.get(placement=placed)
    for user in (trainer, staff):
        client.force_login(user)
        assert client.get(_convocation_url(convocation)).status_code == 200
        url = reverse("courses:training_programme_pdf", args=[session.pk])
        assert client.get(url).status_code == 200


# --- A place cancelled since: its documents stay the person's -----------------------------------


def _page(client, session, prefix: str = ""):
    return client.get(prefix + reverse("courses:training_session", args=[session.pk]))


def test_a_trainee_who_gave_up_the_place_still_finds_the_convocation(
    client, session, placed, trainee
):
    convocation = Convocation.objects.get(placement=placed)
    services.placement_cancel(actor=trainee, placement=placed)
    client.force_login(trainee)
    documents = _documents(_page(client, session).content.decode())
    assert _convocation_url(convocation) in documents
    assert reverse("courses:training_programme_pdf", args=[session.pk]) in documents
    assert client.get(_convocation_url(convocation)).status_code == 200
    url = reverse("courses:training_programme_pdf", args=[session.pk])
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("prefix", "words"), [("", "Annulation (e-mail du "), ("/en", "Cancellation (e-mailed on ")]
)
def test_a_cancelled_session_s_trainee_finds_the_cancellation_notice(
    client, session, placed, trainee, trainer, prefix, words
):
    services.session_cancel(actor=trainer, session=session, reason="Salle indisponible")
    notice = Convocation.objects.get(placement=placed, kind=Convocation.Kind.CANCELLATION)
    client.force_login(trainee)
    response = _page(client, session, prefix)
    assert response.status_code == 200  # the notice's e-mail links here
    documents = _documents(response.content.decode())
    assert _convocation_url(notice) in documents and words in documents
    assert documents.count("(e-mail") == 2 or documents.count("(e-mailed") == 2
    download = client.get(_convocation_url(notice))  # reversed in the page's language
    assert download.status_code == 200
    assert "Salle indisponible" in b"".join(download.streaming_content).decode()


def test_a_waitlist_place_left_before_a_seat_came_gives_no_documents(
    client, course, trainer, trainee, other_trainee
):
    session = make_session(course, trainer, capacity=1)
    place(session, trainee, course)
    waiting = place(session, other_trainee, course)
    services.placement_cancel(actor=other_trainee, placement=waiting)
    client.force_login(other_trainee)
    assert 'id="my-documents-title"' not in _page(client, session).content.decode()
    url = reverse("courses:training_programme_pdf", args=[session.pk])
    assert client.get(url).status_code == 404
    services.session_cancel(actor=trainer, session=session, reason="Trop peu d'inscrit·es")
    assert _page(client, session).status_code == 404


def test_others_still_get_404_for_a_cancelled_place_s_documents(
    client, session, course, placed, trainee, trainer, other_trainee
):
    convocation = Convocation.objects.get(placement=placed)
    place(session, other_trainee, course)
    services.placement_cancel(actor=trainee, placement=placed)
    services.session_cancel(actor=trainer, session=session, reason="Salle indisponible")
    client.force_login(other_trainee)
    assert client.get(_convocation_url(convocation)).status_code == 404
    notice = Convocation.objects.get(placement__trainee=other_trainee, kind="cancellation")
    assert client.get(_convocation_url(notice)).status_code == 200
    client.force_login(trainee)  # she left before the cancellation: no notice was sent to her
    assert client.get(_convocation_url(notice)).status_code == 404
    assert client.get(_convocation_url(convocation)).status_code == 200


def test_a_trainee_who_came_back_finds_both_places_convocations(client, session, course, trainee):
    first = place(session, trainee, course)
    services.placement_cancel(actor=trainee, placement=first)
    second = place(session, trainee, course)
    client.force_login(trainee)
    documents = _documents(_page(client, session).content.decode())
    for placement in (first, second):
        assert _convocation_url(Convocation.objects.get(placement=placement)) in documents


# --- « Mes sessions » leads to each session's documents ------------------------------------------


MY_SESSIONS = "/espace/sessions/"


def _card(page: str, session) -> str:
    link = reverse("courses:training_session", args=[session.pk])
    return page.split(f'href="{link}"', 1)[1].split("</li>\n    \n", 1)[0]


def test_my_sessions_links_each_session_s_programme_and_convocations(
    client, session, placed, trainee
):
    convocation = Convocation.objects.get(placement=placed)
    client.force_login(trainee)
    card = _card(client.get(MY_SESSIONS).content.decode(), session)
    assert "Mes documents" in card
    assert reverse("courses:training_programme_pdf", args=[session.pk]) in card
    assert _convocation_url(convocation) in card
    assert "Convocation (e-mail du " in card


def test_my_sessions_keeps_a_cancelled_session_with_its_notice(
    client, session, placed, trainee, trainer
):
    services.session_cancel(actor=trainer, session=session, reason="Salle indisponible")
    notice = Convocation.objects.get(placement=placed, kind=Convocation.Kind.CANCELLATION)
    client.force_login(trainee)
    card = _card(client.get("/en" + MY_SESSIONS).content.decode(), session)
    assert _convocation_url(notice) in card
    assert "Cancellation (e-mailed on " in card


def test_my_sessions_leaves_out_a_waitlist_place_never_held(
    client, course, trainer, trainee, other_trainee
):
    session = make_session(course, trainer, capacity=1)
    place(session, trainee, course)
    services.placement_cancel(actor=other_trainee, placement=place(session, other_trainee, course))
    client.force_login(other_trainee)
    page = client.get(MY_SESSIONS).content.decode()
    assert reverse("courses:training_session", args=[session.pk]) not in page


def test_my_sessions_links_the_certificate_among_the_documents(
    client, session, placed, trainee, trainer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run_session(session, trainer, {placed: ("present", 0)})
    certificate = CompletionCertificate.objects.get(placement=placed)
    client.force_login(trainee)
    card = _card(client.get(MY_SESSIONS).content.decode(), session)
    documents = card.split('class="documents"', 1)[1]
    assert reverse("courses:training_certificate_download", args=[certificate.number]) in documents


def test_my_sessions_reads_the_documents_in_as_many_queries_for_one_session_as_for_several(
    client, course, catalogue, trainer, trainee
):
    def queries() -> int:
        client.get(MY_SESSIONS)
        with CaptureQueriesContext(connection) as seen:
            client.get(MY_SESSIONS)
        return len(seen)

    client.force_login(trainee)
    first = place(make_session(course, trainer), trainee, course)
    _reminder(first)
    one = queries()
    for index in range(3):
        other = build_course(catalogue, title=f"Formation {index}", lessons=1)
        placement = place(make_session(other, trainer, days_ahead=5 + index), trainee, other)
        _reminder(placement)
    services.placement_cancel(actor=trainee, placement=placement)
    page = client.get(MY_SESSIONS).content.decode()
    assert page.count("Rappel (e-mail du ") == 4
    assert queries() == one


def test_my_sessions_says_a_place_given_up_is_cancelled(client, session, placed, trainee):
    services.placement_cancel(actor=trainee, placement=placed)
    client.force_login(trainee)
    card = _card(client.get(MY_SESSIONS).content.decode(), session)
    assert "Place annulée" in card and "Place confirmée" not in card
    assert "Place cancelled" in _card(client.get("/en" + MY_SESSIONS).content.decode(), session)
