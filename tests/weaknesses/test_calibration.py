"""Calibration against the inspectors: for each verdict, the board's own picture of the
finding's actions as it stood at the end of the review's first day."""

import datetime
import io
from collections import Counter

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, Rating
from actions.reports.calibration import calibrations
from actions.services import rating_correct, rating_decide
from tests.factories import (
    ActionFactory,
    RatingFactory,
    RequiredOutcomeFactory,
    UserFactory,
    VerdictFactory,
)
from tests.helpers import RecordTestCase, assert_queries_do_not_grow, reopen_the_wsoa
from weaknesses.models import Judgement, Verdict

REVISIT = datetime.date(2019, 10, 14)


def at(day, hour=12):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def verdict(db):
    return VerdictFactory(
        review__start_date=REVISIT,
        review__end_date=datetime.date(2019, 10, 17),
        judgement=Judgement.NOT_SUFFICIENT_PROGRESS,
        reasons="Self-evaluation is overly positive.",
    )


def test_the_picture_uses_what_was_recorded_and_accepted_by_the_first_day(verdict):
    required_outcome = RequiredOutcomeFactory(weakness=verdict.finding)
    actions = [ActionFactory(required_outcome=required_outcome) for _ in range(5)]
    before, after = at(datetime.date(2019, 10, 1)), at(datetime.date(2019, 10, 20))
    chair = UserFactory(chair=True)
    green = RatingFactory(
        action=actions[0],
        month=datetime.date(2019, 9, 1),
        rating="green",
        evidence="x",
        history_date=before,
    )
    amber = RatingFactory(
        action=actions[1],
        month=datetime.date(2019, 9, 1),
        rating="amber",
        commentary="x",
        history_date=before,
    )
    RatingFactory(  # the board rated it Red where the officer said Amber
        action=actions[2],
        month=datetime.date(2019, 9, 1),
        rating="amber",
        commentary="x",
        accepted_with_board_rating=True,
        board_rating="red",
        history_date=before,
    )
    awaiting = RatingFactory(  # submitted before the revisit, accepted after it
        action=actions[3],
        month=datetime.date(2019, 9, 1),
        rating="green",
        evidence="x",
        submitted=True,
        history_date=before,
    )
    RatingFactory(  # September's update, recorded after the first day
        action=actions[4],
        month=datetime.date(2019, 9, 1),
        rating="green",
        evidence="x",
        history_date=after,
    )
    # Corrections after the first day: the Green becomes Red, the Amber Green, accepted.
    for rating, colour in ((green, "red"), (amber, "green")):
        correction = rating_correct(
            original=rating,
            user=rating.recorded_by,
            expected_version=1,
            reason="Revisit",
            rating=colour,
            commentary="After the revisit",
            evidence="x",
            evidence_links="",
        )
        rating_decide(rating=correction, user=chair, expected_version=2, accept=True)
    rating_decide(rating=awaiting, user=chair, expected_version=1, accept=True)

    (item,) = calibrations(Verdict.objects.select_related("review"))
    assert item.picture.day == REVISIT
    assert item.picture.counts == Counter(green=1, amber=1, red=1, not_rated=2)
    assert (item.picture.total, item.picture.green_share) == (5, 20)
    assert Counter(Rating.objects.values_list("accepted_rating", flat=True)) == Counter(
        green=3, red=1, amber=1
    )  # what the ratings say now


def test_a_plan_not_yet_begun_on_the_first_day_is_left_out(verdict):
    later = RequiredOutcomeFactory(
        weakness=verdict.finding,
        plan__slug="later-plan",
        plan__first_quarter_end=datetime.date(2023, 12, 31),
        plan__last_quarter_end=datetime.date(2025, 3, 31),
    )
    ActionFactory(required_outcome=later)
    (item,) = calibrations(Verdict.objects.select_related("review"))
    assert item.picture.total == 0
    assert item.picture.green_share is None


