"""Settings for the test suite: the real settings, a throwaway key and a fast hasher.

DATABASE_URL still selects PostgreSQL, so the same suite runs on both databases.
"""

import os

# Long enough to pass the production rule (50 characters, 5 different), so that tests which
# turn DEBUG off see the settings as production would.
os.environ.setdefault(
    "DJANGO_SECRET_KEY", "test-only-secret-key-never-used-in-production-0123456789-abcdefghij"
)

from .settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The test client speaks plain HTTP; the tests of the HTTPS redirect and HSTS turn it on.
SECURE_SSL_REDIRECT = False
# Nothing carried from one test to the next; the cache's own tests turn a real one on.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    "pages": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    # Password reset counts: a real cache, emptied before each test (tests/conftest.py).
    "throttle": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "api_throttle": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}
# Board packs made at once where they are asked for, so that tests are deterministic (the
# tests of the background thread turn it on and join it); decisions prepare none unless a
# test turns that on.
BOARD_PACK_IN_BACKGROUND = False
BOARD_PACK_PREPARE_ON_DECISION = False
# Jobs run at once in the caller (django-q2's sync mode), unless a test runs the worker.
Q_CLUSTER = {**Q_CLUSTER, "sync": True}  # noqa: F405
