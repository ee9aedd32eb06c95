"""The statements the law asks of a public sector website: accessibility, privacy and
cookies. No sign-in and no session; the contact details and review dates come from the
one StatementDetails row administrators keep (wsoa_tracker.statements), the cookies from
the settings that name them."""

import json

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.messages.storage.cookie import CookieStorage
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .statements import StatementDetails


def axe_version():
    try:
        package = settings.BASE_DIR / "node_modules" / "axe-core" / "package.json"
        return json.loads(package.read_text())["version"]
    except (OSError, ValueError, KeyError):
        return ""


def cookies():
    """[(name, purpose, expires)] of the cookies the tracker sets, all strictly necessary."""
    csrf_days = settings.CSRF_COOKIE_AGE // 86400 if settings.CSRF_COOKIE_AGE else 0
    return [
        (
            settings.SESSION_COOKIE_NAME,
            "Keeps you signed in. Set only when you sign in; public pages never set or read it.",
            f"{settings.SESSION_COOKIE_AGE // 60} minutes after your last renewal, and at the "
            f"latest {int(settings.SESSION_MAX_LIFETIME.total_seconds() // 3600)} hours after "
            "you signed in",
        ),
        (
            settings.CSRF_COOKIE_NAME,
            "Stops other websites sending forms in your name (cross-site request forgery). "
            "Set by pages with a form you post, such as sign-in.",
            f"{csrf_days} days" if csrf_days else "when you close your browser",
        ),
        (
            CookieStorage.cookie_name,
            "Carries a one-off confirmation (for example that a summary was published) to "
            "the next page, which deletes it.",
            "as soon as the next page shows the message, or when you close your browser",
        ),
    ]


def statement(request, template, **context):
    return render(
        request,
        f"statements/{template}.html",
        {"details": StatementDetails.current(), **context},
    )


@login_not_required
@require_safe
def accessibility(request):
    return statement(request, "accessibility", axe_version=axe_version())


@login_not_required
@require_safe
def privacy(request):
    return statement(request, "privacy")


@login_not_required
@require_safe
def cookies_page(request):
    return statement(request, "cookies", cookies=cookies())
