"""The fixed reasons of a supervision session's history are recorded as codes and read in the
reader's language; rows from before the codes, and what a person typed, read as stored."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from institut.privacy.erasure import account_erase
from supervision import services
from supervision.models import SupervisionEvent
from supervision.reasons import SUPERVISION_REASONS
from tests.reasons import (
    assert_reads_in_both_languages,
    french_after,  # noqa: F401  (a fixture)
)
from tests.supervision.factories import SessionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french_after")]


def read(event, language: str) -> str:
    with translation.override(language):
        return event.reason_text


@pytest.mark.parametrize("code", sorted(SUPERVISION_REASONS))
def test_every_code_reads_in_french_and_in_english(code):
    assert_reads_in_both_languages(SUPERVISION_REASONS, code, {})


def test_a_late_cancellation_made_in_english_reads_in_french_for_a_french_reader(trainer, trainee):
    start = timezone.now() + timedelta(hours=30)
    session = SessionFactory(trainer=trainer, starts_at=start, ends_at=start + timedelta(hours=2))
    booking = services.booking_create(session=session, trainee=trainee)
    with translation.override("en"):
        services.booking_cancel(
            booking=booking, actor=trainee, now=timezone.now() + timedelta(hours=10)
        )

    event = SupervisionEvent.objects.get(booking=booking, action="booking_cancelled")

    assert (event.reason_code, event.reason_params) == ("late_cancellation", {})
    assert event.reason == "annulation tardive"  # stored in French, whoever wrote it
    assert read(event, "fr") == "annulation tardive"
    assert read(event, "en") == "late cancellation"


def test_an_old_row_and_a_typed_reason_read_as_stored(trainer, trainee):
    session = SessionFactory(trainer=trainer)
    old = SupervisionEvent.objects.create(
        session=session, action="booking_cancelled", to_status="cancelled", reason="late"
    )
    services.session_cancel(session=session, actor=trainer, reason="Salle indisponible")
    typed = SupervisionEvent.objects.get(session=session, action="session_cancelled")

    assert read(old, "fr") == "late"
    assert (typed.reason_code, read(typed, "en")) == ("", "Salle indisponible")


def test_an_erasure_keeps_the_code_of_a_fixed_reason(trainer, trainee):
    start = timezone.now() + timedelta(hours=30)
    session = SessionFactory(trainer=trainer, starts_at=start, ends_at=start + timedelta(hours=2))
    booking = services.booking_create(session=session, trainee=trainee)
    services.booking_cancel(
        booking=booking, actor=trainee, now=timezone.now() + timedelta(hours=10)
    )

    account_erase(user=trainee, actor=trainee)

    event = SupervisionEvent.objects.get(booking=booking, action="booking_cancelled")
    assert (event.reason_code, read(event, "en")) == ("late_cancellation", "late cancellation")
