"""URLs of the practice logbook, in the "supervision" namespace (names start with logbook_)."""

from django.urls import path

from supervision.logbook import views

urlpatterns = [
    # Trainees
    path("carnet-de-pratique/", views.logbook_home, name="logbook_home"),
    path(
        "carnet-de-pratique/nouvelle-entree/",
        views.logbook_entry_create,
        name="logbook_entry_create",
    ),
    # The entry offered for a piece of practice, by its key (institut.practice); an attended
    # supervision session's by its booking, the address its links have always had.
    path(
        "carnet-de-pratique/nouvelle-entree/pratique/<str:key>/",
        views.logbook_entry_offered,
        name="logbook_entry_from_practice",
    ),
    path(
        "carnet-de-pratique/nouvelle-entree/seance/<int:booking_pk>/",
        views.logbook_entry_from_session,
        name="logbook_entry_from_session",
    ),
    path(
        "carnet-de-pratique/entrees/<int:pk>/supprimer/",
        views.logbook_entry_delete,
        name="logbook_entry_delete",
    ),
    path(
        "carnet-de-pratique/entrees/<int:pk>/",
        views.logbook_entry_detail,
        name="logbook_entry_detail",
    ),
    path(
        "carnet-de-pratique/entrees/<int:pk>/modifier/",
        views.logbook_entry_edit,
        name="logbook_entry_edit",
    ),
    path(
        "carnet-de-pratique/entrees/<int:pk>/soumettre/",
        views.logbook_entry_submit,
        name="logbook_entry_submit",
    ),
    path(
        "carnet-de-pratique/entrees/<int:pk>/corriger/",
        views.logbook_entry_correct,
        name="logbook_entry_correct",
    ),
    path(
        "carnet-de-pratique/entrees/<int:pk>/relire/",
        views.logbook_entry_review,
        name="logbook_entry_review",
    ),
    path(
        "carnet-de-pratique/periodes/cloturer/",
        views.logbook_period_close,
        name="logbook_period_close",
    ),
    path(
        "carnet-de-pratique/periodes/<int:pk>/",
        views.logbook_period_detail,
        name="logbook_period_detail",
    ),
    path(
        "carnet-de-pratique/periodes/<int:pk>/confirmer/",
        views.logbook_period_confirm,
        name="logbook_period_confirm",
    ),
    path(
        "carnet-de-pratique/periodes/<int:pk>/cosignature/",
        views.logbook_period_cosign_request,
        name="logbook_period_cosign_request",
    ),
    # Opened by a supervisor without an account: the token is the signed, single-use link.
    path("carnet-de-pratique/cosigner/<str:token>/", views.logbook_cosign, name="logbook_cosign"),
    path(
        "carnet-de-pratique/periodes/<int:pk>/bilan.pdf",
        views.logbook_period_pdf,
        name="logbook_period_pdf",
    ),
    path(
        "carnet-de-pratique/periodes/<int:pk>/bilan.csv",
        views.logbook_period_csv,
        name="logbook_period_csv",
    ),
    # Supervisors and the committee
    path("supervision/carnets/", views.logbook_queue, name="logbook_queue"),
    path("supervision/carnets/stagiaires/", views.logbook_trainees, name="logbook_trainees"),
    path(
        "supervision/carnets/stagiaires/<int:user_pk>/",
        views.logbook_trainee,
        name="logbook_trainee",
    ),
]
