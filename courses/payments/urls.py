"""URLs of payments, in the courses namespace (included by courses/urls.py)."""

from django.urls import path

from courses.payments import views as payments_views

urlpatterns = [
    path(
        "formations/paiement/<int:payment_id>/confirmation/",
        payments_views.payment_success,
        name="payment_success",
    ),
    path(
        "formations/paiement/<int:payment_id>/annule/",
        payments_views.payment_cancel,
        name="payment_cancel",
    ),
    path(
        "espace/inscriptions/<int:enrolment_id>/abandonner/",
        payments_views.enrolment_abandon,
        name="enrolment_abandon",
    ),
    path("espace/factures/", payments_views.invoices, name="invoices"),
    path(
        "espace/factures/<str:number>.pdf", payments_views.invoice_download, name="invoice_download"
    ),
]
