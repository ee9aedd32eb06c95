"""A plan's life (rules.plan_life): flags, warning signs and reminders on live plans only,
with the closing day's boundaries; a closed plan reads as a record and refuses updates
(form, service, page and admin) until an administrator reopens it; the months that can
still be rated."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from actions.forms import RatingForm
from actions.models import Action, PlanLife, Rating
from actions.rules import flags, plan_life
from actions.rules.warning_signs import warning_signs
from actions.services import rating_correct, rating_record
from tests.factories import ActionFactory, PlanLifeFactory, RatingFactory
from tests.factories.plan_lives import CLOSED_ON

pytestmark = pytest.mark.django_db

DAY_BEFORE = CLOSED_ON - datetime.timedelta(days=1)
DAY_AFTER = CLOSED_ON + datetime.timedelta(days=1)


def at(day):
    """Travel to midday on `day` (local time), frozen."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    return time_machine.travel(moment, tick=False)


def amber_action(**fields):
    """An overdue Amber action, with no evidence or commentary for months: every flag and
    the signs "Overdue but not Red" and "No new commentary"."""
    action = ActionFactory(due_date=datetime.date(2018, 6, 30), **fields)
    RatingFactory(action=action, month=datetime.date(2018, 4, 1), rating="amber", commentary="")
    return Action.objects.for_list().with_warning_data().get(pk=action.pk)


def close(plan, **fields):
    return PlanLifeFactory(plan=plan, closed=True, **fields)


def keys(found):
    return {item.key for item in found}


class TestFlagsAndSigns:
    def test_on_a_live_plan_until_the_day_before_it_closes(self):
        action = amber_action()
        close(action.required_outcome.plan)
        action = Action.objects.for_list().with_warning_data().get(pk=action.pk)
        assert keys(flags.flags(action, DAY_BEFORE)) == {"due", "overdue", "stuck"}
        assert keys(warning_signs(action, DAY_BEFORE)) == {"overdue_not_red", "unchanged"}
        for day in (CLOSED_ON, DAY_AFTER, datetime.date(2026, 12, 2)):
            assert flags.flags(action, day) == []
            assert warning_signs(action, day) == []

    def test_a_closed_plan_reads_as_a_record(self):
        action = amber_action()
        plan = close(action.required_outcome.plan).plan
        assert plan_life.record_note(plan, DAY_BEFORE) == ""
        assert plan_life.record_note(plan, CLOSED_ON) == (
            "Closed on 20 November 2019; superseded by the Accelerated Progress Plan (APP). "
            "It reads as a record: no flags, reminders or warning signs."
        )

    def test_a_draft_and_a_plan_not_yet_live_raise_nothing(self):
        action = amber_action()
        life = PlanLifeFactory(plan=action.required_outcome.plan, draft=True)
        action = Action.objects.for_list().with_warning_data().get(pk=action.pk)
        assert flags.flags(action, DAY_BEFORE) == []
        life.status, life.live_from = "live", DAY_BEFORE
        life.save()
        action = Action.objects.for_list().with_warning_data().get(pk=action.pk)
        assert flags.flags(action, DAY_BEFORE - datetime.timedelta(days=1)) == []
        assert flags.flags(action, DAY_BEFORE) != []

    def test_the_overdue_filter_takes_live_plans_only(self):
        action = amber_action()
        assert list(Action.objects.overdue(DAY_AFTER)) == [action]
        close(action.required_outcome.plan)
        assert list(Action.objects.overdue(DAY_BEFORE)) == [action]
        assert list(Action.objects.overdue(CLOSED_ON)) == []


class TestStuckToToday:
    """Stuck counts from the first month of the latest run of one rating to today's month."""

    @pytest.mark.parametrize(
        "today, stuck",
        [
            (datetime.date(2018, 7, 31), False),  # June and July: two months
            (datetime.date(2018, 8, 1), True),  # June, July and August: three
            (datetime.date(2026, 12, 2), True),
        ],
    )
    def test_one_amber_and_nothing_since(self, today, stuck):
        action = ActionFactory()
        RatingFactory(action=action, month=datetime.date(2018, 6, 1), rating="amber")
        assert flags.is_stuck(Action.objects.for_list().get(pk=action.pk), today) is stuck

    @pytest.mark.parametrize(
        "history, today, stuck",
        [
            ([(6, "red"), (7, "amber")], datetime.date(2018, 8, 31), False),
            ([(6, "red"), (7, "amber")], datetime.date(2018, 9, 1), True),
            ([(6, "amber"), (7, "green")], datetime.date(2019, 9, 1), False),
        ],
    )
    def test_the_run_starts_at_the_latest_change(self, history, today, stuck):
        action = ActionFactory()
        for number, colour in history:
            RatingFactory(action=action, month=datetime.date(2018, number, 1), rating=colour)
        assert flags.is_stuck(Action.objects.for_list().get(pk=action.pk), today) is stuck


