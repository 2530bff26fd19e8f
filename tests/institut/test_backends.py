"""The signed-in person and their roles come in one query."""

import pytest

from institut.backends import AuthenticationBackend, ModelBackend
from institut.roles import Role, is_trainer, role_names
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


# On PostgreSQL and SQLite alike (ArrayAgg there, GROUP_CONCAT here): the pages' pinned query
# counts are the same on both.
@pytest.mark.parametrize("backend", [ModelBackend, AuthenticationBackend])
def test_it_loads_the_roles_with_the_user_in_one_query(backend, trainer, django_assert_num_queries):
    with django_assert_num_queries(1):
        user = backend().get_user(trainer.pk)
        assert role_names(user) == frozenset({Role.TRAINER.value})
        assert is_trainer(user)


def test_it_loads_every_role_of_a_person_with_several(db, django_assert_num_queries):
    person = UserFactory(roles=[Role.TRAINEE, Role.TRAINER, Role.COMMITTEE])
    with django_assert_num_queries(1):
        user = ModelBackend().get_user(person.pk)
        assert role_names(user) == {Role.TRAINEE.value, Role.TRAINER.value, Role.COMMITTEE.value}


def test_it_loads_a_user_without_a_role(db, django_user_model):
    user = django_user_model.objects.create_user("sans-role@example.test", full_name="Sans Rôle")
    loaded = ModelBackend().get_user(user.pk)
    assert loaded == user
    assert role_names(loaded) == frozenset()


def test_it_refuses_an_inactive_or_unknown_user(trainee):
    trainee.is_active = False
    trainee.save(update_fields=["is_active"])
    assert ModelBackend().get_user(trainee.pk) is None
    assert ModelBackend().get_user(999_999) is None