def test_the_calibration_page_does_not_grow_its_queries(client, board_member, verdict):
    required_outcome = RequiredOutcomeFactory(weakness=verdict.finding)

    def build(count):
        for _ in range(count):
            action = ActionFactory(required_outcome=required_outcome)
            RatingFactory(
                action=action, month=datetime.date(2019, 6, 1), history_date=at(REVISIT, 1)
            )

    build(2)
    client.force_login(board_member)

    def grow():
        build(20)
        VerdictFactory(review=verdict.review)  # another finding, the same review

    response = assert_queries_do_not_grow(client, reverse("findings:calibration"), grow)
    assert [item.picture.total for item in response.context["items"]] == [22, 0]


class CalibrationOfTheRecordTests(RecordTestCase):
    def published_counts(self, finding):
        actions = Action.objects.filter(required_outcome__weakness=finding)
        counts = Counter(Rating.objects.filter(action__in=actions).values_list("rating", flat=True))
        counts["not_rated"] = actions.count() - sum(counts.values())
        return +counts

    def test_each_2019_verdict_is_beside_the_boards_picture_as_at_14_october_2019(self):
        items = [
            item
            for item in self.client.get(reverse("findings:calibration")).context["items"]
            if item.verdict.review.slug == "2019-revisit"
        ]
        assert [item.verdict.finding.code for item in items] == ["A", "B", "C", "D", "E"]
        for item in items:
            with self.subTest(finding=item.verdict.finding.code):
                assert item.picture.day == datetime.date(2019, 10, 14)
                assert +item.picture.counts == self.published_counts(item.verdict.finding)
        b = items[1]
        assert b.verdict.judgement == Judgement.NOT_SUFFICIENT_PROGRESS
        assert b.picture.total == 10

    def test_weakness_b_shows_its_ratings_beside_not_sufficient_progress_and_the_reasons(self):
        b = Verdict.objects.get(review__slug="2019-revisit", finding__code="B").finding
        page = self.client.get(reverse("findings:detail", args=[b.pk])).content.decode()
        section = page[page.index("Our ratings beside the inspectors") :]
        section = section[: section.index("What reviews had said")]
        assert "from 14 October 2019" in section
        assert "The board's own ratings as at the end of 14 October 2019" in section
        assert "The inspectors' verdict: Not sufficient progress" in section
        assert "overly positive" in section
        share = self.client.get(reverse("findings:detail", args=[b.pk])).context["calibrations"]
        revisit = next(i for i in share if i.verdict.review.slug == "2019-revisit")
        assert f"{revisit.picture.green_share}% Green" in section

    def test_a_correction_made_now_does_not_change_the_picture_then(self):
        url = reverse("findings:calibration")
        then = [(i.verdict.pk, +i.picture.counts) for i in self.client.get(url).context["items"]]
        published = Rating.objects.filter(
            action__required_outcome__weakness__code="B", rating="red"
        ).first()
        chair = UserFactory(chair=True)
        admin = UserFactory(username="admin", administrator=True)
        reopen_the_wsoa()  # closed on 20 November 2019: reopened to correct a rating
        correction = rating_correct(
            original=published,
            user=admin,
            expected_version=published.version,
            reason="Re-rated",
            rating="green",
            commentary="Done",
            evidence="Audit",
            evidence_links="",
        )
        rating_decide(
            rating=correction, user=chair, expected_version=correction.version, accept=True
        )
        now = [(i.verdict.pk, +i.picture.counts) for i in self.client.get(url).context["items"]]
        assert now == then

    def test_the_board_pack_has_the_calibration_section(self):
        response = self.client.get(reverse("actions:board-pack"))
        pdf = pypdf.PdfReader(io.BytesIO(response.content))
        text = "\n".join(page.extract_text() for page in pdf.pages)
        start = text.index("Our ratings beside the inspectors")
        section = " ".join(text[start : start + 6000].split())
        assert "14 October 2019" in section and "Not sufficient progress" in section
        assert "B: Joint area SEND revisit in Oxfordshire, from 14 October 2019 0% Green" in section
