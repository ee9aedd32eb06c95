"""Who an API request is: `Authorization: Bearer <token>` names an unrevoked ApiToken, whose
person must still be one who may read the board's pages (permissions.may_read); the
throttle per person; and how the schema describes the token. Only the API reads tokens:
the HTML pages never do (they know only the session)."""

from django.conf import settings
from django.core.cache import caches
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.throttling import UserRateThrottle

from actions import permissions
from actions.models import ApiToken
from actions.models.api_tokens import digest_of
from actions.views.access import logger

KEYWORD = "bearer"
REFUSED = "The token is not valid, or has been revoked."
MALFORMED = "Send the token as “Authorization: Bearer <token>”."


class BearerTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None  # no credentials: 401, with the WWW-Authenticate below
        parts = header.split()
        if len(parts) != 2 or parts[0].lower() != KEYWORD:
            raise exceptions.AuthenticationFailed(MALFORMED)
        token = (
            ApiToken.objects.select_related("user")
            .filter(digest=digest_of(parts[1]), revoked_at__isnull=True)
            .first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(REFUSED)
        token.note_use()
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class MayReadTheBoard(BasePermission):
    """The token's person may read the board's pages (actions.permissions.may_read); a
    refusal is logged as `authz_denied` like the pages'."""

    message = "This token's account has no role in the tracker."

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False  # DRF answers 401
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            return True  # the view answers 405: there is nothing to write
        if permissions.may_read(request.user):
            return True
        logger.warning(
            "authz_denied user=%s path=%s object=%s: %s",
            request.user.pk,
            request.path,
            None,
            "api token of an account with no role",
        )
        return False


class ApiUserThrottle(UserRateThrottle):
    """DRF's per-person throttle at API_THROTTLE_RATE, counted in the `api_throttle` cache
    (each app server process's memory: no database write per request)."""

    scope = "api"

    def __init__(self):
        self.cache = caches["api_throttle"]
        super().__init__()

    def get_rate(self):
        return settings.API_THROTTLE_RATE


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = BearerTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token an administrator issued you (Admin, API tokens).",
        }
