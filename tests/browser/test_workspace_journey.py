"""A trainer logs in on a 360 px wide phone and lands on their space: what to review, today's
sessions and the trainees to follow, with the role's sections in a navigation bar that fits."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from supervision.models import SupervisorAssignment
from tests.supervision.logbook.helpers import make_entry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TRAINER = "formatrice@demo.institut.test"


def test_it_lands_a_trainer_on_their_space_at_360_px(page, live_server, demo, login):
    trainee = demo["trainee"]
    SupervisorAssignment.objects.get_or_create(trainee=trainee, supervisor=demo["trainer"])
    make_entry(trainee, "submitted")
    page.set_viewport_size({"width": 360, "height": 740})

    login(page, TRAINER)

    expect(page).to_have_url(live_server.url + "/espace/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    review = page.get_by_role("region", name="Entrées de carnet à relire")
    expect(review).to_contain_text(trainee.full_name)
    expect(page.get_by_role("heading", name="Séances de supervision aujourd'hui")).to_be_visible()
    expect(page.get_by_role("heading", name="Stagiaires à suivre")).to_be_visible()

    space_nav = page.get_by_role("navigation", name="Mon espace")
    expect(space_nav.get_by_role("link", name="Mon espace")).to_have_attribute(
        "aria-current", "page"
    )
    supervision = space_nav.get_by_role("link", name="Supervision", exact=True)
    expect(supervision).to_be_visible()
    # Nothing runs off the side of a 360 px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path="/tmp/workspace-trainer-360.png", full_page=True)

    supervision.click()
    expect(page).to_have_url(live_server.url + "/supervision/")
    expect(space_nav.get_by_role("link", name="Supervision", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
