"""A page's form keeps its submit button off what follows it, at a phone's and a laptop's width."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = (
    "/registre/verifier/TST-2026-ZZZZZZ/",  # certificate not found
    "/registre/verifier/",
    "/registre/verifier/fichier/",
)


def gap_below_the_button(page) -> float:
    """Pixels between the bottom of the page's form and the top of what follows it."""
    return page.evaluate(
        """() => {
             const form = document.querySelector('main form:has(button[type=submit])');
             const next = form.nextElementSibling;
             return next.getBoundingClientRect().top - form.getBoundingClientRect().bottom;
           }"""
    )


@pytest.mark.parametrize("width", [360, 1280])
def test_the_verify_button_stands_clear_of_the_link_below_it(page, live_server, width):
    from home import demo as home_demo

    home_demo.create_site()
    page.set_viewport_size({"width": width, "height": 900})
    for path in PAGES:
        page.goto(live_server.url + path)
        assert gap_below_the_button(page) >= 16, path
