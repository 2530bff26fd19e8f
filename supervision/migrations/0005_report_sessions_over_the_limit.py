"""Reports, without changing anything, the supervision sessions longer than the limit.

Sessions were not bounded before SUPERVISION_SESSION_MAX_HOURS: one could last two days and
credit 48 hours. Records are permanent facts, so this migration only lists those sessions for
staff to review (a wrong attendance is corrected by a new record pointing at it); meanwhile no
record credits more than the limit (supervision.selectors.credited_minutes).
"""

import sys
from datetime import timedelta

from django.conf import settings
from django.db import migrations
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum


def report_sessions_over_the_limit(apps, schema_editor, out=None):
    out = out or sys.stdout
    Session = apps.get_model("supervision", "SupervisionSession")
    hours = settings.SUPERVISION_SESSION_MAX_HOURS
    attended = Q(records__status="attended", records__superseded_by__isnull=True)
    sessions = (
        Session.objects.alias(
            length=ExpressionWrapper(F("ends_at") - F("starts_at"), output_field=DurationField())
        )
        .filter(length__gt=timedelta(hours=hours))
        .annotate(
            attendances=Count("records", filter=attended),
            recorded_minutes=Sum("records__minutes", filter=attended),
        )
        .select_related("trainer")
        .order_by("starts_at", "pk")
    )
    found = list(sessions)
    if not found:
        out.write(f"\n  No supervision session lasts more than {hours} hours.\n")
        return
    out.write(
        f"\n  {len(found)} supervision session(s) last more than {hours} hours "
        "(nothing changed; each attendance now credits at most that; review them):\n"
    )
    for session in found:
        length = (session.ends_at - session.starts_at).total_seconds() / 3600
        out.write(
            f"    session {session.pk} by {session.trainer.email}, "
            f"{session.starts_at:%Y-%m-%d %H:%M} UTC, {length:.1f} h, "
            f"{session.attendances} attendance(s) recording "
            f"{session.recorded_minutes or 0} min\n"
        )


class Migration(migrations.Migration):
    dependencies = [("supervision", "0004_period_cosigning")]

    operations = [
        migrations.RunPython(report_sessions_over_the_limit, migrations.RunPython.noop),
    ]
