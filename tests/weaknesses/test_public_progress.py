"""The public progress page for families: no sign-in, every finding in the inspectors'
words, an approver's summary on top where published, no officers' names, no internal
commentary; and how approvers publish it."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from actions.models import PublicSummary
from tests.factories import (
    ActionFactory,
    ApproverFactory,
    FindingFactory,
    PublicSummaryFactory,
    RatingFactory,
    RequiredOutcomeFactory,
    UserFactory,
    VerdictFactory,
)
from tests.helpers import assert_queries_do_not_grow

SENTINELS = [
    "SENTINEL-COMMENTARY",
    "SENTINEL-EVIDENCE",
    "SENTINEL-RETURN-REASON",
    "SENTINEL-BOARD-NOTE",
    "SENTINEL-WIDER-SYSTEM",
    "SENTINEL-OLD-SUMMARY",
    "SENTINEL-FINDING-NOTE",
    "SENTINEL-VERDICT-NOTE",
    "SENTINEL-UNPUBLISHED",
]


@pytest.fixture
def published_finding(db, officer, approver):
    """A finding with internal text everywhere, and one summary an approver published after
    an older one."""
    finding = FindingFactory(code="B", text="the inspectors' words", notes="SENTINEL-FINDING-NOTE")
    required_outcome = RequiredOutcomeFactory(weakness=finding)
    actions = [ActionFactory(required_outcome=required_outcome) for _ in range(4)]
    common = {"recorded_by": officer, "month": datetime.date(2018, 6, 1)}
    RatingFactory(
        action=actions[0],
        rating="green",
        evidence="SENTINEL-EVIDENCE",
        commentary="SENTINEL-COMMENTARY",
        **common,
    )
    RatingFactory(
        action=actions[1],
        rating="amber",
        commentary="SENTINEL-COMMENTARY",
        accepted_with_board_rating=True,
        board_rating="red",
        board_note="SENTINEL-BOARD-NOTE",
        **common,
    )
    RatingFactory(
        action=actions[2],
        rating="grey",
        wider_system="SENTINEL-WIDER-SYSTEM",
        returned=True,
        return_reason="SENTINEL-RETURN-REASON",
        decided_by=approver,
        **common,
    )
    RatingFactory(
        action=actions[3], rating="red", commentary="SENTINEL-UNPUBLISHED", submitted=True, **common
    )
    VerdictFactory(
        finding=finding,
        judgement="not_sufficient_progress",
        reasons="Quoted reasons",
        notes="SENTINEL-VERDICT-NOTE",
    )
    old = PublicSummaryFactory(
        finding=finding, plain_english="SENTINEL-OLD-SUMMARY", published_by=approver
    )
    old.published_at -= datetime.timedelta(days=30)
    old.save()
    PublicSummaryFactory(
        finding=finding,
        plain_english="Families did not know who was in charge.",
        being_done="The board now publishes who leads each piece of work.",
        you_said_we_did="You said you could not find out who was accountable; we now list it.",
        published_by=approver,
    )
    FindingFactory(code="C", text="never summarised")  # on the page in its own words
    return finding


def test_anyone_can_read_it_without_signing_in(published_finding):
    response = Client().get(reverse("public-progress"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Families did not know who was in charge." in page
    assert "The board now publishes who leads each piece of work." in page
    assert "You said you could not find out who was accountable; we now list it." in page


def test_it_shows_where_each_finding_stands_in_words_from_accepted_ratings(published_finding):
    page = Client().get(reverse("public-progress")).content.decode()
    stands = page[page.index("Where it stands") : page.index("You said, we did")]
    text = " ".join(re.sub(r"<[^>]+>", " ", stands).split())
    assert "The plan has 4 actions for this." in text
    assert "Green 1 action: done, or being built into everyday work" in text
    assert "Red 1 action: little or no progress yet" in text  # the board's own rating
    assert "Not rated 2 actions: not yet checked" in text  # returned, awaiting approval
    assert "Amber" not in text and "Grey" not in text
    assert "): not sufficient progress . They wrote:" in " ".join(
        re.sub(r"<[^>]+>", " ", page).split()
    )


def test_it_never_shows_names_internal_text_or_unpublished_summaries(
    published_finding, officer, approver
):
    page = Client().get(reverse("public-progress")).content.decode()
    for sentinel in SENTINELS:
        assert sentinel not in page, sentinel
    for name in (officer.username, "O&#x27;Neill", "O'Neill", approver.username, "Chris Chair"):
        assert name not in page, name
    assert "never summarised" in page  # the inspectors' words need no summary


def test_with_nothing_published_every_finding_is_still_there(db):
    finding = FindingFactory(text="the inspectors' own words")
    page = Client().get(reverse("public-progress")).content.decode()
    assert "“the inspectors&#x27; own words”" in page
    assert "What the board wants families to know" not in page
    assert reverse("public-finding", args=[finding.review.slug, finding.code]) in page


def test_it_does_not_grow_its_queries(db, approver):
    def build(count):
        for _ in range(count):
            finding = FindingFactory()
            action = ActionFactory(required_outcome=RequiredOutcomeFactory(weakness=finding))
            RatingFactory(action=action)
            VerdictFactory(finding=finding, review__slug=f"revisit-{finding.pk}")
            PublicSummaryFactory(finding=finding, published_by=approver)
            PublicSummaryFactory(finding=finding, published_by=approver)

    build(2)
    response = assert_queries_do_not_grow(Client(), reverse("public-progress"), lambda: build(15))
    assert len(response.context["stories"]) == 17
    assert len(response.context["summaries"]) == 17


def test_an_approver_publishes_a_summary_and_it_replaces_the_last_one_on_the_page(
    client, published_finding, approver
):
    client.force_login(approver)
    url = reverse("findings:summary-publish", args=[published_finding.pk])
    form = client.get(url).content.decode()
    assert "Families did not know who was in charge." in form  # starts from the latest
    response = client.post(
        url,
        {
            "plain_english": "Parents were not told who was accountable.",
            "being_done": "Named leaders.",
            "you_said_we_did": "You said, we did.",
        },
    )
    assert response.status_code == 302
    latest = published_finding.public_summaries.first()
    assert (latest.published_by, latest.plain_english) == (
        approver,
        "Parents were not told who was accountable.",
    )
    assert latest.history.get().history_change_reason == "Published for families"
    page = Client().get(reverse("public-progress")).content.decode()
    assert "Parents were not told who was accountable." in page
    assert "Families did not know who was in charge." not in page


def test_publishing_needs_every_part_and_stores_nothing_without(
    client, published_finding, approver
):
    client.force_login(approver)
    before = PublicSummary.objects.count()
    url = reverse("findings:summary-publish", args=[published_finding.pk])
    response = client.post(url, {"plain_english": "  ", "being_done": "x", "you_said_we_did": ""})
    page = response.content.decode()
    assert re.search(r"<title>\s*Error: ", page)
    assert page.count("Enter what the inspectors found, in plain English") == 2
    assert page.count("Enter the latest progress") == 2
    assert PublicSummary.objects.count() == before


def test_only_a_approver_of_the_finding_may_publish(client, published_finding, caplog):
    url = reverse("findings:summary-publish", args=[published_finding.pk])
    other_reviewer = ApproverFactory(finding=FindingFactory()).user
    before = PublicSummary.objects.count()
    for user in (other_reviewer, UserFactory(username="admin", administrator=True)):
        client.force_login(user)
        response = client.post(
            url, {"plain_english": "x", "being_done": "x", "you_said_we_did": "x"}
        )
        assert response.status_code == 403
    assert PublicSummary.objects.count() == before
    assert "authz_denied" in caplog.text


def test_it_takes_an_as_at_like_every_other_page_and_shows_only_what_was_published_then(
    published_finding,
):
    public = reverse("public-progress")
    then = Client().get(public, {"as_at": "31/05/2018"}).content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", then).split())
    assert "As at the end of 31 May 2018" in text
    # Both summaries were published after May 2018, and June's ratings were not yet made.
    assert "Families did not know who was in charge." not in then
    assert "the inspectors&#x27; words" in then  # the finding itself is there
    assert "What the board wants families to know" not in then
    now = Client().get(public).content.decode()
    assert "Families did not know who was in charge." in now


def test_a_day_between_two_summaries_shows_the_one_published_by_then(published_finding):
    old = PublicSummary.objects.get(plain_english="SENTINEL-OLD-SUMMARY")
    day = (old.published_at + datetime.timedelta(days=1)).date()
    page = Client().get(reverse("public-progress"), {"as_at": f"{day:%d/%m/%Y}"}).content
    assert b"SENTINEL-OLD-SUMMARY" in page
    assert b"Families did not know who was in charge." not in page


@pytest.mark.parametrize("as_at", ["31/12/2099", "31/02/2018", "soon"])
def test_a_future_or_bad_as_at_is_refused_with_the_error_summary(db, as_at):
    response = Client().get(reverse("public-progress"), {"as_at": as_at})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and 'aria-invalid="true"' in page
