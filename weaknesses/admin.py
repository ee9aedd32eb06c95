from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from actions.models import OutcomeSought, RequiredOutcome

from .models import Finding, FindingContinuation, Verdict


class OutcomeSoughtInline(admin.StackedInline):
    model = OutcomeSought
    extra = 0
    fields = ["plan", "position", "text"]


class RequiredOutcomeInline(admin.StackedInline):
    model = RequiredOutcome
    fk_name = "weakness"
    extra = 0
    fields = ["plan", "number", "title", "source", "notes"]
    show_change_link = True


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
    inlines = [OutcomeSoughtInline, RequiredOutcomeInline, VerdictInline, ContinuationInline]

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
