"""Single sign-on end to end through the real local provider (tests/idp): success, roles
from the provider's groups, a role taken away at the provider, no mapped role refused,
and the sign-in page's buttons."""

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.urls import reverse

from actions import roles
from actions.models import Approver
from tests.idp import sign_in_through

User = get_user_model()


def role_names(user):
    return set(user.groups.values_list("name", flat=True))


def test_the_sign_in_page_offers_each_provider_and_keeps_the_local_form(client, council):
    response = client.get(reverse("sign-in"))
    page = response.content.decode()
    assert "Sign in with Oxfordshire County Council" in page
    assert 'name="username"' in page and 'name="password"' in page
    # The button's POST is redirected to the provider: the CSP lets the form go there.
    form_action = next(
        d for d in response["Content-Security-Policy"].split(";") if "form-action" in d
    )
    assert "'self'" in form_action and council.settings["server_url"] in form_action


def test_an_officer_signs_in_through_the_council(client, council, identity_provider):
    response = sign_in_through(client, identity_provider, "council", "ann")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    page = client.get(reverse("actions:list"))
    assert page.status_code == 200
    user = User.objects.get(email="ann.officer@council.example")
    assert (user.first_name, user.last_name) == ("Ann", "Officer")
    assert role_names(user) == {roles.OFFICER}
    assert not user.is_staff and not user.has_usable_password()
    assert SocialAccount.objects.get(user=user).provider == "council"


def test_groups_map_to_board_member_chair_and_administrator(client, council, identity_provider):
    sign_in_through(client, identity_provider, "council", "bob")
    bob = User.objects.get(email="bob.board@icb.example")
    assert role_names(bob) == {roles.BOARD_MEMBER}
    assert Approver.objects.filter(user=bob, finding=None).exists()  # the chair

    client.logout()
    sign_in_through(client, identity_provider, "council", "ada")
    ada = User.objects.get(email="ada.admin@council.example")
    assert role_names(ada) == {roles.ADMINISTRATOR} and ada.is_staff
    # An administrator gives the tracker's own second factor too, even after single
    # sign-on (wsoa_tracker.second_factor); an officer or board member does not.
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("second-factor-setup") + "?next=/admin/"


def test_a_role_removed_at_the_provider_is_gone_at_the_next_sign_in(
    client, council, identity_provider
):
    sign_in_through(client, identity_provider, "council", "bob")
    client.logout()
    identity_provider.set_groups("bob", ["wsoa-board"])  # no longer the chair
    response = sign_in_through(client, identity_provider, "council", "bob")
    assert response.status_code == 302
    bob = User.objects.get(email="bob.board@icb.example")
    assert role_names(bob) == {roles.BOARD_MEMBER}
    assert not Approver.objects.filter(user=bob).exists()

    client.logout()
    identity_provider.set_groups("bob", ["wsoa-officers"])
    sign_in_through(client, identity_provider, "council", "bob")
    assert role_names(bob) == {roles.OFFICER}


def test_every_role_removed_at_the_provider_refuses_the_next_sign_in(
    client, council, identity_provider
):
    sign_in_through(client, identity_provider, "council", "ada")
    client.logout()
    identity_provider.set_groups("ada", [])
    response = sign_in_through(client, identity_provider, "council", "ada")
    assert response.status_code == 403
    assert "You cannot sign in to the tracker yet" in response.content.decode()
    ada = User.objects.get(email="ada.admin@council.example")
    assert role_names(ada) == set() and not ada.is_staff
    assert client.get(reverse("actions:list")).status_code == 302  # not signed in


def test_no_mapped_role_is_refused_and_nothing_is_stored(client, council, identity_provider):
    users = User.objects.count()
    response = sign_in_through(client, identity_provider, "council", "nora")
    assert response.status_code == 403
    page = response.content.decode()
    assert "You cannot sign in to the tracker yet" in page
    assert "no account has been made for you" in page
    assert "the SEND Programme Board&#x27;s tracker administrator" in page
    assert User.objects.count() == users
    assert not SocialAccount.objects.exists()
    assert client.get(reverse("actions:list")).status_code == 302


