from django.urls import path

from . import views

app_name = "workflow"

urlpatterns = [
    path("<str:token>/", views.acknowledge, name="ack-link"),
]
