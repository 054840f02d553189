from django.urls import path

from . import views

app_name = "recording"

urlpatterns = [
    path("", views.upload, name="upload"),
    path("<int:pk>/", views.job, name="job"),
    path("<int:pk>/status/", views.job_status, name="job-status"),
]
