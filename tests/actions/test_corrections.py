"""Correcting a month keeps the earlier version; two editors never overwrite each other."""

import datetime
import re

import pytest
from django.urls import reverse

from actions.models import Rating
from actions.services import RatingConflict, rating_correct, rating_record
from tests.factories import UserFactory


def correct_url(rating):
    return reverse(
        "actions:rating-correct", args=[rating.action_id, rating.month.year, rating.month.month]
    )


CORRECTION = {"rating": "red", "commentary": "Stalled after all", "evidence": "", "reason": ""}


def test_a_correction_needs_a_reason_and_stores_nothing_without_one(client, officer, june_rating):
    client.force_login(officer)
    response = client.post(correct_url(june_rating), {**CORRECTION, "version": 1})
    page = response.content.decode()
    assert page.count("Enter the reason for the correction") == 2
    june_rating.refresh_from_db()
    assert (june_rating.rating, june_rating.version) == ("amber", 1)
    assert june_rating.history.count() == 1


def test_a_correction_keeps_the_earlier_version_in_the_history(client, officer, june_rating):
    client.force_login(officer)
    response = client.post(
        correct_url(june_rating),
        {**CORRECTION, "reason": "The pilot was cancelled", "version": 1},
    )
    assert response.status_code == 302
    june_rating.refresh_from_db()
    assert (june_rating.rating, june_rating.version) == ("red", 2)
    history = list(june_rating.history.order_by("history_date"))
    assert [h.rating for h in history] == ["amber", "red"]
    assert history[-1].history_change_reason == "The pilot was cancelled"
    assert history[-1].history_user == officer

    page = client.get(june_rating.action.get_absolute_url()).content.decode()
    assert "Corrected the rating for June 2018" in page
    assert "from “Amber” to “Red”" in page
    assert "The pilot was cancelled" in page
    assert "Ann O&#x27;Neill" in page


def test_two_edits_from_the_same_version_one_wins_the_other_is_refused_and_kept(
    client, officer, june_rating
):
    colleague = UserFactory(username="colleague", first_name="Bob", last_name="Byte")
    rating_correct(
        original=june_rating,
        user=colleague,
        expected_version=1,
        reason="Board asked",
        rating="green",
        commentary="Finished",
        evidence="Report",
        evidence_links="",
    )
    client.force_login(officer)
    response = client.post(
        correct_url(june_rating),
        {**CORRECTION, "reason": "My reading", "commentary": "Ann's careful words", "version": 1},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "This update was changed by Bob Byte at" in page
    assert "Ann&#x27;s careful words" in page  # nothing the officer typed is lost
    assert re.search(r"<title>\s*Error: ", page)
    june_rating.refresh_from_db()
    assert (june_rating.rating, june_rating.version, june_rating.recorded_by) == (
        "green",
        2,
        colleague,
    )
    assert june_rating.history.count() == 2  # the original and the colleague's; not the refused
    # Having seen theirs, the officer may save again, now from version 2.
    assert 'name="version" value="2"' in page


def test_the_service_refuses_a_stale_version(june_rating, officer):
    rating_correct(
        original=june_rating,
        user=officer,
        expected_version=1,
        reason="first",
        rating="red",
        commentary="x",
        evidence="",
        evidence_links="",
    )
    with pytest.raises(RatingConflict) as conflict:
        rating_correct(
            original=june_rating,
            user=officer,
            expected_version=1,
            reason="second",
            rating="grey",
            commentary="y",
            evidence="",
            evidence_links="",
        )
    assert conflict.value.current.version == 2
    assert Rating.objects.get().rating == "red"


def test_a_month_recorded_by_someone_else_meanwhile_is_a_conflict_not_a_second_row(
    owned_action, officer
):
    colleague = UserFactory(username="colleague")
    values = {"rating": "amber", "commentary": "x", "evidence": "", "evidence_links": ""}
    july = datetime.date(2018, 7, 1)
    rating_record(action=owned_action, month=july, user=colleague, **values)
    with pytest.raises(RatingConflict) as conflict:
        rating_record(action=owned_action, month=july, user=officer, **values)
    assert conflict.value.current.recorded_by == colleague
    assert owned_action.ratings.count() == 1
