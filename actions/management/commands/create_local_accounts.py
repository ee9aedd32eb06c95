"""Create one local account per role for trying the app (refused unless DEBUG is on)."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django_otp import devices_for_user

from actions import roles
from actions.models import Approver, OwnerRole, RoleHolding

# The local officer holds a role that owns actions in several weaknesses of the record.
LOCAL_OFFICER_ROLE = "SEN Manager"

LOCAL_ACCOUNTS = {
    "local-officer": roles.OFFICER,
    "local-board-member": roles.BOARD_MEMBER,
    "local-administrator": roles.ADMINISTRATOR,
}


def forget_second_factor(user):
    """A reset account sets up its authenticator app again at its next sign-in."""
    for device in devices_for_user(user, confirmed=None):
        device.delete()


class Command(BaseCommand):
    help = (
        "Development only: create (or reset) one account per role with a fresh random "
        "password and no second factor yet, and print the passwords. Refused unless DEBUG "
        "is on."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Refused: local accounts with printed passwords are for development only "
                "(DEBUG is off). Create real accounts in the admin screens."
            )
        User = get_user_model()
        for username, role in LOCAL_ACCOUNTS.items():
            user, _ = User.objects.get_or_create(username=username)
            user.email = f"{username}@localhost"
            password = secrets.token_urlsafe(12)
            user.set_password(password)
            user.is_staff = role == roles.ADMINISTRATOR  # the admin screens need staff status
            user.save()
            user.groups.set([Group.objects.get(name=role)])
            forget_second_factor(user)
            self.stdout.write(f"{role:<26} username: {username:<20} password: {password}")
            if role == roles.OFFICER:
                self.give_role(user)
            if role == roles.BOARD_MEMBER:  # the chair, so that updates can be reviewed
                Approver.objects.get_or_create(user=user, finding=None)
                self.stdout.write("  (the board's chair: reviews every weakness)")
        self.stdout.write(
            "Each account sets up an authenticator app at its first sign-in (scan the QR "
            "code, or type the key shown, into any authenticator app; then keep the ten "
            "recovery codes shown), and gives a code from it at every sign-in after."
        )

    def give_role(self, user):
        owner_role = OwnerRole.objects.filter(title=LOCAL_OFFICER_ROLE).first()
        if owner_role is None:
            self.stdout.write(f"  (load the record to give it the role {LOCAL_OFFICER_ROLE!r})")
        elif not RoleHolding.objects.current().filter(user=user, role=owner_role).exists():
            RoleHolding.objects.create(user=user, role=owner_role)
