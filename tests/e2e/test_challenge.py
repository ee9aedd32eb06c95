"""The board's challenge in a real browser, with axe-core on every page: an approver returns
an officer's update and the officer sees why; the needs-attention list; the calibration
view; and the public progress page for families at phone and desktop widths."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from actions import roles
from actions.models import Action, OwnerRole, RoleHolding
from tests.e2e.test_officer_journey import sign_in
from tests.factories import ApproverFactory, PublicSummaryFactory, UserFactory
from tests.helpers import reopen_the_wsoa
from weaknesses.models import Finding

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def people(db):
    call_command("load_record", stdout=StringIO())
    reopen_the_wsoa()  # closed on 20 November 2019: an administrator reopens it
    officer = UserFactory(
        username="sen-manager", role=roles.OFFICER, first_name="Sam", last_name="Jones"
    )
    RoleHolding.objects.create(user=officer, role=OwnerRole.objects.get(title="SEN Manager"))
    chair = UserFactory(
        username="chair", role=roles.BOARD_MEMBER, first_name="Chris", last_name="Chair"
    )
    ApproverFactory(user=chair)
    return officer, chair


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def test_an_approver_returns_an_update_and_the_officer_sees_why(page, live_server, people, visit):
    action = Action.objects.held_by(people[0]).in_plan_order().first()
    sign_in(page, live_server, "sen-manager")
    page.goto(live_server.url + reverse("actions:rating-create", args=[action.pk]))
    page.get_by_label("Month").select_option(label="July 2018")
    page.get_by_label("Green – completed / embedding").check()
    page.get_by_label("Commentary").fill("Terms of reference agreed by the board.")
    page.get_by_label("Evidence", exact=True).fill("Board minutes, July 2018")
    page.get_by_role("button", name="Save update").click()
    expect(page.get_by_text("Awaiting approval").first).to_be_visible()
    sign_out(page)

    sign_in(page, live_server, "chair")
    page.get_by_role("link", name="Awaiting approval").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Awaiting approval")
    visit.check("awaiting-review")
    page.get_by_role(
        "link", name=re.compile(f"Approve or return the update to {re.escape(action.code)}")
    ).click()
    page.get_by_role("button", name="Save decision").click()
    expect(page).to_have_title(re.compile("^Error: "))
    visit.check("review-error")
    page.get_by_label("Return it to the officer with a reason").check()
    page.get_by_label("If you return it: why").fill("Which minutes? Link the signed-off terms.")
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text(f"Update for {action.code} returned to the officer")).to_be_visible()
    sign_out(page)

    sign_in(page, live_server, "sen-manager")
    banner = page.get_by_role("region", name="Returned by an approver")
    expect(banner).to_contain_text("Which minutes? Link the signed-off terms.")
    visit.check("my-actions-returned")
    # The banner's link opens the correction form, which says why it was returned.
    banner.get_by_role("link", name=re.compile(re.escape(action.code))).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Correct the rating for July 2018")
    expect(page.get_by_text("Which minutes? Link the signed-off terms.").first).to_be_visible()
    visit.check("correct-returned")
    page.get_by_role("link", name=f"Back to action {action.code}").click()
    expect(page.get_by_role("link", name=re.compile("Correct and resubmit"))).to_be_visible()
    visit.check("action-returned")


def test_a_board_member_reads_needs_attention_and_the_calibration(page, live_server, people, visit):
    sign_in(page, live_server, "chair")
    page.get_by_role("link", name="Needs attention").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Needs attention")
    expect(page.get_by_role("heading", name="Actions showing each sign")).to_be_visible()
    expect(page.locator("#green_without_evidence")).to_contain_text("Green with no evidence")
    visit.check("needs-attention")

    page.get_by_role("link", name="Calibration").click()
    expect(
        page.get_by_role("heading", level=2, name=re.compile("Joint area SEND revisit"))
    ).to_be_visible()
    visit.check("calibration")

    b = Finding.objects.get(review__slug="2017-joint-inspection", code="B")
    page.goto(live_server.url + reverse("findings:detail", args=[b.pk]))
    expect(
        page.get_by_text("The inspectors' verdict: Not sufficient progress").first
    ).to_be_visible()
    page.get_by_text(
        "The board's own ratings as at the end of 14 October 2019"
    ).first.scroll_into_view_if_needed()
    visit.check("weakness-b-calibration")


@pytest.mark.parametrize("width", [320, 1280])
def test_a_parent_reads_the_public_page(browser, live_server, people, width):
    from tests.e2e.conftest import Visit

    chair = people[1]
    for code, plain, doing, said in [
        (
            "B",
            "Families did not know how well the area was doing, or who was in charge.",
            "The board checks every progress update before it counts, and publishes this page.",
            "You said you could not find out who was accountable. We now name the team "
            "responsible for each piece of work on the local offer.",
        ),
        (
            "D",
            "Plans for children (EHC plans) took too long and were not good enough.",
            "More caseworkers, and every plan is checked by a senior officer.",
            "You said plans were late. Most new plans are now finished within 20 weeks.",
        ),
    ]:
        PublicSummaryFactory(
            finding=Finding.objects.get(review__slug="2017-joint-inspection", code=code),
            plain_english=plain,
            being_done=doing,
            you_said_we_did=said,
            published_by=chair,
        )
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(live_server.url + reverse("public-progress"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("How the work for children")
    expect(page.get_by_text("Families did not know how well")).to_have_count(2)  # contents too
    no_sideways_scroll = page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    assert no_sideways_scroll
    Visit(page, f"public-progress-{width}").check("public")
    context.close()
