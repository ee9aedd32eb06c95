"""Two-factor sign-in (django-otp): who needs a second factor, whether this session has
given it, the middleware that asks for it on every signed-in page, and the writes of
enrolment (an authenticator app, ten recovery codes) and of checking a code.

One rule, `needs_second_factor(user)`: administrators (staff, superusers and the
Administrator role) always, and every account that signs in with a password here. An
account made by single sign-on has no usable password (allauth makes it so), signs in
only through its organisation's identity provider, and gives that provider's own
second factor there.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from actions import roles

logger = logging.getLogger("wsoa_tracker.second_factor")

AUTHENTICATOR = "Authenticator app"
RECOVERY = "Recovery codes"


def is_an_administrator(user):
    return user.is_staff or user.is_superuser or roles.ADMINISTRATOR in roles.role_names(user)


def signs_in_with_a_password(user):
    """A local account: one made by single sign-on has no usable password."""
    return user.has_usable_password()


def needs_second_factor(user):
    """The one rule: whether this signed-in person must give a second factor."""
    if not user.is_authenticated:
        return False
    # The password first: it is on the user already, the role groups take a query.
    return signs_in_with_a_password(user) or is_an_administrator(user)


def has_given_second_factor(request):
    """Whether the session may see signed-in pages: it needs no second factor, or it has
    given one (django-otp's middleware keeps which device verified it)."""
    user = request.user
    if not needs_second_factor(user):
        return True
    return bool(getattr(user, "is_verified", None) and user.is_verified())


def authenticator(user):
    """The user's confirmed authenticator app, if any."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def is_enrolled(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def second_factor_not_required(view):
    """Marks a page a signed-in person may see before giving the second factor (the
    second-factor pages themselves, and signing out)."""
    view.second_factor_required = False
    return view


def next_step(user):
    return "second-factor" if is_enrolled(user) else "second-factor-setup"


class SecondFactorRequiredMiddleware:
    """After the password, every signed-in page sends a person who needs a second factor
    and has not given one to give it (or to set it up, the first time), then back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "login_required", True):
            return None  # a public page
        if not getattr(view_func, "second_factor_required", True):
            return None
        if not request.user.is_authenticated or has_given_second_factor(request):
            return None
        return redirect_to_login(request.get_full_path(), reverse(next_step(request.user)))


# The writes.


@transaction.atomic
def enrolment_start(*, user):
    """The unconfirmed authenticator the user is setting up (made once, kept until
    confirmed, so that reloading the page shows the same secret)."""
    if is_enrolled(user):
        raise ValueError(f"{user} already has an authenticator app")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=False)


@dataclass(frozen=True)
class Outcome:
    """What checking a code came to: the device that accepted it, or why not."""

    device: object = None
    wait_seconds: int = 0

    @property
    def accepted(self):
        return self.device is not None


def throttled(device):
    """Seconds to wait before the device will try another code (django-otp's exponential
    back-off after wrong codes), or 0."""
    allowed, data = device.verify_is_allowed()
    if allowed:
        return 0
    locked_until = (data or {}).get("locked_until")
    if locked_until is None:
        return 1
    return max(1, round((locked_until - timezone.now()).total_seconds()))


@transaction.atomic
def enrolment_confirm(*, request, device, code):
    """Confirms the authenticator with a code from it, makes the recovery codes and marks
    the session verified. Returns (Outcome, [recovery codes shown once])."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=request.user)
    wait = throttled(device)
    if wait:
        return Outcome(wait_seconds=wait), []
    if not device.verify_token(clean(code)):
        return Outcome(wait_seconds=0), []
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
    codes = recovery_codes_replace(user=request.user)
    otp_login(request, device)
    logger.info("Second factor set up for %s", request.user.get_username())
    return Outcome(device=device), codes


def recovery_codes_replace(*, user):
    """Ten new single-use recovery codes, replacing any the user had."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def clean(code):
    return "".join((code or "").split()).lower()


def is_authenticator_code(code):
    return code.isdigit() and len(code) == 6


@transaction.atomic
def code_check(*, request, code):
    """Checks a code from the authenticator app (six digits) or a recovery code (used up
    by this), and marks the session verified if it is right. A device that has refused
    recent codes waits before it tries another (django-otp's throttling)."""
    user, code = request.user, clean(code)
    model = TOTPDevice if is_authenticator_code(code) else StaticDevice
    devices = list(model.objects.devices_for_user(user, confirmed=True).select_for_update())
    if not devices:
        return Outcome()
    waits = [throttled(device) for device in devices]
    if all(waits):
        return Outcome(wait_seconds=min(waits))
    for device in devices:
        if device.verify_token(code):
            otp_login(request, device)
            if model is StaticDevice:
                logger.info("Recovery code used by %s", user.get_username())
            return Outcome(device=device)
    return Outcome()
