"""Who may see and do what, over every URL of the site and every role (the access matrix).

Roles: anonymous; an officer holding the role that owns the action (OFF-A); an officer who
does not (OFF-X); a board member; an administrator; the board's chair, a board member named
approver of every weakness. Administrators may record ratings for any action (issue 3);
board members only read; only approvers review, and never their own updates.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from actions.models import MeasureFigure, PublicSummary, Rating
from tests.factories import MeasureFactory

ROLES = ["anonymous", "officer", "other_officer", "board_member", "administrator", "approver"]
LOGIN = "login"  # a redirect to the sign-in page

GOOD_RATING = {"month": "2018-07", "rating": "amber", "commentary": "Moving", "evidence": ""}
GOOD_CORRECTION = {
    "rating": "green",
    "commentary": "Done",
    "evidence": "Signed off",
    "reason": "Typo",
    "version": 1,
}

# (URL name, method, data): status per role, and the ratings (rows, versions) each adds.
MATRIX = {
    ("home", "get", None): [LOGIN, 302, 302, 302, 302, 302],
    ("sign-in", "get", None): [200, 302, 302, 302, 302, 302],
    ("health", "get", None): [200, 200, 200, 200, 200, 200],
    # The second sign-in step: everyone here has given it already (tests/second_factor.py),
    # so both go on; the step itself is tested in tests/test_second_factor.py.
    ("second-factor", "get", None): [LOGIN, 302, 302, 302, 302, 302],
    ("second-factor", "post", None): [LOGIN, 302, 302, 302, 302, 302],
    ("second-factor-setup", "get", None): [LOGIN, 302, 302, 302, 302, 302],
    ("second-factor-setup", "post", None): [LOGIN, 302, 302, 302, 302, 302],
    ("keep-alive", "get", None): [LOGIN, 204, 204, 204, 204, 204],
    ("sign-out", "post", None): [302, 302, 302, 302, 302, 302],
    # Single sign-on (the council's provider, tests/idp): the button's POST goes to the
    # provider; a callback without this browser's state is refused.
    ("openid_connect_login", "post", None): [302, 302, 302, 302, 302, 302],
    ("openid_connect_callback", "get", None): [401, 401, 401, 401, 401, 401],
    ("socialaccount_login_cancelled", "get", None): [200, 200, 200, 200, 200, 200],
    ("password_change", "get", None): [LOGIN, 200, 200, 200, 200, 200],
    ("password_change_done", "get", None): [LOGIN, 200, 200, 200, 200, 200],
    # Password reset is for people who cannot sign in: public (a link that does not work
    # says so); tested in tests/test_password_reset.py.
    ("password_reset", "get", None): [200, 200, 200, 200, 200, 200],
    ("password_reset", "post", None): [200, 200, 200, 200, 200, 200],
    ("password_reset_done", "get", None): [200, 200, 200, 200, 200, 200],
    ("password_reset_confirm", "get", None): [200, 200, 200, 200, 200, 200],
    ("password_reset_complete", "get", None): [200, 200, 200, 200, 200, 200],
    ("actions:list", "get", None): [LOGIN, 200, 200, 200, 200, 200],
    ("actions:grid", "get", None): [LOGIN, 200, 200, 200, 200, 200],
    ("actions:grid-csv", "get", None): [LOGIN, 200, 200, 200, 200, 200],
    ("actions:grid-xlsx", "get", None): [LOGIN, 200, 200, 200, 200, 200],
    ("actions:board-pack", "get", None): [LOGIN, 200, 200, 200, 200, 200],
    ("findings:list", "get", None): [LOGIN, 200, 200, 200, 200, 200],
    ("actions:measures", "get", None): [LOGIN, 200, 200, 200, 200, 200],
    ("actions:measure", "get", None): [LOGIN, 200, 200, 200, 200, 200],
    ("actions:figure-create", "get", None): [LOGIN, 200, 403, 403, 200, 403],
    ("actions:figure-create", "post", "figure"): [LOGIN, 302, 403, 403, 302, 403],
    ("findings:detail", "get", None): [LOGIN, 200, 200, 200, 200, 200],
    ("actions:detail", "get", None): [LOGIN, 200, 200, 200, 200, 200],
    ("actions:rating-create", "get", None): [LOGIN, 200, 403, 403, 200, 403],
    ("actions:rating-create", "post", "rating"): [LOGIN, 302, 403, 403, 302, 403],
    ("actions:rating-correct", "get", None): [LOGIN, 200, 403, 403, 200, 403],
    ("actions:rating-correct", "post", "correction"): [LOGIN, 302, 403, 403, 302, 403],
    ("actions:approvals", "get", None): [LOGIN, 200, 200, 200, 200, 200],
    ("actions:needs-attention", "get", None): [LOGIN, 200, 200, 200, 200, 200],
    ("findings:calibration", "get", None): [LOGIN, 200, 200, 200, 200, 200],
    ("public-progress", "get", None): [200, 200, 200, 200, 200, 200],
    ("public-finding", "get", None): [200, 200, 200, 200, 200, 200],
    ("glossary", "get", None): [200, 200, 200, 200, 200, 200],
    # Each person's own messages (test_messages_page.py: only their own).
    ("messages", "get", None): [LOGIN, 200, 200, 200, 200, 200],
    ("open-data", "get", None): [200, 200, 200, 200, 200, 200],
    ("accessibility", "get", None): [200, 200, 200, 200, 200, 200],
    ("privacy", "get", None): [200, 200, 200, 200, 200, 200],
    ("cookies", "get", None): [200, 200, 200, 200, 200, 200],
    ("open-data-csv", "get", None): [200, 200, 200, 200, 200, 200],
    ("open-data-json", "get", None): [200, 200, 200, 200, 200, 200],
    # Only approvers of the finding (here the chair) publish text for families.
    ("findings:summary-publish", "get", None): [LOGIN, 403, 403, 403, 403, 200],
    ("findings:summary-publish", "post", "summary"): [LOGIN, 403, 403, 403, 403, 302],
    # The officer recorded june_rating, so may not review it; administrators are not
    # approvers unless named (separation of duties).
    ("actions:rating-approve", "get", None): [LOGIN, 403, 403, 403, 403, 200],
    ("actions:rating-approve", "post", "review"): [LOGIN, 403, 403, 403, 403, 302],
    # The plan workbook is administrators' only. A POST with no file is refused (400); the
    # upload confirmed here was confirmed already (409).
    ("actions:workbook-upload", "get", None): [LOGIN, 403, 403, 403, 200, 403],
    ("actions:workbook-upload", "post", None): [LOGIN, 403, 403, 403, 400, 403],
    ("actions:workbook-template", "get", None): [LOGIN, 403, 403, 403, 200, 403],
    ("actions:workbook-download", "get", None): [LOGIN, 403, 403, 403, 200, 403],
    ("actions:workbook-preview", "get", None): [LOGIN, 403, 403, 403, 200, 403],
    ("actions:workbook-confirm", "post", None): [LOGIN, 403, 403, 403, 409, 403],
    # The read-only API (actions/api): each role with an API token of its own, never the
    # session (test_api.py); without one, 401; nothing is written (405).
    ("api:plans", "get", None): [401, 200, 200, 200, 200, 200],
    ("api:plans", "post", None): [401, 405, 405, 405, 405, 405],
    ("api:plan", "get", None): [401, 200, 200, 200, 200, 200],
    ("api:plan-grid", "get", None): [401, 200, 200, 200, 200, 200],
    ("api:plan-grid", "post", None): [401, 405, 405, 405, 405, 405],
    ("api:findings", "get", None): [401, 200, 200, 200, 200, 200],
    ("api:required-outcomes", "get", None): [401, 200, 200, 200, 200, 200],
    ("api:actions", "get", None): [401, 200, 200, 200, 200, 200],
    ("api:actions", "post", None): [401, 405, 405, 405, 405, 405],
    ("api:measures", "get", None): [401, 200, 200, 200, 200, 200],
    # The schema and its documentation page: the API's shape, no data.
    ("api:schema", "get", None): [200, 200, 200, 200, 200, 200],
    ("api:docs", "get", None): [200, 200, 200, 200, 200, 200],
}
GOOD_FIGURE = {"period_end": "30/06/2018", "value": "45", "source": "EHCP dashboard"}
GOOD_REVIEW = {"decision": "return", "return_reason": "Where is the evidence?", "version": 1}
WRITES = {
    "rating": GOOD_RATING,
    "correction": GOOD_CORRECTION,
    "figure": GOOD_FIGURE,
    "review": GOOD_REVIEW,
    "summary": {
        "plain_english": "Plans were late",
        "being_done": "More staff",
        "you_said_we_did": "x",
    },
}


def url_for(name, action, rating):
    if name.startswith("openid_connect"):
        return reverse(name, args=["council"])
    if name == "actions:detail" or name == "actions:rating-create":
        return reverse(name, args=[action.pk])
    if name in ("actions:measure", "actions:figure-create"):
        measure = MeasureFactory(plan=action.required_outcome.plan, slug="timeliness")
        measure.actions.add(action)
        return reverse(name, args=[measure.slug])
    if name in ("findings:detail", "findings:summary-publish"):
        return reverse(name, args=[action.required_outcome.weakness.pk])
    if name in ("open-data-csv", "open-data-json"):
        return reverse(name, args=["ratings"])
    if name == "public-finding":
        weakness = action.required_outcome.weakness
        return reverse(name, args=[weakness.review.slug, weakness.code])
    if name == "password_reset_confirm":
        return reverse(name, args=["MQ", "no-such-token"])
    if name in ("actions:rating-correct", "actions:rating-approve"):
        return reverse(name, args=[action.pk, rating.month.year, rating.month.month])
    if name in ("api:plan", "api:plan-grid"):
        return reverse(name, args=[action.required_outcome.plan.slug])
    if name == "actions:workbook-download":
        return reverse(name, args=[action.required_outcome.plan.slug])
    if name in ("actions:workbook-preview", "actions:workbook-confirm"):
        return reverse(name, args=[confirmed_upload().pk])
    return reverse(name)


def confirmed_upload():
    from django.utils import timezone

    from actions.models import WorkbookUpload
    from tests.factories import UserFactory

    user = UserFactory()
    return WorkbookUpload.objects.create(
        uploaded_by=user,
        file_name="plan.xlsx",
        sha256=WorkbookUpload.digest(b"x"),
        content=b"x",
        plan_slug="wsoa",
        preview={"plan": "wsoa", "problems": [], "changes": []},
        confirmed_by=user,
        confirmed_at=timezone.now(),
    )


def stored(action):
    """What a write changes: the ratings with their versions and review, the measures'
    figures, and the summaries published for families."""
    return (
        sorted(action.ratings.values_list("month", "version", "rating", "approval_status"))
        + sorted(MeasureFigure.objects.values_list("period_end", "value"))
        + sorted(PublicSummary.objects.values_list("finding", "plain_english"))
    )


@pytest.mark.parametrize("role", range(len(ROLES)), ids=ROLES)
@pytest.mark.parametrize("case", MATRIX, ids=[f"{n}-{m}" for n, m, _ in MATRIX])
def test_access_matrix(request, client, owned_action, june_rating, case, role, caplog):
    name, method, data = case
    expected = MATRIX[case][role]
    user = None if ROLES[role] == "anonymous" else request.getfixturevalue(ROLES[role])
    if name.startswith("openid_connect"):
        request.getfixturevalue("council")
    headers = {}
    if user and name.startswith("api:"):
        from tests.factories import ApiTokenFactory

        headers = {"authorization": f"Bearer {ApiTokenFactory(user=user).secret}"}
    elif user:
        client.force_login(user)
    url = url_for(name, owned_action, june_rating)
    before = stored(owned_action)
    response = getattr(client, method)(url, WRITES.get(data, {}), headers=headers)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("sign-in") + "?next=")
    else:
        assert response.status_code == expected, response.content[:500]
    if data and expected == 302:
        after = stored(owned_action)
        assert after != before
        assert len(after) - len(before) == (0 if data in ("correction", "review") else 1)
    else:
        assert stored(owned_action) == before
    if expected == 403:
        assert "authz_denied" in caplog.text


def site_url_names(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace != "admin":  # the admin has its own tests
                prefix = f"{pattern.namespace}:" if pattern.namespace else ""
                yield from site_url_names(pattern, namespace + prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name


def test_every_url_of_the_site_is_in_the_matrix():
    missing = set(site_url_names()) - {name for name, _, _ in MATRIX}
    assert not missing, f"URLs missing from the access matrix: {sorted(missing)}"


def test_an_officer_swapping_the_action_in_the_url_is_refused_and_nothing_is_stored(
    client, officer, caplog
):
    from tests.factories import ActionFactory

    someone_elses = ActionFactory()
    client.force_login(officer)
    response = client.post(reverse("actions:rating-create", args=[someone_elses.pk]), GOOD_RATING)
    assert response.status_code == 403
    assert not Rating.objects.exists()
    assert f"object={someone_elses.pk}" in caplog.text


def test_an_officer_whose_role_has_ended_can_no_longer_update(client, officer, owned_action):
    import datetime

    officer.role_holdings.update(held_until=datetime.date(2019, 3, 31))
    client.force_login(officer)
    response = client.post(reverse("actions:rating-create", args=[owned_action.pk]), GOOD_RATING)
    assert response.status_code == 403
    assert not owned_action.ratings.exists()


def test_a_signed_in_user_with_no_role_is_refused(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="nobody"))
    assert client.get(reverse("actions:list")).status_code == 403


def test_a_user_deactivated_while_signed_in_is_sent_to_sign_in(client, officer, owned_action):
    client.force_login(officer)
    assert client.get(reverse("actions:list")).status_code == 200
    officer.is_active = False
    officer.save()
    response = client.get(reverse("actions:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sign-in"))


def test_sign_out_only_by_post(client, officer):
    client.force_login(officer)
    assert client.get(reverse("sign-out")).status_code == 405
    assert client.get(reverse("actions:list")).status_code == 200
