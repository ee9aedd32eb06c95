"""The settings of sign-in beyond Django's own: single sign-on (allauth), two-factor
(django-otp), password reset and leavers. Read by wsoa_tracker.settings, at its end."""

import os
from datetime import timedelta

from django.core.exceptions import ImproperlyConfigured

from .env import env_flag

# Single sign-on through OpenID Connect (README: Single sign-on): each identity provider is
# a "Social application" in the admin; a blank secret comes from WSOA_SSO_SECRET_<ID>. PKCE
# is on; wsoa_tracker/sso/provider.py adds the nonce and always checks the signature.
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "provider_class": "wsoa_tracker.sso.provider.VerifiedOpenIDConnectProvider",
    },
}
SOCIALACCOUNT_ADAPTER = "wsoa_tracker.sso.adapters.SocialAccountAdapter"
ACCOUNT_ADAPTER = "wsoa_tracker.sso.adapters.AccountAdapter"
# allauth only signs people in through identity providers (no allauth sign-in, sign-up or
# password page is served), never taking over an account by its e-mail address.
SOCIALACCOUNT_ONLY = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*"]
# Whom the "you have no role in the tracker" page says to ask.
SSO_ACCESS_CONTACT = os.environ.get(
    "WSOA_SSO_ACCESS_CONTACT", "the SEND Programme Board's tracker administrator"
)
# WSOA_LOCAL_SIGN_IN=0 switches username and password sign-in off, except for the one
# break-glass account named here, whose every sign-in is logged at warning level.
LOCAL_SIGN_IN = env_flag("WSOA_LOCAL_SIGN_IN", default=True)
BREAK_GLASS_USERNAME = os.environ.get("WSOA_BREAK_GLASS_USERNAME", "").strip()

# Two-factor (django-otp, wsoa_tracker.second_factor): an app's codes (TOTP) and recovery
# codes; after each wrong code the device waits 1, 2, 4 ... seconds before the next.
OTP_TOTP_ISSUER = "WSOA Tracker"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
RECOVERY_CODES = 10

# Password reset (wsoa_tracker.password_reset): a link works once, for a day; at most
# PER_ADDRESS links an hour to one address and PER_CLIENT requests from one client.
PASSWORD_RESET_TIMEOUT = 24 * 60 * 60
PASSWORD_RESET_PER_ADDRESS = 3
PASSWORD_RESET_PER_CLIENT = 10
PASSWORD_RESET_WINDOW = timedelta(hours=1)

# Leavers (manage.py deactivate_leavers): no sign-in for this many days (wsoa_tracker.leavers).
_leaver_days = os.environ.get("DJANGO_LEAVER_AFTER_DAYS", "90").strip()
if not _leaver_days.isdigit() or int(_leaver_days) < 1:
    raise ImproperlyConfigured(
        f"DJANGO_LEAVER_AFTER_DAYS must be a whole number of days, 1 or more, not {_leaver_days!r}."
    )
LEAVER_AFTER_DAYS = int(_leaver_days)
