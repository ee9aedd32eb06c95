"""The history presenter: an action's ratings history as the board reads it, each entry
with who, when, what changed from what, and why."""

from actions.models import ApprovalStatus, Rating, RatingColour


def rating_history(action):
    """Every change to the action's ratings, newest first: who, when, what, why."""
    records = (
        Rating.history.filter(action_id=action.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    changes, previous = [], {}
    for record in records:
        changes.append(RatingChange(record, previous.get(record.id)))
        previous[record.id] = record
    return changes[::-1]


class RatingChange:
    """One entry of an action's rating history, compared with the version before it."""

    COMPARED = [
        "rating",
        "commentary",
        "evidence",
        "evidence_links",
        "wider_system",
        "approval_status",
        "board_rating",
        "board_note",
        "return_reason",
    ]

    def __init__(self, record, before):
        self.record, self.before = record, before
        self.when = record.history_date
        self.month = record.month
        self.loaded = record.history_change_reason == "load_record"
        self.who = record.history_user
        self.reason = "" if self.loaded else (record.history_change_reason or "")
        self.kind = {"+": "Recorded", "~": "Corrected", "-": "Deleted"}[record.history_type]
        reviewed = before is not None and before.approval_status == ApprovalStatus.SUBMITTED
        if reviewed and record.approval_status == ApprovalStatus.ACCEPTED:
            self.kind = "Accepted"
        elif reviewed and record.approval_status == ApprovalStatus.RETURNED:
            self.kind = "Returned"

    @property
    def changes(self):
        """(what, from, to) for each compared field that differs from the version before."""
        if self.before is None:
            return [
                (field_label(name), "", display(self.record, name))
                for name in self.COMPARED
                if getattr(self.record, name)
            ]
        return [
            (field_label(name), display(self.before, name), display(self.record, name))
            for name in self.COMPARED
            if getattr(self.before, name) != getattr(self.record, name)
        ]


def field_label(name):
    return Rating._meta.get_field(name).verbose_name.capitalize()


def display(record, name):
    value = getattr(record, name)
    if name in ("rating", "board_rating"):
        return RatingColour(value).label if value else "none"
    if name == "approval_status":
        return ApprovalStatus(value).label
    return value
