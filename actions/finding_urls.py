"""The findings' pages under /findings/ (namespace "findings"): each finding's story with
the plan's answer, so they live with the plan's reports."""

from django.urls import path

from .views import findings

app_name = "findings"

urlpatterns = [
    path("", findings.finding_list, name="list"),
    path("calibration/", findings.calibration, name="calibration"),
    path("<int:pk>/", findings.finding_detail, name="detail"),
    path("<int:pk>/publish/", findings.summary_publish, name="summary-publish"),
]
