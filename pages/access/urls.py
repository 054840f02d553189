from django.urls import path

from . import views

app_name = "access"

urlpatterns = [
    path("", views.orders, name="orders"),
    path("selesai/", views.done, name="done"),
    path("<int:pk>/", views.order, name="order"),
    path("<int:pk>/laksanakan/", views.execute, name="execute"),
]
