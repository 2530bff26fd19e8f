"""What the courses app keeps in the cache, cleared by the writes that change it: a person's
lessons done and courses completed (course outlines follow the site's page-cache version), and
the anonymous copies of the course pages when their published results change (a satisfaction
response, an attendance line of an ended session, the headline question)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save


def _lesson_progress_changed(sender, instance, **kwargs) -> None:
    from courses.selectors import forget_lessons_done

    forget_lessons_done(instance.user_id)


def _results_changed(sender, instance=None, created=True, **kwargs) -> None:
    """The course pages' results may differ: forget the cached site pages (again after commit,
    so that no page made from the uncommitted state is kept)."""
    from django.utils import timezone

    from courses.training.models import Attendance, SatisfactionKind, TrainingSlot
    from institut.page_cache import site_pages

    if not created:
        return
    if sender is Attendance:
        # Only the sessions whose last half-day is over count: signing in the room changes
        # nothing published (when the last half-day ends, the page's lifetime bounds the wait).
        session_id = instance.slot.session_id
        if TrainingSlot.objects.filter(session_id=session_id, ends_at__gt=timezone.now()).exists():
            return
    elif getattr(instance, "kind", SatisfactionKind.HOT) != SatisfactionKind.HOT:
        return
    site_pages.invalidate()


def connect() -> None:
    from courses.models import Enrolment, LessonProgress
    from institut import person_cache

    person_cache.forget_records_on_save(Enrolment, "user_id")  # courses completed

    for signal in (post_save, post_delete):
        signal.connect(
            _lesson_progress_changed,
            sender=LessonProgress,
            dispatch_uid=f"courses-lessons-done-{signal is post_save}",
        )

    from courses.training.models import Attendance, SatisfactionQuestion, SatisfactionResponse

    for model in (SatisfactionResponse, Attendance):
        post_save.connect(
            _results_changed, sender=model, dispatch_uid=f"courses-results-{model.__name__}"
        )
    for signal in (post_save, post_delete):
        signal.connect(
            _question_changed,
            sender=SatisfactionQuestion,
            dispatch_uid=f"courses-results-question-{signal is post_save}",
        )


def _question_changed(sender, instance, **kwargs) -> None:
    """A headline question marked, moved or removed changes how the rate is computed."""
    from courses.training.models import SatisfactionKind
    from institut.page_cache import site_pages

    if instance.kind == SatisfactionKind.HOT:
        site_pages.invalidate()
