"""A session's life after its dates, as its trainer and the Institut's team meet it: confirmed or
cancelled only before its first half-day, closed only after its last one (planned or confirmed),
the page offering only what fits the moment, and the ended sessions still to close listed where
trainers and staff look.

Every moment is built from the session's own half-days, themselves built from the test clock
(TEST_NOW), never from today's date.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse as reverse_in_language
from django.utils import translation

from courses.training import selectors, services
from courses.training.models import SessionEvent, SessionStatus, TrainingSession
from courses.training.services import TrainingRefused
from courses.training.workspace import sessions_to_close_count, trainer_to_close_context
from tests.courses.training.conftest import during, enrol, make_session, place, slots
from tests.courses.training.helpers import run_half_day, run_session
from tests.courses.training.test_sessions import session_post

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


def reverse(name: str, args=()) -> str:
    """The French address (an English request leaves English active in the test's thread)."""
    with translation.override("fr"):
        return reverse_in_language(name, args=args)


def before_it_begins(session):
    return slots(session)[0].starts_at - timedelta(hours=1)


def first_half_day_begun(session):
    return during(slots(session)[0])


def last_half_day_running(session):
    return during(slots(session)[-1])


def last_half_day_ended(session):
    return slots(session)[-1].ends_at + timedelta(minutes=1)


BEGUN = [first_half_day_begun, last_half_day_running, last_half_day_ended]


def status_events(session) -> list[tuple[str, str]]:
    events = SessionEvent.objects.filter(session=session, action="status").order_by("at", "pk")
    return [(e.from_status, e.to_status) for e in events]


def manage_page(client, person, session, moment, language="") -> str:
    client.force_login(person)
    url = language + reverse("courses:training_manage", args=[session.pk])
    with time_machine.travel(moment, tick=False):
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def posts_action(content: str, action: str) -> bool:
    return f'name="action" value="{action}"' in content


def confirm_posted(client, person, session, moment, language="", *, times: int = 1) -> str:
    """The page a confirm POST (sent so many times) lands on, at that moment."""
    client.force_login(person)
    url = language + reverse("courses:training_status", args=[session.pk])
    with time_machine.travel(moment, tick=False):
        for _time in range(times):
            response = client.post(url, {"action": "confirm"}, follow=True)
    assert response.status_code == 200
    return response.content.decode()


# --- The services refuse what the half-days no longer allow ---------------------------------------


@pytest.mark.parametrize("moment", BEGUN)
def test_it_refuses_to_confirm_a_session_once_its_first_half_day_began(session, trainer, moment):
    with (
        time_machine.travel(moment(session), tick=False),
        pytest.raises(TrainingRefused, match="ne se confirme plus"),
    ):
        services.session_confirm(actor=trainer, session=session)
    assert TrainingSession.objects.get(pk=session.pk).status == SessionStatus.PLANNED
    assert status_events(session) == []


@pytest.mark.parametrize("moment", BEGUN)
def test_it_refuses_to_cancel_a_confirmed_session_once_it_began(session, trainer, moment):
    services.session_confirm(actor=trainer, session=session)
    with (
        time_machine.travel(moment(session), tick=False),
        pytest.raises(TrainingRefused, match="ne peut plus être annulée"),
    ):
        services.session_cancel(actor=trainer, session=session, reason="Salle inondée")
    assert TrainingSession.objects.get(pk=session.pk).status == SessionStatus.CONFIRMED


def test_it_confirms_a_session_an_hour_before_it_begins(session, trainer):
    with time_machine.travel(before_it_begins(session), tick=False):
        services.session_confirm(actor=trainer, session=session)
    assert status_events(session) == [("planned", "confirmed")]


@pytest.mark.parametrize("moment", [before_it_begins, last_half_day_running])
def test_it_refuses_to_close_a_session_before_its_last_half_day_ended(
    session, placed, trainer, moment
):
    services.session_confirm(actor=trainer, session=session)
    with (
        time_machine.travel(moment(session), tick=False),
        pytest.raises(TrainingRefused, match="pas terminée"),
    ):
        services.session_close(actor=trainer, session=session)
    assert TrainingSession.objects.get(pk=session.pk).status == SessionStatus.CONFIRMED


def test_a_session_never_confirmed_is_held_then_closed_once_every_sheet_is_signed(
    session, placed, trainer
):
    """Its trainer forgot to confirm it: it took place all the same, and closes as held."""
    run_session(session, trainer, {placed: ("present", 0)}, close=False)
    with time_machine.travel(last_half_day_ended(session), tick=False):
        services.session_close(actor=trainer, session=session)
    assert TrainingSession.objects.get(pk=session.pk).status == SessionStatus.CLOSED
    assert status_events(session) == [("planned", "held"), ("held", "closed")]


def test_it_refuses_to_close_a_closed_session_again(session, placed, trainer):
    run_session(session, trainer, {placed: ("present", 0)})
    with (
        time_machine.travel(last_half_day_ended(session), tick=False),
        pytest.raises(TrainingRefused, match="déjà clôturée"),
    ):
        services.session_close(actor=trainer, session=session)


# --- The page offers only what fits the moment, and the server refuses the rest ----------------


def test_before_it_begins_the_page_offers_to_confirm_and_cancel_not_to_close(
    client, session, trainer
):
    french = manage_page(client, trainer, session, before_it_begins(session))
    english = manage_page(client, trainer, session, before_it_begins(session), "/en")
    assert posts_action(french, "confirm") and not posts_action(french, "close")
    assert "Confirmer la session" in french and "Annuler la session" in french
    assert "Confirm the session" in english and "Cancel the session" in english
    assert "Close the session" not in english


@pytest.mark.parametrize("moment", [first_half_day_begun, last_half_day_running])
def test_once_begun_the_page_offers_neither_confirm_nor_cancel_and_says_what_comes(
    client, session, trainer, staff, moment
):
    for person in (trainer, staff):
        french = manage_page(client, person, session, moment(session))
        english = manage_page(client, person, session, moment(session), "/en")
        for content in (french, english):
            assert not posts_action(content, "confirm") and not posts_action(content, "close")
            assert reverse("courses:training_cancel", args=[session.pk]) not in content
        assert "Confirmer la session" not in french and "Annuler la session" not in french
        assert "elle ne se confirme plus et ne s'annule plus" in french
        assert "it can no longer be confirmed or cancelled" in english


def test_once_ended_the_page_lists_the_sheets_left_to_sign_with_links_and_no_close_button(
    client, session, placed, trainer
):
    first, *_, _last = slots(session)
    run_half_day(first, trainer, [(placed, "present", 0)])
    french = manage_page(client, trainer, session, last_half_day_ended(session))
    english = manage_page(client, trainer, session, last_half_day_ended(session), "/en")
    assert "Clôturer la session" in french and "Reste à signer" in french
    assert "Close the session" in english and "Still to sign" in english
    assert not posts_action(french, "close") and not posts_action(french, "confirm")
    to_sign = french.split("Reste à signer", 1)[1].split("</ul>", 1)[0]
    for slot in slots(session)[1:]:
        assert reverse("courses:training_slot", args=[session.pk, slot.pk]) in to_sign
    assert reverse("courses:training_slot", args=[session.pk, first.pk]) not in to_sign


def test_once_ended_and_every_sheet_signed_the_page_offers_to_close(
    client, session, placed, trainer, staff
):
    run_session(session, trainer, {placed: ("present", 0)}, close=False)
    for person in (trainer, staff):
        french = manage_page(client, person, session, last_half_day_ended(session))
        assert posts_action(french, "close") and not posts_action(french, "confirm")
        assert "Reste à signer" not in french


def test_a_closed_session_offers_no_transition(client, session, placed, trainer):
    run_session(session, trainer, {placed: ("present", 0)})
    content = manage_page(client, trainer, session, last_half_day_ended(session))
    for action in ("confirm", "close"):
        assert not posts_action(content, action)
    assert "Sessions terminées à clôturer" not in content


@pytest.mark.parametrize(
    ("language", "message"),
    [("", "elle ne se confirme plus"), ("/en", "it can no longer be confirmed")],
)
def test_a_late_confirm_is_refused_with_a_message_and_changes_nothing(
    client, session, trainer, language, message
):
    content = confirm_posted(client, trainer, session, last_half_day_ended(session), language)
    assert message in content
    assert TrainingSession.objects.get(pk=session.pk).status == SessionStatus.PLANNED
    assert status_events(session) == []


def test_the_cancel_page_of_a_session_that_began_sends_back_with_a_message(
    client, session, trainer
):
    client.force_login(trainer)
    url = reverse("courses:training_cancel", args=[session.pk])
    with time_machine.travel(first_half_day_begun(session), tick=False):
        response = client.get(url, follow=True)
        refused = client.post(url, {"reason": "Salle inondée"})
    assert response.redirect_chain[-1][0] == reverse("courses:training_manage", args=[session.pk])
    assert "ne s&#x27;annule plus" in response.content.decode()
    assert refused.status_code == 302
    assert TrainingSession.objects.get(pk=session.pk).status == SessionStatus.PLANNED


# --- Edit and place pages: only while the session can change --------------------------------

CHANGE_PAGES = ["courses:training_manage_edit", "courses:training_place"]
REFUSALS = {
    ("courses:training_manage_edit", ""): (
        "Cette session a commencé : elle ne peut plus être modifiée."
    ),
    ("courses:training_manage_edit", "/en"): (
        "This session has begun: it can no longer be changed."
    ),
    ("courses:training_place", ""): "Cette session a commencé : on n'y place plus de stagiaire.",
    ("courses:training_place", "/en"): (
        "This session has begun: no trainee can be placed in it any more."
    ),
}


def change_post(name, session, course, other_trainee) -> dict:
    """A valid POST of the edit page (new dates a day later) or of the place page."""
    if name == "courses:training_place":
        return {"enrolment": enrol(other_trainee, course).pk}
    return session_post(course, capacity="9")


def what_changes(session) -> tuple:
    session = TrainingSession.objects.get(pk=session.pk)
    return (
        session.capacity,
        [(s.starts_at, s.ends_at) for s in slots(session)],
        session.placements.count(),
        list(SessionEvent.objects.filter(session=session).values_list("action", flat=True)),
    )


def test_before_it_begins_the_page_links_to_edit_and_place_and_both_pages_work(
    client, session, course, trainer, other_trainee
):
    page = manage_page(client, trainer, session, before_it_begins(session))
    for name in CHANGE_PAGES:
        url = reverse(name, args=[session.pk])
        assert f'href="{url}"' in page
        with time_machine.travel(before_it_begins(session), tick=False):
            form = client.get(url)
            data = change_post(name, session, course, other_trainee)
            done = client.post(url, data)
        assert form.status_code == 200 and "<form" in form.content.decode(), name
        assert done.status_code == 302, name
    after = what_changes(session)
    assert after[0] == 9 and after[2] == 1
    assert after[3][-2:] == ["updated", "placed"]


@pytest.mark.parametrize("moment", BEGUN)
@pytest.mark.parametrize("language", ["", "/en"])
@pytest.mark.parametrize("name", CHANGE_PAGES)
def test_once_begun_edit_and_place_send_back_to_the_session_saying_why_and_write_nothing(
    client, session, course, trainer, other_trainee, moment, language, name
):
    data = change_post(name, session, course, other_trainee)
    before = what_changes(session)
    client.force_login(trainer)
    url = language + reverse(name, args=[session.pk])
    session_page = language + reverse("courses:training_manage", args=[session.pk])
    with time_machine.travel(moment(session), tick=False):
        shown = client.get(url, follow=True)
        posted = client.post(url, data, follow=True)
        page = client.get(session_page).content.decode()
    for response in (shown, posted):
        assert response.redirect_chain == [(session_page, 302)]
        content = response.content.decode().replace("&#x27;", "'")
        assert REFUSALS[name, language] in content
        assert 'name="capacity"' not in content and 'name="enrolment"' not in content
    assert what_changes(session) == before
    for page_name in CHANGE_PAGES:
        assert reverse(page_name, args=[session.pk]) not in page


@pytest.mark.parametrize("name", CHANGE_PAGES)
def test_a_cancelled_or_closed_session_s_edit_and_place_pages_say_so(
    client, course, trainer, trainee, other_trainee, name
):
    cancelled, closed = make_session(course, trainer), make_session(course, trainer, days_ahead=9)
    services.session_cancel(actor=trainer, session=cancelled, reason="Salle indisponible")
    run_session(closed, trainer, {place(closed, trainee, course): ("present", 0)})
    client.force_login(trainer)
    what = "elle ne peut plus être modifiée" if name.endswith("edit") else "on n'y place plus"
    with time_machine.travel(last_half_day_ended(closed), tick=False):
        for session, state in ((cancelled, "annulée"), (closed, "clôturée")):
            data = change_post(name, session, course, other_trainee)
            before = what_changes(session)
            url = reverse(name, args=[session.pk])
            for response in (client.get(url, follow=True), client.post(url, data, follow=True)):
                assert response.redirect_chain[-1][0] == reverse(
                    "courses:training_manage", args=[session.pk]
                )
                content = response.content.decode().replace("&#x27;", "'")
                assert f"Cette session est {state} : {what}" in content
            assert what_changes(session) == before
        english = client.get("/en" + reverse(name, args=[closed.pk]), follow=True)
    assert "This session is closed: " in english.content.decode()


@pytest.mark.parametrize("moment", BEGUN)
def test_the_services_refuse_to_edit_or_place_once_begun_with_the_same_words(
    session, course, trainer, other_trainee, moment
):
    enrol(other_trainee, course)
    data = services.SessionData(
        course=course, capacity=9, half_days=[], trainers=[trainer], mode="in_person"
    )
    with time_machine.travel(moment(session), tick=False):
        with pytest.raises(TrainingRefused, match="elle ne peut plus être modifiée"):
            services.session_update(actor=trainer, session=session, data=data)
        with pytest.raises(TrainingRefused, match="on n'y place plus de stagiaire"):
            services.placement_create(actor=trainer, session=session, trainee=other_trainee)
        with pytest.raises(TrainingRefused, match="plus ouverte aux inscriptions"):
            services.placement_create(actor=other_trainee, session=session, trainee=other_trainee)


# --- A move to the state the session is already in -----------------------------------------


@pytest.mark.parametrize(
    ("language", "message"),
    [("", "Cette session est déjà confirmée."), ("/en", "This session is already confirmed.")],
)
def test_a_forged_confirm_of_a_confirmed_session_says_it_is_already_confirmed(
    client, session, trainer, language, message
):
    content = confirm_posted(client, trainer, session, before_it_begins(session), language, times=2)
    assert message in content and "confirmée » à « confirmée" not in content
    assert status_events(session) == [("planned", "confirmed")]


def test_cancelling_a_cancelled_session_again_says_it_is_already_cancelled(session, trainer):
    services.session_cancel(actor=trainer, session=session, reason="Salle indisponible")
    with pytest.raises(TrainingRefused, match="Cette session est déjà annulée"):
        services.session_cancel(actor=trainer, session=session, reason="Encore")
    assert status_events(session) == [("planned", "cancelled")]


# --- Ended sessions still to close, where trainers and staff look ----------------------------


@pytest.fixture
def sessions(course, trainer, other_trainer, trainee):
    """Sessions of the trainer and of another one, all ended by ``after_all``, but one still to
    come; one closed, one cancelled, the others waiting to be closed."""
    mine = [make_session(course, trainer, days_ahead=3 + week * 7) for week in range(4)]
    later = make_session(course, trainer, days_ahead=60)
    theirs = make_session(course, other_trainer, days_ahead=5)
    closed, cancelled = make_session(course, trainer), make_session(course, trainer)
    run_session(closed, trainer, {place(closed, trainee, course): ("present", 0)})
    services.session_cancel(actor=trainer, session=cancelled, reason="Trop peu d'inscrit·es")
    return {"mine": mine, "later": later, "theirs": theirs}


def after_all(sessions):
    return max(slots(s)[-1].ends_at for s in sessions["mine"] + [sessions["theirs"]]) + timedelta(
        hours=1
    )


def test_it_lists_a_trainer_s_ended_sessions_not_closed_longest_waiting_first(
    sessions, trainer, django_assert_max_num_queries
):
    with time_machine.travel(after_all(sessions), tick=False), django_assert_max_num_queries(2):
        listed = trainer_to_close_context(trainer)["sessions_to_close"]
    assert listed == sessions["mine"]
    assert [s.unsigned_count for s in listed] == [6] * 4


def test_staff_count_every_ended_session_not_closed(sessions, django_assert_max_num_queries):
    with time_machine.travel(after_all(sessions), tick=False):
        with django_assert_max_num_queries(1):
            assert sessions_to_close_count() == 5
        assert sessions_to_close_count() == len(list(selectors.sessions_to_close()))


def test_a_session_still_running_is_not_yet_to_close(sessions, trainer):
    first = sessions["mine"][0]
    with time_machine.travel(last_half_day_running(first), tick=False):
        assert list(selectors.sessions_to_close(trainer)) == []


def test_the_trainer_s_list_and_space_remind_them_with_a_bounded_number_of_queries(
    client, sessions, trainer, django_assert_max_num_queries
):
    client.force_login(trainer)
    with time_machine.travel(after_all(sessions), tick=False):
        with django_assert_max_num_queries(20):
            page = client.get(reverse("courses:training_manage_list")).content.decode()
        english = client.get("/en" + reverse("courses:training_manage_list")).content.decode()
        space = client.get("/espace/").content.decode()
    for content in (page, space):
        reminder = content.split("Sessions terminées à clôturer", 1)[1].split("</ul>", 1)[0]
        for session in sessions["mine"]:
            assert reverse("courses:training_manage", args=[session.pk]) in reminder
        for session in (sessions["later"], sessions["theirs"]):
            assert reverse("courses:training_manage", args=[session.pk]) not in reminder
        assert "6 feuilles d'émargement à signer" in reminder.replace("&#x27;", "'")
    assert "Ended sessions to close" in english


def test_the_list_s_queries_do_not_grow_with_the_sessions_to_close(client, course, trainer):
    def queries_for(count: int) -> int:
        made = [make_session(course, trainer, days_ahead=3 + week * 7) for week in range(count)]
        client.force_login(trainer)
        end = max(slots(s)[-1].ends_at for s in made) + timedelta(hours=1)
        url = reverse("courses:training_manage_list")
        with time_machine.travel(end, tick=False):
            client.get(url)  # the first request of a login reads a few things once
            with CaptureQueriesContext(connection) as seen:
                content = client.get(url).content.decode()
        reminder = content.split("Sessions terminées à clôturer", 1)[1].split("</ul>", 1)[0]
        assert reminder.count("<li>") == len(made) + already
        return len(seen)

    already = 0
    few = queries_for(1)
    already = 1
    assert queries_for(4) == few


def test_the_staff_space_counts_the_sessions_to_close(client, sessions, staff):
    client.force_login(staff)
    with time_machine.travel(after_all(sessions), tick=False):
        content = client.get("/espace/").content.decode()
    item = content.split("Sessions de formation terminées à clôturer", 1)[1][:120]
    assert "<strong" in item and ">5</strong>" in item


def staff_item_link(content: str, label: str) -> str:
    """The address the staff space's item of this label links to."""
    return re.search(rf'<a href="([^"]+)">{label}</a>', content).group(1).replace("&amp;", "&")


def listed_sessions(content: str) -> set[int]:
    """The sessions in the list's table (not in the reminder above it)."""
    table = content.split('<table class="training-sessions', 1)[1]
    return {int(pk) for pk in re.findall(r'href="/[^"]*/sessions/(\d+)/"', table)}


def test_the_staff_item_links_to_the_list_of_only_the_sessions_to_close(
    client, sessions, staff, django_assert_max_num_queries
):
    client.force_login(staff)
    with time_machine.travel(after_all(sessions), tick=False):
        space = client.get("/espace/").content.decode()
        url = staff_item_link(space, "Sessions de formation terminées à clôturer")
        assert url == reverse("courses:training_manage_list") + "?a_cloturer=1"
        with django_assert_max_num_queries(20):
            page = client.get(url).content.decode()
        english = client.get("/en" + url).content.decode()
        everything = client.get(reverse("courses:training_manage_list")).content.decode()
    expected = {s.pk for s in sessions["mine"] + [sessions["theirs"]]}
    assert listed_sessions(page) == expected
    assert sessions["later"].pk in listed_sessions(everything)
    assert 'id="filtered-title">Sessions terminées à clôturer' in page
    assert "Voir toutes les sessions" in page and "Voir toutes les sessions" not in everything
    assert 'id="filtered-title">Ended sessions to close' in english
    assert "Show all sessions" in english


def test_nothing_to_close_shows_no_reminder(client, session, trainer):
    client.force_login(trainer)
    with time_machine.travel(before_it_begins(session), tick=False):
        for url in (reverse("courses:training_manage_list"), "/espace/"):
            assert "Sessions terminées à clôturer" not in client.get(url).content.decode()