class TestUpdatesRefusedOnAClosedPlan:
    def test_the_service_refuses_a_new_month_and_a_correction(self, officer, owned_action):
        rating = RatingFactory(action=owned_action, month=datetime.date(2019, 6, 1))
        close(owned_action.required_outcome.plan)
        with at(DAY_AFTER):
            with pytest.raises(ValidationError, match="takes no more updates"):
                rating_record(
                    action=owned_action,
                    month=datetime.date(2019, 7, 1),
                    user=officer,
                    rating="amber",
                    commentary="Moving",
                    evidence="",
                    evidence_links="",
                )
            with pytest.raises(ValidationError, match="Closed on 20 November 2019"):
                rating_correct(
                    original=rating,
                    user=officer,
                    expected_version=rating.version,
                    reason="Typo",
                    rating="red",
                    commentary="Stalled",
                )
        assert Rating.objects.get().rating == "amber"
        assert Rating.objects.count() == 1

    def test_the_form_says_why(self, owned_action):
        close(owned_action.required_outcome.plan)
        with at(DAY_AFTER):
            form = RatingForm(
                {"month": "2019-10", "rating": "amber", "commentary": "x"}, action=owned_action
            )
            assert not form.is_valid()
        assert "takes no more updates" in " ".join(form.non_field_errors())

    def test_the_pages_refuse_and_store_nothing(self, client, officer, owned_action):
        rating = RatingFactory(action=owned_action, month=datetime.date(2019, 6, 1))
        close(owned_action.required_outcome.plan)
        client.force_login(officer)
        create = reverse("actions:rating-create", args=[owned_action.pk])
        correct = reverse("actions:rating-correct", args=[owned_action.pk, 2019, 6])
        with at(DAY_AFTER):
            for url in (create, correct):
                assert client.get(url).status_code == 403
                response = client.post(url, {"month": "2019-10", "rating": "red", "reason": "x"})
                assert response.status_code == 403
                assert "Closed on 20 November 2019" in response.content.decode()
            page = client.get(owned_action.get_absolute_url()).content.decode()
        assert create not in page and correct not in page  # no "Record" or "Correct" links
        assert "Closed on 20 November 2019; superseded by" in page
        rating.refresh_from_db()
        assert (rating.rating, Rating.objects.count()) == ("amber", 1)

    def test_the_admin_refuses_a_change_to_a_rating(self, client, administrator, owned_action):
        rating = RatingFactory(action=owned_action, month=datetime.date(2019, 6, 1))
        close(owned_action.required_outcome.plan)
        client.force_login(administrator)
        url = reverse("admin:actions_rating_change", args=[rating.pk])
        data = {
            "action": owned_action.pk,
            "month": "2019-06-01",
            "rating": "red",
            "commentary": "Stalled",
            "evidence": "",
            "evidence_links": "",
            "wider_system": "",
        }
        with at(DAY_AFTER):
            response = client.post(url, data)
        assert response.status_code == 200
        assert "takes no more updates" in response.content.decode()
        rating.refresh_from_db()
        assert rating.rating == "amber"

    def test_an_administrator_reopens_it_and_updates_are_taken_again(
        self, client, administrator, officer, owned_action
    ):
        life = close(owned_action.required_outcome.plan)
        client.force_login(administrator)
        url = reverse("admin:actions_planlife_change", args=[life.pk])
        reopen = {
            "status": "live",
            "live_from": "2018-03-01",
            "closed_on": "",
            "superseded_by": "",
            "basis": "Reopened to record October 2019",
        }
        refused = client.post(url, {**reopen, "closed_on": "2019-11-20"})
        assert "a live or draft plan has none" in refused.content.decode()
        assert client.post(url, reopen).status_code == 302
        life.refresh_from_db()
        assert (life.status, life.closed_on) == ("live", None)
        assert [h.status for h in life.history.order_by("history_date")] == ["closed", "live"]
        client.force_login(officer)
        with at(DAY_AFTER):
            response = client.post(
                reverse("actions:rating-create", args=[owned_action.pk]),
                {"month": "2019-10", "rating": "amber", "commentary": "Late update"},
            )
        assert response.status_code == 302
        assert owned_action.ratings.get().month == datetime.date(2019, 10, 1)


