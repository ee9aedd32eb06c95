"""Sign-in and password pages in the GOV.UK style (Django's own views and forms); the
sign-in page also offers a "Sign in with <organisation>" button per identity provider.

With LOCAL_SIGN_IN off (WSOA_LOCAL_SIGN_IN=0) the username and password form is gone and
posting it is refused, except for the break-glass account (BREAK_GLASS_USERNAME), whose
form is at /sign-in/?break-glass and whose every sign-in, or try, is logged at warning.
"""

import logging
from urllib.parse import urlsplit

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import slug_re
from django.dispatch import receiver
from django.urls import reverse

from .client_address import client_address

logger = logging.getLogger("wsoa_tracker.accounts")

LOCAL_SIGN_IN_OFF = (
    "Sign-in with a username and password is switched off: use your organisation's button "
    "to sign in"
)


def is_break_glass(username):
    return bool(settings.BREAK_GLASS_USERNAME) and username == settings.BREAK_GLASS_USERNAME


def address(request):
    try:
        return client_address(request) if request is not None else None
    except Exception:  # an address that cannot be known is still worth the log line
        return "unknown"


@receiver(user_logged_in)
def log_break_glass_sign_in(sender, request, user, **kwargs):
    if is_break_glass(user.get_username()):
        logger.warning(
            "Break-glass sign-in: %s signed in from %s", user.get_username(), address(request)
        )


@receiver(user_login_failed)
def log_break_glass_failure(sender, credentials, request=None, **kwargs):
    username = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    if is_break_glass(username):
        logger.warning("Break-glass sign-in failed for %s from %s", username, address(request))


def gds_helper(*fields, button):
    helper = FormHelper()
    helper.attrs = {"novalidate": ""}
    helper.layout = Layout(*(Field.text(name) for name in fields), Button("submit", button))
    return helper


class SignInForm(auth_forms.AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account is inactive.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.helper = gds_helper("username", "password", button="Sign in")

    def clean(self):
        username = self.cleaned_data.get("username")
        if not settings.LOCAL_SIGN_IN and not is_break_glass(username):
            # Refused before any password is checked (nor counted by django-axes).
            raise ValidationError(LOCAL_SIGN_IN_OFF, code="local_sign_in_off")
        if username is not None and len(username) > self.fields["username"].max_length:
            # No account has a username this long (the user model's limit), and
            # django-axes could not record the failure (its username column is a
            # varchar(255), which PostgreSQL enforces): the usual refusal, without asking.
            raise self.get_invalid_login_error()
        return super().clean()


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            "old_password", "new_password1", "new_password2", button="Change password"
        )


def identity_providers():
    """The identity providers configured in the admin (SocialApp rows), by name; one whose
    provider ID is not a slug has no sign-in URL, so it is left off (and logged)."""
    from allauth.socialaccount.models import SocialApp

    apps = SocialApp.objects.filter(provider="openid_connect").order_by("name")
    usable = [app for app in apps if slug_re.fullmatch(app.provider_id)]
    for app in set(apps) - set(usable):
        logger.warning("Identity provider %r not shown: its provider ID is not a slug", app.name)
    return usable


class SignInView(auth_views.LoginView):
    """The password step. Whoever needs a second factor goes on to give it (or set it up,
    the first time) before any signed-in page (wsoa_tracker.second_factor)."""

    form_class = SignInForm
    template_name = "registration/sign_in.html"
    redirect_authenticated_user = True

    def get_success_url(self):
        from .second_factor import has_given_second_factor, next_step

        url = super().get_success_url()
        if has_given_second_factor(self.request):
            return url
        return redirect_to_login(url, reverse(next_step(self.request.user)))["Location"]

    def get_context_data(self, **kwargs):
        self.providers = identity_providers()
        request = self.request
        local_form = (
            settings.LOCAL_SIGN_IN or "break-glass" in request.GET or request.method == "POST"
        )
        return super().get_context_data(
            identity_providers=self.providers, local_form=local_form, **kwargs
        )

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.has_error(NON_FIELD_ERRORS, "local_sign_in_off"):
            response.status_code = 403
        return response

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        # Each button's POST is redirected to its provider: the CSP's form-action must
        # allow the providers' origins as well as our own.
        origins = sorted(
            {
                f"{parts.scheme}://{parts.netloc}"
                for app in self.providers
                if (parts := urlsplit(app.settings.get("server_url", ""))).netloc
            }
        )
        if origins:
            response._csp_update = {"form-action": origins}
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """A wrong current password counts as a failed sign-in for that username from that
    address (django-axes), so the page is no way round the sign-in throttle; it is also
    counted in the session, so that changing address does not help whoever holds the
    session. At the limit the user is signed out and sees the "Sign-in locked" page (429).
    """

    form_class = PasswordChangeForm
    failures_key = "password_change_failures"

    def credentials(self):
        return {settings.AXES_USERNAME_FORM_FIELD: self.request.user.get_username()}

    def post(self, request, *args, **kwargs):
        if not AxesProxyHandler.is_allowed(request, self.credentials()):
            return self.locked()
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        if form.has_error("old_password", "password_incorrect"):
            request = self.request
            user_login_failed.send(sender=__name__, credentials=self.credentials(), request=request)
            failures = request.session.get(self.failures_key, 0) + 1
            request.session[self.failures_key] = failures
            if failures >= settings.AXES_FAILURE_LIMIT or not AxesProxyHandler.is_allowed(
                request, self.credentials()
            ):
                return self.locked()
        return super().form_invalid(form)

    def locked(self):
        request, credentials = self.request, self.credentials()
        logger.warning(
            "Password change: too many wrong current passwords for %s; signed out",
            credentials[settings.AXES_USERNAME_FORM_FIELD],
        )
        logout(request)
        # The AxesMiddleware would turn the response into the lockout page again.
        request.axes_locked_out = False
        return get_lockout_response(request, None, credentials)
