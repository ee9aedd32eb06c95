"""Register the local OpenID Connect provider (`make identity-provider`, tests/idp) as
"Sign in with the local test provider", with its groups mapped to each role (refused
unless DEBUG is on)."""

import json

from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from wsoa_tracker.models import IdentityProviderRole

DEV_CONFIG = settings.BASE_DIR / "tests" / "idp" / "dev.json"
Role = IdentityProviderRole.Role
GROUPS = {
    "wsoa-officers": Role.OFFICER,
    "wsoa-board": Role.BOARD_MEMBER,
    "wsoa-chair": Role.CHAIR,
    "wsoa-administrators": Role.ADMINISTRATOR,
}


class Command(BaseCommand):
    help = "Development only: register the local test identity provider. Refused unless DEBUG."

    @transaction.atomic
    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Refused: the local identity provider is for development only.")
        config = json.loads(DEV_CONFIG.read_text())
        client = config["clients"][0]
        app, _ = SocialApp.objects.update_or_create(
            provider="openid_connect",
            provider_id=client["client_id"],
            defaults={
                "name": "the local test provider",
                "client_id": client["client_id"],
                "secret": client["client_secret"],
                "settings": {
                    "server_url": f"http://127.0.0.1:{config['port']}",
                    "scope": ["openid", "email", "profile", "groups"],
                },
            },
        )
        for claim, role in GROUPS.items():
            IdentityProviderRole.objects.get_or_create(provider=app, claim_value=claim, role=role)
        people = ", ".join(
            f"{login} ({', '.join(account['groups'])})"
            for login, account in config["accounts"].items()
        )
        self.stdout.write(f"Sign in with the local test provider as {people}; any password.")
