"""Accounts in the admin (issue 12), and the statements' details (one row, with history).

Accounts (issue 12): administrators manage them without being able to grant
themselves more than they hold, set anyone's password, or act unseen.

- Administrators give and take away the officer and board member roles; only a superuser
  gives or takes away the Administrator role, staff or superuser status, or individual
  permissions. No group outside the tracker's roles can be given here.
- Administrators cannot change a superuser's account, nor the email address of an account
  that has been signed in to (with a reset link that would hand them the account).
- Nobody but a superuser sets a password here: an administrator sends a link with which
  the account's holder sets their own, and a new account has no password until then.
- Every change (create, edit, deactivate, link sent) is in the account's history with the
  administrator's name and the reason they give. Accounts are deactivated, not deleted,
  once their holder has changed the record.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import path, reverse_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from actions import roles

from .models import record_account_event
from .statements import StatementDetails
from .users import REFUSAL, has_changed_the_record

User = get_user_model()
admin.site.unregister(User)

ROLE_GROUPS = [roles.OFFICER, roles.BOARD_MEMBER, roles.ADMINISTRATOR]
GIVEN_BY_ADMINISTRATORS = [roles.OFFICER, roles.BOARD_MEMBER]
# history_change_reason holds 100 characters, with room for "Password reset link sent: ".
REASON_LENGTH = 70
NOT_YOURS = "Choose officer or board member: only a superuser gives the Administrator role."


def roles_given_by(user):
    return ROLE_GROUPS if user.is_superuser else GIVEN_BY_ADMINISTRATORS


def reason_field():
    return forms.CharField(
        label="Reason for the change",
        max_length=REASON_LENGTH,
        help_text="Kept in the account's history with your name, for example “Joined the "
        "SEND team”.",
        error_messages={"required": "Enter the reason for the change"},
    )


class AccountForm(forms.ModelForm):
    """An account's name, email, status and roles, with the reason for the change. Which
    roles the form offers (`given`) is set per administrator; roles it does not offer are
    kept as they are."""

    given = ()
    groups = forms.ModelMultipleChoiceField(
        label="Roles",
        queryset=Group.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = reason_field()

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "is_active", "groups"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        groups = self.fields["groups"]
        groups.queryset = Group.objects.filter(name__in=self.given).order_by("name")
        groups.error_messages["invalid_choice"] = NOT_YOURS
        if self.instance.pk:
            groups.initial = self.instance.groups.filter(name__in=self.given)

    def clean_groups(self):
        chosen = list(self.cleaned_data["groups"])
        if self.instance.pk:
            chosen += list(self.instance.groups.exclude(name__in=self.given))
        return chosen


class AccountCreationForm(AccountForm):
    """A new account has no password: its holder sets one from the emailed link."""

    class Meta(AccountForm.Meta):
        fields = ["username", "first_name", "last_name", "email", "groups"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].help_text = "The link to set a password is sent here."
        self.fields["email"].error_messages["required"] = "Enter an email address"

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("A user with that username already exists.")
        return username

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            user.save()
            self.save_m2m()
        return user


class ReasonActionForm(ActionForm):
    reason = forms.CharField(label="Reason", max_length=REASON_LENGTH, required=False)


class PasswordLinkForm(PasswordResetForm):
    """Django's reset email, for one chosen account (whatever other accounts share its
    address) and for an account with no password yet."""

    def __init__(self, user):
        super().__init__({"email": user.email})
        self.user = user

    def get_users(self, email):
        return [self.user]


class OwnPasswordForm(SetPasswordForm):
    def save(self, commit=True):
        self.user._change_reason = "Password set by its holder from the emailed link"
        return super().save(commit)


@admin.register(User)
class TrackerUserAdmin(UserAdmin):
    form = AccountForm
    add_form = AccountCreationForm
    action_form = ReasonActionForm
    actions = ["deactivate", "send_password_reset_link"]
    list_display = [
        "username",
        "first_name",
        "last_name",
        "email",
        "is_active",
        "is_staff",
        "last_login",
        "has_second_factor",
    ]
    filter_horizontal = ["user_permissions"]

    # Who may do what.

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and has_changed_the_record(obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # bulk deletion would skip the check above
        return actions

    # The list: last sign-in and whether a second factor is set up, for spotting leavers.

    def get_queryset(self, request):
        authenticator = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(second_factor=Exists(authenticator))

    @admin.display(boolean=True, description="Second factor set up", ordering="second_factor")
    def has_second_factor(self, user):
        return user.second_factor

    # The pages.

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": [*AccountCreationForm.Meta.fields, "reason"]})]
        access = ["is_active", "groups", "is_staff", "is_superuser"]
        if request.user.is_superuser:
            access.append("user_permissions")
        fieldsets = [
            (None, {"fields": ["username"]}),
            ("Personal info", {"fields": ["first_name", "last_name", "email"]}),
            ("Roles and access", {"fields": access}),
            ("Important dates", {"fields": ["last_login", "date_joined"]}),
        ]
        if self.has_change_permission(request, obj):
            fieldsets.append(("Why", {"fields": ["reason"]}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        readonly = ["last_login", "date_joined"]
        if not request.user.is_superuser:
            readonly += ["is_staff", "is_superuser"]
            if obj is not None and obj.last_login is not None:
                readonly.append("email")
        return readonly

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"given": roles_given_by(request.user)})

    def get_urls(self):
        site = self.admin_site
        page = {"site_header": site.site_header, "site_title": site.site_title}
        return [
            path(
                "new-password/<uidb64>/<token>/",
                auth_views.PasswordResetConfirmView.as_view(
                    form_class=OwnPasswordForm,
                    success_url=reverse_lazy("admin:auth_user_password_set"),
                    extra_context=page,
                ),
                name="auth_user_password_link",
            ),
            path(
                "new-password/done/",
                auth_views.PasswordResetCompleteView.as_view(extra_context=page),
                name="auth_user_password_set",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        user = self.get_object(request, object_id)
        if user is not None and request.method == "GET" and has_changed_the_record(user):
            self.message_user(request, REFUSAL.format(user=user), messages.INFO)
        return super().change_view(request, object_id, form_url, extra_context)

    def user_change_password(self, request, id, form_url=""):
        """Only a superuser sets a password; administrators send a link."""
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def save_model(self, request, obj, form, change):
        obj._change_reason = form.cleaned_data["reason"]
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        self.send_link(request, obj)
        return super().response_add(request, obj, post_url_continue)

    # The bulk actions, each with a reason.

    def reason_or_refusal(self, request):
        reason = request.POST.get("reason", "").strip()[:REASON_LENGTH]
        if not reason:
            self.message_user(
                request, "Enter the reason (it is kept in each account's history).", messages.ERROR
            )
        return reason

    def chosen(self, request, queryset):
        """The chosen accounts, locked, less those this administrator may not change."""
        chosen = User.objects.filter(pk__in=list(queryset.values_list("pk", flat=True)))
        allowed = []
        for user in chosen.select_for_update().order_by("pk"):
            if self.has_change_permission(request, user) and user != request.user:
                allowed.append(user)
            else:
                self.message_user(request, f"{user} was left as it was.", messages.WARNING)
        return allowed

    @admin.action(description="Deactivate the selected accounts", permissions=["change"])
    def deactivate(self, request, queryset):
        reason = self.reason_or_refusal(request)
        if not reason:
            return
        count = 0
        with transaction.atomic():
            for user in self.chosen(request, queryset):
                if not user.is_active:
                    continue
                user.is_active = False
                user._change_reason = f"Deactivated: {reason}"
                user.save(update_fields=["is_active"])
                self.log_change(request, user, user._change_reason)
                count += 1
        self.message_user(request, f"Deactivated {count} account(s); their records are kept.")

    @admin.action(description="Send a link to set a new password", permissions=["change"])
    def send_password_reset_link(self, request, queryset):
        reason = self.reason_or_refusal(request)
        if not reason:
            return
        with transaction.atomic():
            for user in self.chosen(request, queryset):
                self.send_link(request, user, reason)

    def send_link(self, request, user, reason=None):
        form = PasswordLinkForm(user)
        if not user.is_active or not form.is_valid():
            self.message_user(
                request,
                f"No link sent to {user}: the account needs to be active, with an email address.",
                messages.WARNING,
            )
            return
        form.save(
            request=request,
            use_https=request.is_secure(),
            subject_template_name="registration/password_link_subject.txt",
            email_template_name="registration/password_link_email.txt",
        )
        if reason:
            record_account_event(user, f"Password reset link sent: {reason}")
            self.log_change(request, user, f"Password reset link sent: {reason}")
        self.message_user(request, f"A link to set a password was sent to {user.email}.")


@admin.register(StatementDetails)
class StatementDetailsAdmin(SimpleHistoryAdmin):
    """The statements' contact details and review dates: one row, edited here without a
    release; its history keeps every version, with who changed it."""

    fieldsets = [
        ("Who is responsible", {"fields": ["controller", "joint_controllers"]}),
        (
            "Contact details",
            {
                "fields": [
                    "contact_email",
                    "contact_phone",
                    "data_protection_officer",
                    "reply_within_days",
                ]
            },
        ),
        (
            "Review dates",
            {
                "fields": [
                    "accessibility_prepared_on",
                    "accessibility_reviewed_on",
                    "privacy_reviewed_on",
                    "cookies_reviewed_on",
                ]
            },
        ),
    ]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not StatementDetails.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


from .sso import admin as sso_admin  # noqa: E402,F401  identity providers and their roles
