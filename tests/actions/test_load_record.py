"""The load_record command: loads the real record once, safely, or not at all."""

import shutil
from io import StringIO

import pytest
import yaml
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.forms.models import model_to_dict

from actions.models import Action, Rating

pytestmark = pytest.mark.django_db

RECORD_APPS = ("reviews", "weaknesses", "actions")


def load(directory=settings.RECORD_DIR):
    out, err = StringIO(), StringIO()
    call_command("load_record", directory=str(directory), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def every_row():
    """Every row of every record table, history included, as plain values."""
    return {
        model._meta.label: sorted(
            (model_to_dict(obj) | {"pk": obj.pk} for obj in model.objects.all()),
            key=lambda row: row["pk"],
        )
        for app in RECORD_APPS
        for model in apps.get_app_config(app).get_models()
    }


def row_counts():
    return {label: len(rows) for label, rows in every_row().items()}


@pytest.fixture
def record_copy(tmp_path):
    return shutil.copytree(settings.RECORD_DIR, tmp_path / "record")


def rewrite(path, change):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def first_action(data):
    return data["required_outcomes"][0]["actions"][0]


def test_the_record_loads_and_says_what_it_loaded():
    out, err = load()
    assert "The record is loaded." in out
    assert "Actions: " in out and "created" in out
    assert err == ""
    assert Action.objects.exists() and Rating.objects.exists()


def test_a_second_run_changes_no_row():
    load()
    before = every_row()
    out, err = load()
    assert every_row() == before
    assert "created" not in out and "updated" not in out
    assert err == ""


def test_a_row_edited_since_it_was_loaded_is_not_overwritten_and_is_reported():
    load()
    action = Action.objects.get(
        required_outcome__weakness__code="A", required_outcome__number=1, number=1
    )
    action.timescale = "Edited by an administrator"
    action._change_reason = "admin edit"
    action.save()
    out, err = load()
    action.refresh_from_db()
    assert action.timescale == "Edited by an administrator"
    assert "wsoa/A.yaml, action A1.1: edited since it was loaded" in err
    assert "timescale" in err
    assert "not overwritten" in out


def test_a_correction_to_the_record_updates_a_row_nobody_has_edited(record_copy):
    load(record_copy)
    rewrite(
        record_copy / "wsoa/A.yaml",
        lambda data: first_action(data).update(timescale="Corrected timescale"),
    )
    out, _ = load(record_copy)
    action = Action.objects.get(
        required_outcome__weakness__code="A", required_outcome__number=1, number=1
    )
    assert action.timescale == "Corrected timescale"
    assert action.history.count() == 2
    assert "Actions: 1 updated" in out


def duplicate_first_action(data):
    actions = data["required_outcomes"][0]["actions"]
    actions.append(dict(actions[0], text="A second action with the same number"))


@pytest.mark.parametrize(
    "change, message",
    [
        (
            lambda data: first_action(data).update(published_rating="Purple"),
            "'purple' is not a valid choice",
        ),
        (lambda data: first_action(data).update(timescale="x" * 201), "at most 200 characters"),
        (
            lambda data: first_action(data)["owners"].append(
                {"role": "Chief Wizard", "kind": "not_distinguished"}
            ),
            "owner role 'Chief Wizard' is not in wsoa/roles.yaml",
        ),
        (duplicate_first_action, "the record already has this action"),
        (lambda data: first_action(data).pop("timescale"), "missing field(s): timescale"),
        (lambda data: first_action(data).update(timescal="Monthly"), "unknown field(s): timescal"),
        (
            # An owner's organisation is its role's (wsoa/roles.yaml), never set per action.
            lambda data: first_action(data)["owners"][0].update(organisation="OCC"),
            "unknown field(s): organisation",
        ),
    ],
    ids=[
        "invalid-choice",
        "too-long",
        "missing-role",
        "duplicate-key",
        "missing-field",
        "misspelt-field",
        "organisation-on-an-owner",
    ],
)
def test_a_broken_record_stores_nothing_and_names_the_file_and_record(record_copy, change, message):
    rewrite(record_copy / "wsoa/E.yaml", change)
    empty = row_counts()
    with pytest.raises(CommandError) as refused:
        load(record_copy)
    assert "Nothing was loaded. wsoa/E.yaml, action E1.1" in str(refused.value)
    assert message in str(refused.value)
    assert row_counts() == empty


def test_a_file_that_is_not_yaml_stores_nothing_and_is_named(record_copy):
    (record_copy / "reviews.yaml").write_text("reviews: [unclosed", encoding="utf-8")
    with pytest.raises(CommandError, match="reviews.yaml: cannot be read"):
        load(record_copy)
    assert not any(row_counts().values())