class TestMonthsThatCanBeRated:
    def test_the_plans_months_to_this_month_less_those_rated(self, owned_action):
        RatingFactory(action=owned_action, month=datetime.date(2018, 4, 1))
        with at(datetime.date(2018, 6, 14)):
            form = RatingForm(action=owned_action)
        offered = [value for value, _ in form.fields["month"].widget.choices]
        assert offered == ["2018-06", "2018-05", "2018-03"]

    def test_no_later_than_the_end_of_monitoring(self, owned_action):
        plan = close(owned_action.required_outcome.plan).plan
        assert plan_life.months_that_can_be_rated(plan, DAY_BEFORE)[0] == datetime.date(2019, 11, 1)
        assert plan_life.months_that_can_be_rated(plan, DAY_AFTER) == []

    def test_rating_clean_refuses_a_month_after_the_end_of_monitoring(self, officer, owned_action):
        # A plan closing in the future (administrators date it), so that it still takes updates.
        close(owned_action.required_outcome.plan, closed_on=datetime.date(2019, 12, 20))
        rating = Rating(
            action=owned_action,
            month=datetime.date(2020, 1, 1),
            rating="amber",
            commentary="x",
            recorded_by=officer,
        )
        with at(datetime.date(2019, 12, 19)):
            rating.month = datetime.date(2019, 12, 1)
            rating.full_clean(validate_constraints=False)  # December can be rated
        with at(datetime.date(2019, 12, 19)), pytest.raises(ValidationError) as refused:
            rating.month = datetime.date(2020, 1, 1)
            rating.full_clean(validate_constraints=False)
        assert "has not started" in str(refused.value)

    def test_the_rule_the_form_and_the_model_share(self):
        plan = close(ActionFactory().required_outcome.plan, closed_on=datetime.date(2019, 3, 20))
        plan = plan.plan
        assert plan_life.last_month_to_rate(plan, datetime.date(2019, 3, 19)) == datetime.date(
            2019, 3, 1
        )
        assert plan_life.last_month_to_rate(
            PlanLife(live_from=datetime.date(2018, 3, 1), plan=plan).plan, datetime.date(2019, 1, 5)
        ) == datetime.date(2019, 1, 1)


def test_reminders_skip_closed_plans(officer, owned_action):
    owned_action.due_date = datetime.date(2018, 6, 30)
    owned_action.save()
    close(owned_action.required_outcome.plan)
    out = StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):  # the digest is sent on commit
        call_command("send_reminders", date=DAY_BEFORE.isoformat(), stdout=out)
    assert "1 due, 1 overdue" in out.getvalue()
    assert len(mail.outbox) == 1
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("send_reminders", date="2019-12-02", stdout=out)
    assert len(mail.outbox) == 1  # December: the plan closed in November


def test_my_actions_shows_the_closed_plan_instead_of_flags(client, officer, owned_action):
    RatingFactory(action=owned_action, month=datetime.date(2018, 4, 1))
    close(owned_action.required_outcome.plan)
    client.force_login(officer)
    with at(DAY_AFTER):
        response = client.get(reverse("actions:list"))
    page = response.content.decode()
    assert response.context["rows"][0]["flags"] == []
    assert "Plan closed: a record, no flags" in page
    assert "Closed on 20 November 2019; superseded by the Accelerated Progress Plan" in page
    assert "Due for update</strong>" not in page.split("</p>", 3)[-1]
    assert "<strong>Stuck</strong>" not in page  # no flags' rules for a record either


def test_the_grid_of_a_closed_plan_says_it_is_a_record_but_not_as_at_a_day_it_was_live(
    client, board_member, owned_action
):
    close(owned_action.required_outcome.plan)
    client.force_login(board_member)
    with at(DAY_AFTER):
        now = client.get(reverse("actions:grid")).content.decode()
        then = client.get(reverse("actions:grid"), {"as_at": "31/03/2018"}).content.decode()
    assert "Closed on 20 November 2019; superseded by the Accelerated Progress Plan" in now
    assert "Closed on 20 November 2019" not in then


def test_a_closed_plans_grid_and_weakness_pages_do_not_explain_signs_they_never_raise(
    client, board_member, owned_action
):
    """A record raises no warning signs, so its pages say so and do not tell the reader to
    look for signs under the actions' names; a live plan's pages do."""
    plan = owned_action.required_outcome.plan
    plan.findings.add(owned_action.required_outcome.weakness)
    weakness = reverse("findings:detail", args=[owned_action.required_outcome.weakness.pk])
    client.force_login(board_member)
    signs = "Actions showing a warning sign say so under their name"
    with at(DAY_AFTER):
        live = [client.get(url).content.decode() for url in (reverse("actions:grid"), weakness)]
    assert all(signs in page for page in live)
    close(plan)
    with at(DAY_AFTER):
        closed = [client.get(url).content.decode() for url in (reverse("actions:grid"), weakness)]
    assert not any(signs in page for page in closed)
    assert "It reads as a record: no flags, reminders or warning signs" in closed[0]
