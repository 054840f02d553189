from django.urls import path, re_path

from . import views

app_name = "directives"

urlpatterns = [
    path("", views.directive_list, name="list"),
    path("new/", views.compose, name="compose"),
    path("new/recipients/", views.recipients, name="recipients"),
    path("new/email-preview/", views.email_preview, name="email-preview"),
    path("<int:pk>/", views.detail, name="detail"),
    re_path(r"^(?P<pk>\d+)/export\.(?P<fmt>csv|xlsx)$", views.export, name="export"),
    path("<int:pk>/issue/", views.issue, name="issue"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/recipients/<int:assignment>/", views.report, name="report"),
    path("<int:pk>/recipients/<int:assignment>/verify/", views.verify, name="verify"),
    path("<int:pk>/recipients/<int:assignment>/return/", views.return_report, name="return"),
]
