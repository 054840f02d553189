from django.urls import path

from . import views

app_name = "console"

urlpatterns = [
    path("", views.country, name="country"),
    path("provinces/<str:code>/", views.province, name="province"),
    path("regencies/<str:code>/", views.regency, name="regency"),
    path("regencies/<str:code>/actions/<str:action>/", views.act, name="act"),
    path("approvals/", views.approvals, name="approvals"),
    path("laggards/acceleration/", views.issue_acceleration, name="issue_acceleration"),
    path(
        "approvals/suspensions/<int:pk>/<str:decision>/",
        views.decide_suspension,
        name="decide_suspension",
    ),
    path(
        "approvals/extensions/<int:pk>/<str:decision>/",
        views.decide_extension,
        name="decide_extension",
    ),
]
