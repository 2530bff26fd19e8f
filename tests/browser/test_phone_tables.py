"""At a phone's width (360 px) the trainee's tables stack their cells, each labelled with its
column's name, so nothing scrolls sideways and no column is hidden."""

from __future__ import annotations

import pytest

from tests.browser.test_accessibility import seeded  # noqa: F401 - the whole demo, loaded
from tests.browser.test_csp_pages import TRAINEE, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TABLES = {
    "/certification/": "table.requirements",  # the path to certification, « Où agir » last
    "/espace/": "table.quiz-results",
    "/mes-reservations/": "table.booking-history",
}


def hidden_or_scrolling(page, selector: str) -> list[str]:
    """What of the table runs past the window or scrolls inside its frame."""
    return page.evaluate(
        """(selector) => {
             const table = document.querySelector(selector);
             if (!table) return [selector + ': missing'];
             const problems = [];
             const frame = table.closest('.table-scroll') || table.parentElement;
             if (frame.scrollWidth > frame.clientWidth + 1) problems.push(selector + ': scrolls');
             for (const cell of table.querySelectorAll('tbody td, tbody th')) {
               const box = cell.getBoundingClientRect();
               if (box.width && box.right > window.innerWidth + 1)
                 problems.push(selector + ': ' + cell.textContent.trim().slice(0, 30));
             }
             for (const cell of table.querySelectorAll('tbody td')) {
               if (!cell.dataset.label) problems.push(selector + ': a cell without data-label');
             }
             return problems;
           }""",
        selector,
    )


@pytest.mark.usefixtures("seeded")
def test_the_trainee_s_tables_are_read_without_scrolling_on_a_phone(page, live_server):
    page.set_viewport_size({"width": 360, "height": 800})
    sign_in(page, live_server.url, TRAINEE)
    problems = []
    for path, selector in TABLES.items():
        page.goto(live_server.url + path)
        problems += hidden_or_scrolling(page, selector)
        name = path.strip("/").replace("/", "-")
        page.locator(selector).screenshot(path=f"test-artifacts/phone-table-{name}.png")
    assert problems == []
