"""Warning signs computed from the data, each rule on small cases with its boundaries, and
where the board sees them: the grid, the weakness pages and "Needs attention"."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import Action
from actions.rules.warning_signs import WARNING_SIGNS, warning_signs
from tests.factories import (
    ActionFactory,
    MeasureFactory,
    MeasureFigureFactory,
    MeasureTargetFactory,
    PlanFactory,
    PlanLifeFactory,
    RatingFactory,
)
from tests.helpers import assert_queries_do_not_grow, table_row

TODAY = datetime.date(2018, 9, 14)


def month(number, year=2018):
    return datetime.date(year, number, 1)


def action_with(*ratings, **action_fields):
    """An action with ratings given as (month number, colour) or (month, colour, {fields})."""
    action = ActionFactory(**action_fields)
    for number, colour, *fields in ratings:
        values = {
            "commentary": f"{colour} in {number}",
            "evidence": "Minutes",
            **(fields or [{}])[0],
        }
        RatingFactory(action=action, month=month(number), rating=colour, **values)
    return Action.objects.with_warning_data().get(pk=action.pk)


def signs(action, today=TODAY):
    return [sign.key for sign in warning_signs(action, today)]


@pytest.mark.django_db
class TestRules:
    def test_green_with_no_evidence(self):
        assert "green_without_evidence" in signs(action_with((9, "green", {"evidence": ""})))
        assert "green_without_evidence" in signs(action_with((9, "green", {"evidence": "  "})))
        with_link = action_with((9, "green", {"evidence": "", "evidence_links": "https://x.org"}))
        assert "green_without_evidence" not in signs(with_link)
        assert "green_without_evidence" not in signs(action_with((9, "green")))
        assert "green_without_evidence" not in signs(action_with((9, "amber", {"evidence": ""})))

    @pytest.mark.parametrize(
        "due, colour, raised",
        [
            (datetime.date(2018, 8, 31), "amber", True),
            (datetime.date(2018, 8, 31), "grey", True),
            (datetime.date(2018, 8, 31), "red", False),
            (datetime.date(2018, 8, 31), "green", False),
            (datetime.date(2018, 9, 14), "amber", False),  # due today: not yet overdue
            (datetime.date(2018, 9, 13), "amber", True),
            (None, "amber", False),
        ],
    )
    def test_overdue_but_not_red(self, due, colour, raised):
        action = action_with((9, colour, {"wider_system": "x"}), due_date=due)
        assert ("overdue_not_red" in signs(action)) is raised

    def test_overdue_and_never_rated_is_not_this_sign(self):
        action = action_with(due_date=datetime.date(2018, 6, 30))
        assert "overdue_not_red" not in signs(action)

    @pytest.mark.parametrize(
        "today, raised",
        [
            (datetime.date(2018, 9, 1), True),  # June to September: exactly three months
            (datetime.date(2018, 9, 30), True),
            (datetime.date(2018, 8, 31), False),  # two months
            (datetime.date(2018, 8, 1), False),
        ],
    )
    def test_same_rating_and_commentary_for_three_months_or_more(self, today, raised):
        action = action_with((6, "amber", {"commentary": "Drafting"}))
        assert ("unchanged" in signs(action, today)) is raised

    def test_repeating_the_same_update_does_not_reset_the_clock(self):
        same = {"commentary": "Drafting "}
        action = action_with((6, "amber", same), (7, "amber", same), (8, "amber", same))
        assert "unchanged" in signs(action, datetime.date(2018, 9, 1))

    def test_new_commentary_or_a_new_rating_resets_the_clock(self):
        new_words = action_with(
            (6, "amber", {"commentary": "Drafting"}), (7, "amber", {"commentary": "Consulting"})
        )
        assert "unchanged" not in signs(new_words, datetime.date(2018, 9, 30))
        assert "unchanged" in signs(new_words, datetime.date(2018, 10, 1))
        new_rating = action_with(
            (6, "red", {"commentary": "Stalled"}), (7, "amber", {"commentary": "Stalled"})
        )
        assert "unchanged" not in signs(new_rating, datetime.date(2018, 9, 30))

    @pytest.mark.parametrize(
        "history, raised",
        [
            ([(6, "green"), (7, "red")], True),
            ([(6, "green"), (8, "red"), (9, "red")], True),  # months not rated in between
            ([(6, "green"), (7, "amber"), (8, "red")], False),
            ([(6, "red"), (7, "red")], False),
            ([(6, "green"), (7, "red"), (8, "amber")], False),  # the jump is no longer latest
            ([(6, "green"), (7, "grey"), (8, "red")], False),
        ],
    )
    def test_green_straight_to_red(self, history, raised):
        action = action_with(*[(m, c, {"wider_system": "x"}) for m, c in history])
        assert ("green_to_red" in signs(action)) is raised

    @pytest.mark.parametrize(
        "figure, colour, raised", [(40, "green", True), (60, "green", False), (40, "amber", False)]
    )
    def test_green_while_a_measure_evidencing_it_is_off_track(self, figure, colour, raised):
        action = ActionFactory()
        measure = MeasureFactory(plan=action.required_outcome.plan)
        measure.actions.add(action)
        MeasureTargetFactory(measure=measure, value=50)
        MeasureFigureFactory(measure=measure, value=figure)
        RatingFactory(action=action, month=month(9), rating=colour, commentary="x", evidence="y")
        action = Action.objects.with_warning_data().get(pk=action.pk)
        assert ("green_measure_off_track" in signs(action)) is raised

    def test_grey_with_no_note_of_the_wider_system(self):
        assert "grey_without_wider_system" in signs(action_with((9, "grey")))
        blank = action_with((9, "grey", {"wider_system": "   "}))
        assert "grey_without_wider_system" in signs(blank)
        named = action_with((9, "grey", {"wider_system": "The SEND sufficiency strategy"}))
        assert "grey_without_wider_system" not in signs(named)

    def test_a_sound_action_shows_no_sign(self):
        assert signs(action_with((8, "amber"), (9, "green"))) == []


def test_the_needs_attention_page_lists_each_sign_with_its_rule(client, board_member):
    green = action_with((9, "green", {"evidence": ""}))
    grey = action_with((9, "grey"))
    client.force_login(board_member)
    response = client.get(reverse("actions:needs-attention"))
    page = response.content.decode()
    for sign in WARNING_SIGNS:
        assert sign.rule.replace("'", "&#x27;") in page
    found = dict((sign.key, actions) for sign, actions in response.context["signs"])
    assert green in found["green_without_evidence"] and grey in found["grey_without_wider_system"]
    assert grey not in found["green_without_evidence"]


def test_the_needs_attention_page_does_not_grow_its_queries(client, board_member):
    def build(count):
        for _ in range(count):
            action = action_with((3, "green", {"evidence": ""}), (4, "red"), (5, "grey"))
            measure = MeasureFactory(plan=action.required_outcome.plan)
            measure.actions.add(action)
            MeasureFigureFactory(measure=measure)

    build(2)
    client.force_login(board_member)
    url = reverse("actions:needs-attention")
    response = assert_queries_do_not_grow(client, url, lambda: build(20))
    found = dict((sign.key, actions) for sign, actions in response.context["signs"])
    assert len(found["grey_without_wider_system"]) == 22


def test_the_grid_and_the_weakness_page_show_the_signs_and_their_rules(client, board_member):
    action = action_with((3, "green", {"evidence": ""}))
    action.required_outcome.plan.findings.add(action.required_outcome.weakness)
    client.force_login(board_member)
    for url in (
        reverse("actions:grid"),
        reverse("findings:detail", args=[action.required_outcome.weakness.pk]),
    ):
        page = client.get(url).content.decode()
        row = table_row(page, f">{action.code}</a>")
        assert "Warning: Green with no evidence" in row
        # Completed work has nothing new to say: Green is never "No new commentary".
        assert "Warning: No new commentary for three months" not in row
        assert WARNING_SIGNS[0].rule in page


def test_the_grid_as_at_a_past_date_shows_no_signs_of_today(client, board_member):
    recorded_then = timezone.make_aware(datetime.datetime(2018, 4, 2, 10, 0))
    action = action_with((3, "green", {"evidence": "", "history_date": recorded_then}))
    client.force_login(board_member)
    today = client.get(reverse("actions:grid")).content.decode()
    assert "Warning: Green with no evidence" in table_row(today, f">{action.code}</a>")
    page = client.get(reverse("actions:grid"), {"as_at": "30/06/2018"}).content.decode()
    assert "Green" in table_row(page, f">{action.code}</a>")
    assert "Warning:" not in page


@pytest.mark.django_db
class TestAGridWindowReadsItsOwnMonths:
    """A page's grid reads the ratings of its window's months onwards; its signs, which may
    read further back, are the same as they are over the action's whole history."""

    def grid(self, *actions):
        from actions.reports.grid import ProgressGrid

        ordered = Action.objects.filter(pk__in=[a.pk for a in actions]).in_plan_order()
        plan = actions[0].required_outcome.plan
        last = datetime.date(2018, 9, 30)
        return ProgressGrid(
            plan, ordered.with_warning_data(), today=TODAY, last_quarter=last, window=1
        )

    def test_signs_that_read_before_the_window_are_the_same(self):
        plan = action_with((1, "green")).required_outcome.plan
        same = {"commentary": "Still waiting", "evidence": "Minutes"}
        cases = [
            # Green before the window, then Red in it: Green to Red.
            action_with(
                (5, "green"), (7, "red"), (8, "red"), (9, "red"), required_outcome__plan=plan
            ),
            # Amber with the same words since May: unchanged.
            action_with((5, "amber", same), (9, "amber", same), required_outcome__plan=plan),
            # Rated only before the window: its latest update is read.
            action_with((4, "green", {"evidence": ""}), required_outcome__plan=plan),
            # Amber to Red with no Green: no sign from before the window.
            action_with((5, "amber"), (8, "red"), (9, "red"), required_outcome__plan=plan),
        ]
        grid = self.grid(*cases)
        shown = {row.action.pk: [sign.key for sign in row.warnings] for row in grid.rows()}
        whole = {a.pk: signs(Action.objects.with_warning_data().get(pk=a.pk)) for a in cases}
        assert shown == whole
        assert "green_to_red" in shown[cases[0].pk]
        assert "unchanged" in shown[cases[1].pk]
        assert "green_without_evidence" in shown[cases[2].pk]
        assert "green_to_red" not in shown[cases[3].pk]

    def test_its_cells_are_the_same_as_the_whole_grids(self):
        from actions.reports.grid import ProgressGrid

        action = action_with((2, "green"), (5, "amber"), (8, "red"), (9, "amber"))
        plan = action.required_outcome.plan
        window = self.grid(action)
        whole = ProgressGrid(plan, Action.objects.filter(pk=action.pk).in_plan_order(), window=None)
        at = whole.quarters.index(datetime.date(2018, 9, 30))
        assert window.quarters == [datetime.date(2018, 9, 30)]
        assert window.rows()[0].cells == [whole.rows()[0].cells[at]]
        assert window.rows()[0].cells[0].rating == "amber"

    def test_a_closed_plans_grid_reads_only_its_windows_months(self):
        """No signs are raised on a closed plan, so nothing before the window is read."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from actions.models import Rating

        plan = PlanFactory()
        PlanLifeFactory(plan=plan, closed=True, closed_on=datetime.date(2018, 9, 1))
        action = action_with((4, "green", {"evidence": ""}), required_outcome__plan=plan)
        with CaptureQueriesContext(connection) as queries:
            grid = self.grid(action)
        table = connection.ops.quote_name(Rating._meta.db_table)
        rows_read = [
            q["sql"] for q in queries if f"FROM {table}" in q["sql"] and "MAX(" not in q["sql"]
        ]
        assert len(rows_read) == 1, rows_read
        assert grid.rows()[0].warnings == []
        assert grid.rows()[0].cells[0].rating is None  # not rated in the window's quarter


@pytest.mark.parametrize("closed", [False, True])
def test_only_a_live_plans_grid_reads_what_its_signs_read(client, board_member, closed):
    """A closed plan reads as a record and raises no signs, so its grid and weakness pages
    do not read the measures each action's signs would weigh (the grid of the real
    record, a closed plan, spent two thirds of its building time on them)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from actions.models import Measure

    action = action_with((3, "green", {"evidence": ""}))
    plan = action.required_outcome.plan
    plan.findings.add(action.required_outcome.weakness)
    if closed:
        PlanLifeFactory(plan=plan, closed=True, closed_on=datetime.date(2018, 9, 1))
    links = connection.ops.quote_name(Measure.actions.through._meta.db_table)
    client.force_login(board_member)
    for url in (
        reverse("actions:grid"),
        reverse("findings:detail", args=[action.required_outcome.weakness.pk]),
    ):
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url).content.decode()
        measures_read = [q["sql"] for q in queries if links in q["sql"]]
        row = table_row(page, f">{action.code}</a>")
        if closed:
            assert measures_read == [], url
            assert "Warning:" not in row
        else:
            assert len(measures_read) == 1, url
            assert "Warning: Green with no evidence" in row
