"""Password reset by e-mail for local accounts, GOV.UK styled, on Django's own views: the
same answer whether or not an account has the address, throttled per address and per
client address, a link that works once and expires (PASSWORD_RESET_TIMEOUT), and a new
password that ends every other session of the account (Django signs sessions with the
password hash). Signing in afterwards still needs the second factor."""

import hashlib
import logging

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.core.cache import caches
from django.shortcuts import render
from django.urls import reverse_lazy

from .accounts import gds_helper
from .client_address import client_address

logger = logging.getLogger("wsoa_tracker.password_reset")


def hours(seconds):
    count = round(seconds / 3600)
    return f"{count} hour{'' if count == 1 else 's'}"


# Throttling: counts in the shared "throttle" cache, per hour.


def counted(key, limit):
    """Counts one more request under `key`; whether it is still within `limit`."""
    cache = caches["throttle"]
    window = int(settings.PASSWORD_RESET_WINDOW.total_seconds())
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit


def address_key(email):
    """The cache never holds the address itself."""
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    return f"password-reset:address:{digest}"


class ResetRequestForm(auth_forms.PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.label = "Email address"
        email.help_text = "The email address of your WSOA Tracker account."
        email.error_messages = {
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        }
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Field.text("email", field_width=20), Button("submit", "Send the link")
        )


class NewPasswordForm(auth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper("new_password1", "new_password2", button="Set password")

    def save(self, commit=True):
        self.user._change_reason = "Password reset by its holder from an emailed link"
        return super().save(commit)


class PasswordResetView(auth_views.PasswordResetView):
    """Asks for the address; whatever is entered, the next page is the same."""

    form_class = ResetRequestForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def post(self, request, *args, **kwargs):
        if not counted(f"password-reset:client:{client_address(request)}", self.per_client()):
            logger.warning("Password reset: too many requests from %s", client_address(request))
            return render(request, "registration/password_reset_throttled.html", status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if not counted(address_key(email), settings.PASSWORD_RESET_PER_ADDRESS):
            # The same page as ever, so that nobody learns whether the address has an
            # account; the holder already has links in their inbox.
            logger.warning("Password reset: too many links asked for one address; none sent")
            return super(auth_views.PasswordResetView, self).form_valid(form)
        self.extra_email_context = {"valid_for": hours(settings.PASSWORD_RESET_TIMEOUT)}
        return super().form_valid(form)

    @staticmethod
    def per_client():
        return settings.PASSWORD_RESET_PER_CLIENT


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(valid_for=hours(settings.PASSWORD_RESET_TIMEOUT), **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        logger.info("Password reset from an emailed link for %s", form.user.get_username())
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"
