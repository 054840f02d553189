from django.urls import path

from . import api

app_name = "webhooks-api"
S = "webhook-subscriptions/"

urlpatterns = [
    path(S, api.SubscriptionListView.as_view(), name="subscription-list"),
    path(f"{S}<int:pk>/", api.SubscriptionDetailView.as_view(), name="subscription-detail"),
    path(f"{S}<int:pk>/rotate-secret/", api.RotateSecretView.as_view(), name="rotate-secret"),
    path(f"{S}<int:pk>/replay/", api.ReplayView.as_view(), name="replay"),
    path(f"{S}<int:pk>/deliveries/", api.DeliveryListView.as_view(), name="deliveries"),
]
