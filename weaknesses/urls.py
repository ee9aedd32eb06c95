from django.urls import path

from . import views

app_name = "weaknesses"

urlpatterns = [
    path("", views.finding_list, name="list"),
    path("calibration/", views.calibration, name="calibration"),
    path("<int:pk>/", views.finding_detail, name="detail"),
    path("<int:pk>/publish/", views.summary_publish, name="summary-publish"),
]
