"""Staff and erasure in the Wagtail admin: a user with records is never a 500, and can be erased."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages

from courses.models import QuizAttempt
from institut.models import User
from tests.factories import UserFactory
from tests.institut.records import person_with_everything

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(db):
    return UserFactory(
        email="root@example.org",
        full_name="Admin",
        is_staff=True,
        is_superuser=True,
        second_factor=True,
    )


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


@pytest.fixture
def person(trainee, trainer):
    return person_with_everything(trainee, trainer)


def test_deleting_a_user_with_records_explains_and_offers_erasure(admin_client, trainee, person):
    url = f"/admin/users/delete/{trainee.pk}/"

    page = admin_client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "ne peut pas être supprimé" in html
    assert "Factures : 2" in html
    assert f"/admin/users/erase/{trainee.pk}/" in html

    refused = admin_client.post(url)
    assert refused.status_code == 409
    assert "ne peut pas être supprimé" in refused.content.decode()
    assert User.objects.filter(pk=trainee.pk, erased_at__isnull=True).exists()


def test_a_user_without_records_is_deleted_as_before(admin_client):
    newcomer = UserFactory(full_name="Jeanne Nouvelle")

    response = admin_client.post(f"/admin/users/delete/{newcomer.pk}/")

    assert response.status_code == 302
    assert not User.objects.filter(pk=newcomer.pk).exists()


def test_staff_erase_a_person_from_the_admin(admin_client, trainee, person):
    url = f"/admin/users/erase/{trainee.pk}/"
    page = admin_client.get(url).content.decode()
    assert f"Votre certificat {person['certificate'].number} est valide" in page

    response = admin_client.post(url)

    assert response.status_code == 302
    assert User.objects.get(pk=trainee.pk).is_erased
    assert not QuizAttempt.objects.filter(user=trainee).exists()
    again = admin_client.get(f"/admin/users/delete/{trainee.pk}/").content.decode()
    assert "déjà effacées" in again


def test_bulk_deletion_keeps_users_with_records(admin_client, trainee, person):
    newcomer = UserFactory(full_name="Jeanne Nouvelle")

    response = admin_client.post(
        f"/admin/bulk/institut/user/delete/?id={trainee.pk}&id={newcomer.pk}"
    )

    assert response.status_code == 302
    said = [str(message) for message in get_messages(response.wsgi_request)]
    assert not User.objects.filter(pk=newcomer.pk).exists()
    assert User.objects.filter(pk=trainee.pk).exists()
    assert any("1 compte conservé" in message for message in said)


def test_staff_without_the_delete_permission_cannot_erase(client, trainee, person):
    editor = UserFactory(full_name="Éditrice", is_staff=True, second_factor=True)
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    editors = Group.objects.filter(permissions__codename="access_admin").first()
    if editors:
        editor.groups.add(editors)
    client.force_login(editor)

    response = client.post(f"/admin/users/erase/{trainee.pk}/")

    assert response.status_code in (302, 403)
    assert not User.objects.get(pk=trainee.pk).is_erased
