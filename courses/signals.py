"""Signals the courses app sends, for apps that must react without being imported here."""

from __future__ import annotations

from django.dispatch import Signal

# Sent once, after the transaction commits, when an enrolment becomes completed.
# Receivers get `enrolment` (courses.models.Enrolment); use courses.selectors to read more.
course_completed = Signal()
