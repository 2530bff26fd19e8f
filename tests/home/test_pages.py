"""Page types created through the Wagtail admin, and the base layout's promises."""

import pytest
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from home.models import ContentPage, HomePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, editor):
    client.force_login(editor)
    return client


def test_it_lets_an_editor_create_a_content_page_in_the_admin(admin_client, home):
    url = f"/admin/pages/add/home/contentpage/{home.pk}/"
    data = nested_form_data(
        {
            "title": "Charte éthique",
            "slug": "charte-ethique",
            "introduction": "Les engagements des intervenant·es TST®.",
            "body": streamfield(
                [("paragraph", rich_text("<p>Confidentialité et neutralité.</p>"))]
            ),
            "action-publish": "publish",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = ContentPage.objects.get(slug="charte-ethique")
    assert page.live
    public = admin_client.get(page.url)
    assert "Confidentialité et neutralité." in public.content.decode()


def test_it_allows_only_one_home_page_under_the_root(home):
    root = Page.get_first_root_node()
    assert (
        not HomePage.can_create_at(root) or HomePage.objects.filter(locale=home.locale).count() == 1
    )
    assert ContentPage.can_create_at(home)
    assert not HomePage.can_create_at(home)


def test_it_renders_the_layout_landmarks_and_skip_link(client, home):
    html = client.get("/").content.decode()
    assert '<html lang="fr">' in html
    assert 'class="skip-link" href="#contenu"' in html
    for landmark in ("<header", "<nav", '<main id="contenu"', "<footer"):
        assert landmark in html
    assert 'hreflang="en"' in html


def test_it_shows_the_role_menu_for_a_trainer(client, home, trainer):
    client.force_login(trainer)
    html = client.get("/").content.decode()
    assert "Hélène Duprè" in html
    assert "(Formateur·rice)" in html
    assert "/admin/" not in html


def test_it_shows_the_admin_link_to_an_editor(client, home, editor):
    client.force_login(editor)
    assert 'href="/admin/"' in client.get("/").content.decode()
