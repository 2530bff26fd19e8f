"""Staff assign supervisors in the Wagtail admin; the assignment records who assigned."""

from __future__ import annotations

import pytest

from supervision.models import SupervisorAssignment
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return UserFactory(full_name="Équipe", is_staff=True, is_superuser=True, second_factor=True)


def test_it_lets_staff_assign_a_supervisor(client, staff, trainee, trainer):
    client.force_login(staff)
    form = client.get("/admin/supervisor_assignments/new/")
    assert form.status_code == 200
    response = client.post(
        "/admin/supervisor_assignments/new/", {"trainee": trainee.pk, "supervisor": trainer.pk}
    )
    assert response.status_code == 302
    assignment = SupervisorAssignment.objects.get()
    assert (assignment.trainee, assignment.supervisor, assignment.assigned_by) == (
        trainee,
        trainer,
        staff,
    )


def test_it_offers_only_trainees_and_trainers(client, staff, trainee, trainer):
    client.force_login(staff)
    response = client.post(
        "/admin/supervisor_assignments/new/", {"trainee": trainer.pk, "supervisor": trainee.pk}
    )
    assert response.status_code == 200
    assert not SupervisorAssignment.objects.exists()


def test_it_lists_assignments_in_the_admin(client, staff, trainee, trainer):
    from supervision import services

    services.supervisor_assign(trainee=trainee, supervisor=trainer, assigned_by=staff)
    client.force_login(staff)
    response = client.get("/admin/supervisor_assignments/")
    assert response.status_code == 200
    assert trainee.full_name in response.content.decode()
