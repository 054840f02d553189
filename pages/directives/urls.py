from django.urls import path, re_path

from . import composer_views, report_views, views

app_name = "directives"

urlpatterns = [
    path("", views.directive_list, name="list"),
    path("new/", composer_views.compose, name="compose"),
    path("new/recipients/", composer_views.recipients, name="recipients"),
    path("new/email-preview/", composer_views.email_preview, name="email-preview"),
    path("<int:pk>/", views.detail, name="detail"),
    re_path(r"^(?P<pk>\d+)/export\.(?P<fmt>csv|xlsx)$", views.export, name="export"),
    path("<int:pk>/issue/", views.issue, name="issue"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/recipients/<int:assignment>/", report_views.report, name="report"),
    path("<int:pk>/recipients/<int:assignment>/verify/", report_views.verify, name="verify"),
    path("<int:pk>/recipients/<int:assignment>/return/", report_views.return_report, name="return"),
]
