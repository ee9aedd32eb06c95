"""Session limits and caching rules that Django's settings cannot express alone.

The idle limit (SESSION_COOKIE_AGE, 30 minutes) runs from the session's last renewal, which
a signed-in page makes at most once every SESSION_REFRESH_AFTER (a minute) and "Stay
signed in" makes at once: reading pages does not write the session row on every request.
So a session ends between 29 and 30 minutes after the last page, never later, and the
"about to be signed out" warning counts down from the renewal, not from the page.
Public pages (`login_not_required`: sign-in, /progress/, /health/) neither renew nor check.
"""

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

SIGNED_IN_AT = "signed_in_at"
RENEWED_AT = "renewed_at"


@receiver(user_logged_in)
def remember_sign_in_time(sender, request, user, **kwargs):
    request.session[SIGNED_IN_AT] = request.session[RENEWED_AT] = timezone.now().timestamp()


def renew(session):
    """Saved (by SessionMiddleware) with a fresh idle limit and cookie."""
    session[RENEWED_AT] = timezone.now().timestamp()


def seconds_left(session):
    renewed_at = session.get(RENEWED_AT, timezone.now().timestamp())
    left = settings.SESSION_COOKIE_AGE - (timezone.now().timestamp() - renewed_at)
    return max(0, round(left))


class SessionLifetimeMiddleware:
    """Ends a session 12 hours after sign-in however busy it has been, and renews the
    30-minute idle limit at most once a minute."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "login_required", True):
            return None  # a public page: no session read or written for it
        if not request.user.is_authenticated:
            return None  # LoginRequiredMiddleware sends them to sign in
        session = request.session
        if self.has_expired(session):
            logout(request)
            return redirect_to_login(request.get_full_path())
        renewed_at = session.get(RENEWED_AT, 0)
        if (
            timezone.now().timestamp() - renewed_at
            >= settings.SESSION_REFRESH_AFTER.total_seconds()
        ):
            renew(session)
        return None

    @staticmethod
    def has_expired(session):
        signed_in_at = session.get(SIGNED_IN_AT)
        limit = settings.SESSION_MAX_LIFETIME.total_seconds()
        return signed_in_at is None or timezone.now().timestamp() - signed_in_at > limit


class PublicPagesFirstLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Django's, asking whether the page is public before it looks up the user, so that a
    public page (the load balancer's /health/ above all) reads no session."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "login_required", True):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class NoStoreMiddleware:
    """Pages carry records and names: no browser or proxy may keep a copy of them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Cache-Control" not in response:
            patch_cache_control(response, no_store=True, private=True)
        return response


def session_timeout(request):
    """Context for the "about to be signed out" warning (WCAG 2.2.1, timing adjustable)."""
    user = getattr(request, "user", None)
    seconds = settings.SESSION_COOKIE_AGE
    if user is not None and user.is_authenticated:
        seconds = seconds_left(request.session)
    return {"session_seconds": seconds, "session_warning_seconds": 120}


@never_cache
@require_safe
def keep_alive(request):
    """ "Stay signed in": renews the idle limit now, however recently it was renewed."""
    renew(request.session)
    return HttpResponse(status=204)
