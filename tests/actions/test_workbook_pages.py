"""The plan workbook's pages: an administrator downloads the WSOA, changes a timescale and
adds an action, uploads it, sees exactly those two changes in the preview, confirms, and
finds them on the action's page with their history; a bad workbook shows every problem in
the GOV.UK error summary and stores nothing."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actions.models import Action, WorkbookUpload
from tests.actions.test_workbook import append, cells, counts, edit, load_record, row_of
from tests.factories import UserFactory
from tests.helpers import action_by_code

pytestmark = pytest.mark.django_db
UPLOAD = reverse("actions:workbook-upload")


@pytest.fixture
def signed_in(client):
    client.force_login(UserFactory(is_superuser=True))
    return client


def post_file(client, data, name="wsoa.xlsx"):
    return client.post(UPLOAD, {"workbook": SimpleUploadedFile(name, data)})


def summary(response):
    text = response.content.decode()
    block = text[text.index("govuk-error-summary") : text.index("<h1")]
    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", block)]


def test_download_change_upload_preview_confirm_and_see_it_on_the_action(signed_in):
    load_record()
    response = signed_in.get(reverse("actions:workbook-download", args=["wsoa-2018"]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    data = response.content
    data = edit(data, "Actions", row_of(data, "Actions", "A1.1"), "Timescale", "By June 2019")
    data = append(data, "Actions", ["A1.9", "A new action", "By May 2019"])
    response = post_file(signed_in, data)
    upload = WorkbookUpload.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("actions:workbook-preview", args=[upload.pk])
    page = signed_in.get(response["Location"]).content.decode()
    assert "Changed (1)" in page and "Actions, row 2: A1.1 (Timescale)" in page
    assert "Created (1)" in page and f"Actions, row {len(cells(data)['Actions'])}: A1.9" in page
    assert action_by_code("A1.1").timescale != "By June 2019"  # nothing saved yet
    response = signed_in.post(reverse("actions:workbook-confirm", args=[upload.pk]))
    assert response.status_code == 302
    page = signed_in.get(response["Location"]).content.decode()
    assert "The workbook is saved" in page and "Saved: wsoa.xlsx" in page
    action = action_by_code("A1.1")
    detail = signed_in.get(reverse("actions:detail", args=[action.pk])).content.decode()
    assert "By June 2019" in detail
    assert action.history.first().history_change_reason.startswith(
        f"workbook upload {upload.pk} (wsoa.xlsx"
    )
    assert Action.objects.filter(text="A new action").exists()


def test_a_workbook_with_problems_lists_each_by_sheet_row_and_column_and_stores_nothing(
    signed_in,
):
    load_record()
    data = signed_in.get(reverse("actions:workbook-download", args=["wsoa-2018"])).content
    data = edit(data, "Actions", 2, "Due date", "soon")
    data = edit(data, "Ratings", 2, "Rating", "Purple")
    before = counts()
    response = post_file(signed_in, data)
    assert response.status_code == 400
    assert summary(response) == [
        "Actions, row 2, Due date: &#x27;soon&#x27; is not a date: enter a date such as 30/06/2018",
        "Ratings, row 2, Rating: &#x27;Purple&#x27; is not one of: Green, Amber, Red, Grey",
    ]
    assert "Error: Plan workbook" in response.content.decode()
    assert counts() == before


def test_no_file_and_a_file_that_is_not_a_workbook_are_refused_clearly(signed_in):
    response = signed_in.post(UPLOAD, {})
    assert summary(response) == ["Select a plan workbook (.xlsx) to upload"]
    response = post_file(signed_in, b"Code,Action\nA1.1,Do it\n", name="plan.csv")
    assert summary(response) == ["The file must be an Excel workbook (.xlsx)"]
    assert not WorkbookUpload.objects.exists()


def test_a_file_over_the_limit_is_refused_by_the_form(signed_in, settings):
    settings.WORKBOOK_MAX_BYTES = 2048
    response = post_file(signed_in, b"x" * 5000)
    assert response.status_code == 400
    assert summary(response) == ["The file must be 2 KB or smaller"]
    assert not WorkbookUpload.objects.exists()


def test_the_upload_page_offers_the_template_and_each_plan(signed_in):
    load_record()
    page = signed_in.get(UPLOAD).content.decode()
    assert reverse("actions:workbook-template") in page
    assert reverse("actions:workbook-download", args=["wsoa-2018"]) in page
    template = signed_in.get(reverse("actions:workbook-template"))
    assert "plan-workbook-template.xlsx" in template["Content-Disposition"]
    assert cells(template.content)["Actions"] == [
        ["Code", "Action", "Timescale", "Due date", "Measures of success", "Source", "Notes"]
    ]


def test_other_pages_still_refuse_files(client, officer, owned_action):
    client.force_login(officer)
    response = client.post(
        reverse("actions:rating-create", args=[owned_action.pk]),
        {"f": SimpleUploadedFile("a.xlsx", b"x")},
    )
    assert response.status_code == 400
    assert "This service does not take files" in response.content.decode()


def test_an_upload_without_its_csrf_token_is_refused_and_stores_nothing(db):
    from django.test import Client

    from actions.workbook.export import workbook_bytes

    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(is_superuser=True))
    response = post_file(client, workbook_bytes())
    assert response.status_code == 403
    assert "Your form has expired" in response.content.decode()
    assert not WorkbookUpload.objects.exists()
