from django.urls import path

from . import views

app_name = "inbox"

urlpatterns = [
    path("", views.assignments, name="assignments"),
    path("assignments/<int:pk>/", views.assignment, name="assignment"),
    path("assignments/<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("assignments/<int:pk>/start/", views.start, name="start"),
    path("assignments/<int:pk>/submit/", views.submit, name="submit"),
    path("assignments/<int:pk>/extension/", views.request_extension, name="extension"),
    path("regency/", views.my_regency, name="my_regency"),
    path("regency/<str:code>/", views.regency, name="regency"),
    path("regency/<str:code>/evidence/", views.upload_evidence, name="upload_evidence"),
    path("regency/<str:code>/remediation/", views.submit_remediation, name="remediation"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence"),
    path("letters/", views.letter_list, name="letters"),
    path("letters/<int:pk>/pdf/", views.letter_pdf, name="letter_pdf"),
]
