from django.urls import path

from . import views

app_name = "proposals"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/tandatangani/", views.sign, name="sign"),
    path("<int:pk>/tolak/", views.decline, name="decline"),
]
