"""Every bad input gets a clear message beside its field and in the summary, keeps what the
user typed, and stores nothing."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import Rating
from tests.factories import ActionFactory, RatingFactory

GOOD = {"month": "2018-07", "rating": "amber", "commentary": "Moving", "evidence": ""}
NEXT_MONTH = (timezone.localdate().replace(day=28) + datetime.timedelta(days=5)).strftime("%Y-%m")


def post(client, action, **changes):
    data = {**GOOD, **changes}
    return client.post(reverse("actions:rating-create", args=[action.pk]), data)


def assert_refused(response, field, message, action, ratings_before=0):
    page = response.content.decode()
    assert response.status_code == 200
    assert re.search(r"<title>\s*Error: ", page)
    assert "There is a problem" in page
    assert f'href="#id_{field}' in page  # the summary links to the field
    assert page.count(message) == 2  # in the summary and beside the field
    assert 'aria-describedby="' in page
    assert action.ratings.count() == ratings_before


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"rating": ""}, "rating", "Select a rating"),
        ({"rating": "purple"}, "rating", "Select a rating"),
        (
            {"rating": "red", "commentary": ""},
            "commentary",
            "Enter commentary explaining the red or amber rating",
        ),
        (
            {"rating": "amber", "commentary": "   \n "},
            "commentary",
            "Enter commentary explaining the red or amber rating",
        ),
        ({"commentary": "x" * 5001}, "commentary", "Commentary must be 5,000 characters or fewer"),
        ({"commentary": "bad \x00 byte"}, "commentary", "Null characters are not allowed."),
        (
            {"rating": "green", "commentary": "Done", "evidence": ""},
            "evidence",
            "Enter the evidence that the work is completed or embedding, or a link to it",
        ),
        (
            {"evidence_links": "javascript:alert(1)"},
            "evidence_links",
            "Enter each evidence link as a full web address starting with https:// or http://",
        ),
        (
            {"evidence_links": "https://example.org/a\nftp://example.org/b"},
            "evidence_links",
            "Enter each evidence link as a full web address starting with https:// or http://",
        ),
        (
            {"month": NEXT_MONTH},
            "month",
            "You cannot add an update for a month that has not started",
        ),
        (
            {"month": "2018-02"},
            "month",
            "The month must be March 2018 or later, when the plan began",
        ),
        ({"month": "2018-13"}, "month", "Select the month this update is for"),
        ({"month": ""}, "month", "Select the month this update is for"),
    ],
    ids=[
        "no-rating",
        "tampered-rating",
        "red-no-commentary",
        "amber-blank-commentary",
        "commentary-too-long",
        "nul-byte",
        "green-no-evidence",
        "javascript-link",
        "ftp-link",
        "future-month",
        "before-the-plan",
        "impossible-month",
        "no-month",
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_stored(
    client, officer, owned_action, changes, field, message
):
    client.force_login(officer)
    response = post(client, owned_action, **changes)
    assert_refused(response, field, message, owned_action)


def test_what_the_user_typed_is_kept_when_refused(client, officer, owned_action):
    client.force_login(officer)
    response = post(client, owned_action, rating="green", commentary="Zoë's plan – done 🎉")
    page = response.content.decode()
    assert "Zoë&#x27;s plan – done 🎉" in page
    assert (
        'value="green" checked' in page
        or 'checked value="green"' in page
        or re.search(r'value="green"[^>]*checked', page)
    )
    assert 'value="2018-07" selected' in page


def test_a_changed_rating_needs_commentary(client, officer, june_rating):
    client.force_login(officer)
    response = post(client, june_rating.action, rating="grey", commentary="", month="2018-07")
    assert_refused(
        response,
        "commentary",
        "Enter commentary explaining why the rating changed from Amber in June 2018",
        june_rating.action,
        ratings_before=1,
    )


def test_a_month_that_already_has_a_rating_is_refused(client, officer, june_rating):
    client.force_login(officer)
    response = post(client, june_rating.action, month="2018-06")
    assert_refused(
        response,
        "month",
        "June 2018 already has a rating: correct it from the action&#x27;s page",
        june_rating.action,
        ratings_before=1,
    )


def test_a_good_update_is_stored_as_the_officers_and_says_so(client, officer, owned_action):
    client.force_login(officer)
    response = post(
        client,
        owned_action,
        rating="green",
        commentary="<script>alert(1)</script> {{ x }}",
        evidence="Minutes of 4 July",
        evidence_links="https://example.org/minutes",
        source="published_document",
        recorded_by=999,
        version=7,
    )
    assert response.status_code == 302
    assert response["Location"] == owned_action.get_absolute_url()
    rating = owned_action.ratings.get()
    assert (rating.month, rating.rating, rating.recorded_by, rating.source, rating.version) == (
        datetime.date(2018, 7, 1),
        "green",
        officer,
        "user",
        1,
    )
    page = client.get(response["Location"]).content.decode()
    assert "Update recorded" in page and 'role="alert"' in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ x }}" in page
    assert "<script>alert(1)" not in page


def test_the_form_offers_the_months_from_the_plan_start_to_now(client, officer, owned_action):
    client.force_login(officer)
    page = client.get(reverse("actions:rating-create", args=[owned_action.pk])).content.decode()
    this_month = timezone.localdate().strftime("%Y-%m")
    assert f'value="{this_month}" selected' in page
    assert 'value="2018-03"' in page and 'value="2018-02"' not in page
    assert "Green – completed / embedding" in page
    assert "Grey – being addressed via wider / alternative systems" in page
    assert "novalidate" in page and " required" not in page


def test_a_published_rating_is_not_held_to_the_officers_rules(db):
    # The printed Green ratings carry no evidence; they are loaded as printed.
    rating = RatingFactory.build(
        action=ActionFactory(), published=True, rating="green", evidence=""
    )
    rating.full_clean()  # raises if held to the officers' rules
    rating.save()
    assert Rating.objects.get().evidence == ""
