"""The period summary of a practice logbook as a PDF, rendered from HTML by WeasyPrint."""

from __future__ import annotations

from django.utils import timezone

from institut.pdf import render_pdf
from supervision.logbook import selectors
from supervision.logbook.models import PeriodSummary


def render_period_pdf(*, period: PeriodSummary) -> bytes:
    """The PDF bytes of a period summary, in the active language; no network access."""
    zone = period.trainee.zone
    return render_pdf(
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
