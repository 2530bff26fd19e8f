"""Enrolling in a paid course: a pending enrolment, a Checkout Session on the local stand-in."""

from __future__ import annotations

import pytest
from wagtail.models import Site

from courses.models import Enrolment, EnrolmentEvent, EnrolmentStatus, Payment, PaymentStatus
from home.models import InstitutSettings
from tests.courses.conftest import lessons_of


def enrol(client, course):
    return client.post(course.url, {"action": "enrol"})


def test_it_creates_a_pending_enrolment_and_a_checkout_session(
    client, trainee, paid_course, stripe_api
):
    client.force_login(trainee)

    response = enrol(client, paid_course)

    enrolment = Enrolment.objects.get(user=trainee)
    payment = Payment.objects.get(enrolment=enrolment)
    assert enrolment.status == EnrolmentStatus.PENDING
    assert payment.status == PaymentStatus.OPEN
    assert response.status_code == 302
    assert response["Location"] == payment.checkout_url
    assert response["Location"].startswith("https://checkout.stripe.test/c/pay/cs_test_")
    [request] = stripe_api.requests
    assert request.path == "/v1/checkout/sessions"
    assert request.headers["Idempotency-Key"] == f"checkout-{enrolment.pk}-1"
    assert request.headers["Authorization"] == "Bearer sk_test_standin"
    params = request.params
    assert params["mode"] == "payment"
    assert params["line_items[0][price_data][currency]"] == "eur"
    assert params["line_items[0][price_data][unit_amount]"] == "12000"
    assert params["line_items[0][price_data][product_data][name]"] == "Conflits constructifs"
    assert params["line_items[0][quantity]"] == "1"
    assert params["customer_email"] == trainee.email
    assert params["metadata[enrolment_id]"] == str(enrolment.pk)
    assert params["metadata[payment_id]"] == str(payment.pk)
    assert params["client_reference_id"] == str(payment.pk)
    assert params["success_url"].endswith(f"/formations/paiement/{payment.pk}/confirmation/")
    assert params["cancel_url"].endswith(f"/formations/paiement/{payment.pk}/annule/")
    assert payment.stripe_session_id == response["Location"].rsplit("/", 1)[1]
    assert EnrolmentEvent.objects.filter(enrolment=enrolment, to_status="pending").count() == 1


def test_it_keeps_the_lessons_closed_while_the_payment_is_pending(
    client, trainee, paid_course, stripe_api
):
    client.force_login(trainee)
    enrol(client, paid_course)

    html = client.get(lessons_of(paid_course)[0].url).content.decode()

    assert "Contenu secret" not in html
    page = client.get(paid_course.url).content.decode()
    assert "Votre inscription attend son paiement." in page
    assert "Payer maintenant" in page


def test_it_offers_the_open_session_again_without_a_second_call(
    client, trainee, paid_course, stripe_api
):
    client.force_login(trainee)
    first = enrol(client, paid_course)

    second = enrol(client, paid_course)

    assert second["Location"] == first["Location"]
    assert len(stripe_api.requests) == 1
    assert Payment.objects.count() == 1


def test_it_opens_a_new_attempt_with_a_new_key_after_the_session_expired(
    client, trainee, paid_course, stripe_api
):
    client.force_login(trainee)
    enrol(client, paid_course)
    Payment.objects.update(status=PaymentStatus.EXPIRED)

    enrol(client, paid_course)

    enrolment = Enrolment.objects.get(user=trainee)
    keys = [r.headers["Idempotency-Key"] for r in stripe_api.requests]
    assert keys == [f"checkout-{enrolment.pk}-1", f"checkout-{enrolment.pk}-2"]


@pytest.mark.parametrize("status,error_type", [(500, "api_error"), (402, "card_error")])
def test_it_leaves_the_enrolment_pending_with_a_clear_message_when_stripe_fails(
    client, trainee, paid_course, stripe_api, status, error_type
):
    stripe_api.status = status
    stripe_api.error_type = error_type
    client.force_login(trainee)

    response = client.post(paid_course.url, {"action": "enrol"}, follow=True)

    assert response.status_code == 200
    assert "Le service de paiement ne répond pas correctement" in response.content.decode()
    enrolment = Enrolment.objects.get(user=trainee)
    assert enrolment.status == EnrolmentStatus.PENDING
    payment = Payment.objects.get()
    assert payment.status == PaymentStatus.ERROR
    assert "Stand-in failure" in payment.error_message


