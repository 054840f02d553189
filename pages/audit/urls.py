from django.urls import path, re_path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.index, name="index"),
    re_path(r"^assignments\.(?P<fmt>csv|xlsx)$", views.export_assignments, name="assignments"),
    re_path(r"^transitions\.(?P<fmt>csv|xlsx)$", views.export_transitions, name="transitions"),
]
