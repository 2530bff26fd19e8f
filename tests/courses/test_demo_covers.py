"""The demo courses get cover images drawn in code, once, in every language."""

from __future__ import annotations

import io

import pytest
from PIL import Image as PILImage
from wagtail.images import get_image_model

from courses import demo as courses_demo
from courses.demo_covers import cover_png
from courses.models import CoursePage
from institut import demo as institut_demo
from tests.courses.test_demo import cast  # noqa: F401 - the loaded demo, as there

pytestmark = pytest.mark.django_db


def test_it_draws_a_16_by_9_png_that_depends_on_the_steps():
    one = cover_png(steps=["confiance"], palette=0)
    image = PILImage.open(io.BytesIO(one))
    assert (image.format, image.size) == ("PNG", (1280, 720))
    assert one == cover_png(steps=["confiance"], palette=0)
    assert one != cover_png(steps=["confiance", "solutions"], palette=0)


@pytest.mark.usefixtures("cast")
def test_it_gives_every_demo_course_a_cover_in_every_language():
    courses = CoursePage.objects.all()
    assert courses.filter(locale__language_code="en").exists()
    assert all(course.cover_image_id for course in courses)
    # The live revision carries it too: publishing again from the admin keeps it.
    for course in courses:
        assert course.get_latest_revision_as_object().cover_image_id == course.cover_image_id


@pytest.mark.usefixtures("cast")
def test_it_draws_each_cover_once_when_the_demo_loads_again():
    before = get_image_model().objects.count()
    courses_demo.create_demo(institut_demo.create_accounts())
    assert get_image_model().objects.count() == before == 3


@pytest.mark.usefixtures("cast")
def test_a_translation_without_a_cover_gets_its_course_cover_when_the_demo_loads_again():
    english = CoursePage.objects.filter(locale__language_code="en")
    english.update(cover_image=None)  # as in a demo loaded before covers were drawn
    courses_demo.create_demo(institut_demo.create_accounts())
    assert all(course.cover_image_id for course in CoursePage.objects.all())
    assert get_image_model().objects.count() == 3
