"""A row of the actions list, written in Python (templatetags.board.action_row), is the
row the template wrote: the same HTML, tag for tag, for every kind of row an officer or a
board member meets (links to correct and to approve, awaiting approval, returned, never
rated, a record's note, text that needs escaping or cutting)."""

import datetime
import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.urls import reverse

from actions.models import ActionOwner, RatingColour
from tests.factories import ActionFactory, RatingFactory

# The row as actions/action_list.html wrote it until the tag replaced it.
TEMPLATE_ROW = Template((Path(__file__).parent / "action_list_row_before.html").read_text())
TAG_ROW = Template("{% load board %}{% action_row row %}")


def tight(html):
    return re.sub(r">\s+<", "><", html.strip())


@pytest.fixture
def rows(client, approver, officer, owned_action):
    """The list's rows as the chair (who may approve) and the officer (who may correct)."""
    role = owned_action.owners.get()
    long = ActionFactory(text="Make <b>sure</b> & " + " ".join(f"word{n}" for n in range(30)))
    never = ActionFactory(text="Never rated")
    for action in (long, never):
        ActionOwner.objects.create(action=action, role=role)
    RatingFactory(action=owned_action, month=datetime.date(2018, 6, 1), recorded_by=officer)
    RatingFactory(
        action=owned_action,
        month=datetime.date(2018, 7, 1),
        recorded_by=officer,
        returned=True,
    )
    RatingFactory(
        action=long,
        month=datetime.date(2018, 8, 1),
        rating=RatingColour.RED,
        recorded_by=officer,
        submitted=True,
    )
    found = []
    for user in (approver, officer):
        client.force_login(user)
        found.extend(client.get(reverse("actions:list")).context["rows"])
    return found


def test_each_row_is_the_html_the_template_wrote(rows):
    kinds = set()
    for row in rows:
        for note in ("", "Closed: a record of the 2018-19 plan"):
            row = {**row, "record_note": note}
            expected = tight(TEMPLATE_ROW.render(Context({"row": row})))
            assert tight(TAG_ROW.render(Context({"row": row}))) == expected
            kinds.update(
                kind
                for kind, seen in (
                    ("correct", "Correct and resubmit" in expected),
                    ("approve", "Approve or return" in expected),
                    ("awaiting", "Awaiting approval" in expected),
                    ("returned", ">Returned<" in expected),
                    ("never rated", ">None</td><td" in expected),
                    ("escaped", "&lt;b&gt;sure&lt;/b&gt; &amp;" in expected),
                    ("cut", "word14 …</a>" in expected),
                    ("record", "Closed: a record" in expected),
                )
                if seen
            )
    assert kinds == {
        "correct",
        "approve",
        "awaiting",
        "returned",
        "never rated",
        "escaped",
        "cut",
        "record",
    }
