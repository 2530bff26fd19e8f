"""Running a whole session in tests: every half-day recorded and signed, then closed."""

from __future__ import annotations

import io
from datetime import timedelta

import time_machine
from pypdf import PdfReader

from courses.training import services
from tests.courses.training.conftest import during, slots


def pdf_text(content: bytes) -> str:
    """The PDF's text with its line breaks folded (table cells wrap their words)."""
    pages = PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def run_half_day(slot, trainer, entries, *, sign=True):
    """In the half-day: each (placement, status, minutes_late) recorded, then the trainer signs."""
    with time_machine.travel(during(slot), tick=False):
        for placement, status, minutes_late in entries:
            services.attendance_record(
                actor=trainer,
                slot=slot,
                placement=placement,
                status=status,
                minutes_late=minutes_late,
                reason="Saisie en salle" if status in ("present", "excused") else "",
            )
    if sign:
        with time_machine.travel(slot.ends_at, tick=False):
            services.slot_sign(actor=trainer, slot=slot)


def run_session(session, trainer, statuses: dict, *, close: bool = True):
    """Hold every half-day: ``statuses`` maps a placement to (status, minutes_late) or to a
    function of the half-day's index returning that pair; the trainer signs each sheet. A
    session to close is confirmed first, before its first half-day, as a trainer would."""
    if close:
        with time_machine.travel(slots(session)[0].starts_at - timedelta(hours=1), tick=False):
            services.session_confirm(actor=trainer, session=session)
    for index, slot in enumerate(slots(session)):
        entries = [
            (placement, *(entry(index) if callable(entry) else entry))
            for placement, entry in statuses.items()
        ]
        run_half_day(slot, trainer, entries)
    if close:
        last = slots(session)[-1]
        with time_machine.travel(last.ends_at, tick=False):
            services.session_close(actor=trainer, session=session)
