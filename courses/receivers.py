"""What the courses app keeps in the cache for signed-in pages, cleared by the writes that
change it: a person's lessons done and courses completed (course outlines follow the site's
page-cache version)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save


def _lesson_progress_changed(sender, instance, **kwargs) -> None:
    from courses.selectors import forget_lessons_done

    forget_lessons_done(instance.user_id)


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
