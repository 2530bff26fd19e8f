"""A trainee pays for a course: Checkout (the local stand-in), Stripe's signed webhook, lessons."""

from __future__ import annotations

import json
import urllib.request

import pytest
from playwright.sync_api import expect

from courses import demo as courses_demo
from courses.models import Payment
from tests.courses.conftest import build_course
from tests.courses.payments.stripe_standin import running_standin, session_event, signature_header

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def stripe_api(settings, live_server):
    settings.SITE_URL = live_server.url
    yield from running_standin(settings, hosted_pages=True)


@pytest.fixture
def paid_course(demo):
    catalogue = courses_demo.create_catalogue()
    return build_course(catalogue, title="Animer des sous-groupes", lessons=2, price_cents=18000)


def post_webhook(url: str, event: dict) -> int:
    payload = json.dumps(event)
    request = urllib.request.Request(
        url + "/stripe/webhook/",
        data=payload.encode(),
        headers={"Content-Type": "application/json", "Stripe-Signature": signature_header(payload)},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status


def test_it_opens_the_lessons_once_stripe_confirms_the_payment(
    page, live_server, login, paid_course, stripe_api, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    login(page, "stagiaire@demo.institut.test")
    page.goto(live_server.url + paid_course.url)
    expect(page.locator(".enrol-box")).to_contain_text("180,00")

    page.get_by_role("button", name="S'inscrire et payer").click()
    expect(page.get_by_role("link", name="Payer (simulation)")).to_be_visible()
    page.get_by_role("link", name="Payer (simulation)").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Paiement en cours de confirmation")
    page.goto(live_server.url + paid_course.url)
    expect(page.locator(".enrol-box")).to_contain_text("Votre inscription attend son paiement.")

    payment = Payment.objects.get()
    assert post_webhook(live_server.url, session_event(payment, intent="pi_journey")) == 200

    page.goto(live_server.url + f"/formations/paiement/{payment.pk}/confirmation/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Paiement confirmé")
    page.get_by_role("link", name="Commencer la formation").click()
    page.get_by_role("link", name="Leçon 1 de Animer des sous-groupes").first.click()
    expect(page.locator(".stream")).to_contain_text("Contenu secret de la leçon 1.")
    page.goto(live_server.url + "/espace/factures/")
    expect(page.locator("table")).to_contain_text("180,00")
    page.screenshot(path="test-artifacts/payments-journey.png", full_page=True)
