"""At a phone's width (360 px) the tables that list records (the trainee's, the trainer's, the
committee's and the staff's) stack their cells, each labelled with its column's name, so nothing
scrolls sideways and no column is hidden. A real grid (a session's attendance by half-day) keeps
its columns and scrolls inside its frame."""

from __future__ import annotations

import pytest
from django.db import transaction

from courses.models import Enrolment
from courses.payments.services.invoices import invoice_issue
from supervision.models import Booking
from tests.browser.test_accessibility import COMMITTEE, seeded  # noqa: F401 - the whole demo
from tests.browser.test_csp_pages import ADMIN, TRAINEE, TRAINER, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TABLES = {
    "/certification/": "table.requirements",  # the path to certification, « Où agir » last
    "/espace/": "table.quiz-results",
    "/mes-reservations/": "table.booking-history",
    "/carnet-de-pratique/": "table.logbook-entries",
    "/espace/factures/": "table.invoice-list",
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
             // A caption that is read (« 8 candidatures ») spans the stacked rows, on one line.
             const caption = table.querySelector('caption:not(.visually-hidden)');
             if (caption && caption.getBoundingClientRect().width
                 < table.getBoundingClientRect().width - 2)
               problems.push(selector + ': the caption is narrower than its table');
             // A row that says the list is empty spans every column: it is no record's cell.
             for (const cell of table.querySelectorAll('tbody td:not([colspan])')) {
               if (!cell.dataset.label) problems.push(selector + ': a cell without data-label');
             }
             return problems;
           }""",
        selector,
    )


def problems_of(page, base: str, tables: dict[str, str]) -> list[str]:
    problems = []
    for path, selector in tables.items():
        page.goto(base + path)
        problems += hidden_or_scrolling(page, selector)
        name = path.strip("/").replace("/", "-")
        page.locator(selector).first.screenshot(path=f"test-artifacts/phone-table-{name}.png")
    return problems


def an_invoice_for_the_trainee() -> None:
    enrolment = Enrolment.objects.filter(user__email=TRAINEE).first()
    with transaction.atomic():
        invoice_issue(
            enrolment=enrolment, amount_cents=48000, currency="eur", buyer_name="Camille Martin"
        )


@pytest.mark.usefixtures("seeded")
def test_the_trainee_s_tables_are_read_without_scrolling_on_a_phone(page, live_server):
    an_invoice_for_the_trainee()
    page.set_viewport_size({"width": 360, "height": 800})
    sign_in(page, live_server.url, TRAINEE)
    assert problems_of(page, live_server.url, TABLES) == []


@pytest.mark.usefixtures("seeded")
def test_the_lists_of_trainers_committee_and_staff_are_read_without_scrolling_on_a_phone(
    page, live_server
):
    booking = Booking.objects.filter(
        session__trainer__email=TRAINER, status=Booking.Status.ATTENDED
    ).first()
    people = {
        TRAINER: {
            "/supervision/": "table.supervision-hours",
            "/supervision/carnets/": "table.logbook-queue",
            "/supervision/carnets/stagiaires/": "table.logbook-trainees",
            f"/supervision/seances/{booking.session_id}/": "table.session-bookings",
            "/formation/sessions/": "table.training-sessions",
        },
        COMMITTEE: {
            "/certification/commission/": "table.committee-applications",
            "/certification/commission/certificats/": "table.committee-certificates",
            "/certification/commission/audits/": "table.committee-audits",
        },
        ADMIN: {"/formation/bpf/": "table.bpf-figures"},
    }
    page.set_viewport_size({"width": 360, "height": 800})
    problems = []
    for person, tables in people.items():
        sign_in(page, live_server.url, person)
        problems += problems_of(page, live_server.url, tables)
    assert problems == []


def text_under_the_userbar(page) -> list[str]:
    """The page's text that Wagtail's userbar button covers, scrolled to the top, to the middle
    and to the end of the page."""
    covered = []
    for where in ("0", "document.documentElement.scrollHeight / 2", "1e6"):
        page.evaluate(f"window.scrollTo(0, {where})")
        covered += page.evaluate(UNDER_THE_USERBAR)
    return covered


UNDER_THE_USERBAR = """() => {
             const bar = document.querySelector('wagtail-userbar');
             const trigger = bar && bar.shadowRoot.querySelector('.w-userbar-trigger');
             if (!trigger) return ['no userbar'];
             const button = trigger.getBoundingClientRect();
             const covered = [];
             const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
             while (walker.nextNode()) {
               const node = walker.currentNode;
               if (!node.textContent.trim()) continue;
               const range = document.createRange();
               range.selectNodeContents(node);
               for (const box of range.getClientRects()) {
                 if (box.right > button.left && box.left < button.right
                     && box.bottom > button.top && box.top < button.bottom)
                   covered.push(node.textContent.trim().slice(0, 40));
               }
             }
             return covered;
           }"""


@pytest.mark.usefixtures("seeded")
def test_the_userbar_of_people_with_admin_access_covers_no_text_on_a_phone(page, live_server):
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, live_server.url, ADMIN)
    for path in ("/", "/registre/", "/espace/"):
        page.goto(live_server.url + path)
        assert text_under_the_userbar(page) == [], path
