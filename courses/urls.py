from django.urls import include, path

from courses import views

app_name = "courses"
urlpatterns = [
    path("formations/", views.catalogue, name="catalogue"),
    path("espace/", views.dashboard, name="dashboard"),
    path(
        "espace/attestations/<str:number>.pdf",
        views.attestation_download,
        name="attestation_download",
    ),
    path("attestations/verifier/", views.attestation_check, name="attestation_lookup"),
    path("attestations/verifier/<str:number>/", views.attestation_check, name="attestation_check"),
    path("", include("courses.payments.urls")),
    path("", include("courses.training.urls")),
]
