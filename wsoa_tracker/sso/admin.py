"""Identity providers and their role mapping in the admin, for superusers only (a mapping
can give the Administrator role, which only a superuser gives): each provider's page lists
the groups that give each tracker role."""

from allauth.socialaccount.admin import SocialAppAdmin
from allauth.socialaccount.models import SocialApp
from django.contrib import admin

from ..models import IdentityProviderRole


class SuperusersOnly:
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    has_add_permission = has_view_permission
    has_change_permission = has_view_permission
    has_delete_permission = has_view_permission


class RoleInline(SuperusersOnly, admin.TabularInline):
    model = IdentityProviderRole
    extra = 1
    fields = ["claim_value", "role"]


admin.site.unregister(SocialApp)


@admin.register(SocialApp)
class IdentityProviderAdmin(SuperusersOnly, SocialAppAdmin):
    inlines = [RoleInline]


@admin.register(IdentityProviderRole)
class IdentityProviderRoleAdmin(SuperusersOnly, admin.ModelAdmin):
    list_display = ["provider", "claim_value", "role"]
    list_filter = ["provider", "role"]
    search_fields = ["claim_value"]
