import datetime

import pytest

from tests.database import refused
from tests.factories import OrganisationFactory, ReviewFactory

pytestmark = pytest.mark.django_db


def test_a_approval_cannot_end_before_it_starts():
    refused(
        lambda: ReviewFactory(
            start_date=datetime.date(2019, 10, 17), end_date=datetime.date(2019, 10, 14)
        )
    )


def test_a_approval_kind_outside_the_list_is_refused():
    refused(lambda: ReviewFactory(kind="chat"))


def test_an_organisation_cannot_leave_the_partnership_before_it_joins():
    refused(
        lambda: OrganisationFactory(
            active_from=datetime.date(2022, 7, 1), active_until=datetime.date(2022, 6, 30)
        )
    )


def test_an_organisation_short_name_is_used_once_in_an_area():
    first = OrganisationFactory(short_name="OCC")
    refused(lambda: OrganisationFactory(area=first.area, short_name="OCC"))
