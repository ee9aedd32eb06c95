"""Two areas in a real browser, with axe: for a member of both areas' boards, each page
names the area it shows and links to the other, and following the link shows the other
area's findings only. The areas and findings are test data made up by factories."""

import re

import pytest
from playwright.sync_api import expect

from actions import roles
from actions.models import AreaMember
from reviews.models import Area
from tests.e2e.test_officer_journey import sign_in
from tests.factories import (
    AreaFactory,
    FindingFactory,
    PlanFactory,
    RequiredOutcomeFactory,
    ReviewFactory,
    UserFactory,
)
from tests.factories.actions import ActionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def an_area(slug, name, text):
    area = AreaFactory(slug=slug, name=name)
    finding = FindingFactory(review=ReviewFactory(area=area, slug=f"{slug}-inspection"), text=text)
    plan = PlanFactory(area=area, slug=f"{slug}-plan", title=f"{name} test plan")
    outcome = RequiredOutcomeFactory(plan=plan, weakness=finding)
    ActionFactory(required_outcome=outcome, text=f"{name} test action")
    plan.findings.add(finding)


def test_a_board_member_moves_between_two_areas(page, live_server, visit):
    an_area("firstshire", "Firstshire local area", "the firstshire test finding")
    an_area("otherdale", "Otherdale local area", "the otherdale test finding")
    member = UserFactory(username="board-member", role=roles.BOARD_MEMBER)
    for area in Area.objects.all():  # a member of both areas' boards
        AreaMember.objects.create(user=member, area=area)
    sign_in(page, live_server, "board-member")

    page.goto(live_server.url + "/findings/")
    expect(page.locator("#area")).to_have_text("Firstshire local area")
    expect(page.get_by_text("The firstshire test finding")).to_be_visible()
    expect(page.get_by_text("The otherdale test finding")).to_have_count(0)
    visit.check("findings-first")

    page.get_by_role("navigation", name="Areas").get_by_role(
        "link", name="Otherdale local area"
    ).click()
    expect(page).to_have_url(re.compile(r"\?area=otherdale$"))
    expect(page.locator("#area")).to_have_text("Otherdale local area")
    expect(page.get_by_text("The otherdale test finding")).to_be_visible()
    expect(page.get_by_text("The firstshire test finding")).to_have_count(0)
    visit.check("findings-other")

    page.goto(live_server.url + "/actions/grid/?area=otherdale")
    expect(page.get_by_text("Otherdale local area: Otherdale local area test plan")).to_be_visible()
    expect(page.get_by_text("Firstshire local area test action")).to_have_count(0)
    visit.check("grid-other")
