"""The outbox's admin screen: read only, with "Send again" for messages that could not be
sent."""

from django.contrib import admin

from actions.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The outbox, read only: what was sent to whom, whether it went, and why not."""

    list_display = ["created_at", "user", "kind", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["user"]
    search_fields = ["user__username", "subject", "key"]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # what was sent is kept

    @admin.action(description="Send again (messages that could not be sent)")
    def send_again(self, request, queryset):
        from .outbox import send_again

        self.message_user(request, f"{send_again(queryset)} message(s) will be sent again.")
