"""Cover images of the demo courses, drawn in code (Pillow): the seven steps of the method in a
ring, the course's own steps filled, on the Institut's colours. Nothing is downloaded; drawing
again gives the same picture, and a course that already has a cover keeps it.
"""

from __future__ import annotations

import io
import math

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model

from institut.method import Step

WIDTH, HEIGHT = 1280, 720
# Background, ring and filled-step colours, one set per course in catalogue order.
PALETTES = [
    ((138, 45, 59), (244, 217, 221), (255, 191, 71)),
    ((31, 95, 122), (205, 226, 235), (255, 191, 71)),
    ((30, 107, 58), (210, 236, 218), (255, 221, 140)),
]
STEP_CODES = [step.value for step in Step]


def cover_png(*, steps: list[str], palette: int) -> bytes:
    """A 1280x720 PNG: a ring of seven circles, those of `steps` filled, that survives the
    catalogue's 16:9 and the course page's 12:5 crops."""
    background, ring, fill = PALETTES[palette % len(PALETTES)]
    image = PILImage.new("RGB", (WIDTH, HEIGHT), background)
    draw = ImageDraw.Draw(image)
    # Soft concentric bands behind the ring.
    for band in range(6, 0, -1):
        radius = 120 * band
        shade = tuple(min(255, c + 9 * (7 - band)) for c in background)
        draw.ellipse((860 - radius, 360 - radius, 860 + radius, 360 + radius), fill=shade)
    centre_x, centre_y, radius = 860, 360, 170
    points = [
        (
            centre_x + radius * math.cos(-math.pi / 2 + index * 2 * math.pi / 7),
            centre_y + radius * math.sin(-math.pi / 2 + index * 2 * math.pi / 7),
        )
        for index in range(7)
    ]
    draw.polygon(points, outline=ring, width=8)
    for code, (x, y) in zip(STEP_CODES, points, strict=True):
        size = 42 if code in steps else 30
        colour = fill if code in steps else ring
        draw.ellipse((x - size, y - size, x + size, y + size), fill=colour, outline=ring, width=6)
    draw.ellipse((centre_x - 52, centre_y - 52, centre_x + 52, centre_y + 52), fill=ring)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def give_covers(courses: list) -> None:
    """Give each course (and its translations) a drawn cover, unless it already has one."""
    image_model = get_image_model()
    for palette, course in enumerate(courses):
        title = f"Couverture : {course.title}"
        image = course.cover_image or image_model.objects.filter(title=title).first()
        if image is None:
            data = cover_png(steps=list(course.steps or []), palette=palette)
            image = image_model.objects.create(
                title=title, file=ImageFile(io.BytesIO(data), name=f"cover-{course.slug}.png")
            )
        # The course object itself first: translations made from it afterwards carry the cover.
        for page in [course, *course.get_translations().specific()]:
            if page.cover_image_id is None:
                page.cover_image = image
                page.save_revision().publish()
