"""Addresses of the credentials package.

`urlpatterns` are the issuer's machine-readable addresses: they are printed inside signed
credentials, so they never change and never take a language prefix (included at the root of
`institut/urls.py`). `page_patterns` are pages for people, in the certification namespace and
under the language prefix like the rest of the registry.
"""

from django.urls import path

from certification.credentials import views

urlpatterns = [
    path(".well-known/did.json", views.did_document, name="credentials_did_document"),
    path("certification/emetteur/", views.issuer, name="credentials_issuer"),
    path(
        "certification/referentiel/<int:scheme_id>/v<int:version>/",
        views.scheme_achievement,
        name="credentials_scheme_achievement",
    ),
    path(
        "certification/referentiel/formations/<uuid:course_key>/",
        views.course_achievement,
        name="credentials_course_achievement",
    ),
    path(
        "certification/statuts/<slug:purpose>/<int:sequence>/",
        views.status_list,
        name="credentials_status_list",
    ),
]

# Included in certification/urls.py before the registry's `registre/verifier/<number>/`.
page_patterns = [
    path("registre/verifier/fichier/", views.verify_file, name="verify_file"),
]
