"""The fixed reasons supervision writes into a session's permanent history, read in the reader's
language (the mechanism is institut.reasons; the codes are here). What a trainer or the team
typed (a cancellation's reason, a correction's) stays as typed."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from institut.reasons import Reasons, Wording

SUPERVISION_REASONS = Reasons(
    {
        "late_cancellation": Wording(_("annulation tardive")),
    }
)

supervision_reason = SUPERVISION_REASONS.reason
