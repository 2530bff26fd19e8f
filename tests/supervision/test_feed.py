"""The personal iCalendar feed: a secret address that can be revoked and renewed."""

from __future__ import annotations

import pytest
from django.urls import reverse
from icalendar import Calendar

from supervision import services

pytestmark = pytest.mark.django_db


def test_it_serves_the_feed_of_the_tokens_owner(client, session, trainee):
    booking = services.booking_create(session=session, trainee=trainee)
    feed = services.calendar_feed_renew(user=trainee)
    response = client.get(reverse("supervision:calendar_feed", args=[feed.token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert calendar["METHOD"] == "PUBLISH"
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == booking.ics_uid
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"


def test_it_lists_a_trainers_own_sessions_in_their_feed(client, session, trainer):
    feed = services.calendar_feed_renew(user=trainer)
    calendar = Calendar.from_ical(
        client.get(reverse("supervision:calendar_feed", args=[feed.token])).content
    )
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == [session.display_title]


def test_it_answers_404_for_a_revoked_token(client, trainee):
    token = services.calendar_feed_renew(user=trainee).token
    services.calendar_feed_revoke(user=trainee)
    assert client.get(reverse("supervision:calendar_feed", args=[token])).status_code == 404


def test_it_answers_404_for_the_old_token_after_renewal(client, trainee):
    old = services.calendar_feed_renew(user=trainee).token
    new = services.calendar_feed_renew(user=trainee).token
    assert old != new
    assert client.get(reverse("supervision:calendar_feed", args=[old])).status_code == 404
    assert client.get(reverse("supervision:calendar_feed", args=[new])).status_code == 200


def test_it_lets_a_person_renew_and_revoke_from_their_page(client, trainee):
    client.force_login(trainee)
    url = reverse("supervision:calendar_settings")
    client.post(url, {"action": "renew"})
    token = trainee.supervision_feed.token
    page = client.get(url)
    assert token in page.content.decode()
    client.post(url, {"action": "revoke"})
    assert client.get(reverse("supervision:calendar_feed", args=[token])).status_code == 404


def test_the_feed_is_named_in_the_page_s_language(client, trainee):
    address = reverse(
        "supervision:calendar_feed", args=[services.calendar_feed_renew(user=trainee).token]
    )

    french = client.get(address)["Content-Disposition"]
    english = client.get(f"/en{address}")["Content-Disposition"]

    assert french == 'inline; filename="agenda-supervision.ics"'
    assert english == 'inline; filename="supervision-calendar.ics"'