def test_a_group_of_another_provider_gives_no_role(client, council, identity_provider):
    """A mapping belongs to one provider: the ICB's "wsoa-officers" is not the council's."""
    from allauth.socialaccount.models import SocialApp

    from tests.idp import CLIENT_SECRET

    SocialApp.objects.create(
        provider="openid_connect",
        provider_id="icb",
        name="NHS Integrated Care Board",
        client_id="icb",
        secret=CLIENT_SECRET,
        settings={"server_url": identity_provider.issuer, "scope": ["openid", "groups"]},
    )
    page = client.get(reverse("sign-in")).content.decode()
    assert "Sign in with NHS Integrated Care Board" in page
    response = sign_in_through(client, identity_provider, "icb", "ann")
    assert response.status_code == 403
    assert not User.objects.filter(email="ann.officer@council.example").exists()


def test_a_deactivated_account_is_refused(client, council, identity_provider):
    sign_in_through(client, identity_provider, "council", "ann")
    client.logout()
    User.objects.filter(email="ann.officer@council.example").update(is_active=False)
    response = sign_in_through(client, identity_provider, "council", "ann")
    assert response.status_code == 403
    assert "deactivated" in response.content.decode()


def test_an_email_an_existing_account_has_is_not_taken_over(client, council, identity_provider):
    from tests.factories import UserFactory

    UserFactory(username="ann-local", email="ann.officer@council.example")
    response = sign_in_through(client, identity_provider, "council", "ann")
    assert response.status_code == 403
    assert "already exists" in response.content.decode()
    assert not SocialAccount.objects.exists()


def test_starting_a_sign_in_takes_a_post(client, council):
    assert client.get(reverse("openid_connect_login", args=["council"])).status_code == 405


@pytest.mark.parametrize("name", ["openid_connect_login", "openid_connect_callback"])
def test_an_unknown_provider_is_not_found(client, db, name):
    method = client.post if name.endswith("login") else client.get
    assert method(reverse(name, args=["nowhere"])).status_code == 404


def test_it_goes_on_to_the_page_asked_for_but_never_off_the_site(
    client, council, identity_provider
):
    response = sign_in_through(client, identity_provider, "council", "ann", "/findings/")
    assert response["Location"] == "/findings/"
    client.logout()
    response = sign_in_through(
        client, identity_provider, "council", "ann", "https://evil.example/phish"
    )
    assert response["Location"] == reverse("home")


def test_a_sign_in_never_links_the_identity_to_the_account_signed_in(
    client, council, identity_provider, officer
):
    """allauth's ?process=connect is ignored: pressing the button while signed in as the
    local officer signs in as the provider's person instead, leaving the officer alone."""
    from tests.idp import sign_in_at_provider

    client.force_login(officer)
    response = client.post(reverse("openid_connect_login", args=["council"]) + "?process=connect")
    back = sign_in_at_provider(identity_provider, response["Location"], "ann")
    response = client.get(back.removeprefix("http://testserver"))
    assert response.status_code == 302
    assert not SocialAccount.objects.filter(user=officer).exists()
    ann = SocialAccount.objects.get().user
    assert ann.email == "ann.officer@council.example"
    assert int(client.session["_auth_user_id"]) == ann.pk


def test_a_provider_whose_id_is_not_a_slug_is_left_off_the_sign_in_page(client, council, caplog):
    from allauth.socialaccount.models import SocialApp

    SocialApp.objects.create(provider="openid_connect", provider_id="bad id", name="Bad")
    response = client.get(reverse("sign-in"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Sign in with Oxfordshire County Council" in page
    assert "Sign in with Bad" not in page
    assert "Identity provider 'Bad' not shown" in caplog.text
