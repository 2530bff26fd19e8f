from django.urls import path

from certification.audits import views

# Included in certification/urls.py (app_name "certification").
urlpatterns = [
    path("certification/audits/<int:pk>/", views.audit, name="audit"),
    path("certification/audits/<int:pk>/transmettre/", views.audit_submit, name="audit_submit"),
    path("certification/audits/justificatifs/<int:pk>/", views.evidence, name="audit_evidence"),
    path("certification/commission/audits/", views.committee_audits, name="committee_audits"),
    path(
        "certification/commission/audits/<int:pk>/",
        views.committee_audit,
        name="committee_audit",
    ),
]
