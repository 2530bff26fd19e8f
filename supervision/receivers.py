"""Writes of the supervision app that change a person's totals kept for the signed-in pages
(institut.person_cache): practice entries, bookings, attendance records, and a session's times."""

from __future__ import annotations

from django.db.models.signals import post_save


def _session_changed(sender, instance, **kwargs) -> None:
    """A session's times bound the minutes of everyone recorded in it."""
    from institut import person_cache
    from supervision.models import SupervisionRecord

    if kwargs.get("created"):
        return
    person_cache.forget_records(
        *SupervisionRecord.objects.filter(session=instance).values_list("trainee_id", flat=True)
    )


def connect() -> None:
    from institut import person_cache
    from supervision.logbook.models import PracticeEntry
    from supervision.models import Booking, SupervisionRecord, SupervisionSession

    person_cache.forget_records_on_save(PracticeEntry, "trainee_id")
    person_cache.forget_records_on_save(Booking, "trainee_id")
    person_cache.forget_records_on_save(SupervisionRecord, "trainee_id")
    post_save.connect(
        _session_changed, sender=SupervisionSession, dispatch_uid="person-records-session"
    )
