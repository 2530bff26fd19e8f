from django.urls import include, path

from certification import views
from certification.credentials import urls as credentials_urls

app_name = "certification"
urlpatterns = [
    path("", include(credentials_urls.page_patterns)),
    path("", include("certification.registry.urls")),
    path("", include("certification.audits.urls")),
    path("certification/", views.path, name="path"),
    path("certification/charte/", views.charter_accept, name="charter_accept"),
    path("certification/candidater/", views.apply, name="apply"),
    path(
        "certification/candidatures/<int:pk>/completer/",
        views.application_complete,
        name="application_complete",
    ),
    path("certification/documents/<int:pk>/", views.document, name="document"),
    path("certification/certificats/<str:number>/", views.certificate, name="certificate"),
    path(
        "certification/certificats/<str:number>/statut/",
        views.certificate_status,
        name="certificate_status",
    ),
    path(
        "certification/certificats/<str:number>/pdf/",
        views.certificate_pdf,
        name="certificate_pdf",
    ),
    path(
        "certification/certificats/<str:number>/open-badge.json",
        views.certificate_badge,
        name="certificate_badge",
    ),
    path(
        "certification/attestations/<str:number>/open-badge.json",
        views.attestation_badge,
        name="attestation_badge",
    ),
    path("certification/avis/", views.opinions, name="opinions"),
    path("certification/avis/<int:pk>/", views.opinion, name="opinion"),
    path("certification/commission/", views.committee, name="committee"),
    path(
        "certification/commission/candidatures/<int:pk>/",
        views.committee_application,
        name="committee_application",
    ),
    path(
        "certification/commission/certificats/",
        views.committee_certificates,
        name="committee_certificates",
    ),
    path(
        "certification/commission/certificats/<int:pk>/",
        views.committee_certificate,
        name="committee_certificate",
    ),
]
