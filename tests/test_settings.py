"""Settings come from the environment, and refuse to run unsafely."""

import os
import subprocess
import sys

from django.conf import settings

BASE_ENV = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "wsoa_tracker.settings"}


def django_setting(name, **env):
    """Import the real settings in a fresh interpreter with only `env` set."""
    return subprocess.run(
        [sys.executable, "-c", f"from django.conf import settings; print(settings.{name})"],
        env=BASE_ENV | env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )


def test_a_secret_key_is_required_when_debug_is_off():
    result = django_setting("DEBUG")
    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr


def test_debug_is_off_unless_asked_for():
    assert django_setting("DEBUG", DJANGO_SECRET_KEY="k").stdout.strip() == "False"
    assert django_setting("DEBUG", DJANGO_DEBUG="1").stdout.strip() == "True"


def test_sqlite_by_default_and_an_empty_database_url_counts_as_unset():
    for env in ({}, {"DATABASE_URL": ""}):
        engine = django_setting("DATABASES['default']['ENGINE']", DJANGO_DEBUG="1", **env)
        assert engine.stdout.strip() == "django.db.backends.sqlite3"


def test_database_url_selects_postgresql():
    engine = django_setting(
        "DATABASES['default']['ENGINE']",
        DJANGO_DEBUG="1",
        DATABASE_URL="postgres://someone@db.example:5432/wsoa",
    )
    assert engine.stdout.strip() == "django.db.backends.postgresql"


def test_london_time_zone_with_aware_datetimes():
    assert settings.TIME_ZONE == "Europe/London"
    assert settings.USE_TZ is True
