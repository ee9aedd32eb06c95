"""The admin site: Django's, reachable only with a verified second factor where one is
needed (the same rule as every other page, wsoa_tracker.second_factor)."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class TrackerAdminSite(admin.AdminSite):
    site_header = "WSOA Tracker administration"
    site_title = "WSOA Tracker"
    index_title = "The local area's record"

    def has_permission(self, request):
        """Staff with a second factor given in this session, where they need one (a
        staff member always does). The middleware sends them to give it before any admin
        page; this holds even if a page were reached some other way."""
        from .second_factor import has_given_second_factor

        return super().has_permission(request) and has_given_second_factor(request)


class TrackerAdminConfig(AdminConfig):
    default_site = "wsoa_tracker.admin_site.TrackerAdminSite"
