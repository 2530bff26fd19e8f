"""Cover images in the catalogue: rendered with empty alt text, without a query per course."""

from __future__ import annotations

import io

import pytest
from django.core.files.images import ImageFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image as PILImage
from wagtail.images.models import Image

from tests.courses.conftest import build_course

pytestmark = pytest.mark.django_db


def make_image(title: str) -> Image:
    buffer = io.BytesIO()
    PILImage.new("RGB", (800, 450), (138, 45, 59)).save(buffer, "PNG")
    return Image.objects.create(title=title, file=ImageFile(buffer, name=f"{title}.png"))


def catalogue_queries(client) -> int:
    client.get("/formations/")  # renditions are generated on the first view
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/formations/")
    assert response.status_code == 200
    return len(queries)


def test_it_renders_cover_images_with_a_constant_number_of_queries(client, catalogue):
    course = build_course(catalogue, lessons=1)
    course.cover_image = make_image("couverture-0")
    course.save()
    with_one = catalogue_queries(client)
    for n in range(1, 6):
        other = build_course(catalogue, lessons=1)
        other.cover_image = make_image(f"couverture-{n}")
        other.save()
    assert catalogue_queries(client) == with_one
    html = client.get("/formations/").content.decode()
    assert html.count('alt=""') >= 6
    assert "fill-640x360" in html
