"""The "as at" rule: every figure the board is shown is as at one moment, which the page,
its CSV, XLSX and PDF all take from `?as_at=` and print in the same words.

- No `as_at` means **now** (for every format): "As at 2 December 2026, 10:41".
- A past day means **the end of that day**: "As at the end of 31 March 2018". Today's date
  means now, since the end of today has not come yet.
- A moment (`2026-12-02T10:41:07`, what a page's download links carry so that the files
  show exactly what the page showed) means that moment.
- A day or moment after now, a date that does not exist, or text that is not a date is
  refused (`AsAtRefused`, with the message the error summary shows), never read as
  another date.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from .periods import end_of_day

DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")
MOMENT_FORMAT = "%Y-%m-%dT%H:%M:%S"
INVALID = "Enter the date as day/month/year, for example 31/03/2018"
FUTURE = "The “as at” date must be today or in the past"
HINT = (
    "The figures as they stood at the end of this day, for example 31/03/2018. "
    "Leave it empty for now."
)


class AsAtRefused(ValueError):
    """An "as at" that cannot be read, or is after now; its text is the message to show."""


@dataclass(frozen=True)
class AsAt:
    moment: datetime.datetime  # aware: what every figure is as at
    day_end: bool = False  # True: the end of a past day; False: a moment
    asked: bool = False  # False: nobody asked for a date, so the moment is now

    @classmethod
    def now(cls):
        return cls(timezone.now())

    @classmethod
    def end_of(cls, day):
        """The end of a past day (today's end has not come: today is now)."""
        if day >= timezone.localdate():
            return cls(timezone.now(), asked=True)
        return cls(end_of_day(day), day_end=True, asked=True)

    @property
    def is_now(self):
        return not self.asked

    @property
    def day(self):
        """The local day the figures are as at."""
        return timezone.localtime(self.moment).date()

    def words(self):
        """ "As at the end of 31 March 2018", or "As at 2 December 2026, 10:41"."""
        if self.day_end:
            return f"As at the end of {self.day.day} {self.day:%B %Y}"
        local = timezone.localtime(self.moment)
        return f"As at {local.day} {local:%B %Y, %H:%M}"

    def phrase(self):
        """The words inside a sentence: "as at the end of 31 March 2018"."""
        return "a" + self.words()[1:]

    def query_value(self):
        """What a link carries so that another format shows exactly this as at."""
        if self.day_end:
            return f"{self.day:%Y-%m-%d}"
        return timezone.localtime(self.moment).strftime(MOMENT_FORMAT)

    def file_part(self):
        """For a download's name: "2018-03-31" or "2026-12-02-1041"."""
        if self.day_end:
            return f"{self.day:%Y-%m-%d}"
        return timezone.localtime(self.moment).strftime("%Y-%m-%d-%H%M")

    def before(self, day):
        """Whether `day` had begun by this moment (a date known by then)."""
        return day <= self.day

    def __str__(self):
        return self.words()


def parse(text):
    """The AsAt that `text` asks for (empty: now). Raises AsAtRefused."""
    text = (text or "").strip()
    if not text:
        return AsAt.now()
    for layout in DATE_FORMATS:
        try:
            day = datetime.datetime.strptime(text, layout).date()
        except ValueError:
            continue
        if day > timezone.localdate():
            raise AsAtRefused(FUTURE)
        try:
            return AsAt.end_of(day)
        except (OverflowError, ValueError) as error:  # the calendar's very edges
            raise AsAtRefused(INVALID) from error
    try:
        moment = timezone.make_aware(datetime.datetime.strptime(text, MOMENT_FORMAT))
        moment.astimezone(datetime.UTC)
    except (ValueError, OverflowError) as error:
        raise AsAtRefused(INVALID) from error
    if moment > timezone.now():
        raise AsAtRefused(FUTURE)
    return AsAt(moment, asked=True)


def as_at_of(value):
    """An AsAt from what callers hold: an AsAt, a date (the end of that day), or None (now)."""
    if isinstance(value, AsAt):
        return value
    if value is None:
        return AsAt.now()
    return AsAt.end_of(value)
