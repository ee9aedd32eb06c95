"""Bad input gets a clear answer, never a server error, and stores nothing (issue 12,
item 7): correcting a published rating against the rating rules, an over-long username,
NUL bytes in the query string, impossible months in rating URLs, and two figures for the
same period at once."""

import datetime
import html
import os
import re
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from actions.models import Rating, RatingSource
from tests.factories import (
    MeasureFactory,
    MeasureFigureFactory,
    RatingFactory,
    RoleHoldingFactory,
    UserFactory,
)
from tests.helpers import reopen_the_wsoa


def page_text(response):
    return html.unescape(response.content.decode())


def assert_form_again_with(response, message, kept=()):
    """The GOV.UK pattern: the form again (200), "Error: " in the title, the summary with
    the message, and every text the user typed still in the form."""
    assert response.status_code == 200
    text = page_text(response)
    title = re.search(r"<title>(.*?)</title>", text, re.S).group(1).strip()
    assert title.startswith("Error: "), title
    assert "There is a problem" in text
    assert message in text, text[:3000]
    for typed in kept:
        assert typed in text


# 1. Correcting one of the published March 2018 ratings against the rating rules.


class CorrectingAPublishedRatingTests(TestCase):
    """The ratings printed in the WSOA are loaded as the March 2018 ratings, from the
    published document, where the officers' rules do not apply; a correction is the user's,
    and must meet them, with the form saying so, never a server error."""

    @classmethod
    def setUpTestData(cls):
        call_command("load_record", stdout=StringIO())
        reopen_the_wsoa()  # closed on 20 November 2019: reopened to correct its ratings
        cls.administrator = UserFactory(username="administrator", administrator=True)
        cls.published = Rating.objects.filter(source=RatingSource.PUBLISHED_DOCUMENT).order_by("pk")

    def setUp(self):
        self.client.force_login(self.administrator)

    def correct(self, target, **values):
        url = reverse(
            "actions:rating-correct", args=[target.action_id, target.month.year, target.month.month]
        )
        data = {
            "commentary": "",
            "evidence": "",
            "evidence_links": "",
            "wider_system": "",
            "reason": "The printed rating was wrong: Ann's note of 3 April",
            "version": target.version,
            **values,
        }
        return self.client.post(url, data)

    def assert_nothing_stored(self, rating):
        before = (rating.rating, rating.commentary, rating.evidence, rating.version, rating.source)
        history = rating.history.count()
        rating.refresh_from_db()
        assert (
            rating.rating,
            rating.commentary,
            rating.evidence,
            rating.version,
            rating.source,
        ) == before
        assert rating.history.count() == history

    def test_amber_with_no_commentary_is_the_form_again_with_the_text_kept(self):
        rating = self.published.first()
        response = self.correct(rating, rating="amber", evidence="The panel minutes, May 2018")
        assert_form_again_with(
            response,
            "Enter commentary explaining the red or amber rating",
            kept=["The panel minutes, May 2018", "Ann's note of 3 April"],
        )
        self.assert_nothing_stored(rating)

    def test_red_with_only_spaces_for_commentary_is_refused(self):
        rating = self.published.first()
        response = self.correct(rating, rating="red", commentary="   ", evidence="Minutes")
        assert_form_again_with(response, "Enter commentary explaining the red or amber rating")
        self.assert_nothing_stored(rating)

    def test_green_with_no_evidence_is_the_form_again_with_the_text_kept(self):
        rating = self.published.first()
        response = self.correct(rating, rating="green", commentary="Embedded since April")
        assert_form_again_with(
            response,
            "Enter the evidence that the work is completed or embedding, or a link to it",
            kept=["Embedded since April"],
        )
        self.assert_nothing_stored(rating)

    def test_a_change_from_the_published_rating_without_commentary_is_refused(self):
        """April's update changes the rating from March's printed one: it needs commentary,
        and correcting it without any says so."""
        march = self.published.exclude(rating="green").first()
        april = RatingFactory(
            action=march.action,
            month=datetime.date(2018, 4, 1),
            rating=march.rating,
            commentary="As printed",
            recorded_by=self.administrator,
        )
        response = self.correct(april, rating="green", evidence="Signed off by the board")
        assert_form_again_with(
            response,
            f"Enter commentary explaining why the rating changed from "
            f"{march.get_rating_display()} in March 2018",
            kept=["Signed off by the board"],
        )
        self.assert_nothing_stored(april)

    def test_a_correction_meeting_the_rules_is_stored_as_the_users(self):
        rating = self.published.first()
        response = self.correct(
            rating, rating="amber", commentary="Slower than printed", evidence="Minutes"
        )
        assert response.status_code == 302
        rating.refresh_from_db()
        assert (rating.rating, rating.source, rating.recorded_by) == (
            "amber",
            RatingSource.USER,
            self.administrator,
        )

    def test_the_service_refuses_what_the_rules_refuse_with_a_validation_error(self):
        """The service applies the same rules itself, raising ValidationError (which the
        view shows as the form's errors), whoever calls it."""
        from django.core.exceptions import ValidationError

        from actions.services import rating_correct

        rating = self.published.first()
        with pytest.raises(ValidationError) as raised:
            rating_correct(
                original=rating,
                user=self.administrator,
                expected_version=rating.version,
                reason="Checking",
                rating="amber",
                commentary="",
                evidence="",
                evidence_links="",
                wider_system="",
            )
        assert "commentary" in raised.value.message_dict
        self.assert_nothing_stored(rating)

    def test_an_error_the_service_finds_after_the_form_is_shown_on_the_form(self):
        """Should the service find what the form did not (here, a rule only the service
        checks), the user sees it in the form with their text, not a server error."""
        from django.core.exceptions import ValidationError

        rating = self.published.first()
        refusal = ValidationError(
            {"commentary": "Refused by the service", "month": "A month error"}
        )
        with mock.patch("actions.views.updates.rating_correct", side_effect=refusal):
            response = self.correct(rating, rating="amber", commentary="My careful words")
        assert_form_again_with(
            response, "Refused by the service", kept=["My careful words", "A month error"]
        )
        self.assert_nothing_stored(rating)


