"""The glossary of the board's words: plain English, the rating key printed from its one
home, reachable signed out, and linked from every page's footer."""

import re

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from actions.rules import rating_key
from tests.factories import UserFactory

TERMS = [
    "WSOA (Written Statement of Action)",
    "Significant weakness",
    "Area for priority action",
    "Area for improvement",
    "Required outcome",
    "Action",
    "RAG/grey rating",
    "Not rated",
    "Approver",
]


def words(response):
    return re.sub(r"\s+", " ", strip_tags(response.content.decode()))


@pytest.mark.django_db
def test_the_glossary_is_there_signed_out_and_explains_the_boards_words(client):
    response = client.get(reverse("glossary"))
    assert response.status_code == 200
    page = words(response)
    for term in TERMS:
        assert f"{term} " in page, term
    assert "APA1" in page and "AFI1" in page  # the codes the pages use
    assert "Sign out" not in page


@pytest.mark.django_db
def test_the_glossary_prints_the_rating_key_from_its_one_home(client, monkeypatch):
    page = words(client.get(reverse("glossary")))
    for entry in [*rating_key.KEY, rating_key.NOT_RATED_ENTRY]:
        assert f"{entry.word} {entry.meaning}" in page, entry.word
    changed = rating_key.KeyEntry(**{**vars(rating_key.KEY[0]), "meaning": "a changed meaning"})
    monkeypatch.setattr(rating_key, "KEY", [changed, *rating_key.KEY[1:]])
    assert "Green a changed meaning" in words(client.get(reverse("glossary")))


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [False, True])
def test_every_page_links_to_the_glossary_from_its_footer(client, signed_in):
    urls = [reverse("sign-in"), reverse("public-progress"), reverse("glossary")]
    if signed_in:
        client.force_login(UserFactory(username="board", board_member=True))
        urls = [reverse("actions:list"), reverse("actions:approvals"), reverse("glossary")]
    for url in urls:
        page = client.get(url).content.decode()
        footer = page[page.index('<footer class="govuk-footer"') :]
        assert f'href="{reverse("glossary")}"' in footer, url


@pytest.mark.django_db
def test_the_error_pages_link_to_the_glossary_too(client):
    client.force_login(UserFactory(username="board", board_member=True))
    page = client.get("/actions/999999/").content.decode()
    assert f'href="{reverse("glossary")}"' in page[page.index("<footer") :]
