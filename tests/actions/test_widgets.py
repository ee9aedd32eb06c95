"""The filters' select lists are written in Python (actions.widgets) with exactly the HTML
of Django's own Select, whatever the choices, the value and the attributes."""

import pytest
from django import forms

from actions.filters import ActionFilter, GridFilter
from actions.widgets import FastSelect

CHOICES = [
    ("", "All owner roles"),
    ("1", "SEN Manager & <Lead>"),
    ("2", 'Head of "Service"'),
    ("Health", [("3", "Designated Clinical Officer"), ("4", "CCG lead")]),
]


@pytest.mark.parametrize("value", [None, "", "2", "3", ["1", "4"]])
@pytest.mark.parametrize(
    "attrs",
    [None, {"class": "govuk-select", "id": "id_owner"}, {"disabled": True, "hidden": False}],
)
@pytest.mark.parametrize("multiple", [False, True])
def test_a_select_list_is_the_html_of_djangos_own(value, attrs, multiple):
    django_widget = (forms.SelectMultiple if multiple else forms.Select)(choices=CHOICES)
    ours = type("Ours", (FastSelect, type(django_widget)), {})(choices=CHOICES)
    assert ours.render("owner", value, attrs) == django_widget.render("owner", value, attrs)


@pytest.mark.django_db
def test_the_filters_offer_their_owner_roles_in_the_fast_select(owned_action):
    area = owned_action.required_outcome.plan.area
    for form in (ActionFilter({}, area=area).form, GridFilter({}).form):
        owner = form["owner"]
        assert isinstance(owner.field.widget, FastSelect)
        role = owned_action.owners.get()
        assert f'<option value="{role.pk}">{role}</option>' in str(owner)
