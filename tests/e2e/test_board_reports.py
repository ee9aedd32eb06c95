"""A board member opens the grid, filters it, looks at it as at 31 March 2018, reads
weakness B's story and downloads the board pack and the grid: in a real browser, with axe."""

import io
import re
from io import StringIO
from pathlib import Path

import pypdf
import pytest
from django.core.management import call_command
from django.http import QueryDict
from playwright.sync_api import expect

from actions import roles
from actions.models import Plan
from actions.reports import board_pack_preparation as preparation
from tests.e2e.test_officer_journey import sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def board_member(db):
    call_command("load_record", stdout=StringIO())
    return UserFactory(username="board-member", role=roles.BOARD_MEMBER)


def test_a_board_member_reads_the_grid_and_the_board_pack(
    page, live_server, board_member, visit, settings
):
    # A cache that keeps the prepared pack (the suite's own keeps nothing).
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "e2e"},
    }
    sign_in(page, live_server, "board-member")
    page.get_by_role("link", name="Progress grid").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Progress grid")
    grid = page.get_by_role("region", name="Progress grid")
    expect(grid.get_by_role("row", name=re.compile(r"^A2\.2 "))).to_contain_text("Green")
    visit.check("grid")

    page.get_by_text("Filter the grid, or see it as at a past date").click()
    page.get_by_label("Weakness").select_option(index=2)
    page.get_by_label("Latest rating").select_option(label="Red")
    page.get_by_role("button", name="Show the grid").click()
    expect(page).to_have_url(re.compile(r"weakness=\d+&.*latest_rating=red"))
    expect(grid.get_by_role("row", name=re.compile(r"^B\d\.\d "))).to_have_count(5)
    visit.check("grid-filtered")

    page.get_by_role("link", name="Clear filters").click()
    page.get_by_text("Filter the grid, or see it as at a past date").click()
    page.get_by_label("As at").fill("31/03/2018")
    page.get_by_role("button", name="Show the grid").click()
    expect(
        page.get_by_role("heading", name="Summary, as at the end of 31 March 2018")
    ).to_be_visible()
    visit.check("grid-as-at")

    # The pack not made yet, while another render holds the only slot: "being prepared"
    # at once (the page looks again by itself). Then the pack is prepared, as the nightly
    # job or a decision would, and the same link gives it at once: no step waits for a
    # render to finish within a time limit.
    pack_href = page.get_by_role("link", name="board pack (PDF)").get_attribute("href")
    busy = preparation.take_slot()
    page.goto(live_server.url + pack_href)
    expect(page.get_by_role("heading", level=1)).to_have_text("The board pack is being prepared")
    expect(page.get_by_role("status")).to_contain_text("looks again every")
    expect(page.get_by_role("link", name="Check again")).to_have_attribute("href", pack_href)
    visit.check("board-pack-being-prepared")
    page.go_back()
    expect(
        page.get_by_role("heading", name="Summary, as at the end of 31 March 2018")
    ).to_be_visible()
    preparation.free_slot(busy)
    query = QueryDict(pack_href.partition("?")[2])
    preparation.prepare(Plan.objects.get(), query, wait=0)
    with page.expect_download() as download:
        page.get_by_role("link", name="board pack (PDF)").click()
    pdf = pypdf.PdfReader(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert "As at 31 March 2018" in pdf.pages[0].extract_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="grid (XLSX)").click()
    assert download.value.suggested_filename == "wsoa-progress-as-at-2018-03-31.xlsx"

    page.get_by_role("link", name="Findings").click()
    visit.check("findings")
    page.get_by_role("link", name="B", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("B: The quality and rigour")
    expect(page.get_by_text("October 2019: Not sufficient progress")).to_be_visible()
    visit.check("weakness-b")


def test_weakness_d_shows_the_20_week_trajectory_and_the_measures_page(
    page, live_server, board_member, visit
):
    sign_in(page, live_server, "board-member")
    page.get_by_role("link", name="Findings").click()
    page.get_by_role("link", name="D", exact=True).click()
    chart = page.get_by_role("img", name=re.compile("% of EHC Plans completed within 20 weeks"))
    expect(chart).to_be_visible()
    table = page.get_by_role("region", name=re.compile("within 20 weeks: figures"))
    expect(table).to_contain_text("Off track")
    expect(table).to_contain_text("4%")
    visit.check("weakness-d")
    page.get_by_role("link", name="Measures").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Measures")
    visit.check("measures")


@pytest.mark.parametrize("width", [320, 1280])
def test_the_as_at_hint_and_error_are_announced(page, live_server, board_member, visit, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, "board-member")
    page.goto(f"{live_server.url}/actions/grid/?as_at=31/12/2099")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("must be today or in the past")
    box = page.get_by_label("As at")
    described = box.get_attribute("aria-describedby").split()
    assert described == ["id_as_at-hint", "id_as_at-error"]
    for name in described:
        expect(page.locator(f"#{name}")).to_have_count(1)
    expect(page.get_by_role("link", name="grid (CSV)")).to_have_count(0)
    visit.check(f"as-at-error-{width}")
    page.goto(f"{live_server.url}/findings/")
    page.get_by_role("link", name="D", exact=True).click()
    chart = page.get_by_role("img", name=re.compile("within 20 weeks")).first
    smallest = chart.evaluate(
        "svg => Math.min(...[...svg.querySelectorAll('text')].map("
        "t => t.getBoundingClientRect().height))"
    )
    assert smallest >= 10, smallest
    visit.check(f"weakness-d-{width}")
