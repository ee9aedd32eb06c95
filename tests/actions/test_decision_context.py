"""Context where a decision is made: the officer's form shows the rating before theirs and
says, once saved, who will approve it; the approver's form shows the action's recent
months, what changed from the month before, why a correction was made, and the evidence;
a returned update shows why on the form that corrects it."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from actions.services import rating_correct, rating_decide
from tests.factories import ApproverFactory, RatingFactory, UserFactory

JULY = {"month": "2018-07", "rating": "red", "commentary": "Stalled: no staff", "evidence": ""}


def text(response):
    """The page's words, as a reader sees them (tags gone, spaces collapsed)."""
    return re.sub(r"\s+", " ", strip_tags(response.content.decode()))


def create_url(action):
    return reverse("actions:rating-create", args=[action.pk])


def correct_url(rating):
    return reverse(
        "actions:rating-correct", args=[rating.action_id, rating.month.year, rating.month.month]
    )


def approve_url(rating):
    return reverse(
        "actions:rating-approve", args=[rating.action_id, rating.month.year, rating.month.month]
    )


@pytest.fixture
def weakness_approver(owned_action):
    """A board member named approver for the owned action's weakness only."""
    user = UserFactory(username="dana", board_member=True, first_name="Dana", last_name="Doe")
    ApproverFactory(user=user, finding=owned_action.required_outcome.weakness)
    return user


# The officer's form.


def test_the_officers_form_shows_the_latest_rating_its_commentary_month_and_status(
    client, officer, june_rating
):
    client.force_login(officer)
    page = text(client.get(create_url(june_rating.action)))
    assert "The latest rating: June 2018" in page
    assert "Amber – progressing" in page
    assert "Guidance drafted" in page
    assert "Awaiting approval" in page
    assert "If you change the rating from Amber, say why in the commentary" in page


def test_the_officers_form_says_when_there_is_no_earlier_rating(client, officer, owned_action):
    client.force_login(officer)
    page = text(client.get(create_url(owned_action)))
    assert "This action has no rating yet" in page


def test_the_correction_form_shows_the_month_before_not_the_month_corrected(
    client, officer, june_rating
):
    july = RatingFactory(
        action=june_rating.action,
        month=datetime.date(2018, 7, 1),
        rating="red",
        commentary="Stalled: no staff",
        recorded_by=officer,
        submitted=True,
    )
    client.force_login(officer)
    page = text(client.get(correct_url(july)))
    assert "The rating before: June 2018" in page
    assert "Guidance drafted" in page


def test_the_correction_form_of_a_returned_update_shows_why_it_was_returned(
    client, officer, june_rating, approver
):
    rating_decide(
        rating=june_rating,
        user=approver,
        expected_version=1,
        accept=False,
        return_reason="The guidance is not yet signed off",
    )
    client.force_login(officer)
    page = text(client.get(correct_url(june_rating)))
    assert "Returned by Chris Chair" in page
    assert "“The guidance is not yet signed off”" in page
    assert "Correct the update and save it to send it back for approval" in page


def test_after_saving_the_officer_is_told_who_will_approve_it(
    client, officer, owned_action, approver, weakness_approver
):
    client.force_login(officer)
    response = client.post(create_url(owned_action), JULY, follow=True)
    page = text(response)
    assert (
        "Your update for July 2018 is waiting for approval by Dana Doe (approver for weakness "
        f"{owned_action.required_outcome.weakness.code}) or Chris Chair (the chair)."
    ) in page
    assert 'class="govuk-notification-banner govuk-notification-banner--success"' in (
        response.content.decode()
    )


def test_the_officer_who_is_also_an_approver_is_not_named_as_their_own_approver(
    client, officer, owned_action, approver
):
    ApproverFactory(user=officer, finding=owned_action.required_outcome.weakness)
    client.force_login(officer)
    page = text(client.post(create_url(owned_action), JULY, follow=True))
    assert "is waiting for approval by Chris Chair (the chair)." in page
    assert "Ann O'Neill (approver" not in page


