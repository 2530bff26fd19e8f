"""The terms of sale (CGV) accepted before Stripe Checkout, and the acceptance recorded with the
payment: when, and which published version of the page."""

from __future__ import annotations

import re

import pytest
from wagtail.models import Locale, Site

from courses.models import Enrolment, Payment, PaymentStatus
from courses.payments.services import checkout
from home.models import ContentPage, InstitutSettings

ACCEPT = "J'ai lu et j'accepte les"


@pytest.fixture
def terms(home):
    """The terms of sale page, published and chosen in the Institut's details."""
    page = ContentPage(title="Conditions générales de vente", slug="cgv", introduction="CGV.")
    home.add_child(instance=page)
    page.save_revision().publish()
    details = InstitutSettings.for_site(Site.objects.get(is_default_site=True))
    details.terms_of_sale_page = page
    details.save()
    page.refresh_from_db()
    return page


def enrol(client, course, **data):
    return client.post(course.url, {"action": "enrol", **data})


def test_it_asks_to_accept_the_terms_next_to_the_pay_button(
    client, trainee, paid_course, terms, stripe_api
):
    client.force_login(trainee)

    html = client.get(paid_course.url).content.decode()

    assert 'name="accept_terms"' in html
    assert re.search(r'<input type="checkbox" name="accept_terms"[^>]* required', html)
    assert f'{ACCEPT} <a href="/cgv/">conditions générales de vente</a>' in html


def test_it_asks_nothing_when_the_site_has_no_terms(client, trainee, paid_course, stripe_api):
    client.force_login(trainee)

    html = client.get(paid_course.url).content.decode()
    response = enrol(client, paid_course)

    assert "accept_terms" not in html
    assert response.status_code == 302
    assert Payment.objects.get().terms_accepted_at is None


def test_it_refuses_checkout_without_the_box_and_opens_no_stripe_session(
    client, trainee, paid_course, terms, stripe_api
):
    client.force_login(trainee)

    response = enrol(client, paid_course)

    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_accept_terms_error"' in html
    assert "Pour payer, cochez la case « J&#x27;ai lu et j&#x27;accepte" in html
    assert 'aria-invalid="true"' in html
    assert stripe_api.requests == []
    assert not Payment.objects.exists()
    assert not Enrolment.objects.exists()


def test_it_says_so_in_english_on_the_english_page(client, trainee, paid_course, terms, stripe_api):
    english = paid_course.copy_for_translation(
        Locale.objects.get(language_code="en"), copy_parents=True
    )
    english.save_revision().publish()
    client.force_login(trainee)

    response = enrol(client, english)

    assert response.status_code == 400
    assert "To pay, tick the box “I have read and accept the terms of sale”." in (
        response.content.decode()
    )
    assert stripe_api.requests == []


def test_it_records_the_acceptance_and_the_version_accepted_on_the_payment(
    client, trainee, paid_course, terms, stripe_api
):
    client.force_login(trainee)

    response = enrol(client, paid_course, accept_terms="on")

    payment = Payment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == payment.checkout_url
    assert payment.status == PaymentStatus.OPEN
    assert payment.terms_accepted_at is not None
    assert payment.terms_revision == terms.live_revision_id
    assert payment.terms_published_at == terms.last_published_at
    assert payment.terms_url.endswith("/cgv/")
    assert len(stripe_api.requests) == 1


def test_it_records_the_latest_acceptance_when_a_checkout_is_resumed(
    client, trainee, paid_course, terms, stripe_api
):
    client.force_login(trainee)
    enrol(client, paid_course, accept_terms="on")
    terms.introduction = "CGV révisées."
    revision = terms.save_revision()
    revision.publish()

    enrol(client, paid_course, accept_terms="on")

    payment = Payment.objects.get()
    assert payment.terms_revision == revision.pk
    assert len(stripe_api.requests) == 1  # the same open session, offered again


def test_the_service_refuses_a_checkout_whose_terms_were_not_accepted(
    trainee, paid_course, terms, stripe_api
):
    with pytest.raises(checkout.TermsNotAccepted):
        checkout.checkout_start(user=trainee, course=paid_course)

    assert stripe_api.requests == []
    assert not Payment.objects.exists()


def test_the_pending_enrolment_asks_again_before_paying_now(
    client, trainee, paid_course, terms, stripe_api
):
    client.force_login(trainee)
    enrol(client, paid_course, accept_terms="on")

    html = client.get(paid_course.url).content.decode()

    assert "Payer maintenant" in html
    assert 'name="accept_terms"' in html
