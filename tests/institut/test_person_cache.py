"""The signed-in person and their roles come from the cache until they change (issue 16)."""

from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from institut import person_cache
from institut.backends import ModelBackend
from institut.roles import Role, is_trainer, role_names
from tests.supervision.logbook.helpers import assign, make_entry

pytestmark = pytest.mark.django_db

SUPERVISION = reverse("supervision:trainer_home")
QUEUE = reverse("supervision:logbook_queue")


def test_it_reads_the_person_and_roles_once_then_from_the_cache(trainer):
    ModelBackend().get_user(trainer.pk)
    with CaptureQueriesContext(connection) as queries:
        user = ModelBackend().get_user(trainer.pk)
    assert len(queries) == 0
    assert user == trainer and is_trainer(user)


def test_it_closes_a_role_s_pages_as_soon_as_the_role_is_removed(client, trainer):
    client.force_login(trainer)
    assert client.get(SUPERVISION).status_code == 200  # the person is now cached
    trainer.groups.remove(Group.objects.get(name=Role.TRAINER.value))
    assert client.get(SUPERVISION).status_code == 404
    assert role_names(ModelBackend().get_user(trainer.pk)) == frozenset()


def test_it_sees_a_role_removed_from_the_group_s_side(client, trainer):
    client.force_login(trainer)
    client.get(SUPERVISION)
    Group.objects.get(name=Role.TRAINER.value).user_set.remove(trainer)
    assert client.get(SUPERVISION).status_code == 404


def test_it_sees_every_member_of_a_group_cleared(client, trainer):
    client.force_login(trainer)
    client.get(SUPERVISION)
    Group.objects.get(name=Role.TRAINER.value).user_set.clear()
    assert client.get(SUPERVISION).status_code == 404


def test_it_opens_a_role_s_pages_as_soon_as_the_role_is_given(client, trainee):
    client.force_login(trainee)
    assert client.get(SUPERVISION).status_code == 404
    trainee.groups.add(Group.objects.get(name=Role.TRAINER.value))
    # The role is seen at once: the page opens (a new trainer is first asked for a second factor).
    assert client.get(SUPERVISION).status_code != 404


def test_it_signs_out_a_person_made_inactive(client, trainee):
    client.force_login(trainee)
    assert client.get(reverse("courses:dashboard")).status_code == 200
    trainee.is_active = False
    trainee.save(update_fields=["is_active"])
    assert client.get(reverse("courses:dashboard")).status_code == 302  # to the login page


def test_it_signs_out_every_session_after_a_password_change(client, trainee):
    client.force_login(trainee)
    client.get(reverse("courses:dashboard"))
    trainee.set_password("un autre mot de passe, assez long")
    trainee.save()
    assert client.get(reverse("courses:dashboard")).status_code == 302


def test_it_never_shows_one_person_another_s_cached_copy(client, trainee, other_trainee):
    client.force_login(trainee)
    client.get(reverse("courses:dashboard"))
    client.force_login(other_trainee)
    response = client.get(reverse("courses:dashboard"))
    assert response.wsgi_request.user == other_trainee
    assert "Camille Martin" not in response.content.decode()


def test_it_computes_values_when_the_cache_is_down(settings):
    compute = mock.Mock(return_value={"a": 1})
    with mock.patch.object(person_cache.cache, "get", side_effect=ConnectionError):
        assert person_cache.cached("k", compute) == {"a": 1}
    with mock.patch.object(person_cache.cache, "delete_many", side_effect=ConnectionError):
        person_cache.forget("k")  # no error
    settings.PERSONAL_CACHE_SECONDS = 0
    person_cache.cached("k", compute)
    person_cache.cached("k", compute)
    assert compute.call_count == 3


def test_it_reads_sessions_from_the_cache_with_cached_db(client, settings, trainee):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    client.force_login(trainee)
    client.get(reverse("courses:dashboard"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("courses:dashboard")).status_code == 200
    sql = " ".join(q["sql"] for q in queries)
    assert "django_session" not in sql
    assert '"institut_user"."email"' not in sql  # nor the person


def test_it_counts_the_review_queue_once_per_request(client, trainer, trainee):
    assign(trainee, trainer)
    for _ in range(3):
        make_entry(trainee, "submitted")
    client.force_login(trainer)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(QUEUE)
    counts = [q for q in queries if "COUNT(" in q["sql"] and "practiceentry" in q["sql"]]
    assert len(counts) == 1
    assert response.context["page"].paginator.count == 3
    assert "3" in response.content.decode()


# --- The session read with the person (institut/sessions.py) ------------------------------------


@pytest.fixture
def sessions_with_person(settings):
    settings.SESSION_ENGINE = "institut.sessions"


def _cache_reads():
    """The keys of every read of the cache, one list per round trip."""
    reads = []
    get, get_many = person_cache.cache.get, person_cache.cache.get_many

    def spy_get(key, *args, **kwargs):
        reads.append([key])
        return get(key, *args, **kwargs)

    def spy_get_many(keys, *args, **kwargs):
        reads.append(list(keys))
        return get_many(keys, *args, **kwargs)

    return reads, mock.patch.multiple(person_cache.cache, get=spy_get, get_many=spy_get_many)


def test_it_reads_the_session_and_the_person_in_one_round_trip(
    client, sessions_with_person, trainee
):
    client.force_login(trainee)
    client.get(reverse("courses:dashboard"))  # this process learns whose session it is
    reads, spying = _cache_reads()
    with spying, CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("courses:dashboard"))
    assert response.status_code == 200 and response.wsgi_request.user == trainee
    user_key = person_cache.user_key(trainee.pk)
    [with_session] = [keys for keys in reads if user_key in keys]
    assert len(with_session) == 2  # the session's entry and the person's, together
    assert "django_session" not in " ".join(q["sql"] for q in queries)


def test_it_closes_a_role_s_pages_at_once_with_the_person_read_with_the_session(
    client, sessions_with_person, trainer
):
    client.force_login(trainer)
    assert client.get(SUPERVISION).status_code == 200
    assert client.get(SUPERVISION).status_code == 200  # the person read with the session
    trainer.groups.remove(Group.objects.get(name=Role.TRAINER.value))
    assert client.get(SUPERVISION).status_code == 404


def test_it_never_gives_one_session_another_person(
    client, sessions_with_person, trainee, other_trainee
):
    from django.test import Client

    other = Client()
    client.force_login(trainee)
    other.force_login(other_trainee)
    for _ in range(2):
        assert client.get(reverse("courses:dashboard")).wsgi_request.user == trainee
        assert other.get(reverse("courses:dashboard")).wsgi_request.user == other_trainee


def test_it_uses_an_entry_read_with_the_session_once():
    person_cache.prefetch("k", {"read": "with the session"})
    compute = mock.Mock(return_value={"read": "again"})
    assert person_cache.cached("k", compute) == {"read": "with the session"}
    assert person_cache.cached("k", compute) == {"read": "again"}  # not kept as it was
    person_cache.prefetch("k", {"read": "with the session"})
    person_cache.prefetch(None)  # the next session read forgets it
    assert person_cache.cached("k", compute) == {"read": "again"}
