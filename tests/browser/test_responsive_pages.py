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

COMMITTEE = "commission@demo.institut.test"

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


def header_rows(page) -> int:
    """How many rows the header's brand, links and menu take (1 when they sit side by side)."""
    return page.evaluate(
        """() => {
             const items = [...document.querySelectorAll(
               '.header-inner .brand, .header-inner a, .header-inner summary')];
             const boxes = items.filter((item) => item.checkVisibility())
               .map((item) => item.getBoundingClientRect());
             const rows = [];
             for (const box of boxes.sort((a, b) => a.top - b.top)) {
               const row = rows.find((row) => box.top < row.bottom && box.bottom > row.top);
               if (!row) { rows.push({top: box.top, bottom: box.bottom}); continue; }
               row.top = Math.min(row.top, box.top);
               row.bottom = Math.max(row.bottom, box.bottom);
             }
             return rows.length;
           }"""
    )


@pytest.mark.usefixtures("seeded")
def test_the_header_fits_one_line_at_1280_px_and_a_phone_at_360_in_both_languages(
    page, live_server
):
    base = live_server.url
    problems = []
    for prefix in ("", "/en"):
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(f"{base}{prefix}/", wait_until="networkidle")
        if (rows := header_rows(page)) != 1:
            problems.append(
                f"a visitor on {prefix or '/'} at 1280 px: the header takes {rows} rows"
            )
    for email in (TRAINEE, TRAINER, COMMITTEE):
        sign_in(page, base, email)
        for prefix, width in ((p, w) for p in ("", "/en") for w in (1280, 360)):
            where = f"{email} on {prefix or '/'} at {width} px"
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{base}{prefix}/espace/", wait_until="networkidle")
            if width == 1280 and (rows := header_rows(page)) != 1:
                problems.append(f"{where}: the header takes {rows} rows")
            summary = page.locator(".user-menu summary")
            summary.click()
            box = page.locator(".user-menu details ul").bounding_box()
            if box is None or box["x"] < 0 or box["x"] + box["width"] > width:
                problems.append(f"{where}: the open account menu runs off the screen")
            if (extra := overflow(page)) > 0:
                problems.append(f"{where}: {extra} px wider than the screen")
            summary.click()
    assert problems == [], "\n".join(problems)