def test_after_a_correction_the_officer_is_told_who_will_approve_it(
    client, officer, june_rating, weakness_approver
):
    client.force_login(officer)
    data = {**JULY, "reason": "Wrong colour", "version": 1}
    page = text(client.post(correct_url(june_rating), data, follow=True))
    assert "Your corrected update for June 2018 is waiting for approval by Dana Doe" in page


def test_with_no_approver_named_the_officer_is_told_so(client, officer, owned_action):
    client.force_login(officer)
    page = text(client.post(create_url(owned_action), JULY, follow=True))
    code = owned_action.required_outcome.weakness.code
    assert (
        "Your update for July 2018 is waiting for approval, but no one can approve it yet: the "
        f"board has no chair and no approver for weakness {code} (nobody approves their own "
        "update). Ask an administrator."
    ) in page


# The approver's form.


@pytest.fixture
def eight_months(owned_action, officer):
    """Accepted Amber updates from November 2017 to May 2018, and June's Red awaiting approval."""
    for month in (datetime.date(2017, 11, 1), datetime.date(2017, 12, 1)) + tuple(
        datetime.date(2018, m, 1) for m in range(1, 6)
    ):
        RatingFactory(
            action=owned_action,
            month=month,
            rating="amber",
            commentary=f"Drafting, {month:%B %Y}",
            recorded_by=officer,
        )
    return RatingFactory(
        action=owned_action,
        month=datetime.date(2018, 6, 1),
        rating="red",
        commentary="Stalled: no staff",
        evidence="Staffing report",
        evidence_links="https://example.org/staffing",
        recorded_by=officer,
        submitted=True,
    )


def test_the_approvers_form_links_to_the_action_and_shows_its_recent_months(
    client, approver, eight_months
):
    client.force_login(approver)
    response = client.get(approve_url(eight_months))
    page = text(response)
    html = response.content.decode()
    assert f'href="{eight_months.action.get_absolute_url()}"' in html
    assert "The last 6 months rated" in page
    recent = re.findall(r"(\w+ 20\d\d) (Red|Amber) ", page[page.index("The last 6 months") :])
    assert [month for month, _ in recent[:6]] == [
        "June 2018",
        "May 2018",
        "April 2018",
        "March 2018",
        "February 2018",
        "January 2018",
    ]
    assert "December 2017" not in page[page.index("The last 6 months") :]
    assert "This update" in page and "Accepted by" in page


def test_the_approvers_form_shows_what_changed_from_the_month_before(
    client, approver, eight_months
):
    client.force_login(approver)
    page = text(client.get(approve_url(eight_months)))
    assert "Change from May 2018: Amber to Red" in page
    assert "Commentary for May 2018: Drafting, May 2018" in page
    assert "Staffing report" in page and "https://example.org/staffing" in page


def test_the_approvers_form_says_when_the_rating_is_unchanged(client, approver, june_rating):
    RatingFactory(action=june_rating.action, month=datetime.date(2018, 5, 1), rating="amber")
    client.force_login(approver)
    assert "Change from May 2018: none, Amber as before" in text(
        client.get(approve_url(june_rating))
    )


def test_the_approvers_form_shows_the_reason_for_a_correction_and_what_it_changed(
    client, approver, officer, june_rating
):
    rating_decide(rating=june_rating, user=approver, expected_version=1, accept=True)
    june_rating.refresh_from_db()
    rating_correct(
        original=june_rating,
        user=officer,
        expected_version=2,
        reason="The panel met after all",
        rating="green",
        commentary="Signed off on 28 June",
        evidence="Panel minutes",
        evidence_links="",
        wider_system="",
    )
    client.force_login(approver)
    page = text(client.get(approve_url(june_rating)))
    assert "This update corrects an earlier one" in page
    assert "Reason for the correction: The panel met after all" in page
    assert "Rating: Amber to Green" in page
    assert "Accepted until now: Amber" in page


def test_a_first_update_says_there_is_no_month_before(client, approver, june_rating):
    client.force_login(approver)
    page = text(client.get(approve_url(june_rating)))
    assert "Change from the month before: no earlier month is rated" in page
    assert "This update corrects an earlier one" not in page
