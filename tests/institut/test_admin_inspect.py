"""The admin's inspect pages, whichever app they belong to, read as the listings do: date-times in
the staff member's time zone (Wagtail writes them in UTC), an empty field as « — », not "None"."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone, translation
from wagtail.admin.viewsets import viewsets
from wagtail.admin.viewsets.model import ModelViewSet

from courses.payments.models import StripeEvent
from institut.formats import date_text
from institut.outbox.services import email_enqueue
from institut.viewsets import InstitutViewSet, RecordInspectView
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OUR_APPS = ("institut", "courses", "certification", "supervision", "home")


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True, second_factor=True))
    return client


def paris_not_utc(moment: datetime.datetime) -> tuple[str, str]:
    with translation.override("fr"):
        return (
            date_text(timezone.localtime(moment), "DATETIME_FORMAT"),
            date_text(moment.astimezone(datetime.UTC), "DATETIME_FORMAT"),
        )


def test_an_e_mail_s_page_writes_its_times_in_paris_and_an_empty_field_as_a_dash(staff_client):
    trainee = UserFactory()
    email = email_enqueue(kind="test_notice", to=trainee, subject="Séance", text="Corps")

    page = staff_client.get(f"/admin/parametres/emails/inspect/{email.pk}/").content.decode()

    paris, utc = paris_not_utc(email.created_at)
    assert paris in page
    assert utc not in page
    assert not re.search(r"<dd>\s*None\s*</dd>", page)  # not yet sent
    assert re.search(r"<dd>\s*—\s*</dd>", page)


def test_a_stripe_event_s_page_writes_its_time_in_paris(staff_client):
    event = StripeEvent.objects.create(
        event_id="evt_1", type="checkout.session.completed", payload={}
    )

    page = staff_client.get(
        f"/admin/formations/evenements-stripe/inspect/{event.pk}/"
    ).content.decode()

    paris, utc = paris_not_utc(event.received_at)
    assert paris in page
    assert utc not in page
    assert not re.search(r"<dd>\s*None\s*</dd>", page)


def test_every_admin_viewset_of_ours_inspects_as_staff_read():
    ours = [
        viewset
        for viewset in viewsets.viewsets
        if isinstance(viewset, ModelViewSet)
        and type(viewset).__module__.startswith(OUR_APPS)
        and type(viewset).__name__ != "UserViewSet"  # Wagtail's own user pages
    ]

    assert len(ours) >= 8
    for viewset in ours:
        assert isinstance(viewset, InstitutViewSet), type(viewset)
        assert issubclass(viewset.inspect_view_class, RecordInspectView), type(viewset)
