"""What the board is shown (actions.rules.shown): the Python rule and its SQL form agree
on every state a rating can be in, on the ratings now and on their history."""

import datetime
import itertools

import pytest
from django.utils import timezone

from actions.models import Rating
from actions.reports.grid import ratings_as_at
from actions.rules.shown import SHOWN_RATING, shown_rating
from tests.factories import ActionFactory, RatingFactory, UserFactory

pytestmark = pytest.mark.django_db

WORDS = ["green", "amber", "red", "grey"]


def every_state():
    """(fields) for each valid combination of source, approval and the three words."""
    approver = UserFactory(username="approver")
    officer = UserFactory(username="officer")
    for rating, accepted, board in itertools.product(WORDS, ["", *WORDS], ["", *WORDS]):
        if board and not accepted:
            continue  # the board's rating stands beside an accepted one (a constraint)
        yield {
            "source": "published_document",
            "approval_status": "accepted",
            "rating": rating,
            "accepted_rating": accepted or rating,
            "board_rating": board,
            "recorded_by": None,
            "decided_by": None,
            "decided_at": None,
        }
        if accepted:
            yield {
                "source": "user",
                "approval_status": "accepted",
                "rating": rating,
                "accepted_rating": accepted,
                "board_rating": board,
                "recorded_by": officer,
                "decided_by": approver,
                "decided_at": timezone.now(),
            }
        for status in ("submitted", "returned"):
            yield {
                "source": "user",
                "approval_status": status,
                "rating": rating,
                "accepted_rating": accepted,
                "board_rating": board,
                "recorded_by": officer,
                "decided_by": approver if status == "returned" else None,
                "decided_at": timezone.now() if status == "returned" else None,
                "return_reason": "Why" if status == "returned" else "",
            }


def test_the_python_rule_and_its_sql_agree_on_every_state():
    action = ActionFactory()
    rows = []
    for n, fields in enumerate(every_state()):
        year, month = divmod(n, 12)
        rows.append(
            Rating.objects.create(
                action=action, month=datetime.date(2030 + year, month + 1, 1), **fields
            )
        )
    assert len(rows) > 100
    # History rows written before approvals existed: a printed rating with no accepted word.
    for printed in [r for r in rows if r.source == "published_document"][:4]:
        record = printed.history.get()
        fields = {f.attname: getattr(record, f.attname) for f in record._meta.fields}
        fields.pop("history_id")
        fields.update(accepted_rating="", history_date=timezone.now(), history_type="~")
        type(record).objects.create(**fields)

    def rule(row):
        return shown_rating(row.source, row.accepted_rating, row.board_rating, row.rating)

    now = Rating.objects.all()
    assert dict(now.annotate(shown=SHOWN_RATING).values_list("pk", "shown")) == {
        r.pk: rule(r) for r in now
    }
    assert {r.pk: r.shown() for r in now} == {r.pk: rule(r) for r in now}
    then = ratings_as_at(timezone.localdate())
    expected = {r.id: rule(r) for r in then}
    assert sum(1 for r in then if r.source == "published_document" and not r.accepted_rating) == 4
    assert dict(then.annotate(shown=SHOWN_RATING).values_list("id", "shown")) == expected


def test_a_published_rating_counts_as_accepted_whatever_its_history_says():
    assert shown_rating("published_document", "", "", "amber") == "amber"
    assert shown_rating("published_document", "amber", "red", "amber") == "red"


def test_an_update_never_accepted_shows_nothing():
    update = RatingFactory(submitted=True, rating="red", commentary="Not started")
    assert update.shown() == ""
