"""Factories of the supervision tests."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from institut.roles import Role
from supervision import services
from supervision.models import Booking, SupervisionSession
from tests.factories import UserFactory


class SessionFactory(factory.django.DjangoModelFactory):
    """A scheduled remote group session, three days from now, 2 hours long."""

    class Meta:
        model = SupervisionSession

    trainer = factory.SubFactory(UserFactory, roles=[Role.TRAINER])
    kind = SupervisionSession.Kind.GROUP
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    mode = SupervisionSession.Mode.REMOTE
    video_url = "https://visio.example.org/salle-confiance"
    capacity = 5
    description = "Analyse de situations de terrain : faire circuler les informations."


def booked(session: SupervisionSession, trainee) -> Booking:
    """A booked place: booked by the trainee ahead of the session, or recorded by its trainer
    once it has started (attendance is then taken with attendance_take)."""
    if session.has_started:
        return services.booking_record_held(session=session, trainee=trainee, actor=session.trainer)
    return services.booking_create(session=session, trainee=trainee)
