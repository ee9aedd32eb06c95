"""What the board is shown for an action's month: the accepted rating, the board's own
where it differs, an update awaiting approval, or not rated.

One definition, in two forms built side by side: `shown_rating()` for rows read in
Python, and `SHOWN_RATING` for a filter or annotation in SQL. A test checks that they
agree on every combination of the fields they read.

- The board's own rating, where a board member recorded one on accepting, wins.
- Otherwise the officer's rating as last accepted.
- A rating printed in the published WSOA counts as accepted (the board published it),
  whatever its history rows written before approvals existed say.
- An update never accepted shows nothing: the action is "not rated" for that month, and
  the update is marked as awaiting approval.

The words go with the rating: the board reads the commentary of the version it is shown
(`shown_commentary`), so a correction awaiting approval (or returned) never puts the
officer's new, unreviewed words beside the rating accepted before it.
"""

from django.db.models import Case, CharField, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce

NOT_RATED = "not_rated"

# The fields of a rating (or of one of its history rows) that the rule reads.
FIELDS = ("source", "accepted_rating", "board_rating", "rating", "approval_status")

PUBLISHED = "published_document"  # RatingSource.PUBLISHED_DOCUMENT
USER = "user"  # RatingSource.USER
SUBMITTED = "submitted"  # ApprovalStatus.SUBMITTED
ACCEPTED = "accepted"  # ApprovalStatus.ACCEPTED

# A version whose own words the board reads: accepted, or printed in the published WSOA.
SHOWS_ITS_OWN_WORDS = Q(approval_status=ACCEPTED) | Q(source=PUBLISHED)


def shown_rating(source, accepted_rating, board_rating, rating):
    """The rating word the board's reports show for this row, or '' for none."""
    if board_rating:
        return board_rating
    if source == PUBLISHED:
        return accepted_rating or rating
    return accepted_rating


SHOWN_RATING = Case(
    When(~Q(board_rating=""), then=F("board_rating")),
    When(Q(source=PUBLISHED) & Q(accepted_rating=""), then=F("rating")),
    default=F("accepted_rating"),
    output_field=CharField(),
)


def is_awaiting_approval(source, approval_status):
    """An officer's update that no approver has accepted or returned yet."""
    return source == USER and approval_status == SUBMITTED


def latest_shown(ratings, action_ref="pk"):
    """A subquery: the rating word shown for the action's latest month that shows one, or
    NULL when none does (not rated). `ratings` is Rating.objects or the ratings as at a
    day (their history), so that the grid's filter reads what its cells read."""
    rows = (
        ratings.filter(action_id=OuterRef(action_ref))
        .annotate(shown=SHOWN_RATING)
        .exclude(shown="")
        .order_by("-month")
        .values("shown")[:1]
    )
    return Subquery(rows, output_field=CharField())


def shown_commentary(history, from_history=False):
    """An annotation: the commentary of the version the board is shown. A version accepted
    (or published) shows its own words; any other shows the words of the latest version of
    the same rating that was, from `history` (the ratings' history model), or none. With
    `from_history` the rows are history rows themselves (the ratings as at a day), and only
    versions up to each row count. A correlated subquery, so the grid's one query stays one:
    it runs only for rows awaiting approval or returned that still show a rating accepted
    before (a correction), and reads the history's id index."""
    accepted_before = history.objects.filter(SHOWS_ITS_OWN_WORDS, id=OuterRef("id"))
    if from_history:
        accepted_before = accepted_before.filter(history_date__lte=OuterRef("history_date"))
    words = accepted_before.order_by("-history_date", "-history_id").values("commentary")[:1]
    return Case(
        When(SHOWS_ITS_OWN_WORDS, then=F("commentary")),
        # A version that shows no rating shows no words: no subquery for it.
        When(Q(board_rating="") & Q(accepted_rating=""), then=Value("")),
        default=Coalesce(Subquery(words, output_field=CharField()), Value("")),
        output_field=CharField(),
    )
