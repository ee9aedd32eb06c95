"""The admin screen where an administrator issues API tokens (the token shown once, on the
page that answers the issue, never stored or put in a message), sees each one's last use
and revokes them. Tokens are never deleted or edited: a revoked one stays, refused."""

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse

from actions import permissions
from actions.models import ApiToken
from actions.services import api_token_issue, api_token_revoke

NO_ROLE = "This account has no role in the tracker, so its token would be refused."
SHOWN = (
    "user",
    "name",
    "shown_start",
    "issued_at",
    "issued_by",
    "last_used_at",
    "revoked_at",
    "revoked_by",
)


class IssueTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["user", "name"]

    def clean_user(self):
        user = self.cleaned_data["user"]
        if not permissions.may_read(user):
            raise forms.ValidationError(NO_ROLE)
        return user


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    form = IssueTokenForm
    list_display = ["name", "user", "shown_start", "issued_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["user"]
    search_fields = ["name", "user__username", "shown_start"]
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        return SHOWN if obj else ["user", "name"]

    def get_readonly_fields(self, request, obj=None):
        return SHOWN if obj else []

    def has_delete_permission(self, request, obj=None):
        return False  # revoked, not deleted: who had access, and when, is kept

    def save_model(self, request, obj, form, change):
        if change:
            return  # nothing of a token is edited
        _, request._api_token_shown = api_token_issue(
            user=obj.user, name=obj.name, issued_by=request.user, token=obj
        )

    def response_add(self, request, obj, post_url_continue=None):
        return TemplateResponse(
            request,
            "admin/actions/apitoken/issued.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "token": obj,
                "secret": request._api_token_shown,
                "title": "API token issued",
            },
        )

    @admin.action(description="Revoke the selected tokens", permissions=["change"])
    def revoke(self, request, queryset):
        for token in queryset:
            api_token_revoke(token=token, revoked_by=request.user)
        self.message_user(request, f"Revoked {len(queryset)} token(s).", messages.SUCCESS)
