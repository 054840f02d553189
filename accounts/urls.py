from django.urls import path

from . import api

app_name = "accounts-api"

urlpatterns = [
    path("", api.TokenListView.as_view(), name="token-list"),
    path("<str:name>/", api.TokenDetailView.as_view(), name="token-detail"),
    path("<str:name>/rotate/", api.TokenRotateView.as_view(), name="token-rotate"),
]
