"""The tests' factories, one module per model; import them from here."""

from .action_owners import ActionOwnerFactory
from .actions import ActionFactory
from .api_tokens import ApiTokenFactory
from .approvers import ApproverFactory
from .areas import AreaFactory
from .findings import FindingFactory
from .measure_figures import MeasureFigureFactory
from .measure_targets import MeasureTargetFactory
from .measures import MeasureFactory
from .organisations import OrganisationFactory
from .owner_roles import OwnerRoleFactory
from .plan_lives import PlanLifeFactory
from .plans import PlanFactory
from .public_summaries import PublicSummaryFactory
from .ratings import RatingFactory
from .required_outcomes import RequiredOutcomeFactory
from .reviews import ReviewFactory
from .role_holdings import RoleHoldingFactory
from .users import PASSWORD, UserFactory
from .verdicts import VerdictFactory

__all__ = [
    "PASSWORD",
    "ActionFactory",
    "ActionOwnerFactory",
    "ApiTokenFactory",
    "AreaFactory",
    "FindingFactory",
    "MeasureFactory",
    "MeasureFigureFactory",
    "MeasureTargetFactory",
    "OrganisationFactory",
    "OwnerRoleFactory",
    "PlanFactory",
    "PlanLifeFactory",
    "PublicSummaryFactory",
    "RatingFactory",
    "RequiredOutcomeFactory",
    "ReviewFactory",
    "ApproverFactory",
    "RoleHoldingFactory",
    "UserFactory",
    "VerdictFactory",
]
