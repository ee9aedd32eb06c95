"""The admin screens for findings and verdicts (the actions app adds the plan's inlines to
a finding)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Finding, FindingContinuation, Verdict


class ContinuationInline(admin.TabularInline):
    model = FindingContinuation
    fk_name = "later_finding"
    extra = 0
    autocomplete_fields = ["earlier_finding"]
    verbose_name = "earlier finding this continues"
    verbose_name_plural = "earlier findings this continues"


class VerdictInline(admin.StackedInline):
    model = Verdict
    extra = 0
    fields = ["review", "judgement", "summary", "reasons", "source", "notes"]


@admin.register(Finding)
class FindingAdmin(SimpleHistoryAdmin):
    list_display = ["code", "short_text", "kind", "review"]
    list_display_links = ["code", "short_text"]
    list_filter = ["kind", "review"]
    search_fields = ["code", "text"]
    ordering = ["review__start_date", "position"]
    autocomplete_fields = ["responsible_organisations"]
    inlines = [VerdictInline, ContinuationInline]  # the actions app adds the plan's answers

    @admin.display(description="Finding", ordering="text")
    def short_text(self, finding):
        return finding.text[:120]


@admin.register(Verdict)
class VerdictAdmin(SimpleHistoryAdmin):
    list_display = ["finding", "review", "judgement"]
    list_filter = ["judgement", "review"]
    search_fields = ["summary", "reasons", "finding__code"]
    list_select_related = ["finding", "review"]
    autocomplete_fields = ["finding"]
