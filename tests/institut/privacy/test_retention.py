"""The retention schedule, applied daily: what is past its period goes, once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django.utils import timezone

from courses.models import Invoice
from institut.models import User
from institut.privacy.erasure import account_erase
from institut.privacy.retention import retention_apply
from institut.privacy.tasks import apply_retention_schedule
from tests.factories import UserFactory
from tests.institut.records import person_with_everything

pytestmark = pytest.mark.django_db


def unverified(days: int) -> User:
    user = UserFactory(verified=False)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=days))
    return user


def test_it_removes_the_same_rows_once_when_run_twice(trainee):
    old, recent = unverified(days=45), unverified(days=3)
    old_but_verified = UserFactory()
    made_by_staff = UserFactory(verified=False)  # no address row at all
    User.objects.filter(pk__in=[old_but_verified.pk, made_by_staff.pk]).update(
        date_joined=timezone.now() - timedelta(days=400)
    )
    now = timezone.now()
    Session.objects.create(session_key="a" * 32, session_data="x", expire_date=now - timedelta(1))
    Session.objects.create(session_key="b" * 32, session_data="x", expire_date=now + timedelta(1))

    first = apply_retention_schedule.delay().get()
    second = apply_retention_schedule.delay().get()

    assert first["compte"]["comptes non vérifiés supprimés"] == 1
    assert first["compte"]["sessions expirées supprimées"] == 1
    assert all(number == 0 for counts in second.values() for number in counts.values())
    assert not User.objects.filter(pk=old.pk).exists()
    kept = [recent.pk, old_but_verified.pk, made_by_staff.pk, trainee.pk]
    assert User.objects.filter(pk__in=kept).count() == 4
    assert list(Session.objects.values_list("session_key", flat=True)) == ["b" * 32]


def test_invoices_lose_the_names_of_erased_people_after_the_legal_period(trainee, trainer):
    rows = person_with_everything(trainee, trainer)
    account_erase(user=trainee, actor=trainee)
    eleven_years_on = timezone.now() + timedelta(days=round(365.25 * 11))

    first = retention_apply(now=eleven_years_on)
    second = retention_apply(now=eleven_years_on)

    invoice = Invoice.objects.get(pk=rows["invoice"].pk)
    assert (invoice.trainee_name, invoice.buyer_name, invoice.buyer_email, invoice.pdf.name) == (
        "",
        "",
        "",
        "",
    )
    assert invoice.amount_cents == rows["invoice"].amount_cents
    assert first["paiements"]["factures anonymisées après la durée légale"] == 2
    assert second["paiements"]["factures anonymisées après la durée légale"] == 0


def test_invoices_stay_as_issued_within_the_legal_period(trainee, trainer):
    rows = person_with_everything(trainee, trainer)
    account_erase(user=trainee, actor=trainee)

    retention_apply(now=timezone.now() + timedelta(days=365 * 9))

    assert Invoice.objects.get(pk=rows["invoice"].pk).buyer_name == "Camille Martin"


def test_unused_co_signing_links_lose_the_supervisor_some_time_after_they_expired(trainee, trainer):
    rows = person_with_everything(trainee, trainer)
    link, used = rows["unused_link"], rows["cosign_request"]
    soon = link.expires_at + timedelta(days=30)
    later = link.expires_at + timedelta(days=91)

    assert retention_apply(now=soon)["carnet"] == {
        "demandes de cosignature inutilisées anonymisées": 0
    }
    first = retention_apply(now=later)
    second = retention_apply(now=later)

    assert first["carnet"] == {"demandes de cosignature inutilisées anonymisées": 1}
    assert second["carnet"] == {"demandes de cosignature inutilisées anonymisées": 0}
    link.refresh_from_db()
    used.refresh_from_db()
    assert (link.supervisor_name, link.supervisor_email) == ("", "")
    assert used.supervisor_email == f"superviseure-{trainee.pk}@exemple.org"
