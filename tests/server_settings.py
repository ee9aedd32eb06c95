"""Production settings for the end-to-end tests that start gunicorn (tests/servers.py).

The only change: plain static files storage, since WhiteNoise's manifest storage needs
`collectstatic`, which the tests do not run. Everything else is wsoa_tracker.settings.
"""

from wsoa_tracker.settings import *  # noqa: F403

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
