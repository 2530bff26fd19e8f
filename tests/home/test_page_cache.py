"""Anonymous visitors get site pages from the cache; any publication shows at once."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from home.models import ContentPage, InstitutSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def content_page(home):
    content_page = ContentPage(
        title="Charte éthique", slug="charte", introduction="Première version."
    )
    home.add_child(instance=content_page)
    content_page.save_revision().publish()
    return content_page


def get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, len(queries)


def test_it_serves_an_anonymous_visitor_the_second_time_without_the_database(client, content_page):
    first, first_queries = get(client, content_page.url)
    second, second_queries = get(client, content_page.url)
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert first_queries > 0
    assert second_queries == 0


def test_it_shows_a_published_change_at_once(client, content_page):
    client.get(content_page.url)
    content_page.introduction = "Deuxième version."
    content_page.save_revision().publish()
    response = client.get(content_page.url)
    assert "Deuxième version." in response.content.decode()


def test_it_shows_an_unpublished_page_as_gone_at_once(client, content_page):
    assert client.get(content_page.url).status_code == 200
    content_page.unpublish()
    assert client.get(content_page.url).status_code == 404


def test_it_shows_changed_site_settings_at_once(client, content_page):
    client.get(content_page.url)
    details = InstitutSettings.for_site(Site.objects.get(is_default_site=True))
    details.contact_email = "accueil@institut.test"
    details.save()
    assert "accueil@institut.test" in client.get(content_page.url).content.decode()


def test_it_serves_signed_in_visitors_the_live_page(client, content_page, trainee):
    client.get(content_page.url)  # cached for anonymous visitors
    client.force_login(trainee)
    response, queries = get(client, content_page.url)
    assert queries > 0
    assert trainee.full_name in response.content.decode()


def test_it_serves_a_visitor_with_a_session_the_live_page(client, content_page):
    client.get(content_page.url)
    client.cookies[settings.SESSION_COOKIE_NAME] = "a-session-holding-a-message"
    _, queries = get(client, content_page.url)
    assert queries > 0


def test_it_caches_each_language_apart(client, content_page):
    french = client.get("/").content.decode()
    english = client.get("/en/").content.decode()
    assert 'lang="fr"' in french
    assert 'lang="en"' in english


def _stored_after(rf, view) -> bool:
    from django.contrib.auth.models import AnonymousUser
    from django.core.cache import cache

    from institut.page_cache import page_key, site_pages

    request = rf.get("/une-page/")
    request.user = AnonymousUser()
    site_pages.cached_for_anonymous(view)(request)
    return cache.get(page_key(request)) is not None


def test_it_stores_a_plain_anonymous_page(rf):
    from django.http import HttpResponse

    assert _stored_after(rf, lambda request: HttpResponse("Bonjour"))


def test_it_never_stores_a_page_holding_a_csrf_token(rf):
    from django.http import HttpResponse
    from django.middleware.csrf import get_token

    def form_page(request):
        return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')

    assert not _stored_after(rf, form_page)


def test_it_serves_a_cached_copy_with_the_headers_of_the_page(client, content_page):
    first = client.get(content_page.url)
    second, queries = get(client, content_page.url)
    assert queries == 0
    assert second["Content-Type"] == first["Content-Type"]
    assert second["X-Frame-Options"] == "DENY"
    assert second["Content-Language"] == "fr"
