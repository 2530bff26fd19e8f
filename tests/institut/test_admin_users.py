"""Staff manage accounts and roles in the Wagtail admin, with our user's fields."""

import pytest
from django.contrib.auth.models import Group

from institut.models import User
from institut.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    admin = UserFactory(
        email="root@example.org",
        full_name="Admin",
        is_staff=True,
        is_superuser=True,
        second_factor=True,
    )
    client.force_login(admin)
    return client


def test_it_creates_a_trainer_from_the_admin(superuser_client):
    trainers = Group.objects.get(name=Role.TRAINER.value)
    response = superuser_client.post(
        "/admin/users/new/",
        {
            "email": "nouveau.formateur@example.org",
            "full_name": "Paul Nguyen",
            "preferred_language": "en",
            "time_zone": "America/Montreal",
            "password1": "Une-phrase-longue-42",
            "password2": "Une-phrase-longue-42",
            "groups": [trainers.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(email="nouveau.formateur@example.org")
    assert user.full_name == "Paul Nguyen"
    assert user.time_zone == "America/Montreal"
    assert user.groups.filter(pk=trainers.pk).exists()


def test_it_refuses_an_unknown_time_zone_in_the_admin(superuser_client):
    response = superuser_client.post(
        "/admin/users/new/",
        {
            "email": "x@example.org",
            "full_name": "X",
            "preferred_language": "fr",
            "time_zone": "Mars/Olympus",
            "password1": "Une-phrase-longue-42",
            "password2": "Une-phrase-longue-42",
        },
    )
    assert response.status_code == 200
    assert "n&#x27;est pas un fuseau horaire connu" in response.content.decode()
    assert not User.objects.filter(email="x@example.org").exists()
