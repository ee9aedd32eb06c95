"""The plan workbook: the WSOA out and back in cell by cell, validation by sheet, row and
column with nothing stored, re-uploads that change only what changed, and edits in the
tracker reported rather than overwritten."""

import io
from collections import Counter
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from openpyxl import load_workbook

from actions.models import Action, ActionOwner, Measure, OwnerRole, Plan, Rating, WorkbookUpload
from actions.record import area as area_reader
from actions.record import reviews as reviews_reader
from actions.record.sync import Sync
from actions.services import PreviewOutOfDate, WorkbookRefused, workbook_confirm, workbook_upload
from actions.workbook import layout
from actions.workbook.export import workbook_bytes
from tests.factories import UserFactory
from tests.helpers import action_by_code

pytestmark = pytest.mark.django_db

PLAN_TABLES = (Plan, Action, ActionOwner, OwnerRole, Measure, Rating, WorkbookUpload)


def load_record():
    call_command(
        "load_record", directory=str(settings.RECORD_DIR), stdout=StringIO(), stderr=StringIO()
    )


def load_inspections_only():
    """An empty tracker but for the area and its inspections, which a plan answers."""
    engine = Sync(settings.RECORD_DIR)
    the_area, organisations = area_reader.load(engine, engine.read("area.yaml"))
    reviews_reader.load(engine, engine.read("reviews.yaml"), the_area, organisations)


def cells(data):
    """Every sheet's cell values, as a spreadsheet shows them."""
    book = load_workbook(io.BytesIO(data))
    return {
        sheet.title: [[cell.value for cell in row] for row in sheet.iter_rows()]
        for sheet in book.worksheets
    }


