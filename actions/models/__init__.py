"""The plan's records, one module per thing the board talks about: the plan and its
required outcomes, owners and role holdings, actions, ratings and their approval,
approvers, area members, measures, public summaries, reminders, notifications (the outbox)
and plan workbook uploads."""

from .action import Action, ActionQuerySet
from .api_tokens import ApiToken
from .approvers import Approver
from .area_members import AreaMember
from .measures import (
    Better,
    FrameworkMeasure,
    Measure,
    MeasureFigure,
    MeasurePoint,
    MeasureTarget,
    MeasureUnit,
    PerformanceGroup,
)
from .notifications import Notification, NotificationKind, NotificationStatus
from .owners import ActionOwner, OwnerKind, OwnerRole, RoleHolding
from .plan import OutcomeSought, Plan, PlanLife, RequiredOutcome
from .public import PublicSummary
from .ratings import (
    RATING_MEANINGS,
    ApprovalStatus,
    Rating,
    RatingColour,
    RatingSource,
    validate_evidence_links,
)
from .reminders import Reminder
from .workbook import WorkbookUpload

__all__ = [
    "ApiToken",
    "AreaMember",
    "RATING_MEANINGS",
    "Action",
    "ActionOwner",
    "ActionQuerySet",
    "Better",
    "FrameworkMeasure",
    "Measure",
    "MeasureFigure",
    "MeasurePoint",
    "MeasureTarget",
    "MeasureUnit",
    "OutcomeSought",
    "OwnerKind",
    "OwnerRole",
    "PerformanceGroup",
    "Plan",
    "PlanLife",
    "PublicSummary",
    "Rating",
    "RatingColour",
    "RatingSource",
    "RequiredOutcome",
    "Notification",
    "NotificationKind",
    "NotificationStatus",
    "Reminder",
    "Approver",
    "ApprovalStatus",
    "RoleHolding",
    "validate_evidence_links",
    "WorkbookUpload",
]
