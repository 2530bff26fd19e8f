from django.urls import path

from certification.registry import views as registry_views

# Included in certification/urls.py (app_name "certification"); fixed paths before the slug.
urlpatterns = [
    path("registre/", registry_views.registry, name="registry"),
    path("registre/verifier/", registry_views.verify_form, name="verify"),
    path("registre/verifier/<path:number>/", registry_views.verify, name="verify_number"),
    path("registre/mon-profil/", registry_views.my_profile, name="registry_my_profile"),
    path("registre/<slug:slug>/", registry_views.profile, name="registry_profile"),
    path("registre/<slug:slug>/contact/", registry_views.contact, name="registry_contact"),
]
