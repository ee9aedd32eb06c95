"""Which e-mail domains an identity provider serves: named on its sign-in button, and a
sign-in through it with an address of another domain refused, with nothing stored."""

from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.idp import sign_in_through

User = get_user_model()


def serving(council, *domains):
    council.settings = {**council.settings, "email_domains": list(domains)}
    council.save()
    return council


def test_the_button_names_the_domains_the_provider_serves(client, council):
    serving(council, "council.example", "schools.example")
    page = client.get(reverse("sign-in")).content.decode()
    assert "Sign in with Oxfordshire County Council" in page
    assert "for council.example and schools.example addresses" in page


def test_an_address_of_a_served_domain_signs_in(client, council, identity_provider):
    serving(council, "Council.Example")  # domains are compared without case
    response = sign_in_through(client, identity_provider, "council", "ann")
    assert response.status_code == 302
    assert User.objects.filter(email="ann.officer@council.example").exists()


def test_an_address_of_another_domain_is_refused_and_nothing_is_stored(
    client, council, identity_provider
):
    serving(council, "council.example")
    users = User.objects.count()
    response = sign_in_through(client, identity_provider, "council", "bob")  # icb.example
    assert response.status_code == 403
    page = response.content.decode()
    assert "Oxfordshire County Council signs in council.example addresses only" in page
    assert User.objects.count() == users
    assert not SocialAccount.objects.exists()


def test_a_provider_naming_no_domains_serves_any_address(client, council, identity_provider):
    response = sign_in_through(client, identity_provider, "council", "bob")
    assert response.status_code == 302
