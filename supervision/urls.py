from django.urls import include, path

from supervision import views

app_name = "supervision"
urlpatterns = [
    # Trainers
    path("supervision/", views.trainer_home, name="trainer_home"),
    path("supervision/nouvelle-seance/", views.session_create, name="session_create"),
    path("supervision/seances/<int:pk>/", views.session_manage, name="session_manage"),
    path("supervision/seances/<int:pk>/modifier/", views.session_edit, name="session_edit"),
    path("supervision/seances/<int:pk>/annuler/", views.session_cancel, name="session_cancel"),
    path("supervision/seances/<int:pk>/presences/", views.attendance, name="attendance"),
    path("supervision/series/<int:pk>/annuler/", views.series_cancel, name="series_cancel"),
    path("supervision/releves/<int:pk>/corriger/", views.record_correct, name="record_correct"),
    # Trainees
    path("seances-de-supervision/", views.session_list, name="session_list"),
    path("seances-de-supervision/<int:pk>/", views.session_detail, name="session_detail"),
    path("seances-de-supervision/<int:pk>/reserver/", views.session_book, name="session_book"),
    path("mes-reservations/", views.my_bookings, name="my_bookings"),
    path("mes-reservations/<int:pk>/annuler/", views.booking_cancel, name="booking_cancel"),
    # Calendar feed
    path("supervision/agenda/", views.calendar_settings, name="calendar_settings"),
    path("supervision/agenda/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    # Practice logbook
    path("", include("supervision.logbook.urls")),
]
