from django.conf import settings
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from certification.registry.api import urls_cached_for_anonymous
from courses.payments import views as payments_views
from institut import page_routes, views
from institut.page_cache import site_pages
from institut.privacy import views as privacy_views
from institut.url_resolver import kept_i18n_patterns

handler400 = "institut.limits.bad_request"

urlpatterns = [
    path("health/", views.health, name="health"),
    path("stripe/webhook/", payments_views.stripe_webhook, name="stripe_webhook"),
    # The admin is entered through allauth's login, so that MFA always applies.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
        name="wagtailadmin_login",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", urls_cached_for_anonymous()),
    # The issuer's DID document, status lists and achievements: fixed, language-free addresses.
    path("", include("certification.credentials.urls")),
]

# Resolved once per address and language (institut/url_resolver.py).
urlpatterns += kept_i18n_patterns(
    path("comptes/profil/", views.profile, name="profile"),
    path("comptes/donnees/", privacy_views.personal_data, name="personal_data"),
    path(
        "comptes/donnees/telecharger/",
        privacy_views.personal_data_download,
        name="personal_data_download",
    ),
    path("comptes/supprimer/", privacy_views.account_delete, name="account_delete"),
    path("", include("institut.second_factor.urls")),
    path("comptes/", include("allauth.urls")),
    path("", include("institut.notifications.urls")),
    path("", include("courses.urls")),
    path("", include("supervision.urls")),
    path("", include("certification.urls")),
    # Wagtail's page view, with whole pages cached for anonymous visitors and the routes of pages
    # kept per publication (same pattern and name, so page URLs reverse as before); its other URLs
    # follow.
    re_path(
        wagtail_urls.serve_pattern,
        site_pages.cached_for_anonymous(page_routes.serve),
        name="wagtail_serve",
    ),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