def edit(data, sheet, row, header, value):
    """The workbook with one cell changed (row as the spreadsheet numbers it)."""
    book = load_workbook(io.BytesIO(data))
    worksheet = book[sheet]
    headers = [cell.value for cell in worksheet[1]]
    worksheet.cell(row=row, column=headers.index(header) + 1, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def append(data, sheet, values):
    book = load_workbook(io.BytesIO(data))
    book[sheet].append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def row_of(data, sheet, code):
    return next(n for n, row in enumerate(cells(data)[sheet], start=1) if row[0] == code)


def counts():
    return {model.__name__: model.objects.count() for model in PLAN_TABLES}


@pytest.fixture
def admin_user(db):
    return UserFactory(is_superuser=True)


@pytest.fixture
def wsoa():
    load_record()
    return Plan.objects.get()


def upload_and_confirm(user, data, name="plan.xlsx"):
    upload = workbook_upload(user=user, file_name=name, data=data)
    return workbook_confirm(upload=upload, user=user)


def test_the_wsoa_exported_reimported_into_an_empty_tracker_and_exported_again_is_identical(
    admin_user,
):
    with transaction.atomic():
        load_record()
        first = workbook_bytes(Plan.objects.get())
        transaction.set_rollback(True)
    # A fresh tracker: the area and its inspections, no plan at all.
    load_inspections_only()
    assert not Plan.objects.exists() and not OwnerRole.objects.exists()
    upload_and_confirm(admin_user, first)
    second = workbook_bytes(Plan.objects.get())
    assert cells(second) == cells(first)
    assert Action.objects.count() == len(cells(first)["Actions"]) - 1
    assert Rating.objects.count() == len(cells(first)["Ratings"]) - 1


def test_the_workbook_has_every_sheet_and_explains_every_column(wsoa):
    sheets = cells(workbook_bytes(wsoa))
    assert list(sheets) == ["About", *(spec.title for spec in layout.SHEETS)]
    about = sheets["About"]
    explained = {(row[0], row[1]) for row in about if row[1]}
    for spec in layout.SHEETS:
        assert sheets[spec.title][0] == [column.header for column in spec.columns]
        for column in spec.columns:
            assert (spec.title, column.header) in explained


def test_the_blank_template_has_the_headers_and_validation_lists_and_no_rows(db):
    book = load_workbook(io.BytesIO(workbook_bytes()))
    assert book["Actions"].max_row == 1
    lists = {
        sheet: [v.formula1 for v in book[sheet].data_validations.dataValidation]
        for sheet in ("Owners", "Ratings")
    }
    assert lists["Owners"] == [
        '"Action owner,Accountable leader,Action owner / accountable leader"'
    ]
    assert lists["Ratings"] == ['"Green,Amber,Red,Grey"']


def test_reuploading_the_wsoa_unchanged_changes_nothing(wsoa, admin_user):
    before = counts()
    upload = workbook_upload(user=admin_user, file_name="wsoa.xlsx", data=workbook_bytes(wsoa))
    outcomes = {change["outcome"] for change in upload.preview["changes"]}
    assert outcomes == {"unchanged"}
    workbook_confirm(upload=upload, user=admin_user)
    assert counts() == before | {"WorkbookUpload": 1}


def test_a_changed_timescale_and_a_new_action_are_all_the_preview_shows_and_all_it_saves(
    wsoa, admin_user
):
    data = workbook_bytes(wsoa)
    data = edit(data, "Actions", row_of(data, "Actions", "A1.1"), "Timescale", "By June 2019")
    data = append(data, "Actions", ["A1.9", "A new action", "By May 2019", None, None])
    before = counts()
    upload = workbook_upload(user=admin_user, file_name="wsoa.xlsx", data=data)
    changed = [c for c in upload.preview["changes"] if c["outcome"] != "unchanged"]
    assert changed == [
        {
            "sheet": "Actions",
            "row": 2,
            "label": "A1.1",
            "outcome": "updated",
            "columns": ["Timescale"],
        },
        {
            "sheet": "Actions",
            "row": len(cells(data)["Actions"]),
            "label": "A1.9",
            "outcome": "created",
            "columns": [],
        },
    ]
    assert counts() == before | {"WorkbookUpload": 1}  # a preview stores no plan row
    workbook_confirm(upload=upload, user=admin_user)
    assert action_by_code("A1.1").timescale == "By June 2019"
    assert action_by_code("A1.9").text == "A new action"
    assert Action.objects.count() == before["Action"] + 1
    latest = action_by_code("A1.1").history.first()
    assert latest.history_change_reason.startswith(f"workbook upload {upload.pk} (wsoa.xlsx")
    assert latest.history_user == admin_user


def test_a_row_edited_in_the_tracker_since_the_last_upload_is_reported_not_overwritten(
    wsoa, admin_user
):
    action = action_by_code("A1.1")
    action.timescale = "Edited in the tracker"
    action._change_reason = "admin edit"
    action.save()
    data = edit(workbook_bytes(wsoa), "Actions", 2, "Timescale", "From the workbook")
    upload = workbook_upload(user=admin_user, file_name="wsoa.xlsx", data=data)
    assert {
        "sheet": "Actions",
        "row": 2,
        "label": "A1.1",
        "outcome": "not overwritten",
        "columns": ["Timescale"],
    } in upload.preview["changes"]
    workbook_confirm(upload=upload, user=admin_user)
    assert action_by_code("A1.1").timescale == "Edited in the tracker"


def test_a_second_upload_updates_what_the_first_upload_wrote(wsoa, admin_user):
    data = edit(workbook_bytes(wsoa), "Actions", 2, "Timescale", "First upload")
    upload_and_confirm(admin_user, data)
    data = edit(data, "Actions", 2, "Timescale", "Second upload")
    upload_and_confirm(admin_user, data)
    assert action_by_code("A1.1").timescale == "Second upload"


@pytest.mark.parametrize(
    "sheet, header, value, message",
    [
        ("Actions", "Due date", "next spring", "'next spring' is not a date"),
        ("Owners", "Role", "Chief Wizard", "Unknown owner role 'Chief Wizard'"),
        ("Ratings", "Rating", "Purple", "'Purple' is not one of: Green, Amber, Red, Grey"),
        ("Owners", "Owner kind", "Sponsor", "'Sponsor' is not one of: Action owner"),
        ("Actions", "Timescale", "=NOW()", "formula"),
        ("Actions", "Timescale", "By\tJune", "cannot contain control characters, line breaks"),
        ("Targets", "Target", "lots", "'lots' is not a number"),
        ("Plan", "Status", "Finished", "'Finished' is not one of: Draft, Live, Closed"),
        ("Plan", "Closed on", "soon", "'soon' is not a date"),
        ("Plan", "Live from", "", "Enter the day the plan went live"),
        ("Plan", "Superseded by", "x" * 301, "at most 300 characters"),
        ("Plan", "Notes", "=A1", "formula"),
        ("Outcomes sought", "Finding code", "Z", "'Z' is not on the Findings answered sheet"),
        ("Measures", "Group", "Gone", "'Gone' is not a group on the Performance framework"),
        ("Figures", "Figure", "many", "'many' is not a number"),
    ],
)
def test_one_bad_cell_stores_nothing_and_is_named_by_sheet_row_and_column(
    wsoa, admin_user, sheet, header, value, message
):
    data = edit(workbook_bytes(wsoa), sheet, 2, header, value)
    before = counts()
    with pytest.raises(WorkbookRefused) as refused:
        workbook_upload(user=admin_user, file_name="wsoa.xlsx", data=data)
    problems = refused.value.problems
    assert len(problems) == 1, problems
    assert (problems[0].sheet, problems[0].row, problems[0].column) == (sheet, 2, header)
    assert message in problems[0].message
    assert counts() == before


def test_a_plan_life_its_rules_refuse_is_named_by_its_cell_and_nothing_is_stored(wsoa, admin_user):
    data = edit(workbook_bytes(wsoa), "Plan", 2, "Status", "Live")  # but with a closing day
    before = counts()
    with pytest.raises(WorkbookRefused) as refused:
        workbook_upload(user=admin_user, file_name="wsoa.xlsx", data=data)
    (problem,) = refused.value.problems
    assert (problem.sheet, problem.row, problem.column) == ("Plan", 2, "Closed on")
    assert "a live or draft plan has none" in problem.message
    assert counts() == before
    assert wsoa.life.status == "closed"


def test_a_plan_life_edited_in_the_tracker_is_reported_not_overwritten(wsoa, admin_user):
    life = wsoa.life
    life.superseded_by = "Edited in the tracker"
    life._change_reason = "admin edit"
    life.save()
    data = edit(workbook_bytes(wsoa), "Plan", 2, "Status basis", "From the workbook")
    data = edit(data, "Plan", 2, "Superseded by", "The workbook's successor")
    upload = workbook_upload(user=admin_user, file_name="wsoa.xlsx", data=data)
    assert {
        "sheet": "Plan",
        "row": 2,
        "label": "wsoa-2018's life",
        "outcome": "not overwritten",
        "columns": ["Superseded by", "Status basis"],
    } in upload.preview["changes"]
    workbook_confirm(upload=upload, user=admin_user)
    life.refresh_from_db()
    assert (life.superseded_by, life.basis[:4]) == ("Edited in the tracker", "Live")


def test_a_changed_note_and_outcome_sought_are_saved_with_the_upload_in_their_history(
    wsoa, admin_user
):
    data = edit(workbook_bytes(wsoa), "Actions", 2, "Notes", "A note from the workbook")
    data = edit(data, "Outcomes sought", 2, "Outcome sought", "A reworded outcome")
    upload = upload_and_confirm(admin_user, data)
    changed = [c for c in upload.preview["changes"] if c["outcome"] != "unchanged"]
    assert [(c["sheet"], c["label"], c["columns"]) for c in changed] == [
        ("Outcomes sought", "A outcome sought 1", ["Outcome sought"]),
        ("Actions", "A1.1", ["Notes"]),
    ]
    assert action_by_code("A1.1").notes == "A note from the workbook"
    sought = wsoa.outcomes_sought.get(finding__code="A", position=1)
    assert sought.text == "A reworded outcome"
    assert sought.history.first().history_change_reason.startswith(f"workbook upload {upload.pk}")


def test_a_duplicate_code_is_named_and_nothing_is_stored(wsoa, admin_user):
    data = append(workbook_bytes(wsoa), "Actions", ["A1.1", "The same code again"])
    before = counts()
    with pytest.raises(WorkbookRefused) as refused:
        workbook_upload(user=admin_user, file_name="wsoa.xlsx", data=data)
    last = len(cells(data)["Actions"])
    assert [str(p) for p in refused.value.problems] == [
        f"Actions, row {last}, Code: A1.1 is already on row 2"
    ]
    assert counts() == before


def test_a_required_column_missing_is_named(wsoa, admin_user):
    book = load_workbook(io.BytesIO(workbook_bytes(wsoa)))
    book["Actions"].delete_cols(2)
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(WorkbookRefused) as refused:
        workbook_upload(user=admin_user, file_name="wsoa.xlsx", data=out.getvalue())
    assert [str(p) for p in refused.value.problems] == [
        "Actions, row 1, Action: A required column is missing"
    ]


def test_a_model_rule_broken_names_its_cell_and_nothing_is_stored(wsoa, admin_user):
    data = edit(workbook_bytes(wsoa), "Actions", 2, "Timescale", "x" * 201)
    before = counts()
    with pytest.raises(WorkbookRefused) as refused:
        workbook_upload(user=admin_user, file_name="wsoa.xlsx", data=data)
    (problem,) = refused.value.problems
    assert (problem.sheet, problem.row, problem.column) == ("Actions", 2, "Timescale")
    assert "at most 200 characters" in problem.message
    assert counts() == before


def test_confirming_after_the_tracker_changed_is_refused_and_previews_again(wsoa, admin_user):
    data = edit(workbook_bytes(wsoa), "Actions", 2, "Timescale", "From the workbook")
    upload = workbook_upload(user=admin_user, file_name="wsoa.xlsx", data=data)
    action = action_by_code("A1.1")
    action.timescale = "Edited meanwhile"
    action._change_reason = "admin edit"
    action.save()
    with pytest.raises(PreviewOutOfDate):
        workbook_confirm(upload=upload, user=admin_user)
    upload.refresh_from_db()
    assert upload.confirmed_at is None
    assert any(c["outcome"] == "not overwritten" for c in upload.preview["changes"])
    assert action_by_code("A1.1").timescale == "Edited meanwhile"


def test_a_stored_upload_that_no_longer_matches_its_hash_is_refused(wsoa, admin_user):
    upload = workbook_upload(user=admin_user, file_name="wsoa.xlsx", data=workbook_bytes(wsoa))
    WorkbookUpload.objects.filter(pk=upload.pk).update(content=b"tampered")
    with pytest.raises(Exception, match="does not match its hash"):
        workbook_confirm(upload=upload, user=admin_user)


def dump(models, leave_out=()):
    """Every row of `models` as the database holds it, ids aside: each foreign key given as
    the row it points to (recursively), so two databases that hold the same plan under
    other ids dump alike. Sorted, so the order rows were written in does not count. The
    fields `leave_out` names ("Model.field") are left out."""
    seen = {}

    def identity(obj):
        key = (type(obj), obj.pk)
        if key not in seen:
            seen[key] = type(obj).__name__  # a cycle reads as the row's type only
            seen[key] = repr((type(obj).__name__, fields(obj)))
        return seen[key]

    def fields(obj):
        values = []
        for field in obj._meta.concrete_fields:
            if field.primary_key or f"{type(obj).__name__}.{field.name}" in leave_out:
                continue
            if field.is_relation:
                target = getattr(obj, field.name)
                values.append((field.name, None if target is None else identity(target)))
            else:
                values.append((field.name, repr(field.value_from_object(obj))))
        return tuple(values)

    return {model.__name__: sorted(fields(obj) for obj in model.objects.all()) for model in models}


def differences(first, second):
    """For each table that differs: its row counts and the fields whose values differ."""
    found = {}
    for table, rows in first.items():
        if rows != second[table]:
            columns = [Counter(dict(row).get(name) for row in rows) for name, _ in rows[0]]
            fields = [
                name
                for (name, _), values in zip(rows[0], columns, strict=True)
                if values != Counter(dict(row).get(name) for row in second[table])
            ] if rows else ["(no rows)"]  # fmt: skip
            found[table] = (len(rows), len(second[table]), sorted(fields))
    return found


def test_the_wsoa_reimported_into_an_empty_tracker_dumps_as_the_record_loaded_it(admin_user):
    """The database the upload makes holds what loading the record made, row for row and
    field for field, ids aside: nothing the record says is lost on the way through."""
    from actions.models import (
        FrameworkMeasure,
        MeasureFigure,
        MeasureTarget,
        OutcomeSought,
        PerformanceGroup,
        PlanLife,
        RequiredOutcome,
    )

    tables = (Plan, PlanLife, OutcomeSought, RequiredOutcome, Action, OwnerRole, ActionOwner,
              PerformanceGroup, FrameworkMeasure, Measure, MeasureTarget, MeasureFigure,
              Rating)  # fmt: skip
    # When a document's figure was recorded is when it was loaded or uploaded: the loader's
    # moment and the upload's differ, and neither is in the record (README, "Plan workbook").
    leave_out = {"MeasureFigure.recorded_at"}
    with transaction.atomic():
        load_record()
        data = workbook_bytes(Plan.objects.get())
        loaded = dump(tables, leave_out)
        transaction.set_rollback(True)
    load_inspections_only()
    upload_and_confirm(admin_user, data)
    found = differences(loaded, dump(tables, leave_out))
    assert found == {}, found
