"""Addresses of the second-factor pages (under the language prefix, before allauth's)."""

from django.urls import path

from institut.second_factor import views

urlpatterns = [
    path("comptes/double-authentification/", views.setup, name="second_factor_setup"),
    path(
        "comptes/double-authentification/confirmer/<str:token>/",
        views.confirm,
        name="second_factor_confirm",
    ),
]