# 2. A username over 255 characters, at sign-in and at password change.


@pytest.mark.parametrize("length", [151, 256, 10_000])
def test_an_over_long_username_at_sign_in_is_the_usual_refusal(client, db, length):
    from axes.models import AccessAttempt

    response = client.post(reverse("sign-in"), {"username": "u" * length, "password": "x" * 20})
    assert_form_again_with(
        response, "Enter a correct username and password. Both are case-sensitive."
    )
    assert not AccessAttempt.objects.filter(username__startswith="u" * 150).exists()


def test_a_long_but_possible_username_still_counts_towards_the_lockout(client, db):
    from axes.models import AccessAttempt

    response = client.post(reverse("sign-in"), {"username": "u" * 150, "password": "x" * 20})
    assert response.status_code == 200
    assert AccessAttempt.objects.filter(username="u" * 150).exists()


@pytest.mark.parametrize("length", [256, 10_000])
def test_over_long_passwords_at_password_change_are_a_clear_answer(client, officer, length):
    client.force_login(officer)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "p" * length,
            "new_password1": "n" * length,
            "new_password2": "n" * length,
        },
    )
    assert_form_again_with(response, "Your old password was entered incorrectly")
    officer.refresh_from_db()
    assert officer.check_password("a long test passphrase")


# 3. A NUL byte in the query string.

NUL_QUERIES = [
    ("actions:grid", {"plan": "\x00"}),
    ("actions:grid", {"plan": "test-plan\x00"}),
    ("actions:grid", {"weakness": "\x00"}),
    ("actions:grid", {"owner": "1\x00"}),
    ("actions:grid", {"organisation": "\x00"}),
    ("actions:grid", {"as_at": "31/03/2018\x00"}),
    ("actions:grid", {"latest_rating": "\x00"}),
    ("actions:grid-csv", {"plan": "\x00"}),
    ("actions:grid-xlsx", {"plan": "\x00"}),
    ("actions:board-pack", {"plan": "\x00"}),
    ("actions:measures", {"plan": "\x00"}),
    ("actions:list", {"owner": "\x00"}),
    ("sign-in", {"next": "/actions/\x00"}),
    ("actions:grid", {"\x00": "1"}),
]


@pytest.mark.parametrize(("name", "query"), NUL_QUERIES, ids=[repr(q) for _, q in NUL_QUERIES])
def test_a_nul_byte_in_the_query_string_is_a_bad_request(client, administrator, name, query):
    client.force_login(administrator)
    response = client.get(reverse(name), query)
    assert response.status_code == 400
    assert "Sorry, there is a problem with that request" in page_text(response)


def test_a_nul_byte_in_a_slug_is_not_found(client, administrator):
    client.force_login(administrator)
    assert client.get("/actions/measures/a%00b/").status_code == 404
    assert client.get("/actions/measures/a%00b/figures/new/").status_code == 404


def test_a_nul_byte_in_a_posted_text_is_the_form_again_with_the_text_kept(
    client, officer, owned_action
):
    """Posted forms say so in the field (Django's CharField refuses NUL), keeping the
    user's other text, rather than a bare 400."""
    client.force_login(officer)
    response = client.post(
        reverse("actions:rating-create", args=[owned_action.pk]),
        {"month": "2018-07", "rating": "amber", "commentary": "Nearly\x00", "evidence": "Kept"},
    )
    assert_form_again_with(response, "Null characters are not allowed.", kept=["Kept"])
    assert not owned_action.ratings.exists()


# 4. Impossible months in rating URLs.

IMPOSSIBLE_MONTHS = [
    (0, 6),
    (99999, 6),
    (10**20, 6),
    (2018, 10**20),
    (2018, 13),
    (2018, 0),
    (1, 1),
    (9999, 12),
]


