"""Periods: months, quarters named by their last month, and "as at" the end of a day.

`quarters()` is the one list of a grid's quarter columns, shared by the page, the CSV,
the XLSX and the board pack.
"""

import calendar
import datetime

from django.db.models import Max
from django.utils import timezone


def first_of_month(day):
    return day.replace(day=1)


def last_day_of_month(year, month):
    """The month's last day (December 9999 included: no day after it is needed)."""
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


PERIOD_END_MESSAGE = "Enter the last day of the period, for example 30/06/2018"


def ends_a_month(day):
    return day == last_day_of_month(day.year, day.month)


def validate_period_end(day):
    """A period people record a figure for is a month, a quarter or a year: it ends on
    the last day of a month."""
    from django.core.exceptions import ValidationError

    if day and not ends_a_month(day):
        raise ValidationError(PERIOD_END_MESSAGE, code="period_end")


# The month ends as the date's text ends ("-02-29" allowed in any year; the Python rule is
# exact): a text match, which SQLite checks with no function Django must register.
MONTH_END_SUFFIXES = [
    f"-{month:02d}-{day}"
    for month, days in enumerate([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], start=1)
    for day in ([28, 29] if month == 2 else [days])
]


def months_between(first, last):
    """First days of the months from `first` to `last` inclusive, newest first."""
    months, month = [], first_of_month(last)
    while month >= first_of_month(first):
        months.append(month)
        month = first_of_month(month - datetime.timedelta(days=1))
    return months


def months_apart(earlier, later):
    """Calendar months from `earlier`'s month to `later`'s (0 within one month)."""
    return (later.year - earlier.year) * 12 + later.month - earlier.month


QUARTER_LAST_DAYS = {3: 31, 6: 30, 9: 30, 12: 31}


def quarter_end(day):
    """The last day of the quarter holding `day` (quarters end on 31 March, 30 June,
    30 September and 31 December). Called once per rating a grid reads, so no calendar."""
    month = (day.month - 1) // 3 * 3 + 3
    return datetime.date(day.year, month, QUARTER_LAST_DAYS[month])


def quarter_start(day):
    """The first day of the quarter holding `day`."""
    return datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def quarter_ends(first, last):
    """The last days of the quarters from `first` to `last`, both quarter ends."""
    ends, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        ends.append(last_day_of_month(year, month))
        year, month = (year + 1, month - 9) if month > 9 else (year, month + 3)
    return ends


def end_of_day(day):
    """The last moment of `day`, local time: what "as at" a day means."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def quarters(plan, ratings):
    """The grid's quarter columns for `plan`: its own quarters, carried on to the quarter of
    the latest month any of its actions is rated in (`ratings`: now or as at a day). The
    same for a filtered grid and every export of it, whatever the filter."""
    last = ratings.filter(action__required_outcome__plan=plan).aggregate(last=Max("month"))
    last_rated = quarter_end(last["last"]) if last["last"] else plan.last_quarter_end
    return quarter_ends(plan.first_quarter_end, max(plan.last_quarter_end, last_rated))
