"""What text people may type, and exports that survive whatever text is already stored.

Word pastes a vertical tab (\\x0b) for Shift+Enter, and openpyxl refuses to write it (and
the other control characters): one such rating used to make grid.xlsx answer 500 for
everyone, and as at that day for ever, since history is append-only. So the forms turn
Word's line breaks into plain ones and refuse other control characters, the models'
validators refuse them in the admin too, and every export cleans what is already stored.
"""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from actions import roles
from actions.forms import ApprovalForm, FigureForm, PublicSummaryForm
from actions.models import MeasureFigure, Plan, PublicSummary, Rating
from actions.reports.exports import spreadsheet_safe
from tests.factories import (
    ActionFactory,
    MeasureFactory,
    PlanFactory,
    RatingFactory,
    UserFactory,
)
from tests.helpers import from_header

WORD_TEXT = "Line one\x0bline two\x01 and more"
READS_AS = "Line one\nline two and more"


@pytest.fixture
def board(db):
    return UserFactory(username="board", role=roles.BOARD_MEMBER)


def csv_rows(client, **params):
    response = client.get(reverse("actions:grid-csv"), params)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return from_header(csv.reader(io.StringIO(text)))


def xlsx_rows(client, **params):
    response = client.get(reverse("actions:grid-xlsx"), params)
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return from_header(sheet.iter_rows(values_only=True))


def commentary_of(rows, action):
    return next(row[5] for row in rows if row[2] == action.code)


def test_stored_control_characters_do_not_break_the_exports(client, board):
    """Stored before the validators existed (the factory saves without full_clean), and
    so in the history too: the XLSX and CSV answer, and the text reads as meant."""
    action = ActionFactory(text="Do the \x02thing")
    RatingFactory(action=action, rating="amber", commentary=WORD_TEXT)
    client.force_login(board)
    assert commentary_of(xlsx_rows(client), action) == READS_AS
    assert commentary_of(csv_rows(client), action) == READS_AS
    assert next(r for r in xlsx_rows(client) if r[2] == action.code)[3] == "Do the thing"


def test_stored_control_characters_as_at_a_past_day(client, board):
    long_ago = timezone.make_aware(datetime.datetime(2018, 6, 20, 10, 0))
    action = ActionFactory()
    RatingFactory(action=action, rating="red", commentary=WORD_TEXT, history_date=long_ago)
    client.force_login(board)
    assert commentary_of(xlsx_rows(client, as_at="30/06/2018"), action) == READS_AS
    assert commentary_of(csv_rows(client, as_at="30/06/2018"), action) == READS_AS


def test_the_board_pack_html_is_cleaned_before_weasyprint():
    from actions.rules.text import printable

    assert printable("a\x0bb\x01c\x00d\te\nf\rg") == "a\nbcd\te\nf\rg"
    assert printable(None) is None and printable(3) == 3


def rating_form_post(client, action, commentary, **more):
    data = {"month": "2018-07", "rating": "amber", "commentary": commentary, "evidence": ""}
    return client.post(reverse("actions:rating-create", args=[action.pk]), {**data, **more})


def test_the_form_refuses_a_control_character_naming_the_field(client, owned_action, officer):
    client.force_login(officer)
    response = rating_form_post(client, owned_action, "Started\x01")
    page = response.content.decode()
    assert response.status_code == 200
    message = "Commentary cannot contain control characters"
    assert page.count(message) == 2, page[:2000]  # in the summary and beside the field
    assert 'href="#id_commentary"' in page
    assert not owned_action.ratings.exists()

    response = rating_form_post(
        client, owned_action, "Started", evidence_links="https://example.org/\x7f"
    )
    assert response.content.decode().count("Evidence links cannot contain control") == 2
    assert not owned_action.ratings.exists()


def test_the_form_turns_words_line_breaks_into_plain_ones(client, owned_action, officer):
    client.force_login(officer)
    response = rating_form_post(
        client, owned_action, "Line one\x0bline two\r\nline three\rfour\ttab", evidence="E\x0bF"
    )
    assert response.status_code == 302
    rating = owned_action.ratings.get()
    assert rating.commentary == "Line one\nline two\nline three\nfour\ttab"
    assert rating.evidence == "E\nF"


TYPED_FIELDS = [
    (Rating, "commentary"),
    (Rating, "evidence"),
    (Rating, "evidence_links"),
    (Rating, "wider_system"),
    (Rating, "board_note"),
    (Rating, "return_reason"),
    (MeasureFigure, "source"),
    (MeasureFigure, "note"),
    (PublicSummary, "plain_english"),
    (PublicSummary, "being_done"),
    (PublicSummary, "you_said_we_did"),
    (Plan, "title"),
    (Plan, "short_name"),
]


@pytest.mark.parametrize("model, name", TYPED_FIELDS)
def test_every_typed_field_refuses_control_characters_in_the_admin_too(model, name):
    """The models' own validators, which the admin's forms and full_clean run."""
    field = model._meta.get_field(name)
    for bad in ("a\x01b", "a\x0bb", "a\x1fb", "a\x7fb"):
        with pytest.raises(Exception) as refused:
            field.run_validators(bad)
        assert "cannot contain control characters" in str(refused.value)
        assert str(field.verbose_name).lower() in str(refused.value).lower()
    good = "Zoë, O'Neill, ŵ ŷ 😀"
    if name == "evidence_links":
        good = "https://example.org/a\nhttps://example.org/b"
    field.run_validators(good)


