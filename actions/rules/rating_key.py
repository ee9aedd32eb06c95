"""The WSOA's rating key, defined once: each rating's word, its meaning in the plan, its
plain-English words for families, and how it looks (GOV.UK tag class, the tint that the
XLSX and the PDF fill cells with, and its ink). "Not rated" is in the key too, and looks
nothing like Grey. Every page, export and the board pack print the key from here."""

from dataclasses import dataclass

from .shown import NOT_RATED


@dataclass(frozen=True)
class KeyEntry:
    value: str
    word: str
    meaning: str
    plain_words: str  # for families, on the public page
    tag_class: str
    fill: str  # hex, no '#': the GOV.UK tag's tint background
    ink: str  # hex: the GOV.UK tag's text colour on that tint


KEY = [
    KeyEntry(
        "green",
        "Green",
        "completed / embedding",
        "done, or being built into everyday work",
        "govuk-tag--green",
        "CCE2D8",
        "005A30",
    ),
    KeyEntry(
        "amber",
        "Amber",
        "progressing",
        "in progress",
        "govuk-tag--orange",
        "FCD6C3",
        "6E3619",
    ),
    KeyEntry(
        "red",
        "Red",
        "little or no progress",
        "little or no progress yet",
        "govuk-tag--red",
        "F4CDC6",
        "2A0B06",
    ),
    KeyEntry(
        "grey",
        "Grey",
        "being addressed via wider / alternative systems",
        "being handled through other work",
        "govuk-tag--grey",
        "E5E6E7",
        "0C0C0C",
    ),
]
NOT_RATED_ENTRY = KeyEntry(
    NOT_RATED,
    "Not rated",
    "no accepted update in the period",
    "not yet checked",
    "app-rating--not-rated",
    "FFFFFF",
    "0B0C0C",
)
BY_VALUE = {entry.value: entry for entry in [*KEY, NOT_RATED_ENTRY]}


def entry(value):
    """The key's entry for a rating word ('' or None: not rated)."""
    return BY_VALUE[value or NOT_RATED]
