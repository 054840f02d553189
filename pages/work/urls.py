from django.urls import path

from . import views

app_name = "work"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("selesai/", views.done, name="done"),
]
