from django.urls import path

from . import acceleration, approvals, country, province, regency

app_name = "console"

urlpatterns = [
    path("", country.country, name="country"),
    path("provinces/<str:code>/", province.province, name="province"),
    path("regencies/<str:code>/", regency.regency, name="regency"),
    path("regencies/<str:code>/actions/<str:action>/", regency.act, name="act"),
    path("approvals/", approvals.approvals, name="approvals"),
    path("laggards/acceleration/", acceleration.issue_acceleration, name="issue_acceleration"),
    path(
        "approvals/suspensions/<int:pk>/<str:decision>/",
        approvals.decide_suspension,
        name="decide_suspension",
    ),
    path(
        "approvals/extensions/<int:pk>/<str:decision>/",
        approvals.decide_extension,
        name="decide_extension",
    ),
]
