"""The printed ratings: how wsoa/plan.yaml says to read them, and the Rating of each printed letter.

The WSOA prints one rating per action; plan.yaml's `published_ratings` names the month it is
read as (March 2018, see DOMAIN.md) and the reference every such rating carries. A row with no
printed letter gets no Rating: it stays not rated, which is never Grey.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from actions.models import ApprovalStatus, Rating, RatingSource

from .sync import RecordError, read_fields, text


@dataclass(frozen=True)
class PrintedRatings:
    month: datetime.date  # the month a printed letter is loaded as
    reference: str  # where the letters are printed, and how they are read
    recorded_at: datetime.datetime  # the day the plan was declared fit for purpose


def reading(engine, data, plan):
    """How plan.yaml's `published_ratings` says the printed letters are read."""
    with engine.at("published ratings"):
        published = read_fields(data["published_ratings"], ["month", "source_reference"])
        if not isinstance(published["month"], datetime.date):
            raise RecordError("month must be a date such as 2018-03-01")
    # A printed rating is dated the day the plan was declared fit for purpose, so that the
    # grid "as at" a date after it shows the published ratings.
    recorded_at = timezone.make_aware(
        datetime.datetime.combine(plan.fit_for_purpose_on, datetime.time())
    )
    return PrintedRatings(published["month"], text(published["source_reference"]), recorded_at)


def load(engine, action, letter, source, printed):
    """The action's printed rating, if its row prints one; `source` names the row's lines."""
    if not letter:
        return None
    rating = text(letter).lower()
    return engine.sync(
        Rating,
        {"action": action, "month": printed.month},
        {
            "rating": rating,
            # The board published these itself: they count as accepted.
            "approval_status": ApprovalStatus.ACCEPTED,
            "accepted_rating": rating,
            "source": RatingSource.PUBLISHED_DOCUMENT,
            "recorded_by": None,
            "recorded_at": printed.recorded_at,
            "source_reference": f"{printed.reference} ({source})",
        },
        created_at=printed.recorded_at,
    )
