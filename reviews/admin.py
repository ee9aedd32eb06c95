"""The admin screens for the area, its organisations and the reviews."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Area, Organisation, Review


class OrganisationInline(admin.TabularInline):
    model = Organisation
    extra = 0
    fields = ["short_name", "name", "kind", "active_from", "active_until"]


@admin.register(Area)
class AreaAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    inlines = [OrganisationInline]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "kind", "active_from", "active_until", "area"]
    list_filter = ["kind", "area"]
    search_fields = ["name", "short_name"]


@admin.register(Review)
class ReviewAdmin(SimpleHistoryAdmin):
    list_display = [
        "title",
        "kind",
        "bodies",
        "start_date",
        "end_date",
        "letter_date",
        "published_date",
    ]
    list_filter = ["kind", "area"]
    search_fields = ["title", "outcome", "bodies"]
    date_hierarchy = "start_date"
    prepopulated_fields = {"slug": ["title"]}
