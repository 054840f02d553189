from django.urls import path

import compliance.api.urls  # noqa: F401  (registers the regency_code path converter)

from . import views

app_name = "equipment-api"

urlpatterns = [
    path("devices/", views.DeviceListCreateView.as_view(), name="device-list"),
    path("devices/<int:pk>/", views.DeviceDetailView.as_view(), name="device-detail"),
    path("devices/<int:pk>/status/", views.DeviceStatusView.as_view(), name="device-status"),
    path(
        "regencies/<regency_code:code>/equipment/",
        views.RegencyEquipmentView.as_view(),
        name="regency-equipment",
    ),
]
