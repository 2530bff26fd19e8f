"""Staff edit the scheme (courses chosen from the catalogue) and publish charter versions."""

from __future__ import annotations

import pytest

from certification.models import CertificationScheme, CharterVersion
from institut.method import Step
from tests.factories import UserFactory


@pytest.fixture
def staff(db):
    return UserFactory(full_name="Équipe", is_staff=True, is_superuser=True, second_factor=True)


def scheme_post(**overrides) -> dict:
    data = {
        "name": "Intervenant·e en Thérapie Sociale TST®",
        "description": "Formation, pratique supervisée, charte.",
        "is_active": "on",
        "min_practice_hours": "120",
        "min_supervision_hours": "20",
        "requires_charter": "on",
        "validity_years": "3",
        "renewal_supervision_hours": "30",
        **{f"min_hours_{step.value}": "10" for step in Step},
        "requires_supervisor_opinion": "on",
        "renewal_audit_percent": "10",
        "renewal_audit_deadline_days": "30",
        "renewal_audit_grace_days": "14",
    }
    data.update(overrides)
    return data


def test_it_lets_staff_create_a_scheme_with_courses_of_the_catalogue(client, staff, course):
    client.force_login(staff)
    form = client.get("/admin/certification_scheme/new/")
    assert form.status_code == 200
    assert course.title in form.content.decode()
    response = client.post(
        "/admin/certification_scheme/new/",
        scheme_post(required_course_keys=[str(course.translation_key)]),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    scheme = CertificationScheme.objects.get()
    assert scheme.required_course_keys == [str(course.translation_key)]
    assert scheme.step_minimums()["solutions"] == 10


def test_it_bumps_the_version_on_each_edit(client, staff):
    scheme = CertificationScheme.objects.create()
    client.force_login(staff)
    response = client.post(
        f"/admin/certification_scheme/edit/{scheme.pk}/", scheme_post(min_practice_hours="150")
    )
    assert response.status_code == 302
    scheme.refresh_from_db()
    assert (scheme.version, scheme.min_practice_hours) == (2, 150)


def test_it_refuses_to_edit_a_charter_version_already_accepted(client, staff, trainee, charter):
    from certification import services

    services.charter_accept(user=trainee, charter=charter)
    client.force_login(staff)
    response = client.post(
        f"/admin/certification_charter/edit/{charter.pk}/",
        {
            "version": "1",
            "title": "Charte",
            "published_on": "2026-01-01",
            "body": "Texte modifié après coup.",
        },
    )
    assert response.status_code == 200
    assert "publiez une nouvelle version" in response.content.decode()
    charter.refresh_from_db()
    assert "modifié" not in charter.body
    assert CharterVersion.objects.count() == 1


@pytest.mark.parametrize(("name", "limit"), [("description", 2000), ("description_en", 2000)])
def test_it_refuses_an_over_long_scheme_description_and_saves_nothing(client, staff, name, limit):
    scheme = CertificationScheme.objects.create(description="Formation, pratique, charte.")
    client.force_login(staff)

    response = client.post(
        f"/admin/certification_scheme/edit/{scheme.pk}/", scheme_post(**{name: "x" * 1_000_000})
    )

    assert response.status_code == 200
    assert response.context["form"].errors[name] == [
        f"Assurez-vous que cette valeur comporte au plus {limit} caractères (actuellement 1000000)."
    ]
    scheme.refresh_from_db()
    assert (scheme.version, scheme.description, scheme.description_en) == (
        1,
        "Formation, pratique, charte.",
        "",
    )


@pytest.mark.parametrize("name", ["body", "body_en"])
def test_it_refuses_an_over_long_charter_text_and_saves_nothing(client, staff, name):
    client.force_login(staff)
    data = {"version": "7", "title": "Charte", "published_on": "2026-01-01", "body": "Texte."}

    response = client.post("/admin/certification_charter/new/", {**data, name: "x" * 1_000_000})

    assert response.status_code == 200
    assert "au plus 20000 caractères" in str(response.context["form"].errors[name])
    assert not CharterVersion.objects.filter(version=7).exists()
