"""The period summary of a practice logbook as a PDF, rendered from HTML by WeasyPrint."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from supervision.logbook import selectors
from supervision.logbook.models import PeriodSummary


def render_period_pdf(*, period: PeriodSummary) -> bytes:
    """The PDF bytes of a period summary, in the active language; no network access."""
    from weasyprint import HTML

    try:
        zone = zoneinfo.ZoneInfo(period.trainee.time_zone or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    html = render_to_string(
        "supervision/logbook/period_pdf.html",
        {
            "period": period,
            "totals": selectors.totals_for_display(period.totals),
            "entries": selectors.period_entries(period),
            "closed_at": timezone.localtime(period.closed_at, zone),
            "confirmed_at": timezone.localtime(period.confirmed_at, zone)
            if period.confirmed_at
            else None,
        },
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
