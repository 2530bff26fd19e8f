"""Notifications: once per effect, by the channel each person chose, in a digest once a day,
and a centre where each person sees their own only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from institut.models import OutboxEmail
from institut.notifications import services, tasks
from institut.notifications.models import Channel, Kind, Notification, NotificationPreference
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def tell(user, *, kind=Kind.ENTRY_REVIEWED, version="1", about=None, title="Votre entrée"):
    return services.notify(
        recipient=user,
        kind=kind,
        about=about or user,
        title=title,
        text="Commentaire : à revoir.",
        url=reverse("notification_list"),
        version=version,
    )


def choose(user, kind, channel):
    NotificationPreference.objects.create(user=user, kind=kind, channel=channel)


def test_it_notifies_once_for_one_effect_told_twice(trainee):
    assert tell(trainee) is not None
    assert tell(trainee) is None
    assert Notification.objects.filter(recipient=trainee).count() == 1
    assert OutboxEmail.objects.filter(to_user=trainee).count() == 1
    trainee.refresh_from_db()
    assert trainee.unread_notifications == 1


def test_it_tells_each_person_in_their_own_language_once(trainee, other_trainee):
    from django.utils import translation

    other_trainee.preferred_language = "en"
    other_trainee.save(update_fields=["preferred_language"])
    told = services.notify_each(
        [trainee, other_trainee],
        kind=Kind.ENTRY_REVIEWED,
        about=trainee,
        version="1",
        render=lambda: {"title": translation.get_language(), "url": reverse("notification_list")},
    )
    assert told == 2
    french = Notification.objects.get(recipient=trainee)
    english = Notification.objects.get(recipient=other_trainee)
    assert (french.title, french.language, french.url) == ("fr", "fr", "/espace/notifications/")
    assert (english.title, english.language) == ("en", "en")
    assert english.url.startswith("/en/")
    again = services.notify_in_language(
        trainee, kind=Kind.ENTRY_REVIEWED, about=trainee, version="1", render=lambda: {"title": "x"}
    )
    assert again is False


def test_it_sends_no_email_to_who_chose_in_app_only(trainee):
    choose(trainee, Kind.ENTRY_REVIEWED, Channel.IN_APP)
    tell(trainee)
    assert Notification.objects.filter(recipient=trainee).count() == 1
    assert not OutboxEmail.objects.exists()


def test_it_owes_one_email_to_who_chose_email(trainee):
    choose(trainee, Kind.ENTRY_REVIEWED, Channel.EMAIL)
    tell(trainee)
    (email,) = OutboxEmail.objects.all()
    assert email.to_user == trainee
    assert "Votre entrée" in email.subject
    assert "à revoir" in email.text


def test_it_defaults_to_the_digest_for_entries_submitted_and_email_for_decisions(trainer):
    assert services.channel_for(trainer, Kind.ENTRY_SUBMITTED) == Channel.DIGEST
    assert services.channel_for(trainer, Kind.ENTRY_REVIEWED) == Channel.EMAIL


def test_it_sends_digest_notifications_once_in_the_daily_digest(trainee, other_trainee):
    choose(trainee, Kind.ENTRY_REVIEWED, Channel.DIGEST)
    tell(trainee, version="1", title="Première nouvelle")
    tell(trainee, version="2", title="Seconde nouvelle")
    tell(other_trainee, version="1")  # e-mail by default: not in any digest
    assert not OutboxEmail.objects.filter(to_user=trainee).exists()

    assert tasks.send_daily_digest() == 1
    assert tasks.send_daily_digest() == 0

    (digest,) = OutboxEmail.objects.filter(to_user=trainee)
    assert digest.kind == services.DIGEST_KIND
    assert "Première nouvelle" in digest.text and "Seconde nouvelle" in digest.text
    assert OutboxEmail.objects.filter(to_user=other_trainee).count() == 1


def test_it_keeps_a_later_notification_for_the_next_days_digest(trainee):
    choose(trainee, Kind.ENTRY_REVIEWED, Channel.DIGEST)
    tell(trainee, version="1")
    services.digest_send()
    tell(trainee, version="2", title="Plus tard")
    assert services.digest_send() == 0  # today's digest is gone
    assert services.digest_send(now=timezone.now() + timedelta(days=1)) == 1
    assert OutboxEmail.objects.filter(to_user=trainee, kind=services.DIGEST_KIND).count() == 2


def test_it_shows_the_unread_count_in_the_header(client, trainee):
    tell(trainee, version="1")
    tell(trainee, version="2")
    client.force_login(trainee)
    page = client.get(reverse("notification_list")).content.decode()
    assert 'class="notifications-link"' in page
    assert '<span class="badge">2<span class="visually-hidden"> non lues' in page


def test_it_marks_one_read_and_goes_to_its_object(client, trainee):
    notification = tell(trainee)
    client.force_login(trainee)
    response = client.post(reverse("notification_open", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == notification.url
    notification.refresh_from_db()
    trainee.refresh_from_db()
    assert notification.is_read
    assert trainee.unread_notifications == 0


def test_it_marks_all_read(client, trainee):
    tell(trainee, version="1")
    tell(trainee, version="2")
    client.force_login(trainee)
    client.post(reverse("notification_read_all"))
    assert not Notification.objects.unread().exists()
    trainee.refresh_from_db()
    assert trainee.unread_notifications == 0


def test_it_answers_404_for_another_persons_notification(client, trainee, other_trainee):
    notification = tell(other_trainee, title="Nouvelle de Yanis")
    client.force_login(trainee)
    response = client.post(reverse("notification_open", args=[notification.pk]))
    assert response.status_code == 404
    assert "Nouvelle de Yanis" not in client.get(reverse("notification_list")).content.decode()
    notification.refresh_from_db()
    assert not notification.is_read


def test_it_lists_a_page_of_notifications_in_a_bounded_number_of_queries(
    client, trainee, django_assert_max_num_queries
):
    for version in range(30):
        tell(trainee, version=str(version))
    client.force_login(trainee)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("notification_list"))
    assert response.status_code == 200
    assert response.content.decode().count('class="notification notification-unread"') == 20


def test_it_saves_the_preferences_per_kind(client, trainer):
    client.force_login(trainer)
    data = {kind.value: Channel.EMAIL for kind in Kind}
    data[Kind.ENTRY_SUBMITTED] = Channel.IN_APP
    response = client.post(reverse("notification_preferences"), data)
    assert response.status_code == 302
    assert services.channel_for(trainer, Kind.ENTRY_SUBMITTED) == Channel.IN_APP


def test_it_refuses_an_unknown_channel_with_a_message(client, trainer):
    client.force_login(trainer)
    data = {kind.value: "pigeon" for kind in Kind}
    response = client.post(reverse("notification_preferences"), data)
    assert response.status_code == 200
    assert not NotificationPreference.objects.exists()


def test_it_tells_a_closed_account_nothing(db):
    user = UserFactory(is_active=False)
    assert tell(user) is None
    assert not Notification.objects.exists()


def test_it_shows_the_centre_in_english(client, trainee):
    tell(trainee)
    client.force_login(trainee)
    page = client.get("/en/espace/notifications/").content.decode()
    assert "My notifications" in page and "Mark all as read" in page
    assert '<span class="visually-hidden"> unread' in page


def test_it_counts_a_new_notification_even_with_the_person_cached(client, trainee, settings):
    settings.PERSONAL_CACHE_SECONDS = 600
    client.force_login(trainee)
    client.get(reverse("notification_list"))  # the person is now kept in the cache
    tell(trainee)
    page = client.get(reverse("notification_preferences")).content.decode()
    assert '<span class="badge">1<span class="visually-hidden"> non lue' in page


def test_the_list_sets_a_drifted_header_count_right(client, trainee, other_trainee):
    tell(trainee, version="1")
    tell(trainee, version="2")
    tell(other_trainee, version="1")
    Notification.objects.filter(recipient=trainee, version="2").update(read_at=timezone.now())
    type(trainee).objects.filter(pk=trainee.pk).update(unread_notifications=7)  # drifted
    client.force_login(trainee)
    page = client.get(reverse("notification_list")).content.decode()
    assert '<span class="badge">1<span class="visually-hidden"> non lue' in page
    trainee.refresh_from_db()
    assert trainee.unread_notifications == 1
    # Once nothing is unread any more, no badge is left behind.
    Notification.objects.filter(recipient=trainee).update(read_at=timezone.now())
    page = client.get(reverse("notification_list")).content.decode()
    assert 'class="badge"' not in page
    trainee.refresh_from_db()
    assert trainee.unread_notifications == 0


def test_the_preferences_offer_no_choice_for_convocations_and_say_why(client, trainee):
    client.force_login(trainee)
    page = client.get(reverse("notification_preferences")).content.decode()
    assert f'name="{Kind.CONVOCATION.value}"' not in page
    assert "toujours envoyées par e-mail" in page
    data = {kind.value: Channel.IN_APP for kind in Kind}
    assert client.post(reverse("notification_preferences"), data).status_code == 302
    assert services.channel_for(trainee, Kind.BOOKING) == Channel.IN_APP
    assert not NotificationPreference.objects.filter(kind=Kind.CONVOCATION).exists()


def test_a_notification_in_french_is_marked_french_on_the_english_list(client, trainee):
    from django.utils import translation

    tell(trainee, version="1", title="Votre entrée est approuvée")
    with translation.override("en"):
        tell(trainee, version="2", title="Your entry is approved")
        english_list = reverse("notification_list")
    client.force_login(trainee)
    french = client.get(reverse("notification_list")).content.decode()
    assert "<span>Votre entrée est approuvée</span>" in french
    assert '<span lang="en">Your entry is approved</span>' in french
    html = client.get(english_list).content.decode()
    assert '<span lang="fr">Votre entrée est approuvée</span>' in html
    assert "<span>Your entry is approved</span>" in html


def test_it_links_the_pages_of_a_long_list(client, trainee):
    for version in range(25):
        tell(trainee, version=str(version))
    client.force_login(trainee)

    first = client.get(reverse("notification_list")).content.decode()
    second = client.get(reverse("notification_list"), {"page": 2}).content.decode()

    assert '<nav aria-label="Pagination">' in first
    assert 'href="?page=2" rel="next"' in first
    assert "Page 1 sur 2" in first
    assert 'href="?page=1" rel="prev"' in second
    assert 'rel="next"' not in second


def test_it_shows_no_pages_for_a_short_list(client, trainee):
    tell(trainee)
    client.force_login(trainee)

    assert (
        '<nav aria-label="Pagination">'
        not in client.get(reverse("notification_list")).content.decode()
    )
