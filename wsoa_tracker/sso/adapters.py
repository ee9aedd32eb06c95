"""allauth's hooks for single sign-on: who may sign in through an identity provider, and
the refusal page. The role rule itself is in wsoa_tracker/sso/role_mapping.py; this module
calls it at every sign-in (`pre_social_login` for a returning account, `save_user` for a
first one) and refuses, with a page saying whom to ask:

- a first sign-in whose groups map to no role (no account is created);
- a returning account whose roles have all been taken away at the provider (its roles
  here are removed first), or that the tracker has deactivated;
- a first sign-in whose e-mail address an existing account already has (an administrator
  links them; the provider is never trusted to take over an account);
- a sign-in whose e-mail address is not of a domain the provider serves, where its
  settings name them (`"email_domains": ["oxfordshire.gov.uk"]`).
"""

import logging
import os

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.response import TemplateResponse

from . import role_mapping

logger = logging.getLogger("wsoa_tracker.sso")

NO_ROLE = "no_role"
DEACTIVATED = "deactivated"
EMAIL_TAKEN = "email_taken"
WRONG_DOMAIN = "wrong_domain"


def served_domains(app):
    """The e-mail domains the provider serves, lower case; none named means any."""
    return [domain.strip().lower() for domain in app.settings.get("email_domains", [])]


def serves(app, email):
    domains = served_domains(app)
    return not domains or email.rpartition("@")[2].lower() in domains


def secret_variable(provider_id):
    return "WSOA_SSO_SECRET_" + provider_id.upper().replace("-", "_").replace(".", "_")


def refusal(request, app, reason, sociallogin):
    logger.warning(
        "Single sign-on refused (%s) for %s at %s",
        reason,
        sociallogin.account.uid,
        app.provider_id,
    )
    contact = app.settings.get("access_contact") or settings.SSO_ACCESS_CONTACT
    response = TemplateResponse(
        request,
        "registration/sso_refused.html",
        {
            "provider_name": app.name,
            "reason": reason,
            "contact": contact,
            "domains": served_domains(app),
        },
        status=403,
    )
    return ImmediateHttpResponse(response.render())


class AccountAdapter(DefaultAccountAdapter):
    """Nobody signs up: local accounts are made by administrators (wsoa_tracker/admin.py)."""

    def is_open_for_signup(self, request):
        return False


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(self, request, provider=None, client_id=None):
        """A secret left blank in the admin comes from WSOA_SSO_SECRET_<PROVIDER ID>."""
        apps = super().list_apps(request, provider=provider, client_id=client_id)
        for app in apps:
            if not app.secret:
                app.secret = os.environ.get(secret_variable(app.provider_id), "")
        return apps

    def is_open_for_signup(self, request, sociallogin):
        return True  # whether to let them in is decided in pre_social_login

    def is_auto_signup_allowed(self, request, sociallogin):
        return True

    def pre_social_login(self, request, sociallogin):
        app = sociallogin.provider.app
        if not serves(app, sociallogin.user.email or ""):
            raise refusal(request, app, WRONG_DOMAIN, sociallogin)
        given = role_mapping.mapped_roles(
            app, role_mapping.claimed_groups(app, sociallogin.account.extra_data)
        )
        sociallogin.state["tracker_roles"] = sorted(given)
        if sociallogin.is_existing:
            user = sociallogin.user
            if not user.is_active:
                raise refusal(request, app, DEACTIVATED, sociallogin)
            role_mapping.apply_roles(user=user, app=app, given=given)
            if not given:
                raise refusal(request, app, NO_ROLE, sociallogin)
            return
        if not given:
            raise refusal(request, app, NO_ROLE, sociallogin)
        email = sociallogin.user.email
        if email and get_user_model().objects.filter(email__iexact=email).exists():
            raise refusal(request, app, EMAIL_TAKEN, sociallogin)

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form)
        app = sociallogin.provider.app
        role_mapping.apply_roles(user=user, app=app, given=set(sociallogin.state["tracker_roles"]))
        logger.info("Single sign-on: account %s made for %s", user.username, app.provider_id)
        return user

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ):
        logger.warning(
            "Single sign-on failed at %s: %s %s",
            getattr(getattr(provider, "app", None), "provider_id", provider),
            error,
            exception,
        )
