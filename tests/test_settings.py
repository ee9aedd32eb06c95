"""Settings come from the environment, and refuse to run unsafely."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

BASE_ENV = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "wsoa_tracker.settings"}
STRONG_KEY = "k7#Qx!v2Lm9$Rt4&Wz8@Np3^Hb6*Jc1" * 2


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


@pytest.mark.parametrize(
    "key",
    [
        "k",
        "s3cr3t",
        STRONG_KEY[:49],  # one short of 50
        "abcd" * 20,  # long, but four different characters
        "django-insecure-" + "k7#Qx!v2Lm9$Rt4&Wz8@Np3^Hb6*Jc1Yd5",  # Django's generated placeholder
    ],
)
def test_a_weak_secret_key_is_refused_when_debug_is_off(key):
    result = django_setting("DEBUG", DJANGO_SECRET_KEY=key)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is too weak" in result.stderr
    assert len(key) < 8 or key not in result.stderr  # the message never shows the key


def test_a_strong_secret_key_is_accepted_and_any_key_while_debugging():
    assert django_setting("DEBUG", DJANGO_SECRET_KEY=STRONG_KEY).returncode == 0
    assert django_setting("DEBUG", DJANGO_SECRET_KEY="k", DJANGO_DEBUG="1").returncode == 0


def test_the_test_settings_key_would_pass_in_production():
    assert len(settings.SECRET_KEY) >= 50 and len(set(settings.SECRET_KEY)) >= 5


def test_debug_is_off_unless_asked_for():
    assert django_setting("DEBUG", DJANGO_SECRET_KEY=STRONG_KEY).stdout.strip() == "False"
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
