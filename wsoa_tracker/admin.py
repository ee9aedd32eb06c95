from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from .users import REFUSAL, has_changed_the_record

User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class TrackerUserAdmin(UserAdmin):
    """Accounts are deactivated, not deleted, once their holder has changed the record."""

    actions = ["deactivate"]
    list_display = ["username", "first_name", "last_name", "email", "is_active", "is_staff"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # bulk deletion would skip the check below
        return actions

    def has_delete_permission(self, request, obj=None):
        if obj is not None and has_changed_the_record(obj):
            return False
        return super().has_delete_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        user = self.get_object(request, object_id)
        if user is not None and request.method == "GET" and has_changed_the_record(user):
            self.message_user(request, REFUSAL.format(user=user), messages.INFO)
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description="Deactivate the selected accounts", permissions=["change"])
    def deactivate(self, request, queryset):
        count = queryset.filter(is_active=True).update(is_active=False)
        self.message_user(request, f"Deactivated {count} account(s); their records are kept.")
