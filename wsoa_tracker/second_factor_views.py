"""The second sign-in step's pages, GOV.UK styled: setting up an authenticator app (a QR
code and the secret as text, confirmed with a code, then ten recovery codes shown once),
and giving a code at each sign-in. The rules and writes are wsoa_tracker.second_factor."""

from base64 import b32encode

import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django import forms
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views import View
from django.views.decorators.cache import never_cache

from . import second_factor
from .accounts import gds_helper, logger

WRONG = (
    "The code is not right. Enter the 6-digit code your authenticator app shows now, "
    "or a recovery code"
)
WAIT = "Too many wrong codes. Wait {seconds} second{s}, then enter a new code"
WRONG_AT_SET_UP = "The code is not right. Enter the 6-digit code your authenticator app shows now"
FAILURES = "second_factor_failures"


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=32,
        strip=True,
        error_messages={"required": "Enter the code"},
    )

    def __init__(self, *args, hint, button, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = hint
        self.fields["code"].widget.attrs.update(
            {"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "none"}
        )
        self.helper = gds_helper("code", button=button)


def qr_code_svg(url):
    """The authenticator's set-up address as an inline SVG (no script, no image file)."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    svg = image.to_string(encoding="unicode")
    return mark_safe(svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1))


def grouped(secret):
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


class SecondFactorStep(View):
    """What both steps share: where to go next, and counting wrong codes like wrong
    passwords (django-axes), so that ten in one session sign the person out."""

    def next_url(self):
        url = self.request.POST.get("next") or self.request.GET.get("next", "")
        if url.startswith("/") and url_has_allowed_host_and_scheme(
            url, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return url
        return resolve_url(settings.LOGIN_REDIRECT_URL)

    def credentials(self):
        return {settings.AXES_USERNAME_FORM_FIELD: self.request.user.get_username()}

    def refused(self, form, outcome, wrong):
        """The form again with the error; or, at the limit, signed out and locked. A code
        not tried (the device is waiting) is not counted again."""
        request = self.request
        if outcome.wait_seconds:
            seconds = outcome.wait_seconds
            form.add_error("code", WAIT.format(seconds=seconds, s="" if seconds == 1 else "s"))
            return None
        form.add_error("code", wrong)
        user_login_failed.send(sender=__name__, credentials=self.credentials(), request=request)
        failures = request.session.get(FAILURES, 0) + 1
        request.session[FAILURES] = failures
        if failures >= settings.AXES_FAILURE_LIMIT or not AxesProxyHandler.is_allowed(
            request, self.credentials()
        ):
            return self.locked()
        return None

    def locked(self):
        request, credentials = self.request, self.credentials()
        logger.warning(
            "Second factor: too many wrong codes for %s; signed out",
            credentials[settings.AXES_USERNAME_FORM_FIELD],
        )
        logout(request)
        request.axes_locked_out = False  # the AxesMiddleware would render it again
        return get_lockout_response(request, None, credentials)


@method_decorator(never_cache, name="dispatch")
class SecondFactorView(SecondFactorStep):
    """At each sign-in: the code from the authenticator app, or a recovery code."""

    template_name = "registration/second_factor.html"

    def form(self, data=None):
        return CodeForm(
            data,
            hint="The 6-digit code your authenticator app shows for WSOA Tracker. "
            "If you cannot use the app, enter one of your recovery codes.",
            button="Continue",
        )

    def dispatch(self, request, *args, **kwargs):
        if second_factor.has_given_second_factor(request):
            return HttpResponseRedirect(self.next_url())
        if not second_factor.is_enrolled(request.user):
            return redirect_with_next("second-factor-setup", request)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.page(self.form())

    def post(self, request):
        if not AxesProxyHandler.is_allowed(request, self.credentials()):
            return self.locked()
        form = self.form(request.POST)
        if form.is_valid():
            outcome = second_factor.code_check(request=request, code=form.cleaned_data["code"])
            if outcome.accepted:
                request.session.pop(FAILURES, None)
                return HttpResponseRedirect(self.next_url())
            locked = self.refused(form, outcome, WRONG)
            if locked:
                return locked
        return self.page(form)

    def page(self, form):
        return render(self.request, self.template_name, {"form": form, "next": self.next_url()})


@method_decorator(never_cache, name="dispatch")
class SecondFactorSetUpView(SecondFactorStep):
    """The first sign-in: set up an authenticator app, then see the recovery codes once."""

    template_name = "registration/second_factor_setup.html"

    def form(self, data=None):
        return CodeForm(
            data,
            hint="The 6-digit code your authenticator app shows for WSOA Tracker once you "
            "have added it.",
            button="Confirm",
        )

    def dispatch(self, request, *args, **kwargs):
        if second_factor.is_enrolled(request.user):
            # Never a second app on the strength of a password alone.
            return redirect_with_next("second-factor", request)
        self.device = second_factor.enrolment_start(user=request.user)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.page(self.form())

    def post(self, request):
        if not AxesProxyHandler.is_allowed(request, self.credentials()):
            return self.locked()
        form = self.form(request.POST)
        if form.is_valid():
            outcome, codes = second_factor.enrolment_confirm(
                request=request, device=self.device, code=form.cleaned_data["code"]
            )
            if outcome.accepted:
                request.session.pop(FAILURES, None)
                return render(
                    request,
                    "registration/recovery_codes.html",
                    {"codes": codes, "next": self.next_url()},
                )
            locked = self.refused(form, outcome, WRONG_AT_SET_UP)
            if locked:
                return locked
        return self.page(form)

    def page(self, form):
        device = self.device
        secret = b32encode(device.bin_key).decode()
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "next": self.next_url(),
                "qr_code": qr_code_svg(device.config_url),
                "secret": grouped(secret),
            },
        )


def redirect_with_next(name, request):
    next_url = request.POST.get("next") or request.GET.get("next")
    return redirect_to_login(next_url or resolve_url(settings.LOGIN_REDIRECT_URL), reverse(name))


second_factor_page = second_factor.second_factor_not_required(SecondFactorView.as_view())
# The set-up page makes the app's key on its first GET: its own IMMEDIATE transaction
# (wsoa_tracker.transactions), not a write inside a read's.
second_factor_setup_page = second_factor.second_factor_not_required(
    transaction.non_atomic_requests(SecondFactorSetUpView.as_view())
)
