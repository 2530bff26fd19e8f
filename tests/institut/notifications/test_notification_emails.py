"""The e-mail of a notification reads as a letter to its recipient, in their language: their
name, what happened, the link, the Institut's signature, and where to change what they receive."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from institut.models import OutboxEmail
from institut.notifications import services
from institut.notifications.models import Channel, Kind, NotificationPreference

pytestmark = pytest.mark.django_db


def tell(user, *, kind=Kind.ENTRY_REVIEWED, version="1"):
    return services.notify_in_language(
        user,
        kind=kind,
        about=user,
        version=version,
        render=lambda: {
            "title": "Votre entrée du 4 juillet 2026 est approuvée",
            "text": "Commentaire : très clair.",
            "url": reverse("notification_list"),
        },
    )


def english(user):
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    return user


def test_it_greets_signs_and_links_the_preferences_in_french(settings, trainee):
    tell(trainee)
    text = OutboxEmail.objects.get(to_user=trainee).text
    assert text.startswith("Bonjour Camille Martin,\n\nVotre entrée du 4 juillet 2026")
    assert "Commentaire : très clair." in text
    assert f"{settings.SITE_URL}/espace/notifications/\n" in text
    assert "L'équipe de l'Institut Charles Rojzman" in text
    assert f"{settings.SITE_URL}/espace/notifications/preferences/" in text
    assert "\n\n\n" not in text


def test_it_writes_the_letter_and_its_links_in_english(settings, trainee):
    tell(english(trainee))
    text = OutboxEmail.objects.get(to_user=trainee).text
    assert text.startswith("Hello Camille Martin,")
    assert f"{settings.SITE_URL}/en/espace/notifications/\n" in text
    assert "The Institut Charles Rojzman team" in text
    assert "notification preferences" in text
    assert f"{settings.SITE_URL}/en/espace/notifications/preferences/" in text
    assert "Bonjour" not in text and "Vous recevez" not in text


def test_an_e_mail_written_by_its_sender_gets_the_preferences_link_too(settings, trainee):
    with translation.override("en"):  # the caller's language is not the recipient's
        services.notify(
            recipient=trainee,
            kind=Kind.BOOKING,
            about=trainee,
            title="Réservée",
            email_text="Bonjour Camille,\n\nVotre place est réservée.\n",
        )
    text = OutboxEmail.objects.get(to_user=trainee).text
    assert text.startswith("Bonjour Camille,\n\nVotre place est réservée.\n")
    assert "préférences de notification" in text
    assert f"{settings.SITE_URL}/espace/notifications/preferences/" in text


def test_a_convocation_sent_whatever_one_chose_offers_no_preferences(trainee):
    NotificationPreference.objects.create(user=trainee, kind=Kind.CONVOCATION, channel="in_app")
    tell(trainee, kind=Kind.CONVOCATION)
    text = OutboxEmail.objects.get(to_user=trainee).text
    assert "preferences" not in text and "préférences" not in text


def test_the_digest_greets_by_name_and_is_signed(settings, trainee, other_trainee):
    for person in (trainee, english(other_trainee)):
        NotificationPreference.objects.create(
            user=person, kind=Kind.ENTRY_REVIEWED, channel=Channel.DIGEST
        )
        tell(person)
    assert services.digest_send() == 2

    french = OutboxEmail.objects.get(to_user=trainee).text
    assert french.startswith("Bonjour Camille Martin,")
    assert "L'équipe de l'Institut Charles Rojzman" in french
    english_text = OutboxEmail.objects.get(to_user=other_trainee).text
    assert english_text.startswith("Hello Yanis Benali,")
    assert "The Institut Charles Rojzman team" in english_text
    assert f"{settings.SITE_URL}/en/espace/notifications/preferences/" in english_text


def test_its_html_part_has_no_empty_paragraph(trainee):
    tell(trainee)
    html = OutboxEmail.objects.get(to_user=trainee).html
    assert "Bonjour Camille Martin," in html
    assert "<p></p>" not in html
