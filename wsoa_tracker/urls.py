from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

admin.site.site_header = "WSOA Tracker administration"
admin.site.site_title = "WSOA Tracker"
admin.site.index_title = "The local area's record"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False), name="home"),
]
