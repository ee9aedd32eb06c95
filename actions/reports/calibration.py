"""Calibration against the inspectors: for each verdict, the board's own picture of the
verdict's finding as it stood at the end of the review's first day, built from the
ratings' history (so that corrections made later do not change it). The public page's
"where it stands" is the same picture as at today."""

import datetime
from collections import Counter
from dataclasses import dataclass

from actions.models import Action, RatingColour
from actions.rules.periods import months_apart, quarter_end
from actions.rules.shown import NOT_RATED, shown_rating

from .grid import ratings_as_at, summary_rows


@dataclass
class Picture:
    """The board's own picture of a finding's actions at the end of a day: each action's
    latest accepted rating then (the board's own where it differed), counted by word."""

    day: datetime.date
    counts: Counter
    total: int
    newest_month: datetime.date | None = None  # the month of the newest rating counted

    @property
    def months_old(self):
        """Calendar months from the newest rating counted to the picture's day."""
        return months_apart(self.newest_month, self.day) if self.newest_month else None

    @property
    def green_share(self):
        """Percentage of the actions rated Green, or None with no actions."""
        return round(100 * self.counts[RatingColour.GREEN] / self.total) if self.total else None

    def rows(self):
        return [(label, counts[0]) for label, counts in summary_rows([self.counts])]


@dataclass
class Calibration:
    verdict: object
    picture: Picture


def calibrations(verdicts):
    """[Calibration] for each verdict: the board's picture of the verdict's finding as it
    stood at the end of the review's first day, built from the ratings' history (so that
    corrections made later do not change it). Two queries per review date."""
    verdicts = list(verdicts)
    pictures = {}
    for day in {verdict.review.start_date for verdict in verdicts}:
        findings = {v.finding_id for v in verdicts if v.review.start_date == day}
        pictures.update(pictures_as_at(day, findings))
    return [
        Calibration(verdict, pictures[verdict.review.start_date, verdict.finding_id])
        for verdict in verdicts
    ]


def pictures_as_at(day, finding_ids):
    """{(day, finding id): Picture} over the actions of plans begun by `day`."""
    actions = dict(
        Action.objects.filter(
            required_outcome__weakness_id__in=finding_ids,
            required_outcome__plan__first_quarter_end__lte=quarter_end(day),
        ).values_list("pk", "required_outcome__weakness_id")
    )
    latest = {}
    values = (
        ratings_as_at(day)
        .filter(action_id__in=list(actions))
        .values_list("action_id", "month", "source", "accepted_rating", "board_rating", "rating")
    )
    for action_id, month, source, accepted_rating, board_rating, rating in values:
        shown = shown_rating(source, accepted_rating, board_rating, rating)
        if shown and (action_id not in latest or latest[action_id][0] < month):
            latest[action_id] = (month, shown)
    pictures = {(day, finding): Picture(day, Counter(), 0) for finding in finding_ids}
    for action_id, finding in actions.items():
        picture = pictures[day, finding]
        picture.total += 1
        picture.counts[latest[action_id][1] if action_id in latest else NOT_RATED] += 1
        if action_id in latest:
            month = latest[action_id][0]
            picture.newest_month = max(month, picture.newest_month or month)
    return pictures
