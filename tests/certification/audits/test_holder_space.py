"""A certificate holder finds their certification panel, and their renewal audit's line, in their
space whatever their other roles: in a part of its own when they follow no training, once."""

from __future__ import annotations

import html

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from institut.roles import Role

pytestmark = pytest.mark.django_db

# Made every time: whether they hold a certificate, the certificate, the audit; a trainer's part
# adds its own panels' queries.
SPACE_QUERIES = {(): 3, (Role.TRAINER,): 12}
PANEL = 'id="certification-panel-title"'


def text(response) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


def with_roles(user, *roles: Role):
    for role in roles:
        user.groups.add(Group.objects.get(name=role.value))
    return user


@pytest.mark.parametrize(
    ("roles", "parts"),
    [
        ((), ["holder"]),
        ((Role.TRAINER,), ["holder", "trainer"]),
        ((Role.COMMITTEE,), ["holder", "committee"]),
    ],
)
def test_a_holder_who_follows_no_training_sees_the_panel_and_the_audit_line_once(
    client, audit, roles, parts
):
    holder = with_roles(audit.certificate.holder, *roles)
    client.force_login(holder)
    response = client.get("/espace/")
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count(PANEL) == 1
    page = text(response)
    assert audit.certificate.number in page
    assert "Audit de renouvellement : justificatifs à déposer avant le" in page
    assert f'href="/certification/audits/{audit.pk}/"' in content
    assert "n'a pas encore de rôle" not in page
    positions = [content.index(f'id="espace-{part}"') for part in parts]
    assert positions == sorted(positions)  # their certification first
    assert content.index('id="espace-holder"') < content.index(PANEL)
    assert "Ma certification" in page
    english = text(client.get("/en/espace/"))
    assert "My certification" in english and "Renewal audit: evidence to upload by" in english


def test_a_holder_who_follows_the_training_sees_it_once_in_the_training_part(client, audit):
    holder = with_roles(audit.certificate.holder, Role.TRAINEE, Role.TRAINER)
    client.force_login(holder)
    content = client.get("/espace/").content.decode()
    assert content.count(PANEL) == 1
    assert 'id="espace-holder"' not in content
    assert content.index(PANEL) < content.index('id="espace-trainer"')


def test_the_navigation_leads_a_holder_without_a_role_to_their_space(client, audit):
    client.force_login(audit.certificate.holder)
    assert 'href="/espace/"' in client.get("/certification/").content.decode()


def test_someone_without_a_role_or_certificate_has_no_certification_part(client, other_trainee):
    other_trainee.groups.clear()
    client.force_login(other_trainee)
    content = client.get("/espace/").content.decode()
    assert PANEL not in content and 'id="espace-holder"' not in content


@pytest.mark.parametrize("roles", [(), (Role.TRAINER,)])
def test_the_space_of_a_holder_who_follows_no_training_reads_a_bounded_number_of_queries(
    client, audit, settings, roles
):
    settings.PERSONAL_PAGE_SECONDS = 0  # made every time, not kept
    client.force_login(with_roles(audit.certificate.holder, *roles))
    client.get("/espace/")  # warm the caches (site root)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/espace/")
    assert response.status_code == 200
    assert len(queries) <= SPACE_QUERIES[roles], [q["sql"] for q in queries]