@pytest.mark.parametrize("view", ["actions:rating-correct", "actions:rating-approve"])
@pytest.mark.parametrize(("year", "month"), IMPOSSIBLE_MONTHS)
def test_an_impossible_month_in_a_rating_url_is_not_found(
    client, administrator, approver, june_rating, view, year, month
):
    client.force_login(administrator if view == "actions:rating-correct" else approver)
    url = reverse(view, args=[june_rating.action_id, year, month])
    assert client.get(url).status_code == 404
    assert client.post(url, {"version": 1}).status_code == 404


# 5. Two figures for the same period at once.

FIGURE = {"period_end": "30/06/2018", "value": "45", "source": "EHCP dashboard"}
ALREADY = "A figure for the period ending 30/06/2018 is already recorded"


@pytest.fixture
def measure(owned_action):
    measure = MeasureFactory(plan=owned_action.required_outcome.plan, slug="timeliness")
    measure.actions.add(owned_action)
    return measure


def someone_elses_figure(measure):
    return MeasureFigureFactory(
        measure=measure, value=12, source="Another officer", recorded_by=UserFactory()
    )


def post_figure(client, measure):
    return client.post(reverse("actions:figure-create", args=[measure.slug]), FIGURE)


def figures(measure):
    return list(measure.figures.values_list("period_end", "value", "source"))


def test_a_figure_recorded_between_the_forms_check_and_the_services_is_refused_clearly(
    client, officer, measure
):
    """The form's check passes; another officer's figure for the period is saved before
    the service validates: the second gets the message and stores nothing."""
    from actions.forms import FigureForm

    check = FigureForm.clean_period_end

    def check_then_someone_else_saves(form):
        value = check(form)
        someone_elses_figure(measure)
        return value

    client.force_login(officer)
    with mock.patch.object(FigureForm, "clean_period_end", check_then_someone_else_saves):
        response = post_figure(client, measure)
    assert_form_again_with(response, ALREADY, kept=["EHCP dashboard"])
    assert figures(measure) == [(datetime.date(2018, 6, 30), 12, "Another officer")]


def test_a_figure_inserted_between_the_services_check_and_its_insert_is_refused_clearly(
    client, officer, measure
):
    """The race proper: every check passes, then the other figure lands first and the
    database's unique constraint (figure_one_per_period) refuses this one."""
    from actions import services

    check = services.period_has_figure
    landed = []

    def check_as_the_other_figure_lands(*args):
        found = check(*args)
        if not landed:
            landed.append(someone_elses_figure(measure))
        return found

    client.force_login(officer)
    with mock.patch.object(services, "period_has_figure", check_as_the_other_figure_lands):
        response = post_figure(client, measure)
    assert landed
    assert_form_again_with(response, ALREADY, kept=["EHCP dashboard"])
    assert figures(measure) == [(datetime.date(2018, 6, 30), 12, "Another officer")]


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL"), reason="SQLite lets one writer in at a time"
)
def test_two_officers_adding_the_same_period_at_once_one_is_stored_the_other_told(
    history_guards_lifted_for_flush, role_groups, django_db_blocker
):
    """Two requests on their own connections both pass every check, then both insert: on
    PostgreSQL the second waits on the unique index until the first commits, and is told.
    (SQLite's IMMEDIATE transactions let only one writer in at a time: no such race.)"""
    import threading

    from django.db import connection
    from django.test import Client

    from actions import services
    from tests.factories import ActionOwnerFactory, OwnerRoleFactory

    action = ActionOwnerFactory(role=OwnerRoleFactory(title="SEN Manager")).action
    measure = MeasureFactory(plan=action.required_outcome.plan, slug="timeliness")
    measure.actions.add(action)
    users = []
    for name in ("first", "second"):
        users.append(RoleHoldingFactory(user__username=name, role=action.owners.get()).user)
    check = services.period_has_figure
    both_checked = threading.Barrier(2, timeout=20)

    def check_then_wait_for_the_other(*args):
        found = check(*args)
        if not found:
            both_checked.wait()
        return found

    responses = {}

    def post(user):
        try:
            client = Client()
            client.force_login(user)
            responses[user.username] = post_figure(client, measure)
        finally:
            connection.close()

    with mock.patch.object(services, "period_has_figure", check_then_wait_for_the_other):
        threads = [threading.Thread(target=post, args=[user]) for user in users]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    statuses = sorted(response.status_code for response in responses.values())
    assert statuses == [200, 302]
    told = next(r for r in responses.values() if r.status_code == 200)
    assert_form_again_with(told, ALREADY, kept=["EHCP dashboard"])
    assert measure.figures.count() == 1


# Found by the fuzz test (tests/test_fuzz.py).


@pytest.mark.parametrize("view", ["actions:rating-approve", "actions:rating-correct"])
def test_an_action_number_too_big_for_the_database_in_a_rating_url_is_not_found(
    client, administrator, approver, june_rating, view
):
    """Django answers "no such row" for an out-of-range pk, but not for a foreign key's
    `action_id=`, which SQLite refused with an OverflowError (a 500)."""
    client.force_login(administrator if view == "actions:rating-correct" else approver)
    url = reverse(view, args=[10**20, 2018, 6])
    assert client.get(url).status_code == 404
    assert client.post(url, {"version": 1}).status_code == 404
