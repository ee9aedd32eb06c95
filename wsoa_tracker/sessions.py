"""Session limits and caching rules that Django's settings cannot express alone."""

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

SIGNED_IN_AT = "signed_in_at"


@receiver(user_logged_in)
def remember_sign_in_time(sender, request, user, **kwargs):
    request.session[SIGNED_IN_AT] = timezone.now().timestamp()


class SessionLifetimeMiddleware:
    """Ends a session 12 hours after sign-in however busy it has been; the 30-minute idle
    limit is the session cookie's age, renewed on every request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and self.has_expired(request.session):
            logout(request)
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)

    @staticmethod
    def has_expired(session):
        signed_in_at = session.get(SIGNED_IN_AT)
        limit = settings.SESSION_MAX_LIFETIME.total_seconds()
        return signed_in_at is None or timezone.now().timestamp() - signed_in_at > limit


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
    return {"session_seconds": settings.SESSION_COOKIE_AGE, "session_warning_seconds": 120}


@never_cache
@require_safe
def keep_alive(request):
    """ "Stay signed in": any request renews the idle limit; this one has nothing else to do."""
    return HttpResponse(status=204)
