"""The settings of the read-only API (actions/api): Django REST Framework, drf-spectacular
and the API's throttle rate. Read by wsoa_tracker.settings, at its end."""

import os

# The read-only API under /api/v1/ (actions/api): only a token an administrator issued
# (`Authorization: Bearer <token>`), never the session, so no CSRF question arises; JSON
# only (DRF's browsable pages have inline scripts the CSP forbids); throttled per person.
API_THROTTLE_RATE = os.environ.get("DJANGO_API_THROTTLE_RATE", "1200/hour")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["actions.api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["actions.api.authentication.MayReadTheBoard"],
    "DEFAULT_THROTTLE_CLASSES": ["actions.api.authentication.ApiUserThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "WSOA Tracker API",
    "DESCRIPTION": "Read-only: what a board member may read, as JSON. Every data endpoint "
    "needs an API token (`Authorization: Bearer <token>`) that an administrator issues: "
    "choose Authorize and paste it to try a call.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