def test_it_says_online_payment_is_not_configured_without_keys(
    client, trainee, paid_course, settings
):
    settings.STRIPE_SECRET_KEY = ""
    client.force_login(trainee)

    page = client.get(paid_course.url).content.decode()
    response = client.post(paid_course.url, {"action": "enrol"}, follow=True)

    assert "paiement en ligne n'est pas configuré sur ce site" in page
    assert "pas configuré sur ce site" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_it_says_the_payment_is_being_confirmed_on_return(client, trainee, paid_course, stripe_api):
    client.force_login(trainee)
    enrol(client, paid_course)
    payment = Payment.objects.get()

    html = client.get(f"/formations/paiement/{payment.pk}/confirmation/").content.decode()

    assert "Paiement en cours de confirmation" in html
    assert Enrolment.objects.get().status == EnrolmentStatus.PENDING


def test_it_lets_the_trainee_pay_later_or_abandon_after_a_cancelled_checkout(
    client, trainee, paid_course, stripe_api
):
    client.force_login(trainee)
    enrol(client, paid_course)
    payment = Payment.objects.get()

    html = client.get(f"/formations/paiement/{payment.pk}/annule/").content.decode()
    assert "Payer plus tard" in html
    response = client.post(f"/espace/inscriptions/{payment.enrolment_id}/abandonner/", follow=True)

    assert "Votre inscription en attente de paiement est abandonnée." in response.content.decode()
    assert Enrolment.objects.get().status == EnrolmentStatus.ABANDONED
    # Enrolling again reopens the same enrolment as pending, with a fresh Checkout attempt.
    enrol(client, paid_course)
    assert Enrolment.objects.get().status == EnrolmentStatus.PENDING


def test_it_hides_another_trainees_payment_pages(
    client, trainee, other_trainee, paid_course, stripe_api
):
    client.force_login(trainee)
    enrol(client, paid_course)
    payment = Payment.objects.get()
    client.force_login(other_trainee)

    assert client.get(f"/formations/paiement/{payment.pk}/confirmation/").status_code == 404
    assert client.get(f"/formations/paiement/{payment.pk}/annule/").status_code == 404
    client.post(f"/espace/inscriptions/{payment.enrolment_id}/abandonner/")
    assert Enrolment.objects.get().status == EnrolmentStatus.PENDING


def test_it_lists_pending_enrolments_in_the_trainees_invoices_page(
    client, trainee, paid_course, stripe_api
):
    client.force_login(trainee)
    enrol(client, paid_course)

    html = client.get("/espace/factures/").content.decode()

    assert "Inscriptions en attente de paiement" in html
    assert f'href="{paid_course.url}"' in html
    assert "Abandonner" in html


def test_it_gives_the_institut_s_address_where_it_says_to_contact_the_institut(
    client, trainee, paid_course, settings
):
    settings.STRIPE_SECRET_KEY = ""
    details = InstitutSettings.for_site(Site.objects.get(is_default_site=True))
    details.contact_email = "accueil@institut.test"
    details.save()
    client.force_login(trainee)

    page = client.get(paid_course.url).content.decode()
    box = page[page.index('class="paid-enrolment"') :].split("</div>")[0]

    assert "contactez l'Institut" in box
    assert 'href="mailto:accueil@institut.test"' in box


def test_it_brings_an_english_buyer_back_to_english_pages(trainee, paid_course, stripe_api):
    from django.utils import translation

    from courses.payments.services import checkout

    with translation.override("en"):
        payment = checkout.checkout_start(user=trainee, course=paid_course)

    params = stripe_api.requests[-1].params
    assert params["locale"] == "en"
    assert params["success_url"].endswith(f"/en/formations/paiement/{payment.pk}/confirmation/")
    assert params["cancel_url"].endswith(f"/en/formations/paiement/{payment.pk}/annule/")


def test_it_offers_no_payment_before_the_prerequisites_are_completed(
    client, catalogue, trainee, paid_course, stripe_api
):
    from tests.courses.conftest import build_course

    advanced = build_course(
        catalogue, title="Approfondir", lessons=1, price_cents=30000, prerequisites=[paid_course]
    )
    client.force_login(trainee)

    page = client.get(advanced.url).content.decode()

    assert 'id="payment-prerequisites"' in page
    assert "S&#x27;inscrire et payer" not in page and "S'inscrire et payer" not in page
    assert "Conflits constructifs" in page  # the course to complete first, listed above
