from django.urls import path

from . import views

app_name = "account"

urlpatterns = [
    path("", views.index, name="index"),
    path("kode-pemulihan/", views.new_recovery_codes, name="recovery_codes"),
    path("token/", views.issue_token, name="issue_token"),
    path("token/<str:name>/cabut/", views.revoke_token, name="revoke_token"),
]
