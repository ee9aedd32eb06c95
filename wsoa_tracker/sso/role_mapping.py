"""Roles from an identity provider: the one home of the rule that maps a provider's groups
claim to the tracker's roles (IdentityProviderRole rows, kept in the admin), re-applied at
every single sign-on so that a role taken away at the provider is gone here at the next
sign-in. It manages the officer, board member and administrator groups, staff status (the
admin screens need it) and the chair (an Approver of every weakness); owner-role holdings
and approvers of one weakness stay managed in the tracker.
"""

from django.contrib.auth.models import Group
from django.db import transaction

from actions import roles
from actions.models import Approver

from ..models import IdentityProviderRole

Role = IdentityProviderRole.Role
GROUP_OF = {
    Role.OFFICER: roles.OFFICER,
    Role.BOARD_MEMBER: roles.BOARD_MEMBER,
    Role.CHAIR: roles.BOARD_MEMBER,  # the chair is a board member named approver of all
    Role.ADMINISTRATOR: roles.ADMINISTRATOR,
}
MANAGED_GROUPS = sorted(set(GROUP_OF.values()))


def claimed_groups(app, extra_data):
    """The values of the provider's groups claim (SocialApp setting "groups_claim",
    "groups" by default), from the signed ID token, else from userinfo."""
    name = app.settings.get("groups_claim", "groups")
    for source in ("id_token", "userinfo"):
        value = (extra_data.get(source) or {}).get(name)
        if value is not None:
            values = [value] if isinstance(value, str) else value
            return {str(item) for item in values if isinstance(item, str | int)}
    return set()


def mapped_roles(app, groups):
    """The tracker roles that `groups`, claimed at provider `app`, give."""
    if not groups or app.pk is None:
        return set()
    return set(
        IdentityProviderRole.objects.filter(provider=app, claim_value__in=groups).values_list(
            "role", flat=True
        )
    )


@transaction.atomic
def apply_roles(*, user, app, given):
    """Make `user`'s managed roles exactly `given` (a set of IdentityProviderRole.Role),
    recording the change in the account's history with the provider as its reason."""
    wanted = {GROUP_OF[role] for role in given}
    held = set(user.groups.filter(name__in=MANAGED_GROUPS).values_list("name", flat=True))
    reason = f"Roles from {app.name} at sign-in"[:100]
    if wanted != held:
        user._change_reason = reason
        user.groups.remove(*Group.objects.filter(name__in=held - wanted))
        user.groups.add(*Group.objects.filter(name__in=wanted - held))
    staff = Role.ADMINISTRATOR in given or user.is_superuser
    if user.is_staff != staff:
        user.is_staff = staff
        user._change_reason = reason
        user.save(update_fields=["is_staff"])
    chair = Approver.objects.filter(user=user, finding__isnull=True)
    if Role.CHAIR in given and not chair.exists():
        approver = Approver(user=user, finding=None)
        approver._change_reason = reason
        approver.save()
    elif Role.CHAIR not in given:
        for approver in chair:
            approver._change_reason = reason
            approver.delete()
    if hasattr(user, "_role_names"):
        del user._role_names
