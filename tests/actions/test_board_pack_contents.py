"""What the board pack holds: the same "as at" as the grid view it was downloaded from,
every quarter of the view (paginated, never dropped), and, when filtered, a cover that
says so and only what the filter selects."""

import datetime
import html
import io
import re

import pypdf
import pytest
from django.urls import reverse

from actions.models import Plan
from actions.rules.periods import quarter_ends
from tests.factories import (
    ActionFactory,
    ActionOwnerFactory,
    FindingFactory,
    MeasureFactory,
    OwnerRoleFactory,
    RatingFactory,
    RequiredOutcomeFactory,
    ReviewFactory,
    VerdictFactory,
)

PACK = reverse("actions:board-pack")


def pages_of(response):
    assert response["Content-Type"] == "application/pdf", response.content[:300]
    pdf = pypdf.PdfReader(io.BytesIO(response.content))
    return [" ".join(page.extract_text().split()) for page in pdf.pages]


def pack_link(grid_page):
    """The board pack link of a grid page, as the browser would follow it."""
    found = re.search(r'href="([^"]*board-pack\.pdf[^"]*)"', grid_page.content.decode())
    assert found, "the grid page has no board pack link"
    return html.unescape(found.group(1))


@pytest.fixture
def member(client, board_member):
    client.force_login(board_member)
    return client


@pytest.mark.parametrize("as_at", ["31/03/2018", "2018-09-30"])
def test_the_pack_downloaded_from_a_grid_view_is_as_at_that_views_day(member, owned_action, as_at):
    grid = member.get(reverse("actions:grid"), {"as_at": as_at})
    day = datetime.datetime.strptime(as_at, "%d/%m/%Y" if "/" in as_at else "%Y-%m-%d").date()
    words = f"as at {day.day} {day:%B %Y}"
    assert f"as at the end of {day.day} {day:%B %Y}" in grid.content.decode()
    pages = pages_of(member.get(pack_link(grid)))
    assert pages[0].startswith(f"{owned_action.required_outcome.plan.title} A{words[1:]}")
    assert all(f"board pack, {words}" in page for page in pages)  # every page's footer


def test_a_36_quarter_view_prints_every_quarter_on_pages_of_quarters(member, owned_action, officer):
    RatingFactory(
        action=owned_action, month=datetime.date(2026, 12, 1), rating="red", recorded_by=officer
    )
    plan = owned_action.required_outcome.plan
    quarters = quarter_ends(plan.first_quarter_end, datetime.date(2026, 12, 31))
    assert len(quarters) == 36
    pages = pages_of(member.get(PACK))
    grid = [page for page in pages if page.startswith("Progress grid: Quarters")]
    text = " ".join(grid)
    for quarter in quarters:
        assert f"{quarter:%b %Y}" in text, quarter
    for heading in [
        "Quarters Mar 2018 - Dec 2019 (1 of 5)",
        "Quarters Mar 2020 - Dec 2021 (2 of 5)",
        "Quarters Mar 2026 - Dec 2026 (5 of 5)",
    ]:
        assert f"Progress grid: {heading}" in text
        assert any(page.startswith(f"Summary by weakness: {heading}") for page in pages)
    # The action's row on the last part: the new December 2026 rating, after three
    # quarters with none.
    last = next(page for page in grid if "(5 of 5)" in page)
    assert f"{owned_action.code} {owned_action.text} Not rated Not rated Not rated Red" in last
    first = next(page for page in grid if "(1 of 5)" in page)
    assert f"{owned_action.code} {owned_action.text}" in first  # the action column repeats


@pytest.fixture
def two_weaknesses(owned_action):
    """Weakness A (owned_action's) and weakness B, each with an action, a measure and a
    verdict of its own."""
    plan = owned_action.required_outcome.plan
    weakness_a = owned_action.required_outcome.weakness
    weakness_a.code, weakness_a.text = "A", "the lack of a shared strategy"
    weakness_a.save()
    weakness_b = FindingFactory(code="B", text="the quality of plans", review=weakness_a.review)
    plan.findings.add(weakness_a, weakness_b)
    action_b = ActionFactory(
        required_outcome=RequiredOutcomeFactory(plan=plan, weakness=weakness_b),
        text="Audit every plan",
    )
    ActionOwnerFactory(action=action_b, role=OwnerRoleFactory(title="Head of SEND"))
    revisit = ReviewFactory(slug="revisit", kind="revisit", area=weakness_a.review.area)
    for weakness, name in [(weakness_a, "Strategy signed off"), (weakness_b, "Plans audited")]:
        MeasureFactory(plan=plan, name=f"% {name}").findings.add(weakness)
        VerdictFactory(finding=weakness, review=revisit, summary=f"Verdict on {weakness.code}")
    return owned_action, action_b


def test_a_filtered_pack_says_so_and_holds_only_what_the_filter_selects(member, two_weaknesses):
    action_a, action_b = two_weaknesses
    weakness_b = action_b.required_outcome.weakness
    owner = action_b.owners.get()
    pages = pages_of(member.get(PACK, {"weakness": weakness_b.pk, "owner": owner.pk}))
    text = " ".join(pages)
    assert f"Filtered: weakness B; owner role {owner}." in pages[0]
    assert "(filtered)" in pages[-1]  # the footer says so too
    assert f"{action_b.code} Audit every plan" in text
    assert action_a.code not in text.replace(f"{action_b.code}", "")
    assert "% Plans audited" in text and "% Strategy signed off" not in text
    assert "Verdict on B" in text and "Verdict on A" not in text
    assert "Weakness B: The quality of plans" in text
    assert "Weakness A:" not in text

    unfiltered = " ".join(pages_of(member.get(PACK)))
    assert "Every action of the plan, unfiltered." in unfiltered and "Filtered:" not in unfiltered
    for words in ["% Strategy signed off", "Verdict on A", "Weakness A: The lack", action_a.code]:
        assert words in unfiltered


def test_the_plans_own_quarters_are_one_part_without_numbering(member, owned_action):
    pages = pages_of(member.get(PACK, {"as_at": "31/03/2019"}))
    assert any(page.startswith("Progress grid: Quarters Mar 2018 - Mar 2019 ") for page in pages)
    assert not any("(1 of" in page for page in pages)
    assert Plan.objects.count() == 1
