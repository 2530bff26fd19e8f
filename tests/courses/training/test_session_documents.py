"""A trainee with a place finds on the session page, again, what the e-mail brought: the
convocations as they were sent and the programme; nobody else gets them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.training.ics import session_zone
from courses.training.models import Convocation
from tests.courses.training.conftest import place
from tests.courses.training.helpers import pdf_text

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
