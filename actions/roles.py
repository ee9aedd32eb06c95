"""The three roles of the tracker, as groups with model permissions.

Programme Board officers read everything and record ratings; board members only read;
administrators keep the record. Who may rate which action (the roles an officer holds)
is decided per action, not here.
"""

OFFICER = "Programme Board officer"
BOARD_MEMBER = "Board member"
ADMINISTRATOR = "Administrator"

RECORD_MODELS = {
    "reviews": ["area", "organisation", "review"],
    "weaknesses": ["finding", "findingcontinuation", "verdict"],
    "actions": [
        "plan",
        "planlife",
        "outcomesought",
        "requiredoutcome",
        "ownerrole",
        "action",
        "actionowner",
        "rating",
        "roleholding",
        "areamember",
        "performancegroup",
        "frameworkmeasure",
        "measure",
        "measuretarget",
        "measurefigure",
        "approver",
        "publicsummary",
    ],
}


def permissions_by_role():
    """Codenames, as (app_label, codename), each role's group holds."""
    view = [(app, f"view_{model}") for app, models in RECORD_MODELS.items() for model in models]
    keep = [
        (app, f"{verb}_{model}")
        for app, models in RECORD_MODELS.items()
        for model in models
        for verb in ("add", "change", "delete")
    ]
    return {
        OFFICER: view
        + [
            ("actions", "add_rating"),
            ("actions", "change_rating"),
            ("actions", "add_measurefigure"),
            ("actions", "change_measurefigure"),
        ],
        # Reviewers are board members; which updates each may review is per weakness.
        BOARD_MEMBER: view + [("actions", "add_publicsummary")],
        ADMINISTRATOR: view
        + keep
        + [("auth", f"{verb}_user") for verb in ("view", "add", "change")]
        # The statements' contact details and review dates (never deleted: one row).
        + [("wsoa_tracker", f"{verb}_statementdetails") for verb in ("view", "add", "change")]
        # API tokens: issued and revoked, never deleted (actions/api).
        + [("actions", f"{verb}_apitoken") for verb in ("view", "add", "change")]
        # The notifications' outbox: read, and "Send again" (never written by hand).
        + [("actions", "view_notification")]
        # Background jobs: queued, successful, failed (and resubmitted) and scheduled.
        + [("django_q", f"view_{model}") for model in ("ormq", "success", "failure", "schedule")],
    }


def role_names(user):
    """The names of the user's role groups, read once per request."""
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_role_names"):
        user._role_names = frozenset(user.groups.values_list("name", flat=True))
    return user._role_names


def is_administrator(user):
    return user.is_active and (user.is_superuser or ADMINISTRATOR in role_names(user))


def is_board_member(user):
    return user.is_active and BOARD_MEMBER in role_names(user)


def is_officer(user):
    return user.is_active and OFFICER in role_names(user)


def sees_every_action(user):
    """Board members and administrators see every action; officers see their own."""
    return is_administrator(user) or (user.is_active and BOARD_MEMBER in role_names(user))
