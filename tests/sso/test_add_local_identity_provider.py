"""`make identity-provider`'s registration of the local provider: development only."""

from io import StringIO

import pytest
from allauth.socialaccount.models import SocialApp
from django.core.management import CommandError, call_command

from wsoa_tracker.models import IdentityProviderRole


def test_it_is_refused_unless_debug_is_on(db):
    with pytest.raises(CommandError, match="development only"):
        call_command("add_local_identity_provider")
    assert not SocialApp.objects.exists()


def test_it_registers_the_provider_with_a_group_per_role_once(db, settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("add_local_identity_provider", stdout=out)
    call_command("add_local_identity_provider", stdout=out)
    app = SocialApp.objects.get()
    assert (app.provider_id, app.settings["server_url"]) == ("local", "http://127.0.0.1:9000")
    assert set(IdentityProviderRole.objects.values_list("role", flat=True)) == {
        "officer",
        "board_member",
        "chair",
        "administrator",
    }
    assert IdentityProviderRole.objects.count() == 4
    assert "ann (wsoa-officers)" in out.getvalue()
