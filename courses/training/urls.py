"""URLs of in-person training, in the ``courses`` namespace (names start with ``training_``)."""

from django.urls import path

from courses.training import views

urlpatterns = [
    path("sessions-de-formation/", views.session_list, name="training_sessions"),
    path("sessions-de-formation/<int:pk>/", views.session_detail, name="training_session"),
    path(
        "sessions-de-formation/<int:pk>/choisir/",
        views.session_choose,
        name="training_session_choose",
    ),
    path(
        "sessions-de-formation/<int:pk>/renoncer/",
        views.session_leave,
        name="training_session_leave",
    ),
    path(
        "sessions-de-formation/<int:pk>/jour-<str:day>.ics",
        views.day_calendar,
        name="training_day_ics",
    ),
    path(
        "sessions-de-formation/<int:pk>/programme.pdf",
        views.programme_pdf,
        name="training_programme_pdf",
    ),
    path(
        "sessions-de-formation/<int:pk>/convocations/<int:convocation_pk>/",
        views.convocation_download,
        name="training_convocation",
    ),
    path("espace/sessions/", views.my_sessions, name="training_my_sessions"),
    path("emargement/<str:token>/", views.sign, name="training_sign"),
    path("satisfaction/<str:token>/", views.satisfaction, name="training_satisfaction"),
    path(
        "certificats-de-realisation/verifier/",
        views.certificate_check,
        name="training_certificate_lookup",
    ),
    path(
        "certificats-de-realisation/verifier/<str:number>/",
        views.certificate_check,
        name="training_certificate_check",
    ),
    path(
        "certificats-de-realisation/<str:number>.pdf",
        views.certificate_download,
        name="training_certificate_download",
    ),
    path(
        "certificats-de-realisation/<str:number>/financeur/<str:token>/",
        views.certificate_funder,
        name="training_certificate_funder",
    ),
    # Trainers and staff
    path("formation/sessions/", views.manage_list, name="training_manage_list"),
    path("formation/sessions/nouvelle/", views.manage_create, name="training_manage_create"),
    path("formation/sessions/<int:pk>/", views.manage_session, name="training_manage"),
    path("formation/sessions/<int:pk>/modifier/", views.manage_edit, name="training_manage_edit"),
    path("formation/sessions/<int:pk>/statut/", views.manage_status, name="training_status"),
    path("formation/sessions/<int:pk>/annuler/", views.manage_cancel, name="training_cancel"),
    path("formation/sessions/<int:pk>/placer/", views.manage_place, name="training_place"),
    path(
        "formation/sessions/<int:pk>/demi-journees/<int:slot_pk>/",
        views.manage_slot,
        name="training_slot",
    ),
    path(
        "formation/sessions/<int:pk>/demi-journees/<int:slot_pk>/feuille.pdf",
        views.manage_sheet_pdf,
        name="training_sheet_pdf",
    ),
    path("formation/sessions/<int:pk>/heures.csv", views.manage_hours_csv, name="training_hours"),
    path(
        "formation/sessions/<int:pk>/satisfaction/",
        views.manage_satisfaction,
        name="training_satisfaction_results",
    ),
    path(
        "formation/sessions/<int:pk>/satisfaction/formation/",
        views.course_satisfaction,
        name="training_course_satisfaction",
    ),
    path(
        "formation/sessions/<int:pk>/dossier-de-preuves/", views.manage_pack, name="training_pack"
    ),
    path(
        "formation/sessions/<int:pk>/dossier-de-preuves/<int:pack_pk>.zip",
        views.manage_pack_download,
        name="training_pack_download",
    ),
    path("formation/bpf/", views.bpf, name="training_bpf"),
]
