"""Cover images in the catalogue and on the trainee's space: rendered with empty alt text,
without a query per course."""

from __future__ import annotations

import io

import pytest
from django.core.files.images import ImageFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image as PILImage
from wagtail.images.models import Image

from tests.courses.conftest import build_course
from tests.courses.factories import enrol

pytestmark = pytest.mark.django_db


def make_image(title: str) -> Image:
    buffer = io.BytesIO()
    PILImage.new("RGB", (800, 450), (138, 45, 59)).save(buffer, "PNG")
    return Image.objects.create(title=title, file=ImageFile(buffer, name=f"{title}.png"))


def page_queries(client, path: str = "/formations/") -> int:
    client.get(path)  # renditions are generated on the first view
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def test_it_renders_cover_images_with_a_constant_number_of_queries(client, catalogue):
    course = build_course(catalogue, lessons=1)
    course.cover_image = make_image("couverture-0")
    course.save()
    with_one = page_queries(client)
    for n in range(1, 6):
        other = build_course(catalogue, lessons=1)
        other.cover_image = make_image(f"couverture-{n}")
        other.save()
    assert page_queries(client) == with_one
    html = client.get("/formations/").content.decode()
    assert html.count('alt=""') >= 6
    assert "fill-640x360" in html


def covered_course(catalogue, n: int):
    course = build_course(catalogue, title=f"Cours illustré {n}", lessons=1)
    course.cover_image = make_image(f"couverture-{n}")
    course.save()
    return course


def test_it_shows_on_the_trainees_space_the_cover_the_catalogue_shows(client, catalogue, trainee):
    enrol(trainee, covered_course(catalogue, 0))
    client.force_login(trainee)
    catalogue_html = client.get("/formations/").content.decode()
    html = client.get("/espace/").content.decode()
    card = html.split('class="card course-card"', 1)[1].split("</li>", 1)[0]
    cover = card.split("<img", 1)[1].split(">", 1)[0]
    assert "fill-640x360" in cover and 'alt=""' in cover
    assert cover.split('src="', 1)[1].split('"', 1)[0] in catalogue_html
    assert "Cours illustré 0" in card


def test_it_shows_the_space_covers_with_a_constant_number_of_queries(
    client, catalogue, trainee, settings
):
    settings.PERSONAL_PAGE_SECONDS = 0  # the page made each time: what the view reads is counted
    enrol(trainee, covered_course(catalogue, 0))
    client.force_login(trainee)
    with_one = page_queries(client, "/espace/")
    for n in range(1, 6):
        enrol(trainee, covered_course(catalogue, n))
    assert page_queries(client, "/espace/") == with_one
    assert client.get("/espace/").content.decode().count("fill-640x360") == 6