@pytest.mark.parametrize("name", ["title", "short_name"])
def test_a_plans_names_are_one_line(name):
    field = Plan._meta.get_field(name)
    for bad in ("WSOA\n2018", "WSOA\t2018", "WSOA\r"):
        with pytest.raises(Exception, match="cannot contain control characters"):
            field.run_validators(bad)


def test_the_approval_form_cleans_its_text(june_rating):
    form = ApprovalForm(
        {"decision": "return", "return_reason": "Not\x01yet", "version": 1}, rating=june_rating
    )
    assert not form.is_valid()
    assert "Return reason cannot contain control characters" in form.errors["return_reason"][0]
    form = ApprovalForm(
        {"decision": "accept", "board_note": "One\x0bTwo", "version": 1}, rating=june_rating
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["board_note"] == "One\nTwo"


def test_the_figure_and_summary_forms_clean_their_text(owned_action):
    measure = MeasureFactory(plan=owned_action.required_outcome.plan)
    form = FigureForm(
        {"period_end": "30/06/2018", "value": "4", "source": "Dash\x01", "note": "a\x0bb"},
        measure=measure,
    )
    assert not form.is_valid()
    assert list(form.errors) == ["source"]
    assert form.cleaned_data["note"] == "a\nb"
    form = PublicSummaryForm(
        {"plain_english": "Plain\x0bwords", "being_done": "x\x08", "you_said_we_did": "y"}
    )
    assert not form.is_valid()
    assert list(form.errors) == ["being_done"]
    assert form.cleaned_data["plain_english"] == "Plain\nwords"


# Item 11: full-width formula starts, and file names.


@pytest.mark.parametrize("start", ["＝", "＋", "－", "＠", "=", "+", "-", "@", "\t", "\r"])
def test_full_width_formula_starts_are_neutralised(start):
    assert spreadsheet_safe(f"{start}SUM(A1)") == f"'{start}SUM(A1)"
    assert spreadsheet_safe("Plain") == "Plain"


def test_full_width_formulas_in_the_exports(client, board):
    action = ActionFactory()
    RatingFactory(action=action, rating="red", commentary='＝HYPERLINK("http://x")')
    client.force_login(board)
    assert commentary_of(csv_rows(client), action) == '\'＝HYPERLINK("http://x")'
    assert commentary_of(xlsx_rows(client), action) == '\'＝HYPERLINK("http://x")'


def test_download_names_are_safe_ascii():
    from actions.reports.names import download_name

    assert download_name("WSOA\r\n2018", "progress") == "wsoa-2018-progress"
    assert download_name('Zoë "plan"; x=1/..\\', "a b") == "zoe-plan-x-1-a-b"
    assert download_name("\x00\n", "") == "export"


def test_a_newline_in_the_plans_short_name_does_not_break_the_exports(client, board):
    plan = PlanFactory()
    Plan.objects.filter(pk=plan.pk).update(short_name="WSOA\n2018")
    client.force_login(board)
    for name in ("actions:grid-csv", "actions:grid-xlsx"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert 'filename="wsoa-2018-progress-as-at-' in response["Content-Disposition"]


# Item 11: public summaries are read only in the admin; a figure's period ends a month.


def test_public_summaries_cannot_be_deleted_in_the_admin(client, administrator):
    from tests.factories import PublicSummaryFactory

    summary = PublicSummaryFactory()
    client.force_login(administrator)
    url = reverse("admin:actions_publicsummary_delete", args=[summary.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:actions_publicsummary_changelist")
    response = client.post(
        changelist, {"action": "delete_selected", "_selected_action": [summary.pk], "post": "yes"}
    )
    assert PublicSummary.objects.filter(pk=summary.pk).exists()
    assert "delete_selected" not in client.get(changelist).content.decode()
    assert response.status_code in (200, 302)


@pytest.mark.parametrize("day", ["15/06/2018", "29/06/2018", "01/07/2018", "28/02/2020"])
def test_a_figures_period_ends_on_the_last_day_of_a_month(client, officer, owned_action, day):
    measure = MeasureFactory(plan=owned_action.required_outcome.plan)
    measure.actions.add(owned_action)
    client.force_login(officer)
    url = reverse("actions:figure-create", args=[measure.slug])
    response = client.post(url, {"period_end": day, "value": "45", "source": "Dashboard"})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("Enter the last day of the period, for example 30/06/2018") == 2
    assert not MeasureFigure.objects.exists()


@pytest.mark.parametrize(
    "day, ends_a_month",
    [
        (datetime.date(2018, 6, 30), True),
        (datetime.date(2018, 8, 31), True),
        (datetime.date(2020, 2, 29), True),
        (datetime.date(2019, 2, 28), True),
        (datetime.date(2020, 2, 28), False),
        (datetime.date(2018, 6, 15), False),
        (datetime.date(2018, 7, 1), False),
    ],
)
def test_the_model_and_the_database_refuse_a_recorded_period_that_ends_mid_month(
    officer, owned_action, day, ends_a_month
):
    """A figure someone records; the record's own (recorded by nobody) keep their day."""
    from django.core.exceptions import ValidationError

    from tests.database import refused
    from tests.factories import MeasureFigureFactory

    measure = MeasureFactory(plan=owned_action.required_outcome.plan)
    figure = MeasureFigure(
        measure=measure, period_end=day, value=4, source="x", recorded_by=officer
    )
    if ends_a_month:
        figure.clean()
    else:
        with pytest.raises(ValidationError, match="Enter the last day of the period"):
            figure.clean()
    if day.day < 28:  # the database's check knows month ends by their text
        refused(lambda: MeasureFigureFactory(measure=measure, period_end=day, recorded_by=officer))
        MeasureFigureFactory(measure=measure, period_end=day, recorded_by=None)  # the record's
