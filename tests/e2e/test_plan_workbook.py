"""An administrator downloads the WSOA's workbook, changes a timescale and adds an action,
uploads it, sees exactly those two changes in the preview and saves them; a bad workbook
shows its problems in the error summary. In a real browser, with axe on every page."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from actions import roles
from tests.actions.test_workbook import append, edit, row_of
from tests.e2e.test_officer_journey import sign_in
from tests.factories import UserFactory
from tests.helpers import action_by_code

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def administrator(db):
    call_command("load_record", stdout=StringIO())
    return UserFactory(username="administrator", role=roles.ADMINISTRATOR)


def test_an_administrator_round_trips_the_wsoa_through_the_workbook(
    page, live_server, administrator, visit, tmp_path
):
    sign_in(page, live_server, "administrator")
    page.goto(live_server.url + reverse("actions:workbook-upload"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan workbook")
    visit.check("workbook")

    with page.expect_download() as download:
        page.get_by_role(
            "link", name=re.compile(r"Written Statement of Action.*\(\.xlsx\)")
        ).click()
    data = Path(download.value.path()).read_bytes()
    data = edit(data, "Actions", row_of(data, "Actions", "A1.1"), "Timescale", "By June 2019")
    data = append(data, "Actions", ["A1.9", "A new action", "By May 2019"])
    changed = tmp_path / "wsoa.xlsx"
    changed.write_bytes(data)

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(edit(data, "Actions", 2, "Due date", "soon"))
    page.get_by_label("Plan workbook").set_input_files(str(bad))
    page.get_by_role("button", name="Upload and preview").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Actions, row 2, Due date: 'soon' is not a date")
    expect(page).to_have_title(re.compile("^Error: Plan workbook"))
    visit.check("workbook-problems")

    page.get_by_label("Plan workbook").set_input_files(str(changed))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Preview: wsoa.xlsx")
    expect(page.get_by_role("heading", name="Changed (1)")).to_be_visible()
    expect(page.locator("#changed")).to_have_text("Actions, row 2: A1.1 (Timescale)")
    expect(page.get_by_role("heading", name="Created (1)")).to_be_visible()
    expect(page.locator("#created")).to_contain_text("A1.9")
    visit.check("preview")

    page.get_by_role("button", name="Save these changes").click()
    expect(page.get_by_text("The workbook is saved")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Saved: wsoa.xlsx")
    visit.check("saved")
    assert action_by_code("A1.1").timescale == "By June 2019"
    assert action_by_code("A1.9").text == "A new action"
