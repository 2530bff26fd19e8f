from django.urls import path

from institut.notifications import views

urlpatterns = [
    path("espace/notifications/", views.notification_list, name="notification_list"),
    path(
        "espace/notifications/<int:pk>/ouvrir/",
        views.notification_open,
        name="notification_open",
    ),
    path(
        "espace/notifications/tout-lire/",
        views.notification_read_all,
        name="notification_read_all",
    ),
    path(
        "espace/notifications/preferences/",
        views.notification_preferences,
        name="notification_preferences",
    ),
]
