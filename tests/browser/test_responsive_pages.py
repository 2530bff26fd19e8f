"""The key pages at a phone's, a tablet's and a laptop's width (360, 768 and 1280 px): nothing
runs off the side of the screen, and the main navigation is on screen and reached with Tab."""

from __future__ import annotations

import pytest
from django.urls import reverse

from certification.models import Certificate
from courses.models import CoursePage, LessonPage, TrainingSession
from institut.models import User
from tests.browser.test_accessibility import seeded  # noqa: F401 - the whole demo, loaded
from tests.browser.test_csp_pages import TRAINEE, TRAINER, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (360, 768, 1280)
MAIN_NAV = "nav.site-nav"


def overflow(page) -> int:
    """How many pixels the page is wider than the window (0 when nothing runs off the side)."""
    return page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")


def nav_is_reachable(page) -> bool:
    """The main navigation's links are all on screen, and Tab from the top reaches the first."""
    on_screen = page.evaluate(
        """(selector) => [...document.querySelectorAll(selector + ' a')].every((link) => {
             const box = link.getBoundingClientRect();
             return box.width > 0 && box.left >= 0 && box.right <= window.innerWidth;
           })""",
        MAIN_NAV,
    )
    page.evaluate("document.activeElement && document.activeElement.blur()")
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate(f"!!document.activeElement.closest('{MAIN_NAV}')"):
            return on_screen
    return False


def check(page, url: str) -> list[str]:
    """The problems of the page at each width, one line each."""
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        response = page.goto(url, wait_until="networkidle")
        assert response is not None and response.status == 200, f"{url}: {response.status}"
        if (extra := overflow(page)) > 0:
            problems.append(f"{url} at {width} px: {extra} px wider than the screen")
        if not nav_is_reachable(page):
            problems.append(f"{url} at {width} px: the main navigation is not reachable")
    return problems


@pytest.mark.usefixtures("seeded")
def test_no_key_page_runs_off_the_screen_at_360_768_or_1280_px(page, live_server):
    base = live_server.url
    number = Certificate.objects.get(holder_name="Elif Çelik").number
    course = CoursePage.objects.live().get(
        locale__language_code="fr", slug="decouvrir-la-therapie-sociale"
    )
    lesson = LessonPage.objects.live().get(
        locale__language_code="fr", slug="quand-la-cooperation-se-bloque"
    )
    problems: list[str] = []
    for path in ("/", "/formations/", course.url, "/registre/", f"/registre/verifier/{number}/"):
        problems += check(page, base + path)

    sign_in(page, base, TRAINEE)
    for path in (lesson.url, "/espace/", "/carnet-de-pratique/", "/certification/"):
        problems += check(page, base + path)

    sign_in(page, base, TRAINER)
    # The attendance sheet: a wide table that scrolls inside its frame, not the page.
    sheet = TrainingSession.objects.led_by(User.objects.get(email=TRAINER)).order_by("pk").first()
    sheet_url = reverse("courses:training_manage", args=[sheet.pk])
    for path in ("/espace/", "/supervision/", "/supervision/carnets/", sheet_url):
        problems += check(page, base + path)

    assert problems == [], "\n".join(problems)
